"""Events and the unified calendar: filters in Asia/Shanghai, iCalendar, festivals, the Forum."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from lxml import etree
from lxml import html as lxml_html
from taggit.models import Tag
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from events.calendar import EDITION_TYPES, SERIES_TYPES, calendar_page_models, place_types
from events.models import (
    CalendarPage,
    EditionIndexPage,
    EditionPage,
    EventIndexPage,
    EventPage,
    EventStatus,
    ForumIndexPage,
    LearningWeekIndexPage,
    LearningWeekPage,
    LecturePage,
    LectureSpeaker,
    ReadingFestivalIndexPage,
    ReadingFestivalPage,
    RecommendedBook,
    validate_isbn,
)
from home.models import Audience, Category, HomePage, Occurrence, Person
from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
    SchoolPage,
)
from tests.conftest import queries_for
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LearningWeekIndexPageFactory,
    LearningWeekPageFactory,
    LecturePageFactory,
    ReadingFestivalIndexPageFactory,
    ReadingFestivalPageFactory,
    add_occurrence,
    local,
)
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 13 May 2026, 10:00 in Zhengzhou (02:00 UTC).
NOW = local(2026, 5, 13, 10, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(parent=university, district_name="金水区", slug="jinshui")
    gongyi = CommunityCollegePageFactory(parent=university, district_name="巩义市", slug="gongyi")
    jinshui_centre = CommunityCentrePageFactory(parent=jinshui, slug="wenhua")
    gongyi_centre = CommunityCentrePageFactory(parent=gongyi, slug="xiaoyi")
    jinshui_school = CommunitySchoolPageFactory(
        parent=jinshui_centre, title="文化路社区学校", slug="wh"
    )
    gongyi_school = CommunitySchoolPageFactory(parent=gongyi_centre, title="孝义学习点", slug="xy")
    calendar = EventIndexPageFactory(parent=home_page)
    forum = ForumIndexPageFactory(parent=home_page)
    week_index = LearningWeekIndexPageFactory(parent=home_page)
    week = LearningWeekPageFactory(parent=week_index, slug="2026", title="2026年全民终身学习活动周")
    return {
        "home": home_page,
        "calendar": calendar,
        "forum": forum,
        "week_index": week_index,
        "week": week,
        "jinshui": jinshui,
        "gongyi": gongyi,
        "jinshui_school": jinshui_school,
        "gongyi_school": gongyi_school,
    }


@pytest.fixture
def calendar_items(site, frozen):
    """A known set of occurrences around Wednesday 13 May 2026."""
    elderly = Audience.objects.get(slug="elderly")
    youth = Audience.objects.get(slug="youth")
    culture = Category.objects.get(slug="culture-arts")
    skills = Category.objects.get(slug="skills")
    taiji = Tag.objects.create(name="太极")

    def event(title, parent, *starts, audiences=(), category=None, tags=(), **fields):
        page = EventPageFactory(parent=parent, title=title, category=category, **fields)
        page.audiences.set(audiences)
        for tag in tags:
            page.tags.add(tag)
        page.save()
        for start in starts:
            add_occurrence(page, start)
        return page

    items = {
        "taiji_today": event(
            "太极拳今天下午",
            site["jinshui_school"],
            local(2026, 5, 13, 14),
            audiences=[elderly],
            category=culture,
            tags=[taiji],
        ),
        "ended_this_morning": event("早上已结束的活动", site["calendar"], local(2026, 5, 13, 7)),
        "late_tonight": event("今晚最后一场", site["calendar"], local(2026, 5, 13, 22, 29)),
        "saturday_gongyi": event(
            "周六巩义亲子活动",
            site["gongyi_school"],
            local(2026, 5, 16, 9),
            audiences=[youth],
            category=skills,
        ),
        "sunday_late": event(
            "周日深夜观星",
            site["calendar"],
            local(2026, 5, 17, 22, 0),
            venue=site["jinshui_school"],
        ),
        "next_monday": event("下周一零点活动", site["calendar"], local(2026, 5, 18, 0, 0)),
        "repeating": event(
            "三场连续课程",
            site["week"],
            local(2026, 5, 14, 9),
            local(2026, 5, 15, 9),
            local(2026, 6, 2, 9),
            audiences=[elderly],
        ),
        "past": event("五一过去的活动", site["calendar"], local(2026, 5, 1, 9)),
        "cancelled": event(
            "取消的活动", site["calendar"], local(2026, 5, 14, 15), status=EventStatus.CANCELLED
        ),
    }
    lecture = LecturePageFactory(parent=site["forum"], title="黄河文化讲座", category=culture)
    add_occurrence(lecture, local(2026, 5, 16, 14))
    items["lecture"] = lecture
    return items


def _listed(client, query=""):
    response = client.get(f"/calendar/{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    html = response.content.decode()
    return html.split('id="list-heading"', 1)[1]


def _titles_in(html, titles):
    return {title for title in titles if title in html}


ALL_TITLES = [
    "太极拳今天下午",
    "早上已结束的活动",
    "今晚最后一场",
    "周六巩义亲子活动",
    "周日深夜观星",
    "下周一零点活动",
    "三场连续课程",
    "五一过去的活动",
    "取消的活动",
    "黄河文化讲座",
]


# --- Tree rules --------------------------------------------------------------------------------


class EventTreeRulesTests(WagtailPageTestCase):
    def test_event_pages_under_calendar_festivals_and_every_school_tier(self):
        self.assertAllowedParentPageTypes(
            EventPage,
            {
                EventIndexPage,
                LearningWeekPage,
                ReadingFestivalPage,
                CommunityUniversityPage,
                CommunityCollegePage,
                CommunityCentrePage,
                CommunitySchoolPage,
            },
        )
        self.assertAllowedSubpageTypes(EventPage, set())

    def test_index_pages_under_home_only(self):
        for index_type in (
            EventIndexPage,
            LearningWeekIndexPage,
            ForumIndexPage,
            ReadingFestivalIndexPage,
        ):
            self.assertAllowedParentPageTypes(index_type, {HomePage})
            self.assertCanCreateAt(HomePage, index_type)

    def test_festivals_and_forum_hold_their_own_children(self):
        self.assertAllowedSubpageTypes(LearningWeekIndexPage, {LearningWeekPage})
        self.assertAllowedSubpageTypes(LearningWeekPage, {EventPage})
        self.assertAllowedSubpageTypes(ReadingFestivalIndexPage, {ReadingFestivalPage})
        self.assertAllowedSubpageTypes(ReadingFestivalPage, {EventPage})
        self.assertAllowedSubpageTypes(ForumIndexPage, {LecturePage})
        self.assertAllowedParentPageTypes(LecturePage, {ForumIndexPage})
        self.assertCanNotCreateAt(EventIndexPage, LecturePage)


# --- Calendar filters --------------------------------------------------------------------------


def test_default_lists_upcoming_occurrences_soonest_first(client, calendar_items):
    html = _listed(client)
    shown = _titles_in(html, ALL_TITLES)
    assert shown == set(ALL_TITLES) - {"早上已结束的活动", "五一过去的活动"}
    assert (
        html.index("太极拳今天下午") < html.index("三场连续课程") < html.index("周六巩义亲子活动")
    )


def test_a_multi_occurrence_event_appears_on_each_day(client, calendar_items):
    html = _listed(client)
    for day_id in ("day-20260514", "day-20260515", "day-20260602"):
        day = html.split(f'id="{day_id}"', 1)[1].split("</section>", 1)[0]
        assert "三场连续课程" in day


def test_each_row_gives_its_local_times_and_the_end_date_only_past_midnight(client, calendar_items):
    doc = lxml_html.fromstring(client.get("/calendar/").content.decode())

    def times(title):
        row = doc.xpath(f'//article[contains(@class, "entry")][.//a[text()="{title}"]]')[0]
        return [
            (time.get("datetime"), time.text_content())
            for time in row.xpath('.//p[@class="entry__time"]/time')
        ]

    assert times("太极拳今天下午") == [
        ("2026-05-13T14:00:00+08:00", "14:00"),
        ("2026-05-13T15:30:00+08:00", "15:30"),
    ]
    assert times("今晚最后一场") == [
        ("2026-05-13T22:29:00+08:00", "22:29"),
        ("2026-05-13T23:59:00+08:00", "23:59"),
    ]


def test_a_row_past_midnight_says_the_day_it_ends(client, calendar_items, site):
    night = EventPageFactory(parent=site["calendar"], title="跨年夜读")
    add_occurrence(night, local(2026, 5, 14, 23), minutes=120)
    doc = lxml_html.fromstring(client.get("/calendar/").content.decode())

    row = doc.xpath('//article[contains(@class, "entry")][.//a[text()="跨年夜读"]]')[0]
    shown = [time.text_content() for time in row.xpath('.//p[@class="entry__time"]/time')]
    assert shown == ["23:00", "5月15日 01:00"]
    assert row.xpath(".//time")[1].get("datetime") == "2026-05-15T01:00:00+08:00"


@pytest.mark.engine
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?range=today", {"太极拳今天下午", "早上已结束的活动", "今晚最后一场"}),
        (
            "?range=week",
            {
                "太极拳今天下午",
                "早上已结束的活动",
                "今晚最后一场",
                "周六巩义亲子活动",
                "周日深夜观星",
                "三场连续课程",
                "取消的活动",
                "黄河文化讲座",
            },
        ),
        ("?range=weekend", {"周六巩义亲子活动", "周日深夜观星", "黄河文化讲座"}),
        ("?when=past", {"早上已结束的活动", "五一过去的活动"}),
        ("?range=custom&from=2026-05-18&to=2026-06-02", {"下周一零点活动", "三场连续课程"}),
        ("?from=2026-05-01&to=2026-05-01", {"五一过去的活动"}),
        ("?district=jinshui", {"太极拳今天下午", "周日深夜观星"}),
        ("?district=gongyi", {"周六巩义亲子活动"}),
        ("?audience=elderly", {"太极拳今天下午", "三场连续课程"}),
        ("?category=culture-arts", {"太极拳今天下午", "黄河文化讲座"}),
        ("?tag=%E5%A4%AA%E6%9E%81", {"太极拳今天下午"}),
        ("?series=learning-week", {"三场连续课程"}),
        ("?series=forum", {"黄河文化讲座"}),
        ("?q=亲子", {"周六巩义亲子活动"}),
        ("?range=week&audience=elderly&district=jinshui", {"太极拳今天下午"}),
        ("?range=weekend&category=culture-arts", {"黄河文化讲座"}),
    ],
)
def test_calendar_filters(client, calendar_items, query, expected):
    assert _titles_in(_listed(client, query), ALL_TITLES) == expected


@pytest.mark.engine
def test_week_and_day_boundaries_are_local_to_zhengzhou(client, calendar_items):
    # 22:29 local today is 14:29 UTC: inside "today" even though UTC midnight is long past.
    assert "今晚最后一场" in _listed(client, "?range=today")
    # Sunday 22:00 local belongs to this week; Monday 00:00 local does not.
    week = _listed(client, "?range=week")
    assert "周日深夜观星" in week and "下周一零点活动" not in week


def test_on_sunday_this_weekend_is_still_the_current_one(client, calendar_items):
    with time_machine.travel(local(2026, 5, 17, 8), tick=False):
        weekend = _listed(client, "?range=weekend")
    assert _titles_in(weekend, ALL_TITLES) == {"周六巩义亲子活动", "周日深夜观星", "黄河文化讲座"}


def test_cancelled_occurrences_are_listed_and_marked(client, calendar_items):
    html = _listed(client, "?range=week")
    row = html.split("取消的活动", 1)[0].rsplit('<article class="entry', 1)[1]
    assert "is-cancelled" in row and "已取消" in row


def test_month_view_places_occurrences_on_their_days(client, calendar_items):
    response = client.get("/calendar/?view=month&month=2026-05")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年5月" in html
    assert html.count("三场连续课程") == 2  # 14th and 15th; 2 June is next month
    assert "五一过去的活动" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-13-45", "日期格式不正确"),
        ("?from=yesterday", "日期格式不正确"),
        ("?from=2026-05-20&to=2026-05-01", "结束日期不能早于开始日期"),
        ("?from=2020-01-01&to=2026-01-01", "不能超过一年"),
        ("?range=fortnight", "不支持这个日期范围"),
        ("?district=atlantis", "没有找到所选的区县"),
        ("?audience=aliens", "没有找到所选的学习对象"),
        ("?category=nope", "没有找到所选的内容类别"),
        ("?tag=%E4%B8%8D%E5%AD%98%E5%9C%A8", "没有找到这个标签"),
        ("?series=olympics", "没有找到所选的活动系列"),
        ("?when=someday", "即将开始"),
        ("?view=month&month=2026-99", "月份格式不正确"),
    ],
)
def test_bad_calendar_input_gets_a_400_with_a_chinese_message(
    client, calendar_items, query, message
):
    response = client.get(f"/calendar/{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "9" * 5000])
def test_bad_page_numbers_never_fail(client, calendar_items, page):
    response = client.get(f"/calendar/?page={page}")
    assert response.status_code == 200


# --- iCalendar ---------------------------------------------------------------------------------


def _parse_ics(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_event_ics_has_local_times_with_tzid_and_vtimezone(client, calendar_items):
    page = calendar_items["repeating"]
    calendar = _parse_ics(client.get(f"{page.url}ics/"))
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert calendar.get_missing_tzids() == set()  # every TZID used has its VTIMEZONE
    # The zone's definition is complete: its standard offset is China Standard Time's.
    standard = calendar.walk("VTIMEZONE")[0].walk("STANDARD")[-1]
    assert standard.decoded("TZOFFSETTO") == datetime.timedelta(hours=8)
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2026, 5, 14, 9, 0)
    assert first["SUMMARY"] == "三场连续课程"
    assert first["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTAMP") == NOW


def test_uids_are_stable_across_requests(client, calendar_items):
    page = calendar_items["repeating"]
    first = [event["UID"] for event in _parse_ics(client.get(f"{page.url}ics/")).walk("VEVENT")]
    second = [event["UID"] for event in _parse_ics(client.get(f"{page.url}ics/")).walk("VEVENT")]
    assert first == second and len(set(first)) == 3
    calendar_view = _parse_ics(client.get("/calendar/ics/?range=week"))
    assert set(first[:2]) <= {event["UID"] for event in calendar_view.walk("VEVENT")}


def test_cancelled_events_and_occurrences_are_status_cancelled(client, calendar_items):
    cancelled = _parse_ics(client.get(f"{calendar_items['cancelled'].url}ics/")).walk("VEVENT")[0]
    assert cancelled["STATUS"] == "CANCELLED"
    one_off = calendar_items["repeating"].occurrences.first()
    Occurrence.objects.filter(pk=one_off.pk).update(cancelled=True)
    events = _parse_ics(client.get(f"{calendar_items['repeating'].url}ics/")).walk("VEVENT")
    assert [event["STATUS"] for event in events] == ["CANCELLED", "CONFIRMED", "CONFIRMED"]


def test_filtered_calendar_view_ics_contains_just_that_view(client, calendar_items):
    response = client.get("/calendar/ics/?range=week&audience=elderly&district=jinshui")
    summaries = [str(event["SUMMARY"]) for event in _parse_ics(response).walk("VEVENT")]
    assert summaries == ["太极拳今天下午"]


def test_lecture_ics_and_the_subscribe_link(client, calendar_items):
    lecture = calendar_items["lecture"]
    event = _parse_ics(client.get(f"{lecture.url}ics/")).walk("VEVENT")[0]
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2026, 5, 16, 14, 0)
    html = client.get("/calendar/?range=week&audience=elderly").content.decode()
    assert 'href="webcal://testserver/calendar/ics/?range=week&amp;audience=elderly"' in html


def test_bad_ics_filters_get_a_400(client, calendar_items):
    response = client.get("/calendar/ics/?from=not-a-date")
    assert response.status_code == 400
    assert "日期格式不正确" in response.content.decode()


# --- Pages -------------------------------------------------------------------------------------


def test_event_page_shows_time_place_and_structured_data(client, calendar_items):
    import json

    page = calendar_items["sunday_late"]
    html = client.get(page.url).content.decode()
    assert "2026年5月17日" in html and "22:00" in html
    assert "文化路社区学校" in html and "uri.amap.com" in html
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == "2026-05-17T22:00:00+08:00"


def test_an_event_page_marks_the_sessions_already_held(client, calendar_items):
    """A weekly activity lists last week's session as 已结束, so nobody sets out for it."""
    page = calendar_items["repeating"]
    add_occurrence(page, local(2026, 5, 12, 9))  # yesterday
    document = lxml_html.fromstring(client.get(page.url).content)
    rows = {
        " ".join(item.text_content().split()): item.get("class") or ""
        for item in document.xpath("//ul[@class='occurrence-list']/li")
    }
    held = [text for text in rows if "5月12日" in text]
    coming = [text for text in rows if "5月14日" in text]
    assert held and "已结束" in held[0] and "is-past" in rows[held[0]]
    assert coming and "已结束" not in coming[0] and "is-past" not in rows[coming[0]]


def test_a_session_under_way_says_so_and_an_event_that_is_over_offers_no_calendar(
    client, calendar_items
):
    """At 10:00 a session that began at 9:30 is 正在进行; once every session is over the page
    no longer offers 添加到我的日历 (nothing is left to add), while one still to come does."""
    page = calendar_items["repeating"]
    add_occurrence(page, local(2026, 5, 13, 9, 30))
    html = client.get(page.url).content.decode()
    assert html.count("正在进行") == 1 and "添加到我的日历" in html

    over = client.get(calendar_items["ended_this_morning"].url).content.decode()
    assert "已结束" in over and "添加到我的日历" not in over


def test_cancelled_event_page_says_so(client, calendar_items):
    html = client.get(calendar_items["cancelled"].url).content.decode()
    assert "活动已取消" in html
    assert "EventCancelled" in html


def test_school_page_shows_its_upcoming_events(client, calendar_items):
    html = client.get(calendar_items["taiji_today"].get_parent().url).content.decode()
    assert "近期在这里举办的活动" in html
    assert "太极拳今天下午" in html and "周日深夜观星" in html  # posted here / held here
    assert "周六巩义亲子活动" not in html


def test_home_page_shows_upcoming_events_and_lectures(client, calendar_items):
    html = client.get("/").content.decode()
    events = html.split('id="section-upcoming-events"')[1].split("</section>")[0]
    assert "太极拳今天下午" in events and "五一过去的活动" not in events
    assert "黄河文化讲座" in html.split('id="section-latest-lectures"')[1]


def test_the_home_pages_lectures_come_soonest_first_then_the_past(client, calendar_items, site):
    """郑州讲坛 on the home page: the next lecture first, a later one after it, then the replays;
    not the farthest date first."""
    for title, start in (
        ("六月讲座", local(2026, 6, 20, 14)),
        ("四月讲座", local(2026, 4, 20, 14)),
    ):
        lecture = LecturePageFactory(parent=site["forum"], title=title)
        add_occurrence(lecture, start)
    section = client.get("/").content.decode().split('id="section-latest-lectures"')[1]
    section = section.split("</section>")[0]
    positions = [section.index(title) for title in ("黄河文化讲座", "六月讲座", "四月讲座")]
    assert positions == sorted(positions)


def test_learning_week_banner_during_the_week_and_coming_soon_before(client, site):
    with time_machine.travel(local(2026, 5, 13, 10), tick=False):
        assert "正在进行" in client.get("/").content.decode()
    with time_machine.travel(local(2026, 4, 20, 10), tick=False):
        html = client.get("/").content.decode()
        assert "即将开幕" in html and "2026年全民终身学习活动周" in html
    with time_machine.travel(local(2026, 3, 1, 10), tick=False):
        assert "2026年全民终身学习活动周" not in client.get("/").content.decode()


def test_learning_week_edition_lists_events_by_day_and_by_district(client, calendar_items, site):
    html = client.get(site["week"].url).content.decode()
    assert "三场连续课程" in html
    assert 'id="day-20260514"' in html and 'id="day-20260515"' in html
    assert "按区县查看" in html
    # Grouped by district, a row says its day too: under a district heading the time alone
    # would leave a resident guessing which of the week's days it is.
    by_district = lxml_html.fromstring(html).xpath('//details[@class="by-district"]')[0]
    times = [
        " ".join(row.text_content().split())
        for row in by_district.xpath('.//p[@class="entry__time"]')
    ]
    assert times and all(re.match(r"\d+月\d+日 周[一二三四五六日] \d\d:\d\d–", t) for t in times)
    day_rows = lxml_html.fromstring(html).xpath('//section[@class="day"]//p[@class="entry__time"]')
    assert not any("月" in row.text_content() for row in day_rows)  # the heading says the day


def test_reading_festival_edition_with_books_and_isbn_check(client, site, frozen):
    index = ReadingFestivalIndexPageFactory(parent=site["home"])
    edition = ReadingFestivalPageFactory(parent=index)
    RecommendedBook.objects.create(page=edition, title="乡土中国", author="费孝通")
    html = client.get(edition.url).content.decode()
    assert "《乡土中国》" in html and "费孝通" in html


@pytest.mark.parametrize(
    "isbn", ["9787020008735", "978-7-02-000873-5", "7020008739", "0-8044-2957-X"]
)
def test_valid_isbns(isbn):
    validate_isbn(isbn)


@pytest.mark.parametrize("isbn", ["9787020008736", "12345", "978702000873X", "ABCDEFGHIJ"])
def test_invalid_isbns_are_refused(isbn):
    with pytest.raises(ValidationError):
        validate_isbn(isbn)


def test_occurrence_ending_before_it_starts_is_refused(site):
    page = EventPageFactory(parent=site["calendar"])
    occurrence = Occurrence(page=page, start=local(2026, 5, 20, 10), end=local(2026, 5, 20, 9))
    with pytest.raises(ValidationError) as error:
        occurrence.full_clean()
    assert "结束时间必须晚于开始时间" in str(error.value)


def test_admin_refuses_an_occurrence_that_ends_before_it_starts(admin_client, site):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = nested_form_data(
        {
            "title": "倒着走的活动",
            "slug": "backwards",
            "summary": "测试",
            "status": "scheduled",
            "cost": "免费",
            "body": streamfield([]),
            "occurrences": inline_formset(
                [
                    {
                        "start": "2026-05-20 10:00",
                        "end": "2026-05-20 09:00",
                        "note": "",
                        "cancelled": "",
                    }
                ]
            ),
            "tags": "",
            "comments": inline_formset([]),
        }
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{site['calendar'].pk}/", data)
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert not EventPage.objects.filter(slug="backwards").exists()


# --- Forum -------------------------------------------------------------------------------------


@pytest.fixture
def forum_lectures(site, frozen):
    speaker = Person.objects.create(name="王建华", title="教授")
    other = Person.objects.create(name="李秀兰", title="医师")
    culture = Category.objects.get(slug="culture-arts")
    lectures = []
    for number, (when, person) in enumerate(
        [
            (local(2025, 11, 1, 9), speaker),
            (local(2026, 3, 7, 9), other),
            (local(2026, 4, 18, 9), speaker),
            (local(2026, 5, 30, 9), other),  # upcoming
        ]
    ):
        lecture = LecturePageFactory(
            parent=site["forum"],
            title=f"讲坛第{number + 1}期",
            category=culture if number == 1 else None,
        )
        LectureSpeaker.objects.create(page=lecture, person=person)
        add_occurrence(lecture, when, minutes=120)
        lectures.append(lecture)
    return lectures


def _forum_section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_forum_shows_upcoming_then_the_archive(client, forum_lectures):
    html = client.get("/forum/").content.decode()
    assert "讲坛第4期" in _forum_section(html, "upcoming-heading")
    archive = _forum_section(html, "archive-heading")
    assert "讲坛第4期" not in archive
    assert archive.index("讲坛第3期") < archive.index("讲坛第2期") < archive.index("讲坛第1期")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2025", {"讲坛第1期"}),
        ("?year=2026", {"讲坛第2期", "讲坛第3期"}),
        ("?category=culture-arts", {"讲坛第2期"}),
    ],
)
def test_forum_archive_filters(client, forum_lectures, query, expected):
    archive = _forum_section(client.get(f"/forum/{query}").content.decode(), "archive-heading")
    assert {
        title for title in ("讲坛第1期", "讲坛第2期", "讲坛第3期") if title in archive
    } == expected


def test_forum_archive_by_speaker(client, forum_lectures):
    speaker = Person.objects.get(name="王建华")
    archive = _forum_section(
        client.get(f"/forum/?speaker={speaker.pk}").content.decode(), "archive-heading"
    )
    assert "讲坛第1期" in archive and "讲坛第3期" in archive and "讲坛第2期" not in archive


@pytest.mark.parametrize(
    "query", ["?year=1999", "?year=abc", "?speaker=99999", "?speaker=x", "?tag=无此标签"]
)
def test_forum_bad_filters_get_a_message_not_a_500(client, forum_lectures, query):
    response = client.get(f"/forum/{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_lecture_feeds_parse_and_list_lectures(client, forum_lectures):
    rss = etree.fromstring(client.get("/feeds/lectures/rss/").content)
    titles = rss.xpath("//item/title/text()")
    assert len(titles) == 4 and any("讲坛第4期" in title for title in titles)
    atom = etree.fromstring(client.get("/feeds/lectures/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(atom.xpath("//a:entry", namespaces=ns)) == 4


def _document(title, name, data: bytes):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.fixture
def recorded_lecture(site, frozen):
    from django.core.files.base import ContentFile
    from wagtailmedia.models import get_media_model

    video = get_media_model()(title="录像", type="video", duration=60, width=320, height=180)
    video.file.save("lecture.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    captions = _document(
        "字幕",
        "lecture.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 主讲人>大家好</v>\n\n"
        "01:02:03.500 --> 01:02:06.000\n今天讲黄河\n".encode(),
    )
    chapters = _document(
        "章节", "chapters.vtt", "WEBVTT\n\n00:00.000 --> 00:30.000\n开场\n".encode()
    )
    lecture = LecturePageFactory(
        parent=site["forum"],
        title="有回放的讲座",
        video=video,
        caption_file=captions,
        chapters_file=chapters,
        transcript="<p>各位居民朋友，大家好。</p>",
    )
    add_occurrence(lecture, local(2026, 5, 2, 9))
    return lecture


def test_lecture_page_plays_its_recording_with_captions_chapters_and_a_timed_transcript(
    client, recorded_lecture
):
    html = client.get(recorded_lecture.url).content.decode()
    assert "<video controls" in html
    assert '<track kind="captions"' in html and 'srclang="zh-Hans"' in html
    assert f'<track kind="chapters" src="{recorded_lecture.chapters_file.url}"' in html
    tree = lxml_html.fromstring(html)
    lines = tree.xpath('//ol[contains(@class, "cue-list--transcript")]/li')
    # The captions' lines with their times, markup stripped; hours shown when the talk is long.
    assert [(li.get("data-start"), li.text_content().strip()) for li in lines] == [
        ("0.000", "00:00 大家好"),
        ("3723.500", "1:02:03 今天讲黄河"),
    ]
    chapters = tree.xpath('//nav[contains(@class, "player-chapters")]//li')
    assert [li.text_content().strip() for li in chapters] == ["00:00 开场"]
    speed = tree.xpath("//div[@data-player-speed]//button/@data-speed")
    assert speed == ["0.75", "1", "1.25"]


def test_a_broken_caption_file_leaves_the_written_transcript(client, recorded_lecture):
    recorded_lecture.caption_file = _document("坏字幕", "broken.vtt", b"not a caption file")
    recorded_lecture.chapters_file = _document("坏章节", "broken-chapters.vtt", b"\xff\xfe")
    recorded_lecture.save_revision().publish()
    response = client.get(recorded_lecture.url)
    assert response.status_code == 200
    html = response.content.decode()
    transcript = html.split('id="transcript-heading"')[1].split("</section>")[0]
    assert "各位居民朋友，大家好。" in transcript and "cue-list" not in transcript
    assert "player-chapters" not in html


def test_a_caption_or_chapter_file_that_is_not_webvtt_is_refused(recorded_lecture):
    recorded_lecture.chapters_file = _document("章节", "chapters.srt", b"1\n00:00:00,000 --> 1\n")
    with pytest.raises(ValidationError) as refused:
        recorded_lecture.full_clean()
    assert refused.value.message_dict["chapters_file"] == ["章节文件必须是 WebVTT 格式（.vtt）。"]


# --- Live lectures ------------------------------------------------------------------------------

STREAM = "https://live.zzxx.example/forum/stream.m3u8"


@pytest.fixture
def live_lecture(site, settings):
    settings.CSP_MEDIA_SRC = ["https://live.zzxx.example"]
    lecture = LecturePageFactory(parent=site["forum"], title="直播讲座", live_stream_url=STREAM)
    add_occurrence(lecture, local(2026, 6, 6, 9, 30), minutes=120)
    return lecture


@pytest.mark.parametrize(
    ("when", "live"),
    [
        (local(2026, 6, 6, 9, 0), False),  # 30 minutes before: the notice of the stream
        (local(2026, 6, 6, 9, 16), True),  # residents join from a quarter of an hour before
        (local(2026, 6, 6, 10, 45), True),
        (local(2026, 6, 6, 11, 31), False),  # over
    ],
)
def test_a_lecture_is_live_only_during_its_session(client, live_lecture, when, live):
    with time_machine.travel(when, tick=False):
        response = client.get(live_lecture.url)
    html = response.content.decode()
    assert ("直播中" in html) is live
    assert (f'src="{STREAM}"' in html) is live
    assert ("本讲座网上直播：" in html) is (when < local(2026, 6, 6, 9, 15))
    if live:
        assert "本场 6月6日 09:30–11:30" in html
        assert "https://live.zzxx.example" in response["Content-Security-Policy"]


def test_a_live_lecture_shows_its_recording_afterwards(client, live_lecture, recorded_lecture):
    live_lecture.video = recorded_lecture.video
    live_lecture.caption_file = recorded_lecture.caption_file
    live_lecture.save_revision().publish()
    with time_machine.travel(local(2026, 6, 6, 10), tick=False):
        during = client.get(live_lecture.url).content.decode()
    with time_machine.travel(local(2026, 6, 7, 10), tick=False):
        after = client.get(live_lecture.url).content.decode()
    assert "直播中" in during
    assert "直播中" not in after and "讲座回放" in after and "<video controls" in after


def test_a_cancelled_session_is_not_streamed(client, live_lecture):
    live_lecture.occurrences.update(cancelled=True)
    with time_machine.travel(local(2026, 6, 6, 10), tick=False):
        html = client.get(live_lecture.url).content.decode()
    assert "直播中" not in html


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://live.zzxx.example/a.m3u8", "直播地址必须以 https:// 开头。"),
        (
            "https://elsewhere.example/a.m3u8",
            "本网站还不能播放来自 https://elsewhere.example 的直播流",
        ),
        ("https://player.example/room/1", "这个直播平台的播放页还不能嵌入本网站"),
    ],
)
def test_a_live_address_the_page_cannot_play_is_refused(live_lecture, address, message):
    live_lecture.live_stream_url = address
    with pytest.raises(ValidationError) as refused:
        live_lecture.full_clean()
    assert refused.value.message_dict["live_stream_url"][0].startswith(message)


def test_an_allowed_platform_is_embedded_during_the_session(client, live_lecture, settings):
    settings.CSP_FRAME_SRC = ["https://player.example"]
    live_lecture.live_stream_url = "https://player.example/room/1"
    live_lecture.full_clean()
    live_lecture.save_revision().publish()
    with time_machine.travel(local(2026, 6, 6, 10), tick=False):
        html = client.get(live_lecture.url).content.decode()
    assert '<iframe src="https://player.example/room/1" title="直播讲座（网上直播）"' in html


# --- Query counts ------------------------------------------------------------------------------


def _add_events(parent, count, start):
    school = CommunitySchoolPage.objects.first()
    existing = Page.objects.child_of(parent).count()
    for number in range(existing, existing + count):
        page = EventPageFactory(parent=parent, title=f"批量活动{number}", venue=school)
        add_occurrence(page, start + datetime.timedelta(hours=number))


@pytest.mark.parametrize(
    ("url", "parent_key"),
    [
        ("/calendar/", "calendar"),
        ("/calendar/?view=month&month=2026-05", "calendar"),
        ("/calendar/?range=week&audience=elderly", "calendar"),
        ("/learning-week/2026/", "week"),
    ],
)
def test_query_counts_do_not_grow_with_the_number_of_events(client, site, frozen, url, parent_key):
    _add_events(site[parent_key], 5, local(2026, 5, 14, 8))
    small = len(queries_for(client, url))
    _add_events(site[parent_key], 45, local(2026, 5, 14, 8))
    large = len(queries_for(client, url))
    assert small == large, f"{url}: {small} queries for 5 events, {large} for 50"


def test_forum_query_count_does_not_grow(client, site, frozen):
    def add_lectures(count):
        existing = LecturePage.objects.count()
        for number in range(existing, existing + count):
            lecture = LecturePageFactory(parent=site["forum"], title=f"讲座{number}")
            LectureSpeaker.objects.create(
                page=lecture, person=Person.objects.get_or_create(name=f"主讲人{number % 3}")[0]
            )
            add_occurrence(lecture, local(2026, 4, 1, 9) - datetime.timedelta(days=number))

    add_lectures(5)
    small = len(queries_for(client, "/forum/"))
    add_lectures(45)
    large = len(queries_for(client, "/forum/"))
    assert small == large


def test_the_calendar_names_every_calendar_page_festival_and_edition_type():
    """events.calendar names the page types it lists (it cannot import events.models): a new
    kind of event, festival or edition page is in the calendar only once it is named there."""

    def concrete(base):
        return [m for m in get_page_models() if issubclass(m, base) and not m._meta.abstract]

    assert calendar_page_models() == concrete(CalendarPage)
    assert sorted(EDITION_TYPES) == sorted(m._meta.label for m in concrete(EditionPage))
    assert sorted(SERIES_TYPES) == sorted(
        [*(m._meta.label for m in concrete(EditionIndexPage)), "events.ForumIndexPage"]
    )
    places = (SchoolPage, EditionPage, EditionIndexPage, ForumIndexPage)
    assert [m for m in get_page_models() if issubclass(m, place_types())] == [
        m for m in get_page_models() if issubclass(m, places)
    ]
