"""Demo news and notices, dated relative to today so the home page always has a current notice."""

from __future__ import annotations

import datetime

from django.utils import timezone
from taggit.models import Tag

from demo.helpers import DemoReport, ensure_child_page, ensure_image
from news.models import NewsIndexPage, NewsKind, NewsPage, TaggedNews

POLICY_NUMBER = "郑政办文〔2013〕13号"


def _paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in texts)}]


# 春节 (the first day of the lunar year): a holiday notice is dated shortly before it.
SPRING_FESTIVALS = [
    datetime.date(2025, 1, 29),
    datetime.date(2026, 2, 17),
    datetime.date(2027, 2, 6),
    datetime.date(2028, 1, 26),
    datetime.date(2029, 2, 13),
    datetime.date(2030, 2, 3),
    datetime.date(2031, 1, 23),
    datetime.date(2032, 2, 11),
]
SPRING_FESTIVAL_NOTICE_DAYS_BEFORE = 10
SPRING_FESTIVAL = "spring-festival"  # in place of "days ago": dated by the festival


def spring_festival_notice_date(today: datetime.date) -> datetime.date:
    """Ten days before the latest Spring Festival whose notice date is not in the future."""
    notice_dates = [
        festival - datetime.timedelta(days=SPRING_FESTIVAL_NOTICE_DAYS_BEFORE)
        for festival in SPRING_FESTIVALS
    ]
    past = [date for date in notice_dates if date <= today]
    return past[-1] if past else notice_dates[0]


# (slug, kind, days ago, pinned for days (notices), title, source, summary, paragraphs, tags)
ARTICLES = [
    (
        "learning-week-residents-notice",
        NewsKind.NOTICE,
        2,
        30,
        "全民终身学习活动周即将开始，欢迎市民就近参加",
        "郑州市社区教育指导服务中心",
        "活动周期间，全市社区学校集中举办讲座、展演和体验课。大多数活动免费，直接到场即可；"
        "需要报名的活动，页面上有“报名”按钮。",
        (
            f"按照{POLICY_NUMBER}关于开展“全民终身学习活动周”的要求，今年的活动周围绕思想道德、"
            "文化艺术、知识技能和生活常识四个方面，在全市各社区学校和学习点举办。",
            "怎样找活动：打开本网站“活动日历”，可以按区县、学习对象和日期筛选，"
            "也可以点“添加到我的日历”把活动存进手机。每个活动页面都写明了时间、地点和参加方式。",
            "怎样参加：页面写着“免费入场，无需报名”的，按时间到场即可；写着“需报名”的，"
            "点“报名”填写姓名和手机号，名额有限，报满为止（个别活动摇号，页面上会写明）。不会用手机报名的，"
            "可以到家门口的社区学校请工作人员帮忙登记。",
            "咨询电话：0371-6718 0000（市社区教育指导服务中心，工作日上午 9 点至下午 5 点）。",
        ),
        ["全民终身学习活动周"],
    ),
    (
        "volunteer-teacher-call-notice",
        NewsKind.NOTICE,
        5,
        45,
        "社区教育志愿讲师招募公告",
        "郑州社区大学",
        "欢迎有一技之长、热心公益的市民报名成为社区教育志愿讲师，到家门口的社区学校授课。",
        (
            "社区学校的书法、摄影、智能手机、家庭理财等课程常年需要讲师。"
            "退休教师、医务工作者、非遗传承人和各行业的能手都可以报名。",
            "报名后，所在区县社区学院会在两周内与您联系，安排试讲和课程时间。"
            "志愿服务时长可记入个人志愿服务记录。",
        ),
        ["志愿者", "师资"],
    ),
    (
        "holiday-closure-notice",
        NewsKind.NOTICE,
        SPRING_FESTIVAL,
        None,
        "春节期间社区学校暂停线下课程的通知",
        "郑州市社区教育指导服务中心",
        "春节假期各社区学校线下课程暂停，线上学习资源照常开放。祝大家新春快乐！",
        (
            "春节假期（以国家公布的放假安排为准）期间，各社区学校和学习点暂停线下课程和活动。",
            "假期期间，市民可以在“学习资源”栏目观看讲座回放和微课，节后课程安排以各学校通知为准。",
        ),
        ["放假安排"],
    ),
    (
        "learning-city-progress",
        NewsKind.NEWS,
        3,
        None,
        "学习型城市建设十余年：四级社区教育网络覆盖城乡",
        "郑州市社区教育指导服务中心",
        f"自{POLICY_NUMBER}印发以来，全市已建成社区大学、社区学院、社区教育中心和社区学校四级网络。",
        (
            f"{POLICY_NUMBER}提出以社区教育为抓手推进学习型城市建设。十余年来，"
            "郑州社区大学统筹全市资源，各县（市、区）社区学院带动乡镇（街道）社区教育中心，"
            "社区学校和学习点把课堂办到了居民楼下。",
            "如今，市民在手机上就能查到附近的学习点、报名课程、收看郑州讲坛回放。"
            "下一步，全市将继续推进数字化学习中心和学习站建设，让更多居民就近学、随时学。",
        ),
        ["学习型城市", "社区教育"],
    ),
    (
        "smartphone-class-for-elders",
        NewsKind.NEWS,
        9,
        None,
        "金水区开设老年人智能手机课堂，学员结业后当上“小老师”",
        "金水区社区学院",
        "十二周的课程教会老人用手机挂号、缴费和视频通话，结业学员又带着邻居一起学。",
        (
            "课堂每周两次，每班不超过二十人，由社区学院教师和大学生志愿者一对一辅导。",
            "不少结业学员主动报名当“小老师”，在楼院里教邻居使用健康码和网上缴费，"
            "把学到的本领传了下去。",
        ),
        ["智能手机", "老年人", "数字技能"],
    ),
    (
        "reading-festival-recap",
        NewsKind.NEWS,
        20,
        None,
        "绿城读书节社区分会场：百场共读活动走进楼院",
        "郑州市社区教育指导服务中心",
        "读书节期间，各社区学校组织亲子共读、读书分享和图书漂流，吸引了大量居民参与。",
        (
            "今年的社区分会场以“家门口的书香”为主题，社区学校和学习点把图书角搬进楼院、广场和村委会。",
            "活动结束后，各社区将共读书目整理成书单，发布在本网站学习资源栏目，方便居民继续阅读。",
        ),
        ["阅读", "绿城读书节"],
    ),
    (
        "rural-skills-training",
        NewsKind.NEWS,
        30,
        None,
        "新郑市乡镇社区教育中心开展农业实用技术培训",
        "新郑市社区学院",
        "红枣种植、电商直播和农机维护三门课程送到田间地头，帮助农民增收。",
        (
            "培训由乡镇社区教育中心牵头，邀请农技专家和返乡创业青年授课，课堂就设在合作社和村委会。",
            "参加培训的农民说，学了直播卖货，自家的红枣多了一条销路。",
        ),
        ["农民", "职业技能"],
    ),
]


def load_news_demo(home, report: DemoReport) -> None:
    today = timezone.localdate()
    index = ensure_child_page(
        report,
        home,
        NewsIndexPage,
        "news",
        title="新闻动态",
        intro="全市社区教育和终身学习的新闻与通知公告。通知公告在有效期内同时显示在首页。",
        show_in_menus=True,
    )
    for slug, kind, days_ago, pinned_days, title, source, summary, texts, tags in ARTICLES:
        if days_ago == SPRING_FESTIVAL:
            date = spring_festival_notice_date(today)
        else:
            date = today - datetime.timedelta(days=days_ago)
        published = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 30)))
        ensure_child_page(
            report,
            index,
            NewsPage,
            slug,
            title=title,
            kind=kind,
            date=date,
            source=source,
            summary=summary,
            body=_paragraphs(*texts),
            pinned_until=today + datetime.timedelta(days=pinned_days) if pinned_days else None,
            cover_image=ensure_image(report, title) if kind == NewsKind.NEWS else None,
            tagged_items=[TaggedNews(tag=Tag.objects.get_or_create(name=name)[0]) for name in tags],
            first_published_at=published,
        )
