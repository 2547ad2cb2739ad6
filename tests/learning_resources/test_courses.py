"""Courses: page rules, the catalogue of every course on the site, status from the dates,
the lesson player, the course page, sections on the home and school pages, query counts."""

import datetime
import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail_factories import ImageFactory

from home.models import (
    Audience,
    Category,
    HomePage,
    HomePagePinnedPage,
    Occurrence,
    Person,
    StandardPage,
)
from learning_resources.models import (
    CourseIndexPage,
    CourseLesson,
    CourseMode,
    CoursePage,
    ResourceIndexPage,
)
from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
)
from tests.conftest import queries_for
from tests.factories.events import add_occurrence, local
from tests.factories.home import HomePageFactory
from tests.factories.learning_resources import (
    AudioFactory,
    CaptionDocumentFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    VideoFactory,
    add_lesson,
)
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 13 May 2026, 10:00 in Zhengzhou.
NOW = local(2026, 5, 13, 10, 0)
CARD = re.compile(
    r'<p class="card__label">([^<]*)</p>\s*<h3 class="card__title"><a href="[^"]*">([^<]+)</a></h3>'
    r'\s*(?:<p class="card__meta">([^<]*)</p>)?'
)


def cards(response) -> dict[str, tuple[str, str]]:
    """Each card's title → (label, meta line), in page order."""
    return {title: (label, meta) for label, title, meta in CARD.findall(response.content.decode())}


def listed(client, query="") -> list[str]:
    response = client.get(f"/courses/{query}")
    assert response.status_code == 200, response.content.decode()[:300]
    return list(cards(response))


def weekly(course, first_start, weeks, minutes=90, cancelled_weeks=()):
    for week in range(weeks):
        add_occurrence(
            course,
            first_start + datetime.timedelta(weeks=week),
            minutes=minutes,
            cancelled=week in cancelled_weeks,
        )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def network(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(parent=university, district_name="金水区", slug="jinshui")
    gongyi = CommunityCollegePageFactory(parent=university, district_name="巩义市", slug="gongyi")
    jinshui_centre = CommunityCentrePageFactory(parent=jinshui, slug="wenhua")
    gongyi_centre = CommunityCentrePageFactory(parent=gongyi, slug="xiaoyi", title="孝义街道中心")
    return {
        "home": home_page,
        "university": university,
        "jinshui": jinshui,
        "gongyi": gongyi,
        "jinshui_centre": jinshui_centre,
        "gongyi_centre": gongyi_centre,
        "jinshui_school": CommunitySchoolPageFactory(
            parent=jinshui_centre, title="文化路社区学校", slug="wh"
        ),
        "gongyi_school": CommunitySchoolPageFactory(
            parent=gongyi_centre, title="孝义学习点", slug="xy"
        ),
        "catalogue": CourseIndexPageFactory(parent=home_page),
        "library": ResourceIndexPageFactory(parent=home_page),
    }


# --- Page-tree rules --------------------------------------------------------------------------


class CourseTreeRulesTests(WagtailPageTestCase):
    def test_courses_under_the_catalogue_and_every_school_tier_only(self):
        self.assertAllowedParentPageTypes(
            CoursePage,
            {
                CourseIndexPage,
                CommunityUniversityPage,
                CommunityCollegePage,
                CommunityCentrePage,
                CommunitySchoolPage,
            },
        )
        for parent in (
            CourseIndexPage,
            CommunityUniversityPage,
            CommunityCollegePage,
            CommunityCentrePage,
            CommunitySchoolPage,
        ):
            self.assertCanCreateAt(parent, CoursePage)
        for parent in (HomePage, StandardPage, ResourceIndexPage):
            self.assertCanNotCreateAt(parent, CoursePage)
        self.assertAllowedSubpageTypes(CoursePage, set())

    def test_one_catalogue_under_the_home_page(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="tree-home")
        self.assertTrue(CourseIndexPage.can_create_at(home))
        CourseIndexPageFactory(parent=home)
        self.assertFalse(CourseIndexPage.can_create_at(home))


# --- The catalogue: every course, its district, filters ---------------------------------------


@pytest.fixture
def courses(network, frozen):
    """Five courses around Wednesday 13 May 2026, in the catalogue and under schools."""
    elderly, youth, farmers = (
        Audience.objects.get(slug=slug) for slug in ("elderly", "youth", "farmers")
    )
    arts, skills, ethics = (
        Category.objects.get(slug=slug) for slug in ("culture-arts", "skills", "ethics")
    )
    taiji = CoursePageFactory(
        parent=network["jinshui_school"],
        title="太极拳初级班",
        category=arts,
        audiences=[elderly],
        tags=["太极拳"],
    )
    weekly(taiji, local(2026, 5, 6, 7, 30), 4)  # 6 May – 27 May: running
    calligraphy = CoursePageFactory(
        parent=network["gongyi_centre"],
        title="书法兴趣班",
        category=arts,
        audiences=[youth],
        tags=["书法"],
    )
    weekly(calligraphy, local(2026, 5, 20, 14, 30), 6)  # from next week: open
    phone = CoursePageFactory(
        parent=network["catalogue"],
        title="智能手机入门",
        mode=CourseMode.ONLINE,
        category=skills,
        audiences=[elderly],
        tags=["智能手机"],
    )
    parenting = CoursePageFactory(
        parent=network["catalogue"],
        title="育儿知识课堂",
        venue=network["gongyi_school"],
        category=ethics,
        audiences=[youth],
    )
    weekly(parenting, local(2026, 3, 4, 19, 30), 6)  # March to April: finished
    livestream = CoursePageFactory(
        parent=network["jinshui"],
        title="电商直播入门",
        mode=CourseMode.BLENDED,
        category=skills,
        audiences=[farmers],
        tags=["电商"],
    )
    weekly(livestream, local(2026, 6, 1, 9), 3)  # June: open
    return {
        "taiji": taiji,
        "calligraphy": calligraphy,
        "phone": phone,
        "parenting": parenting,
        "livestream": livestream,
    }


ALL_COURSES = {"太极拳初级班", "书法兴趣班", "智能手机入门", "育儿知识课堂", "电商直播入门"}


def test_catalogue_lists_every_course_wherever_it_lives(client, courses):
    response = client.get("/courses/")
    assert response.status_code == 200
    assert set(cards(response)) == ALL_COURSES


def test_course_under_a_school_belongs_to_that_schools_district(client, courses):
    shown = cards(client.get("/courses/"))
    assert "金水区" in shown["太极拳初级班"][1]
    assert "巩义市" in shown["书法兴趣班"][1]
    assert "金水区" in shown["电商直播入门"][1]  # directly under the district's college
    assert listed(client, "?district=jinshui") == ["太极拳初级班", "电商直播入门"]


def test_course_in_the_catalogue_takes_its_venues_district(client, courses):
    shown = cards(client.get("/courses/"))
    assert "巩义市" in shown["育儿知识课堂"][1]
    assert "区" not in shown["智能手机入门"][1].replace("线上", "")  # no school, no district
    assert set(listed(client, "?district=gongyi")) == {"书法兴趣班", "育儿知识课堂"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?audience=elderly", {"太极拳初级班", "智能手机入门"}),
        ("?audience=youth", {"书法兴趣班", "育儿知识课堂"}),
        ("?category=culture-arts", {"太极拳初级班", "书法兴趣班"}),
        ("?category=skills", {"智能手机入门", "电商直播入门"}),
        ("?mode=online", {"智能手机入门"}),
        ("?mode=blended", {"电商直播入门"}),
        ("?mode=offline", {"太极拳初级班", "书法兴趣班", "育儿知识课堂"}),
        ("?status=open", {"书法兴趣班", "智能手机入门", "电商直播入门"}),
        ("?status=running", {"太极拳初级班"}),
        ("?status=finished", {"育儿知识课堂"}),
        ("?tag=%E5%A4%AA%E6%9E%81%E6%8B%B3", {"太极拳初级班"}),
        ("?district=gongyi&audience=youth&status=open", {"书法兴趣班"}),
        ("?audience=elderly&mode=offline&category=culture-arts", {"太极拳初级班"}),
        ("?district=jinshui&status=finished", set()),
    ],
)
def test_each_filter_narrows_the_catalogue(client, courses, query, expected):
    assert set(listed(client, query)) == expected


def test_soonest_puts_the_next_session_first_and_finished_courses_last(client, courses):
    order = listed(client)
    # Running taiji meets again on 20 May at 07:30, calligraphy starts at 14:30 the same day.
    assert order[:3] == ["太极拳初级班", "书法兴趣班", "电商直播入门"]
    assert order[-1] == "育儿知识课堂"


def test_newest_sorts_by_publication(client, courses):
    for age, course in enumerate(["parenting", "phone", "taiji", "calligraphy", "livestream"]):
        published = NOW - datetime.timedelta(days=age)
        Page.objects.filter(pk=courses[course].pk).update(first_published_at=published)
    assert listed(client, "?sort=newest") == [
        "育儿知识课堂",
        "智能手机入门",
        "太极拳初级班",
        "书法兴趣班",
        "电商直播入门",
    ]


def test_unpublished_and_private_courses_are_not_listed(client, courses):
    from wagtail.models import PageViewRestriction

    courses["phone"].unpublish()
    PageViewRestriction.objects.create(page=courses["taiji"], restriction_type="login")
    assert set(listed(client)) == ALL_COURSES - {"智能手机入门", "太极拳初级班"}


# --- Status from the dates --------------------------------------------------------------------


@pytest.fixture
def june_course(network):
    course = CoursePageFactory(parent=network["jinshui_school"], title="六月的课")
    add_occurrence(course, local(2026, 6, 1, 9), minutes=90)
    add_occurrence(course, local(2026, 6, 8, 9), minutes=90)
    return course


def _status_seen(client, course):
    """The badge on the course page, and which status filter lists it: they must agree."""
    badge = re.search(
        r'class="course-status course-status--\w+">([^<]+)<',
        client.get(course.url).content.decode(),
    )
    in_filter = [
        label
        for value, label in (("open", "即将开课"), ("running", "进行中"), ("finished", "已结束"))
        if course.title in listed(client, f"?status={value}")
    ]
    return badge.group(1), in_filter


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2026, 5, 13, 10), "即将开课"),
        (local(2026, 6, 1, 8, 59), "即将开课"),
        (local(2026, 6, 1, 9, 0), "进行中"),
        (local(2026, 6, 4, 12, 0), "进行中"),  # between two sessions
        (local(2026, 6, 8, 10, 30), "进行中"),  # the last session's last minute
        (local(2026, 6, 8, 10, 31), "已结束"),
    ],
)
def test_status_follows_the_sessions(client, june_course, moment, expected):
    with time_machine.travel(moment, tick=False):
        assert _status_seen(client, june_course) == (expected, [expected])


def test_a_cancelled_last_session_does_not_keep_the_course_running(client, june_course):
    add_occurrence(june_course, local(2026, 6, 15, 9), cancelled=True)
    with time_machine.travel(local(2026, 6, 10, 9), tick=False):
        assert _status_seen(client, june_course) == ("已结束", ["已结束"])


def test_online_course_without_sessions_is_open_until_its_deadline(client, network):
    course = CoursePageFactory(
        parent=network["catalogue"], title="随时学的线上课", mode=CourseMode.ONLINE
    )
    with time_machine.travel(local(2026, 5, 13, 10), tick=False):
        # Self-paced: 随时可学 on the page, listed among the open (即将开课) courses.
        assert _status_seen(client, course) == ("随时可学", ["即将开课"])
    course.enrolment_deadline = datetime.date(2026, 5, 31)
    course.save()
    with time_machine.travel(local(2026, 5, 31, 23, 0), tick=False):
        # Self-paced: 随时可学 on the page, listed among the open (即将开课) courses.
        assert _status_seen(client, course) == ("随时可学", ["即将开课"])
    with time_machine.travel(local(2026, 6, 1, 0, 30), tick=False):
        assert _status_seen(client, course) == ("已结束", ["已结束"])


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?audience=martians", "没有找到学习对象“martians”"),
        ("?district=atlantis", "没有找到区县“atlantis”"),
        ("?mode=teleport", "没有找到上课方式“teleport”"),
        ("?status=forever", "没有找到课程状态“forever”"),
        ("?category=%00", "没有找到内容类别"),
        ("?tag=%E4%B8%8D%E5%AD%98%E5%9C%A8", "没有找到标签“不存在”"),
        ("?mode=online&district=" + "x" * 500, "没有找到区县"),
    ],
)
def test_unknown_filter_values_are_a_400_with_a_chinese_message_and_no_courses(
    client, courses, query, message
):
    response = client.get(f"/courses/{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert cards(response) == {}
    assert "没有找到符合条件的课程" in html


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("99", "没有第 99 页"),
        ("99999999999999999999999", "已显示最后一页"),
        ("-3", "页码无效"),
        ("abc", "页码无效"),
    ],
)
def test_bad_page_numbers_get_a_message_never_a_500(client, courses, page, message):
    response = client.get(f"/courses/?page={page}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert set(cards(response)) == ALL_COURSES


def test_unknown_sort_falls_back_with_a_message(client, courses):
    response = client.get("/courses/?sort=random")
    assert response.status_code == 200
    assert "不支持这种排序方式" in response.content.decode()
    assert set(cards(response)) == ALL_COURSES


def test_catalogue_paginates_with_an_elided_range(client, network, frozen):
    for number in range(30):
        CoursePageFactory(parent=network["catalogue"], title=f"批量课程{number:02d}")
    first = client.get("/courses/?sort=newest")
    assert len(cards(first)) == 12
    assert 'href="?sort=newest&amp;page=2"' in first.content.decode()
    last = client.get("/courses/?sort=newest&page=3")
    assert len(cards(last)) == 6


# --- Query counts -----------------------------------------------------------------------------


def _add_courses(network, count):
    elderly = Audience.objects.get(slug="elderly")
    skills = Category.objects.get(slug="skills")
    teacher = Person.objects.get_or_create(name="批量教师")[0]
    existing = CoursePage.objects.count()
    for number in range(existing, existing + count):
        under_school = number % 2 == 0
        course = CoursePageFactory(
            parent=network["jinshui_school"] if under_school else network["catalogue"],
            title=f"批量课程{number}",
            venue=None if under_school else network["gongyi_school"],
            cover_image=ImageFactory(file=get_test_image_file()),
            category=skills,
            audiences=[elderly],
            tags=["批量", f"标签{number % 4}"],
            teachers=[teacher],
        )
        weekly(course, local(2026, 5, 20, 9) + datetime.timedelta(hours=number), 3)


@pytest.mark.parametrize("url", ["/courses/", "/courses/?district=jinshui&status=open&sort=newest"])
def test_catalogue_query_count_does_not_grow_with_the_number_of_courses(
    client, network, frozen, url
):
    _add_courses(network, 5)
    small = queries_for(client, url)
    assert small.response.content.decode().count('class="card__image"') >= 3
    _add_courses(network, 45)
    large = queries_for(client, url)
    assert large.response.content.decode().count('class="card__image"') == 12
    assert len(small) == len(large), (
        f"{url}: {len(small)} queries for 5 courses, {len(large)} for 50"
    )
    # With a cold cache the cards' renditions come from one prefetch, not one query per card.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    renditions = [
        sql for sql in queries.captured_queries if "wagtailimages_rendition" in sql["sql"]
    ]
    assert len(renditions) == 1


# --- The course page --------------------------------------------------------------------------


def test_course_page_shows_teachers_schedule_venue_and_enrolment(client, network, frozen):
    teacher = Person.objects.create(
        name="马卫东",
        title="社会体育指导员",
        affiliation="郑州市武术协会",
        photo=ImageFactory(file=get_test_image_file()),
    )
    course = CoursePageFactory(
        parent=network["jinshui_school"],
        title="太极拳初级班",
        seats=40,
        fee="材料费 20 元",
        enrolment_text="携带身份证到一楼报名",
        enrolment_url="https://example.com/signup",
        teachers=[teacher],
    )
    weekly(course, local(2026, 5, 20, 7, 30), 3, cancelled_weeks=(1,))
    html = client.get(course.url).content.decode()
    assert "马卫东" in html and "社会体育指导员" in html and 'alt="马卫东的照片"' in html
    schedule = html.split('id="schedule-heading"')[1].split("</section>")[0]
    assert schedule.count("<li") == 3
    cancelled = schedule.split('class="is-cancelled"')[1].split("</li>")[0]
    assert "2026年5月27日" in cancelled and "本次取消" in cancelled
    # The venue is the school the course is posted under, with its map link.
    assert "文化路社区学校" in html and "https://uri.amap.com/marker?" in html
    assert "40 人" in html and "材料费 20 元" in html and "携带身份证到一楼报名" in html
    assert 'href="https://example.com/signup"' in html
    assert "course-status--open" in html and "即将开课" in html


def test_a_running_course_marks_the_classes_already_held(client, network, frozen):
    """A resident joining mid-course sees which classes are behind them (已结束) and which are
    still to come; a cancelled one stays 本次取消."""
    course = CoursePageFactory(parent=network["jinshui_school"], title="太极拳初级班")
    weekly(course, local(2026, 5, 6, 7, 30), 3, cancelled_weeks=(1,))  # 6 May, 13 May, 20 May
    html = client.get(course.url).content.decode()
    schedule = html.split('id="schedule-heading"')[1].split("</section>")[0]
    rows = schedule.split("<li")[1:]
    assert "5月6日" in rows[0] and 'class="is-past"' in rows[0] and "已结束" in rows[0]
    assert "本次取消" in rows[1] and "已结束" not in rows[1]
    assert "5月20日" in rows[2] and "已结束" not in rows[2] and "is-past" not in rows[2]


def test_chosen_venue_overrides_the_parent_school(client, network, frozen):
    course = CoursePageFactory(parent=network["jinshui_school"], venue=network["gongyi_school"])
    html = client.get(course.url).content.decode()
    facts = html.split('class="details course__facts"')[1].split("</dl>")[0]
    assert "孝义学习点" in facts and "文化路社区学校" not in facts


def test_course_structured_data_is_a_course_with_an_instance_per_session(client, network, frozen):
    teacher = Person.objects.create(name="林静", title="测试员")
    course = CoursePageFactory(
        parent=network["jinshui_school"], title="普通话提升", teachers=[teacher]
    )
    weekly(course, local(2026, 5, 20, 19), 2)
    html = client.get(course.url).content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "Course" and data["name"] == "普通话提升"
    instances = data["hasCourseInstance"]
    assert [instance["startDate"] for instance in instances] == [
        "2026-05-20T19:00:00+08:00",
        "2026-05-27T19:00:00+08:00",
    ]
    assert instances[0]["courseMode"] == "onsite"
    assert instances[0]["location"]["name"] == "文化路社区学校"
    assert instances[0]["instructor"][0]["name"] == "林静"
    assert data["provider"]["name"] == "文化路社区学校"


def test_venue_must_be_a_school(network):
    with pytest.raises(ValidationError) as error:
        CoursePageFactory(parent=network["catalogue"], venue=network["library"])
    assert "上课地点请选择社区学校目录中的学校" in str(error.value)


# --- The lesson player ------------------------------------------------------------------------


@pytest.fixture
def online_course(network, frozen):
    captions = CaptionDocumentFactory()
    video_resource = ResourcePageFactory(
        parent=network["library"],
        title="智能手机：开机和解锁",
        video=VideoFactory(),
        caption_file=captions,
    )
    article = ResourcePageFactory(parent=network["library"], title="手机常用设置图文")
    course = CoursePageFactory(
        parent=network["catalogue"], title="智能手机入门", mode=CourseMode.ONLINE
    )
    add_lesson(course, "开机和解锁", resource=video_resource, summary="认识手机")
    add_lesson(course, "常用设置", resource=article)
    add_lesson(course, "听一听：防骗提醒", media=AudioFactory(), duration_minutes=12)
    return course


def test_first_lesson_plays_the_resource_with_captions(client, online_course):
    response = client.get(f"{online_course.url}lessons/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<video controls" in html
    assert '<track kind="captions"' in html and 'srclang="zh-Hans"' in html
    assert f'href="{online_course.url}lessons/2/"' in html and "下一课：常用设置" in html
    assert 'rel="prev"' not in html  # nothing before the first lesson
    assert 'aria-current="page">第 1 课' in html  # the lesson list marks where the resident is


def test_middle_lesson_links_back_and_on_and_to_the_resource(client, online_course):
    html = client.get(f"{online_course.url}lessons/2/").content.decode()
    assert "上一课：开机和解锁" in html and "下一课：听一听：防骗提醒" in html
    assert "打开本课的学习资源：手机常用设置图文" in html


def test_last_lesson_plays_a_media_item_and_leads_back_to_the_course(client, online_course):
    html = client.get(f"{online_course.url}lessons/3/").content.decode()
    assert "<audio controls" in html and "12 分钟" in html
    assert 'rel="next"' not in html and "学完了，返回课程介绍" in html


def test_course_page_lists_lessons_and_a_start_button(client, online_course):
    html = client.get(online_course.url).content.decode()
    lessons = html.split('id="lessons-heading"')[1].split("</section>")[0]
    assert "共 3 课" in lessons and "开始学习第 1 课" in lessons
    assert lessons.count(f'href="{online_course.url}lessons/') == 4  # start button + 3 lessons


@pytest.mark.parametrize("number", ["0", "4", "99", "abc", "-1", "99999999999999999999"])
def test_bad_lesson_numbers_are_a_chinese_404(client, online_course, number):
    response = client.get(f"{online_course.url}lessons/{number}/")
    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_lesson_with_an_unpublished_resource_says_it_is_not_open(client, online_course):
    online_course.lessons.first().resource.unpublish()
    html = client.get(f"{online_course.url}lessons/1/").content.decode()
    assert "本课内容暂未开放" in html and "<video" not in html


def test_a_lesson_needs_exactly_one_resource_or_media(online_course):
    neither = CourseLesson(page=online_course, title="空的一课")
    with pytest.raises(ValidationError, match="请为这一课选择"):
        neither.clean()
    both = CourseLesson(
        page=online_course,
        title="两个都选",
        resource=online_course.lessons.first().resource,
        media=AudioFactory(),
    )
    with pytest.raises(ValidationError, match="只选择学习资源或音视频中的一个"):
        both.clean()


# --- Sections and tags ------------------------------------------------------------------------


def test_school_page_shows_courses_under_it_and_held_at_it(client, network, courses):
    gongyi_school = client.get(network["gongyi_school"].url).content.decode()
    section = gongyi_school.split('id="section-courses-here"')[1].split("</section>")[0]
    assert "育儿知识课堂" in section  # held here, listed in the catalogue
    assert "书法兴趣班" not in section  # posted under the centre above, held there
    centre = client.get(network["gongyi_centre"].url).content.decode()
    section = centre.split('id="section-courses-here"')[1].split("</section>")[0]
    # Open and running courses first; the finished one last.
    assert section.index("书法兴趣班") < section.index("育儿知识课堂")
    college = client.get(network["jinshui"].url).content.decode()
    section = college.split('id="section-courses-here"')[1].split("</section>")[0]
    assert "太极拳初级班" in section and "电商直播入门" in section and "书法兴趣班" not in section


def test_home_page_features_open_courses_and_pinned_ones_first(client, network, courses):
    HomePagePinnedPage.objects.create(home_page=network["home"], page=courses["taiji"])
    html = client.get("/").content.decode()
    section = html.split('id="section-featured-courses"')[1].split("</section>")[0]
    assert "精选课程" in html and 'href="/courses/"' in section
    assert section.index("太极拳初级班") < section.index("书法兴趣班")  # pinned, though running
    assert "智能手机入门" in section and "育儿知识课堂" not in section  # finished: not featured


def test_tag_page_lists_courses_with_their_status(client, courses):
    response = client.get("/tags/%E5%A4%AA%E6%9E%81%E6%8B%B3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "课程" in html
    assert cards(response)["太极拳初级班"][0] == "进行中"


# --- Editors ----------------------------------------------------------------------------------


def test_editor_adds_a_class_with_sessions_under_a_school(admin_client, network, frozen):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    school = network["jinshui_school"]
    add_url = f"/admin/pages/add/learning_resources/coursepage/{school.pk}/"
    assert admin_client.get(add_url).status_code == 200
    data = nested_form_data(
        {
            "title": "剪纸兴趣班",
            "slug": "paper-cutting",
            "summary": "学剪福字窗花",
            "mode": "offline",
            "fee": "免费",
            "body": streamfield([]),
            "teachers": inline_formset([]),
            "lessons": inline_formset([]),
            "occurrences": inline_formset(
                [
                    {
                        "start": "2026-05-20 09:00",
                        "end": "2026-05-20 10:30",
                        "note": "",
                        "cancelled": "",
                    },
                    {
                        "start": "2026-05-27 09:00",
                        "end": "2026-05-27 10:30",
                        "note": "",
                        "cancelled": "",
                    },
                ]
            ),
            "tags": "剪纸",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    course = CoursePage.objects.get(slug="paper-cutting")
    assert course.live and course.occurrences.count() == 2
    shown = cards(admin_client.get("/courses/"))
    assert shown["剪纸兴趣班"][0] == "即将开课" and "金水区" in shown["剪纸兴趣班"][1]


# --- Stored schedule facts ----------------------------------------------------------------------


def stored_facts(course):
    row = CoursePage.objects.get(pk=course.pk)
    return (
        row.schedule_first_start,
        row.schedule_last_end,
        row.schedule_lesson_total,
        row.schedule_online_signup,
    )


@pytest.mark.engine  # an UPDATE of the child table from correlated subqueries
def test_sessions_published_with_the_course_are_stored_on_its_row_in_one_update(
    client, network, frozen
):
    """An editor adds and removes sessions in the course's form: the publish stores the new
    dates once, not once per session, and the catalogue's card follows."""
    course = CoursePageFactory(parent=network["jinshui_school"], title="春季书法班")
    add_occurrence(course, local(2026, 5, 1, 9))  # already over
    assert cards(client.get("/courses/"))["春季书法班"][0] == "已结束"

    draft = CoursePage.objects.get(pk=course.pk)
    draft.occurrences = [
        Occurrence(start=local(2026, 5, 20 + week, 9), end=local(2026, 5, 20 + week, 11))
        for week in range(5)
    ] + [Occurrence(start=local(2026, 7, 1, 9), end=local(2026, 7, 1, 11), cancelled=True)]
    with CaptureQueriesContext(connection) as queries:
        draft.save_revision().publish()

    updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "learning_resources_coursepage"')
        and "schedule_first_start" in query["sql"]
        and "SELECT" in query["sql"]
    ]
    assert len(updates) <= 2  # the revision's save and the publish, not one per session
    assert stored_facts(course) == (local(2026, 5, 20, 9), local(2026, 5, 24, 11), 0, False)
    label, meta = cards(client.get("/courses/"))["春季书法班"]
    assert label == "即将开课" and "5月20日开课" in meta


@pytest.mark.engine  # an UPDATE of the child table from correlated subqueries
def test_a_session_or_lesson_written_on_its_own_refreshes_the_course(client, network, frozen):
    course = CoursePageFactory(
        parent=network["catalogue"], title="手机摄影", mode=CourseMode.BLENDED
    )
    assert stored_facts(course) == (None, None, 0, False)

    session = add_occurrence(course, local(2026, 5, 15, 14), signup_mode="first_come", capacity=20)
    add_lesson(course, "第一课 构图")
    add_lesson(course, "第二课 光线")
    assert stored_facts(course) == (local(2026, 5, 15, 14), local(2026, 5, 15, 15, 30), 2, True)
    label, meta = cards(client.get("/courses/"))["手机摄影"]
    assert "线上 2 课" in meta and "需报名" in meta  # beside its dated class

    session.cancelled = True
    session.save()
    assert stored_facts(course) == (None, None, 2, False)
    session.delete()
    CourseLesson.objects.filter(page=course).first().delete()
    assert stored_facts(course) == (None, None, 1, False)
    assert "共 1 课" in cards(client.get("/courses/"))["手机摄影"][1]
