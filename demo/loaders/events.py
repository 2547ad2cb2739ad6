"""Demo events: two Learning Weeks, the Forum's lectures, two reading festivals and weekly
community activities. Dates are relative to today, so the calendar is never empty."""

from __future__ import annotations

import datetime

from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from demo.data.recordings import LECTURE_SCRIPTS
from demo.helpers import DemoReport, ensure_child_page, ensure_image
from demo.loaders.resources import ensure_handouts, ensure_recording
from events.models import (
    EventIndexPage,
    EventPage,
    EventPageTag,
    EventStatus,
    ForumIndexPage,
    LearningWeekIndexPage,
    LearningWeekPage,
    LectureDocument,
    LecturePage,
    LecturePageTag,
    LectureSpeaker,
    ReadingFestivalIndexPage,
    ReadingFestivalPage,
    RecommendedBook,
)
from home.models import Audience, Category, Occurrence, Person
from schools.models import CommunityCollegePage, CommunitySchoolPage

# (title, summary, category slug, audience slugs, tags)
WEEK_ACTIVITIES = [
    (
        "社区太极拳展演",
        "各社区太极拳队集中展示，现场教授入门套路，欢迎居民跟练。",
        "culture-arts",
        ["elderly"],
        ["太极拳", "健康"],
    ),
    (
        "智能手机学用课堂",
        "手把手教老年朋友用手机挂号、扫码乘车和视频通话。",
        "skills",
        ["elderly"],
        ["智能手机", "数字技能"],
    ),
    (
        "黄河文化主题展",
        "通过图片和实物了解黄河文化与郑州的城市变迁。",
        "culture-arts",
        ["youth", "employed"],
        ["黄河文化"],
    ),
    (
        "防范电信诈骗讲座",
        "民警讲解常见诈骗手法，教您守好钱袋子。",
        "daily-life",
        ["elderly", "disadvantaged"],
        ["防诈骗", "安全"],
    ),
    (
        "家庭急救技能培训",
        "学习心肺复苏和海姆立克急救法，现场实操。",
        "daily-life",
        ["employed", "youth"],
        ["急救", "健康"],
    ),
    (
        "新市民职业技能体验日",
        "家政、养老护理、电工等职业技能现场体验与咨询。",
        "skills",
        ["new-citizens", "job-seekers"],
        ["职业技能"],
    ),
    (
        "亲子共读绘本会",
        "志愿者带领家长和孩子一起读绘本、做手工。",
        "ethics",
        ["youth"],
        ["阅读", "亲子"],
    ),
    (
        "书法入门体验课",
        "从握笔、坐姿开始，体验毛笔书法的乐趣。",
        "culture-arts",
        ["elderly", "youth"],
        ["书法"],
    ),
    (
        "农业种植新技术讲堂",
        "农技专家讲解设施蔬菜种植与病虫害绿色防控。",
        "skills",
        ["farmers"],
        ["农业技术"],
    ),
    (
        "垃圾分类互动课堂",
        "通过游戏和情景演示学习生活垃圾分类。",
        "daily-life",
        ["youth", "elderly"],
        ["垃圾分类", "环保"],
    ),
]

LECTURES = [
    (
        "黄河文明与郑州的城市记忆",
        "从商城遗址说起，讲述郑州作为黄河文明重要发源地的历史脉络。",
        "culture-arts",
        ["黄河文化", "历史"],
    ),
    (
        "老年人如何科学锻炼",
        "运动医学专家讲解适合老年人的锻炼方式与注意事项。",
        "daily-life",
        ["健康", "太极拳"],
    ),
    ("读懂家庭教育促进法", "家庭教育的法定责任与实用方法。", "ethics", ["亲子", "法律"]),
    (
        "数字时代的终身学习",
        "在线学习平台怎么用，怎样给自己制定学习计划。",
        "skills",
        ["数字技能", "终身学习"],
    ),
    ("中医养生的四季智慧", "顺应四时调养身体，常见误区一一澄清。", "daily-life", ["健康", "中医"]),
    (
        "唐诗里的中原风物",
        "跟着唐诗游中原，品读诗句中的山川与人情。",
        "culture-arts",
        ["诗词", "阅读"],
    ),
    (
        "防范养老诈骗，守护晚年生活",
        "以真实案例讲解以“养老”为名的诈骗套路。",
        "daily-life",
        ["防诈骗", "安全"],
    ),
    (
        "少林武术与传统体育",
        "少林功夫的历史与当代传承，现场演示基本功。",
        "culture-arts",
        ["武术", "传统文化"],
    ),
    (
        "垃圾分类背后的城市治理",
        "一座城市如何让垃圾分类成为居民的习惯。",
        "ethics",
        ["垃圾分类", "环保"],
    ),
    ("家庭理财入门", "认识储蓄、保险和基金，避开高息陷阱。", "skills", ["理财"]),
    (
        "中原戏曲漫谈：豫剧的前世今生",
        "豫剧名家讲述豫剧流派与经典唱段。",
        "culture-arts",
        ["戏曲", "传统文化"],
    ),
    (
        "心理健康与幸福晚年",
        "老年人常见的心理困扰与自我调适方法。",
        "daily-life",
        ["心理健康", "健康"],
    ),
]

SPEAKERS = [
    ("王建华", "教授", "郑州大学历史学院"),
    ("李秀兰", "主任医师", "郑州市老年医院"),
    ("张志强", "副教授", "河南师范大学教育学院"),
    ("陈静", "高级讲师", "郑州社区大学"),
    ("刘明", "研究员", "河南省社会科学院"),
    ("赵丽娟", "警官", "郑州市公安局反诈中心"),
    ("孙国栋", "国家一级演员", "河南豫剧院"),
    ("周文", "心理咨询师", "郑州市心理健康服务中心"),
    ("郭春梅", "主任中医师", "河南省中医院"),
    ("杨文博", "教授", "河南大学文学院"),
    ("马卫东", "武术教练", "郑州市体育运动学校"),
    ("黄蕾", "金融知识讲师", "郑州市消费者协会"),
]
# Who gives each lecture: a speaker whose work is the lecture's subject.
LECTURE_SPEAKERS = {
    "黄河文明与郑州的城市记忆": "王建华",
    "老年人如何科学锻炼": "李秀兰",
    "读懂家庭教育促进法": "张志强",
    "数字时代的终身学习": "陈静",
    "中医养生的四季智慧": "郭春梅",
    "唐诗里的中原风物": "杨文博",
    "防范养老诈骗，守护晚年生活": "赵丽娟",
    "少林武术与传统体育": "马卫东",
    "垃圾分类背后的城市治理": "刘明",
    "家庭理财入门": "黄蕾",
    "中原戏曲漫谈：豫剧的前世今生": "孙国栋",
    "心理健康与幸福晚年": "周文",
}

WEEKLY_ACTIVITIES = [
    (
        "每周太极拳晨练",
        "社区太极拳队带领居民晨练，初学者有专人指导。",
        "culture-arts",
        ["elderly"],
        ["太极拳", "健康"],
        datetime.time(7, 30),
        90,
    ),
    (
        "智能手机互助课堂",
        "每周一次，志愿者解答手机使用中遇到的问题。",
        "skills",
        ["elderly"],
        ["智能手机", "数字技能"],
        datetime.time(9, 30),
        90,
    ),
    (
        "书画交流活动",
        "书画爱好者每周相聚，交流作品、切磋技艺。",
        "culture-arts",
        ["elderly", "employed"],
        ["书法"],
        datetime.time(14, 30),
        120,
    ),
    (
        "周末亲子阅读",
        "周末上午的亲子阅读时光，每期一个主题。",
        "ethics",
        ["youth"],
        ["阅读", "亲子"],
        datetime.time(9, 30),
        90,
    ),
]

BOOKS = [
    (
        "平凡的世界",
        "路遥",
        "人民文学出版社",
        "在时代变迁中奋斗的普通人，写给每一个努力生活的读者。",
    ),
    ("乡土中国", "费孝通", "北京大学出版社", "理解中国乡土社会的入门读物，篇幅短小，适合共读。"),
    ("活着", "余华", "作家出版社", "一个人的一生，讲尽了生活的韧性。"),
    ("朝花夕拾", "鲁迅", "人民文学出版社", "童年与青年的回忆，适合祖孙共读。"),
    ("骆驼祥子", "老舍", "人民文学出版社", "老北京车夫的命运沉浮，语言朴实耐读。"),
]


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _tags(through, names):
    return [through(tag=Tag.objects.get_or_create(name=name)[0]) for name in names]


def _occurrences(starts_and_minutes, **extra):
    return [
        Occurrence(start=start, end=start + datetime.timedelta(minutes=minutes), **extra)
        for start, minutes in starts_and_minutes
    ]


def load_events_demo(home, report: DemoReport) -> None:
    today = timezone.localdate()
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    categories = {category.slug: category for category in Category.objects.all()}
    districts = list(CommunityCollegePage.objects.live().order_by("path"))
    schools = list(CommunitySchoolPage.objects.live().order_by("path"))

    calendar = ensure_child_page(
        report,
        home,
        EventIndexPage,
        "calendar",
        title="活动日历",
        intro="全市社区教育活动、全民终身学习活动周、绿城读书节和郑州讲坛，一页看全。可按日期、区县和人群筛选，并订阅到手机日历。",
        show_in_menus=True,
    )
    _load_city_events(report, calendar, today, audiences, categories, schools)
    _load_learning_weeks(report, home, today, audiences, categories, districts, schools)
    _load_forum(report, home, today, audiences, categories, schools)
    _load_reading_festivals(report, home, today, audiences, categories, schools)
    _load_weekly_activities(report, today, audiences, categories, schools)


def _event_fields(row, audiences, categories, **fields):
    title, summary, category_slug, audience_slugs, tag_names = row[:5]
    return {
        "title": title,
        "summary": summary,
        "category": categories.get(category_slug),
        "audiences": [audiences[slug] for slug in audience_slugs if slug in audiences],
        "tagged_items": _tags(EventPageTag, tag_names),
        "how_to_join": "请提前 10 分钟到场，在签到处登记。",
        "accessibility_notes": "活动场地在一楼，设有无障碍通道。",
        **fields,
    }


def _load_city_events(report, calendar, today, audiences, categories, schools) -> None:
    for index, row in enumerate(WEEK_ACTIVITIES[:6]):
        day = today + datetime.timedelta(days=3 + index * 4)
        venue = schools[(index * 17) % len(schools)] if schools else None
        ensure_child_page(
            report,
            calendar,
            EventPage,
            f"city-event-{index + 1}",
            **_event_fields(
                row,
                audiences,
                categories,
                title=f"市民学堂：{row[0]}",
                venue=venue,
                organiser_name="郑州市社区教育指导服务中心",
                status=EventStatus.CANCELLED if index == 5 else EventStatus.SCHEDULED,
                occurrences=_occurrences([(_local(day, datetime.time(9, 30)), 120)]),
                cover_image=ensure_image(report, f"活动封面：{row[0]}"),
            ),
        )


def _load_learning_weeks(report, home, today, audiences, categories, districts, schools) -> None:
    index_page = ensure_child_page(
        report,
        home,
        LearningWeekIndexPage,
        "learning-week",
        title="全民终身学习活动周",
        intro="每年一届的全民终身学习活动周，由市、区县、街道和社区四级联动，集中展示全市社区教育成果。",
        show_in_menus=True,
    )
    # This year's week is under way today; last year's was a year earlier.
    this_start = today - datetime.timedelta(days=2)
    for start in (this_start - datetime.timedelta(days=364), this_start):
        end = start + datetime.timedelta(days=6)
        edition = ensure_child_page(
            report,
            index_page,
            LearningWeekPage,
            str(start.year),
            title=f"{start.year}年郑州市全民终身学习活动周",
            theme="学习型城市 人人出彩" if start == this_start else "终身学习 幸福郑州",
            start_date=start,
            end_date=end,
            organisers="郑州市教育局、郑州市社区教育指导服务中心，各县（市、区）社区学院承办",
            intro="七天时间，全市各社区学校和学习点同步开放，课程、展演、讲座和体验活动免费参加。",
            cover_image=ensure_image(report, f"{start.year}年全民终身学习活动周"),
        )
        for number in range(20):
            row = WEEK_ACTIVITIES[number % len(WEEK_ACTIVITIES)]
            district = districts[number % len(districts)] if districts else None
            district_schools = [s for s in schools if district and s.path.startswith(district.path)]
            venue = district_schools[number % len(district_schools)] if district_schools else None
            day = start + datetime.timedelta(days=number % 7)
            hour = datetime.time(9 if number % 2 == 0 else 15, 0)
            ensure_child_page(
                report,
                edition,
                EventPage,
                f"event-{number + 1}",
                **_event_fields(
                    row,
                    audiences,
                    categories,
                    title=f"{district.district_name if district else ''}{row[0]}",
                    venue=venue,
                    occurrences=_occurrences([(_local(day, hour), 120)]),
                ),
            )


def _ensure_speakers(report) -> dict[str, Person]:
    people = {}
    for name, title, affiliation in SPEAKERS:
        person = Person.objects.filter(name=name).first()
        if person is None:
            person = Person.objects.create(
                name=name,
                title=title,
                affiliation=affiliation,
                photo=ensure_image(report, f"主讲人照片：{name}", (400, 400)),
                bio=f"<p>{affiliation}{title}，长期参与社区教育和市民公益讲座。</p>",
            )
            report.add(f"主讲人：{name}")
        people[name] = person
    return people


def _load_forum(report, home, today, audiences, categories, schools) -> None:
    forum = ensure_child_page(
        report,
        home,
        ForumIndexPage,
        "forum",
        title="郑州讲坛",
        intro="郑州讲坛邀请专家学者走进社区，讲历史、谈健康、话生活。每期讲座结束后提供录像或录音、字幕和文字稿。",
        show_in_menus=True,
    )
    speakers = _ensure_speakers(report)
    venue = next((s for s in schools if "jingbalu" in s.slug), schools[0] if schools else None)
    for index, (title, summary, category_slug, tag_names) in enumerate(LECTURES):
        # Ten past lectures, a fortnight apart, then two upcoming ones.
        weeks_from_now = (index - 9) * 2 if index < 10 else (index - 9) * 2 - 1
        day = today + datetime.timedelta(weeks=weeks_from_now)
        day -= datetime.timedelta(days=(day.weekday() - 5) % 7)  # Saturdays
        past = index < 10
        speaker = speakers[LECTURE_SPEAKERS[title]]
        fields = {
            "title": title,
            "summary": summary,
            "category": categories.get(category_slug),
            "audiences": [audiences[slug] for slug in ("elderly", "employed") if slug in audiences],
            "tagged_items": _tags(LecturePageTag, tag_names),
            "speakers": [LectureSpeaker(person=speaker)],
            "venue": venue,
            "occurrences": _occurrences([(_local(day, datetime.time(9, 30)), 120)]),
            "abstract": f"<p>{summary}</p><p>本期讲座由{speaker.name}{speaker.title}主讲，讲座后设有现场问答。</p>",
            "cover_image": ensure_image(report, f"讲座封面：{title}"),
        }
        if past:
            script = LECTURE_SCRIPTS[title]
            media, captions, chapters = ensure_recording(report, script)
            fields.update(
                {script.kind: media},
                caption_file=captions,
                chapters_file=chapters,
                transcript=script.transcript_html(),
            )
            handout, _ = ensure_handouts(report, title)
            if handout is not None:
                fields["handouts"] = [LectureDocument(document=handout, title="讲座讲义（可打印）")]
        ensure_child_page(report, forum, LecturePage, f"lecture-{index + 1}", **fields)


def _load_reading_festivals(report, home, today, audiences, categories, schools) -> None:
    index_page = ensure_child_page(
        report,
        home,
        ReadingFestivalIndexPage,
        "reading-festival",
        title="绿城读书节",
        intro="绿城读书节倡导全民阅读，每年发布推荐书目，在图书馆、社区学校和学习点举办读书分享、亲子共读等活动。",
        show_in_menus=True,
    )
    current_start = today - datetime.timedelta(days=20)
    for start in (current_start - datetime.timedelta(days=364), current_start):
        number = start.year - 2013
        end = start + datetime.timedelta(days=30)
        edition = ensure_child_page(
            report,
            index_page,
            ReadingFestivalPage,
            f"edition-{number}",
            title=f"第{number}届绿城读书节",
            edition_number=number,
            theme="书香绿城 悦读人生" if start == current_start else "阅读点亮生活",
            start_date=start,
            end_date=end,
            organisers="郑州市教育局、郑州图书馆、郑州市社区教育指导服务中心",
            intro="一个月的读书节期间，各社区学校和学习点举办读书分享会、亲子共读和好书推荐活动。",
            books=[
                RecommendedBook(
                    title=title, author=author, publisher=publisher, recommendation=text
                )
                for title, author, publisher, text in BOOKS
            ],
            cover_image=ensure_image(report, f"第{number}届绿城读书节"),
        )
        for offset in range(6):
            school = schools[(offset * 23 + number) % len(schools)] if schools else None
            day = start + datetime.timedelta(days=offset * 5 + 1)
            title, summary, tags = FESTIVAL_EVENTS[offset]
            ensure_child_page(
                report,
                edition,
                EventPage,
                f"event-{offset + 1}",
                **_event_fields(
                    (
                        title,
                        summary,
                        "culture-arts",
                        ["youth", "elderly"],
                        ["阅读", "读书节", *tags],
                    ),
                    audiences,
                    categories,
                    venue=school,
                    occurrences=_occurrences([(_local(day, datetime.time(15, 0)), 90)]),
                ),
            )


# The six events of each reading festival: (title, what happens there, tags beyond 阅读 / 读书节)
FESTIVAL_EVENTS = (
    ("读书分享会", "围绕本届推荐书目，居民轮流讲一本书、谈一段读后心得。", []),
    ("亲子共读绘本会", "家长和孩子一起读绘本、演绘本，读完做一张小书签带回家。", ["亲子"]),
    ("好书推荐会", "图书馆员和社区读者各推荐三本好书，说说适合什么人读。", []),
    ("诗词朗诵会", "居民登台朗诵自己喜欢的诗词，老师现场讲讲诗里的意思。", ["诗词"]),
    (
        "图书漂流集市",
        "带一本家里读过的旧书来，和邻居交换一本想读的书；没有书带来也可以挑一本。",
        ["换书"],
    ),
    ("读书征文颁奖", "为本届读书征文的获奖居民颁奖，请作者读一段自己的文章。", []),
)


def _load_weekly_activities(report, today, audiences, categories, schools) -> None:
    monday = today - datetime.timedelta(days=today.weekday())
    for index, school in enumerate(schools[::10]):
        row = WEEKLY_ACTIVITIES[index % len(WEEKLY_ACTIVITIES)]
        title, summary, category_slug, audience_slugs, tag_names, at, minutes = row
        # A weekend activity meets on Saturdays; the others spread over the week.
        weekday = 5 if title.startswith("周末") else (index * 2) % 7
        first_day = monday - datetime.timedelta(weeks=2) + datetime.timedelta(days=weekday)
        starts = [(_local(first_day + datetime.timedelta(weeks=w), at), minutes) for w in range(8)]
        ensure_child_page(
            report,
            Page.objects.get(pk=school.pk).specific,
            EventPage,
            "weekly",
            **_event_fields(
                (title, summary, category_slug, audience_slugs, tag_names),
                audiences,
                categories,
                venue=school,
                occurrences=_occurrences(starts),
            ),
        )
