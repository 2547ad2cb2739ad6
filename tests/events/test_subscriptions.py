"""Calendars to subscribe to (every district, centre, school, learning point, festival edition,
the Forum and each series), absolute URLs on PUBLIC_BASE_URL, festival pages (已结束, the
Learning Week's filters) and districts in the official order."""

import datetime
import json
import re

import icalendar
import pytest
import time_machine
from django.core import checks
from django.test import override_settings
from lxml import etree

from core.checks import check_public_base_url
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
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 13 May 2026, 10:00 in Zhengzhou: the Learning Week runs 11–17 May.
NOW = local(2026, 5, 13, 10, 0)
PUBLIC = "https://xuexi.zhengzhou.example"
# The official order (/work/shared/design.md), which is how the demo builds the tree; a few
# of them are enough to show that code-point order (上街区 first) is not used.
OFFICIAL = ["中原区", "二七区", "金水区", "上街区", "巩义市"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(home_page, frozen):
    university = CommunityUniversityPageFactory(parent=home_page)
    districts = {
        name: CommunityCollegePageFactory(parent=university, district_name=name, slug=f"d{n}")
        for n, name in enumerate(OFFICIAL)
    }
    jinshui, erqi = districts["金水区"], districts["二七区"]
    centre = CommunityCentrePageFactory(parent=jinshui, title="文化路街道社区教育中心")
    other_centre = CommunityCentrePageFactory(parent=jinshui, title="花园路街道社区教育中心")
    school = CommunitySchoolPageFactory(parent=centre, title="锦绣社区学校", slug="jinxiu")
    point = CommunitySchoolPageFactory(
        parent=centre, title="和平学习点", slug="heping", kind="point"
    )
    erqi_centre = CommunityCentrePageFactory(parent=erqi)
    erqi_school = CommunitySchoolPageFactory(parent=erqi_centre, title="二七学校")
    calendar = EventIndexPageFactory(parent=home_page)
    forum = ForumIndexPageFactory(parent=home_page)
    week_index = LearningWeekIndexPageFactory(parent=home_page)
    week = LearningWeekPageFactory(parent=week_index, slug="2026", title="2026年全民终身学习活动周")
    festival_index = ReadingFestivalIndexPageFactory(parent=home_page)
    festival = ReadingFestivalPageFactory(parent=festival_index, title="第12届绿城读书节")

    def event(title, parent, start, **fields):
        page = EventPageFactory(parent=parent, title=title, **fields)
        add_occurrence(page, start)
        return page

    items = {
        # Posted under the school.
        "at_school": event("锦绣太极", school, local(2026, 5, 14, 9)),
        # Posted under the district, held at the learning point (venue).
        "at_point": event("和平书法", jinshui, local(2026, 5, 15, 9), venue=point),
        "at_other_centre": event("花园路合唱", other_centre, local(2026, 5, 16, 9)),
        "in_erqi": event("二七剪纸", erqi_school, local(2026, 5, 14, 14)),
        # The Learning Week: one past day (11 May, in 巩义市), two to come.
        "week_past": event("开幕式", week, local(2026, 5, 11, 9), venue=districts["巩义市"]),
        "week_jinshui": event("活动周金水专场", week, local(2026, 5, 14, 15), venue=school),
        "week_erqi": event("活动周二七专场", week, local(2026, 5, 16, 15), venue=erqi_school),
        "festival_past": event("读书分享会", festival, local(2026, 5, 1, 15)),
        "festival_next": event("好书换读", festival, local(2026, 5, 18, 15)),
    }
    lecture = LecturePageFactory(parent=forum, title="黄河文化讲座")
    add_occurrence(lecture, local(2026, 5, 20, 14))
    old_lecture = LecturePageFactory(parent=forum, title="两年前的讲座")
    add_occurrence(old_lecture, local(2024, 5, 20, 14))
    news_index = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news_index, title="开课通知", date=datetime.date(2026, 5, 1))
    return {
        "university": university,
        "districts": districts,
        "jinshui": jinshui,
        "centre": centre,
        "school": school,
        "point": point,
        "calendar": calendar,
        "forum": forum,
        "week_index": week_index,
        "week": week,
        "festival_index": festival_index,
        "festival": festival,
        "lecture": lecture,
        **items,
    }


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _subscription_links(html):
    """The webcal:// link and the .ics download a page offers."""
    webcal = re.search(r'href="(webcal://[^"]+)"', html).group(1).replace("&amp;", "&")
    download = re.search(r'href="([^"]+)" download>下载日历文件', html).group(1)
    return webcal, download.replace("&amp;", "&")


def _follow(client, html):
    webcal, download = _subscription_links(html)
    assert webcal.startswith("webcal://testserver/")
    assert webcal.split("testserver", 1)[1] == download
    return _calendar(client, download)


def _summaries(calendar):
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("place", "name", "expected"),
    [
        ("jinshui", "金水区", ["和平书法", "活动周金水专场", "花园路合唱", "锦绣太极"]),
        ("centre", "文化路街道社区教育中心", ["和平书法", "活动周金水专场", "锦绣太极"]),
        ("school", "锦绣社区学校", ["活动周金水专场", "锦绣太极"]),
        ("point", "和平学习点", ["和平书法"]),
    ],
)
def test_each_school_tier_offers_a_subscription_holding_exactly_its_events(
    client, world, place, name, expected
):
    html = client.get(world[place].url).content.decode()
    assert "订阅这里的活动" in html
    calendar = _follow(client, html)
    assert str(calendar["X-WR-CALNAME"]) == f"{name} · 郑州终身学习网"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    assert _summaries(calendar) == sorted(expected)


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ("week", ["开幕式", "活动周二七专场", "活动周金水专场"]),
        ("festival", ["好书换读", "读书分享会"]),
    ],
)
def test_each_festival_edition_offers_its_calendar(client, world, edition, expected):
    page = world[edition]
    calendar = _follow(client, client.get(page.url).content.decode())
    assert str(calendar["X-WR-CALNAME"]) == f"{page.title} · 郑州终身学习网"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    assert _summaries(calendar) == sorted(expected)


def test_the_forum_is_a_lecture_series_with_its_own_calendar(client, world):
    calendar = _follow(client, client.get(world["forum"].url).content.decode())
    assert str(calendar["X-WR-CALNAME"]) == "郑州讲坛 · 郑州终身学习网"
    # Upcoming lectures (and the last months'), not the whole archive, and no events.
    assert _summaries(calendar) == ["黄河文化讲座"]


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ("week_index", ["开幕式", "活动周二七专场", "活动周金水专场"]),
        ("festival_index", ["好书换读", "读书分享会"]),
    ],
)
def test_each_festival_series_offers_a_calendar_of_all_its_editions(
    client, world, series, expected
):
    page = world[series]
    calendar = _follow(client, client.get(page.url).content.decode())
    assert str(calendar["X-WR-CALNAME"]) == f"{page.title} · 郑州终身学习网"
    assert _summaries(calendar) == sorted(expected)


@pytest.mark.parametrize("place", ["0", "abc", "99999999", "-1", "1" * 40])
def test_an_unknown_place_is_a_400_with_a_chinese_message(client, world, place):
    response = client.get(f"/calendar/ics/?place={place}")
    assert response.status_code == 400
    assert "没有找到这个地点或活动" in response.content.decode()


def test_a_page_that_is_no_place_is_refused(client, world):
    response = client.get(f"/calendar/ics/?place={world['at_school'].pk}")
    assert response.status_code == 400


def test_a_district_filtered_calendar_is_named_for_the_district(client, world):
    calendar = _calendar(client, f"/calendar/ics/?district={world['jinshui'].slug}")
    assert str(calendar["X-WR-CALNAME"]) == "金水区 · 郑州终身学习网"


# --- Absolute URLs ---------------------------------------------------------------------------


@override_settings(PUBLIC_BASE_URL=PUBLIC, WAGTAILAPI_BASE_URL=PUBLIC)
def test_nothing_the_site_emits_names_localhost(client, world):
    """The Site record says http://localhost (tests/conftest.py); links must not."""
    outputs = {}
    for label, url in {
        "school ics": f"/calendar/ics/?place={world['school'].pk}",
        "edition ics": f"{world['week'].url}ics/",
        "forum ics": f"{world['forum'].url}ics/",
        "event ics": f"{world['at_school'].url}ics/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "lectures rss": "/feeds/lectures/rss/",
        "lectures atom": "/feeds/lectures/atom/",
        "news rss": "/feeds/news/rss/",
        "news atom": "/feeds/news/atom/",
        "school page": world["school"].url,
        "event page": world["at_school"].url,
        "forum page": world["forum"].url,
        "geojson": "/schools/geojson/",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, label
        outputs[label] = response.content.decode()
    for label, text in outputs.items():
        assert "localhost" not in text, label
        assert "testserver" not in text, label

    ics = icalendar.Calendar.from_ical(outputs["school ics"])
    assert {str(event["URL"]) for event in ics.walk("VEVENT")} == {
        PUBLIC + world["at_school"].url,
        PUBLIC + world["week_jinshui"].url,
    }
    locations = etree.fromstring(outputs["sitemap"].encode()).xpath(
        "//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    )
    assert locations and all(location.startswith(PUBLIC + "/") for location in locations)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in outputs["robots"]
    for feed in ("lectures rss", "news rss"):
        channel = etree.fromstring(outputs[feed].encode()).find("channel")
        links = [
            channel.findtext("link"),
            *(item.findtext("link") for item in channel.iter("item")),
        ]
        assert len(links) > 1 and all(link.startswith(PUBLIC + "/") for link in links), feed
    atom = etree.fromstring(outputs["lectures atom"].encode())
    hrefs = atom.xpath("//a:link/@href", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert hrefs and all(href.startswith(PUBLIC + "/") for href in hrefs)
    for label in ("school page", "event page"):
        html = outputs[label]
        ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
        assert ld["url"].startswith(PUBLIC + "/"), label
        og_url = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
        og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
        assert og_url.startswith(PUBLIC + "/") and og_image.startswith(PUBLIC + "/"), label
    webcal, _download = _subscription_links(outputs["school page"])
    assert webcal.startswith("webcal://xuexi.zhengzhou.example/")
    geojson = json.loads(outputs["geojson"])
    assert all(f["properties"]["url"].startswith(PUBLIC + "/") for f in geojson["features"])


def test_production_refuses_a_local_or_missing_public_base_url():
    def errors(**settings):
        with override_settings(PUBLIC_BASE_URL_REQUIRED=True, **settings):
            return [
                message.id for message in check_public_base_url() if message.level >= checks.ERROR
            ]

    assert errors(PUBLIC_BASE_URL="http://localhost") == ["home.E103"]
    assert errors(PUBLIC_BASE_URL="http://127.0.0.1:8000") == ["home.E103"]
    assert errors(PUBLIC_BASE_URL="") == ["home.E102"]
    assert errors(PUBLIC_BASE_URL="xuexi.example.cn") == ["home.E101"]
    assert errors(PUBLIC_BASE_URL=PUBLIC) == []
    with override_settings(PUBLIC_BASE_URL="http://127.0.0.1:8000", PUBLIC_BASE_URL_REQUIRED=False):
        assert check_public_base_url() == []  # development


# --- Festival pages ---------------------------------------------------------------------------


def _entries(html):
    """(title, 已结束?) for each entry in the day-by-day list."""
    days = html.split('class="day"', 1)[1] if 'class="day"' in html else ""
    return [
        (title, "已结束" in block)
        for block in days.split('<article class="entry')[1:]
        for title in re.findall(r'<h3 class="entry__title"><a [^>]+>([^<]+)</a>', block)
    ]


@pytest.mark.parametrize(
    ("edition", "past", "coming"),
    [
        ("week", ["开幕式"], ["活动周金水专场", "活动周二七专场"]),
        ("festival", ["读书分享会"], ["好书换读"]),
    ],
)
def test_festival_pages_mark_past_events_as_over(client, world, edition, past, coming):
    entries = _entries(client.get(world[edition].url).content.decode())
    assert [title for title, over in entries if over] == past
    assert [title for title, over in entries if not over] == coming


def test_an_edition_whose_events_are_all_over_offers_no_subscription(client, world):
    """Nothing new will reach a subscriber of a finished edition: its page says it is over and
    offers no 订阅到手机日历, while an edition with events still to come does."""
    page = world["week"]
    assert "订阅到手机日历" in client.get(page.url).content.decode()
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)):
        html = client.get(page.url).content.decode()
    assert "本届活动已全部结束" in html
    assert "订阅到手机日历" not in html
    assert "开幕式" in html  # its schedule stays readable


def test_learning_week_filters_by_day_and_district(client, world):
    url = world["week"].url
    by_day = client.get(url, {"day": "2026-05-14"})
    assert by_day.status_code == 200
    assert [title for title, _ in _entries(by_day.content.decode())] == ["活动周金水专场"]
    by_district = client.get(url, {"district": world["districts"]["二七区"].slug})
    assert [title for title, _ in _entries(by_district.content.decode())] == ["活动周二七专场"]
    both = client.get(url, {"day": "2026-05-14", "district": world["districts"]["二七区"].slug})
    assert _entries(both.content.decode()) == []
    assert "没有符合条件的活动" in both.content.decode()
    html = client.get(url).content.decode()
    day_options = re.findall(r'<option value="(2026-05-\d\d)"', html)
    assert day_options == [f"2026-05-{day}" for day in range(11, 18)]


@pytest.mark.parametrize(
    "params",
    [{"day": "2026-06-01"}, {"day": "tomorrow"}, {"district": "atlantis"}, {"day": "\x00"}],
)
def test_learning_week_bad_filter_values_get_a_400_and_a_chinese_message(client, world, params):
    response = client.get(world["week"].url, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有找到" in html and "请重新选择" in html
    assert _entries(html) == []


def _district_options(html, select_id):
    select = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [
        name
        for name in re.findall(r">([^<]+)</option>", select)
        if name != "全部" and "请选择" not in name and "全部" not in name
    ]


def test_districts_follow_the_official_order_everywhere(client, world):
    assert (
        _district_options(client.get(world["week"].url).content.decode(), "edition-district")
        == OFFICIAL
    )
    assert _district_options(client.get("/calendar/").content.decode(), "cal-district") == OFFICIAL
    directory = client.get("/schools/").content.decode()
    positions = [directory.index(name) for name in OFFICIAL]
    assert positions == sorted(positions)
    # The edition's 按区县查看 groups: 巩义市 after 金水区 and 二七区, as in the official list.
    week = client.get(world["week"].url).content.decode()
    groups = re.findall(r"<h3>([^（<]+)（\d+ 场）</h3>", week)
    assert groups == ["二七区", "金水区", "巩义市"]


@pytest.mark.parametrize(
    "line",
    [
        "",
        "VERSION:2.0",
        "SUMMARY:" + "太" * 16,  # 56 octets: short
        "X" * 74,  # one octet under the limit
        "X" * 75,  # exactly the limit: folded
        "DESCRIPTION:" + "社区学校开学了，欢迎老年朋友报名参加太极拳和书法课程" * 4,
        "DESCRIPTION:" + "a\\\\,b\\\\;" * 20,  # escapes at the fold
        "LOCATION:金水区" + "x" * 58 + "^n^n^n",  # RFC 6868 escapes near 75 octets
    ],
)
def test_a_line_is_folded_exactly_as_icalendar_folds_it(line):
    from events.ical import ICALENDAR_FOLDLINE, foldline

    assert foldline(line) == ICALENDAR_FOLDLINE(line)
    assert all(len(part.encode()) < 76 for part in foldline(line).split("\r\n "))


def test_the_calendar_file_uses_the_shortcut_and_still_parses(client, world):
    from icalendar.parser import content_line

    from events.ical import foldline

    assert content_line._foldline is foldline
    calendar = icalendar.Calendar.from_ical(client.get("/calendar/ics/").content)
    assert calendar.walk("VEVENT")


# --- each page's events kept as text (events.ical.calendar_file) -------------------------------


def test_a_calendar_file_made_of_kept_events_is_icalendars_own_file(client, world, settings):
    """Byte for byte what icalendar writes for the whole calendar, however the pages' events
    interleave, whether each page's text was just made or kept from an earlier file."""
    from django.test import RequestFactory

    from events.ical import build_calendar, calendar_file
    from home.models import Occurrence

    settings.FRAGMENT_CACHE_ENABLED = True
    add_occurrence(world["at_school"], local(2026, 5, 16, 9))  # between other pages' events
    occurrences = Occurrence.objects.filter(start__gte=NOW).order_by("start", "pk")
    pages = {page.pk: page for page in world.values() if hasattr(page, "occurrences")}
    items = [(pages[occurrence.page_id].specific, occurrence) for occurrence in occurrences]
    assert [page.title for page, _occurrence in items].count("锦绣太极") == 2
    request = RequestFactory().get("/calendar/ics/")

    expected = build_calendar(request, items, "活动日历 · 郑州终身学习网").to_ical()
    made = calendar_file(request, items, "活动日历 · 郑州终身学习网")
    kept_file = calendar_file(request, items, "活动日历 · 郑州终身学习网")

    assert made == expected and kept_file == expected
    assert len(icalendar.Calendar.from_ical(kept_file).walk("VEVENT")) == len(items)


def test_a_kept_pages_events_leave_the_calendar_file_when_the_page_changes(client, world, settings):
    from tests.conftest import publish

    settings.FRAGMENT_CACHE_ENABLED = True
    first = client.get("/calendar/ics/").content
    assert client.get("/calendar/ics/").content == first

    world["at_point"].title = "和平书法（改到下午）"
    publish(world["at_point"])
    world["in_erqi"].unpublish()
    summaries = _summaries(_calendar(client, "/calendar/ics/"))

    assert "和平书法（改到下午）" in summaries and "和平书法" not in summaries
    assert "二七剪纸" not in summaries
    assert "锦绣太极" in summaries  # an unchanged page's events, from its kept text


@pytest.mark.reference_index  # a venue's change reaches the events naming it through it
def test_an_editions_events_are_kept_until_an_event_or_its_venue_changes(client, world, settings):
    from tests.conftest import publish

    settings.FRAGMENT_CACHE_ENABLED = True
    url = world["week"].url
    first = client.get(url).content.decode()
    assert client.get(url).content.decode() == first
    assert "锦绣社区学校" in first and "活动周二七专场" in first

    world["school"].title = "锦绣花园社区学校"
    publish(world["school"])
    world["week_erqi"].title = "活动周二七专场（改在室内）"
    publish(world["week_erqi"])
    html = client.get(url).content.decode()

    assert "锦绣花园社区学校" in html and "锦绣社区学校（" not in html
    assert "活动周二七专场（改在室内）" in html
    events = _summaries(_calendar(client, world["week"].url + "ics/"))
    assert "活动周二七专场（改在室内）" in events


@pytest.mark.reference_index  # a venue's change reaches the events naming it through it
def test_the_calendars_kept_pages_show_a_renamed_event_and_venue_at_once(client, world, settings):
    from tests.conftest import publish

    settings.FRAGMENT_CACHE_ENABLED = True
    first = client.get("/calendar/").content.decode()
    assert client.get("/calendar/").content.decode() == first
    assert "和平学习点" in first and "和平书法" in first

    world["point"].title = "和平路学习点"
    publish(world["point"])
    world["at_school"].title = "锦绣太极（室内）"
    publish(world["at_school"])
    html = client.get("/calendar/").content.decode()

    assert "和平路学习点" in html and "和平学习点" not in html
    assert "锦绣太极（室内）" in html
