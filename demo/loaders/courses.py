"""Demo courses for `manage.py load_demo` (after the schools, before the events).

Online courses live in the catalogue and step through demo resources; classes live under the
demo schools (tiers 3 and 4) with weekly sessions placed around today, so the catalogue always
shows courses open for enrolment, running and finished.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from demo.helpers import DemoReport, ensure_child_page, ensure_image
from home.models import Audience, Category, Occurrence, Person
from learning_resources.models import (
    CourseIndexPage,
    CourseLesson,
    CourseMode,
    CoursePage,
    CourseTeacher,
    ResourcePage,
    TaggedCourse,
)
from schools.models import CommunityCentrePage, CommunitySchoolPage

# (name, title, affiliation)
TEACHERS = [
    ("杨晓梅", "社区教育专职教师", "金水区社区学院"),
    ("马卫东", "国家一级社会体育指导员", "郑州市武术协会"),
    ("郭书文", "书法家协会会员", "中原区文化馆"),
    ("韩丽", "高级家政培训师", "郑州市家政服务协会"),
    ("宋阳", "电商讲师", "郑州市电子商务协会"),
    ("吴芳", "注册营养师", "郑州市第二人民医院"),
    ("高建军", "社区民警", "金水区公安分局"),
    ("林静", "普通话水平测试员", "郑州社区大学"),
    ("许红", "高级育婴师", "郑州市妇幼保健院"),
    ("董建国", "农艺师", "中牟县农业技术推广站"),
]


@dataclass
class DemoCourse:
    slug: str
    title: str
    mode: str
    summary: str
    body: list[str]
    category: str
    audiences: list[str]
    tags: list[str]
    teachers: list[str]
    # Online: (lesson title, lesson summary, resource slug)
    lessons: list[tuple[str, str, str]] = field(default_factory=list)
    # Offline: where (a centre or school slug), first session in days from today, how many
    # weekly sessions, start time, minutes
    place: str = ""
    first_day: int = 0
    weeks: int = 0
    at: datetime.time = datetime.time(9, 0)
    minutes: int = 90
    cancelled_week: int | None = None
    seats: int | None = None
    fee: str = "免费"
    enrolment_text: str = ""
    enrolment_deadline_days: int | None = None


COURSES = [
    DemoCourse(
        slug="smartphone-basics",
        title="智能手机入门",
        mode=CourseMode.ONLINE,
        summary="从开机、打字到视频通话、线上挂号，五节短课带您把手机用起来，随时学、反复看。",
        body=[
            "这门课写给刚换上智能手机的中老年朋友。每节课是一段短视频，先看一遍，再照着做一遍。",
            "学不会没关系，可以随时回看，也可以带着手机到附近的社区学校请志愿者帮忙。",
        ],
        category="skills",
        audiences=["elderly"],
        tags=["智能手机", "数字技能", "老年教育"],
        teachers=["杨晓梅"],
        lessons=[
            ("认识手机：开机、解锁和打电话", "熟悉按键和屏幕，学会接打电话。", "smartphone-basics"),
            (
                "线上挂号与缴费",
                "在手机上预约挂号、查看报告、缴纳水电费。",
                "smartphone-health-code",
            ),
            ("用手机拍照片", "拍清楚、拍好看，再发给家里人。", "smartphone-photos"),
            ("陌生来电要当心", "学会识别冒充客服的诈骗电话。", "anti-fraud-calls"),
            ("练习：用表格记账", "用手机或电脑上的表格记下每月开支。", "office-excel"),
        ],
        enrolment_text="无需报名，打开第 1 课即可开始学习。",
    ),
    DemoCourse(
        slug="livestream-ecommerce",
        title="电商直播入门",
        mode=CourseMode.ONLINE,
        summary="开网店、拍商品、做直播，帮助返乡创业者和新市民把家乡好物卖出去。",
        body=[
            "课程由电商协会讲师主讲，从注册店铺讲到一场直播的完整流程。",
            "学完后可以参加社区学院组织的线下实操活动，现场练习直播。",
        ],
        category="skills",
        audiences=["new-citizens", "job-seekers", "farmers"],
        tags=["电商", "直播", "创业"],
        teachers=["宋阳"],
        lessons=[
            ("开一家网店", "选平台、注册店铺、上架第一件商品。", "ecommerce-start"),
            ("直播带货的准备", "设备、场景、话术和直播前的检查清单。", "ecommerce-livestream"),
            ("农产品怎样卖上好价钱", "包装、定价、发货和售后。", "ecommerce-guide"),
            ("拍出好看的商品照片", "用手机和自然光拍商品。", "smartphone-photos"),
        ],
        enrolment_text="在线学习，无需报名。",
        enrolment_deadline_days=90,
    ),
    DemoCourse(
        slug="nutrition-for-seniors",
        title="老年营养与健康",
        mode=CourseMode.ONLINE,
        summary="吃得对、睡得好、动得适量。营养师和社区老师一起讲讲老年人日常保健的要点。",
        body=[
            "三高怎么吃、晚上睡不着怎么办、每天运动多少合适？这门课用五个短课回答大家最常问的问题。",
        ],
        category="daily-life",
        audiences=["elderly"],
        tags=["健康", "老年教育"],
        teachers=["吴芳", "马卫东"],
        lessons=[
            ("三高人群的家常饮食", "少盐少油，也能做得好吃。", "healthy-diet"),
            ("睡个好觉", "中老年人改善睡眠的几个小办法。", "sleep-well"),
            ("在家练太极", "每天十五分钟，活动筋骨。", "taiji-daily"),
            ("跳广场舞不伤膝盖", "热身、动作幅度和鞋子的选择。", "square-dance"),
            ("吃东西噎住了怎么办", "记住海姆立克急救法。", "first-aid-choking"),
        ],
        enrolment_text="在线学习，无需报名。",
    ),
    DemoCourse(
        slug="anti-fraud",
        title="防范电信诈骗",
        mode=CourseMode.ONLINE,
        summary="社区民警讲解最常见的电信网络诈骗手法，教您守住钱袋子，也教您怎样提醒家人。",
        body=[
            "骗子的套路在变，但万变不离其宗：让您转账、让您说验证码、让您别告诉家人。",
            "学完这门课，建议把防骗手册打印出来贴在家里显眼的地方。",
        ],
        category="daily-life",
        audiences=["elderly", "new-citizens", "disadvantaged"],
        tags=["防范电信诈骗", "安全"],
        teachers=["高建军"],
        lessons=[
            ("接到“客服”电话先挂断", "冒充客服、冒充公检法的骗局。", "anti-fraud-calls"),
            ("防骗顺口溜", "好记好背的防骗要点。", "anti-fraud-elderly"),
            ("防骗宣传手册", "可打印的防骗手册。", "anti-fraud-handbook"),
            ("签合同、租房子要注意什么", "生活中的法律常识。", "law-everyday"),
        ],
        enrolment_text="在线学习，无需报名。",
    ),
    DemoCourse(
        slug="putonghua",
        title="普通话提升",
        mode=CourseMode.BLENDED,
        summary="线上学声调、线下练朗读，帮助新市民和窗口服务人员说好普通话。",
        body=[
            "每周一次线下课在社区教育中心进行，老师逐个纠正发音；其余时间在网上跟读练习。",
        ],
        category="skills",
        audiences=["new-citizens", "employed"],
        tags=["普通话", "职业技能"],
        teachers=["林静"],
        lessons=[
            ("声调与常见误读", "四个声调和容易读错的字。", "putonghua-basics"),
            ("朗读练习", "跟读短文，注意停顿和语气。", "putonghua-practice"),
            ("听故事练听力", "听老船工讲黄河渡口往事。", "yellow-river-stories"),
            ("文明用语", "窗口服务常用的礼貌用语。", "civic-manners"),
        ],
        place="wenhualu",
        first_day=3,
        weeks=6,
        at=datetime.time(19, 0),
        minutes=90,
        seats=30,
        enrolment_text="到文化路街道社区教育中心三楼报名，或拨打中心电话预约。",
    ),
    DemoCourse(
        slug="taiji-beginners",
        title="太极拳初级班",
        mode=CourseMode.OFFLINE,
        summary="二十四式太极拳初级班，每周一次、早上七点半在社区学校小广场上课，零基础也能跟上。",
        body=[
            "八次课学完二十四式太极拳的前八式。请穿宽松衣服和平底鞋，自带水杯。",
            "雨天改在一楼活动室上课。",
        ],
        category="culture-arts",
        audiences=["elderly"],
        tags=["太极拳", "健康"],
        teachers=["马卫东"],
        place="jingbalu-1",
        first_day=-15,
        weeks=8,
        at=datetime.time(7, 30),
        minutes=90,
        cancelled_week=1,
        seats=40,
        enrolment_text="本期已开课，无需报名，欢迎按上课时间到小广场旁听；下一期开班时间请留意本页。",
    ),
    DemoCourse(
        slug="calligraphy",
        title="书法兴趣班",
        mode=CourseMode.OFFLINE,
        summary="从握笔、坐姿和基本笔画练起，十次课写好一幅楷书作品。",
        body=["笔墨纸砚由社区教育中心提供，学员也可以自带。结课时举办学员作品展。"],
        category="culture-arts",
        audiences=["elderly", "youth"],
        tags=["书法", "传统文化"],
        teachers=["郭书文"],
        place="linshanzhai",
        first_day=10,
        weeks=10,
        at=datetime.time(14, 30),
        minutes=120,
        seats=25,
        fee="材料费 50 元",
        enrolment_text="携带身份证到林山寨街道社区教育中心报名，额满为止。",
    ),
    DemoCourse(
        slug="housekeeping-skills",
        title="家政服务技能培训",
        mode=CourseMode.OFFLINE,
        summary="家居保洁、衣物整理、老人照护和母婴护理基础，结业后推荐就业。",
        body=[
            "面向有意从事家政服务的新市民和转岗人员。课程包括理论和实操，考核合格发给结业证明。",
        ],
        category="skills",
        audiences=["new-citizens", "job-seekers", "disadvantaged"],
        tags=["家政服务", "职业技能"],
        teachers=["韩丽"],
        place="wulibao-1",
        first_day=5,
        weeks=6,
        at=datetime.time(9, 0),
        minutes=180,
        seats=30,
        enrolment_text="到五里堡街道社区学校报名，需携带身份证复印件一份。",
    ),
    DemoCourse(
        slug="parenting",
        title="育儿知识课堂",
        mode=CourseMode.OFFLINE,
        summary="育婴师和家长面对面：孩子的饮食、睡眠、看手机和亲子沟通。",
        body=["本期课程已结束，课堂讲义可在学习资源库下载。下一期开课时间另行通知。"],
        category="ethics",
        audiences=["youth", "employed"],
        tags=["育儿", "亲子"],
        teachers=["许红"],
        place="beixiajie-2",
        first_day=-70,
        weeks=6,
        at=datetime.time(19, 30),
        minutes=90,
        seats=35,
        enrolment_text="本期已结束。",
    ),
    DemoCourse(
        slug="greenhouse-vegetables",
        title="蔬菜大棚种植技术",
        mode=CourseMode.OFFLINE,
        summary="农艺师进村讲课：大棚温湿度管理、育苗、水肥一体化和病虫害绿色防控。",
        body=["每次课先在学习点讲一小时，再到示范大棚里现场教学。请穿方便下地的鞋。"],
        category="skills",
        audiences=["farmers"],
        tags=["农业技术", "大棚种植"],
        teachers=["董建国"],
        place="yanminghu-1",
        first_day=-8,
        weeks=5,
        at=datetime.time(8, 30),
        minutes=150,
        seats=50,
        enrolment_text="到村学习点登记即可参加。",
    ),
]


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _ensure_teachers(report: DemoReport) -> dict[str, Person]:
    people = {}
    for name, title, affiliation in TEACHERS:
        person = Person.objects.filter(name=name).first()
        if person is None:
            person = Person.objects.create(
                name=name,
                title=title,
                affiliation=affiliation,
                photo=ensure_image(report, f"教师照片：{name}", (400, 400)),
                bio=f"<p>{affiliation}{title}，长期在社区学校授课。</p>",
            )
            report.add(f"教师：{name}")
        people[name] = person
    return people


def _place(slug: str) -> Page | None:
    """A demo school or centre by slug (slugs are unique across the demo network)."""
    return (
        CommunitySchoolPage.objects.filter(slug=slug).first()
        or CommunityCentrePage.objects.filter(slug=slug).first()
    )


def _sessions(course: DemoCourse, today: datetime.date) -> list[Occurrence]:
    first = today + datetime.timedelta(days=course.first_day)
    sessions = []
    for week in range(course.weeks):
        start = _local(first + datetime.timedelta(weeks=week), course.at)
        sessions.append(
            Occurrence(
                start=start,
                end=start + datetime.timedelta(minutes=course.minutes),
                cancelled=week == course.cancelled_week,
                # The page numbers the sessions itself (第 N 次): a note says only what is unusual.
                note="因天气原因停课一次" if week == course.cancelled_week else "",
            )
        )
    return sessions


def load_courses_demo(home, report: DemoReport) -> None:
    today = timezone.localdate()
    catalogue = ensure_child_page(
        report,
        home,
        CourseIndexPage,
        "courses",
        title="课程",
        intro="全市社区学校开设的线下课程和随时可学的线上课程。可以按区县、学习对象、上课方式和状态筛选。",
        show_in_menus=True,
    )
    teachers = _ensure_teachers(report)
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    categories = {category.slug: category for category in Category.objects.all()}
    resource_slugs = {slug for course in COURSES for _t, _s, slug in course.lessons}
    resources = {
        resource.slug: resource
        for resource in ResourcePage.objects.filter(slug__in=resource_slugs).only("slug")
    }
    newest = timezone.now() - datetime.timedelta(hours=2)
    for position, course in enumerate(COURSES):
        parent = _place(course.place) if course.place else catalogue
        if parent is None:
            continue  # the schools demo was not loaded; nothing to place this class under
        if parent.get_children().filter(slug=course.slug).exists():
            continue
        fields = {
            "title": course.title,
            "summary": course.summary,
            "search_description": course.summary,
            "mode": course.mode,
            "body": [
                {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in course.body)}
            ],
            "category": categories.get(course.category),
            "audiences": [audiences[slug] for slug in course.audiences if slug in audiences],
            "tagged_items": [
                TaggedCourse(tag=Tag.objects.get_or_create(name=name)[0]) for name in course.tags
            ],
            "teachers": [CourseTeacher(person=teachers[name]) for name in course.teachers],
            "lessons": [
                CourseLesson(title=title, summary=summary, resource=resources[slug])
                for title, summary, slug in course.lessons
                if slug in resources
            ],
            "occurrences": _sessions(course, today) if course.weeks else [],
            "seats": course.seats,
            "fee": course.fee,
            "enrolment_text": course.enrolment_text,
            "enrolment_deadline": (
                today + datetime.timedelta(days=course.enrolment_deadline_days)
                if course.enrolment_deadline_days is not None
                else None
            ),
            "cover_image": ensure_image(report, f"课程封面：{course.title}"),
        }
        page = ensure_child_page(report, parent, CoursePage, course.slug, **fields)
        # Spread publication dates so "newest first" shows the list's order.
        published = newest - datetime.timedelta(days=position)
        Page.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
