"""The large-print weekly schedule (/schedule/<id>/ and its PDF) against the demo content: what a
resident reads on a notice board, the week chooser, refusals, the PDF read back with pypdf and
its QR code decoded with zxing-cpp from a pypdfium2 rendering."""

from __future__ import annotations

import datetime
import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html
from pypdf import PdfReader

from events.models import EventPage
from events.schedules import monday_of
from home.models import Occurrence
from learning_resources.models import CoursePage
from schools.models import CommunityCollegePage, CommunitySchoolPage, CommunityUniversityPage
from tests.browser_fixtures import ARTIFACTS
from tests.conftest import publish
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
)
from tests.factories.learning_resources import CourseIndexPageFactory, CoursePageFactory
from tests.factories.schools import school_branch

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


def _school_with_weekly_event():
    """A demo learning point hosting a weekly activity (one session every week)."""
    event = EventPage.objects.live().filter(slug="weekly").order_by("path").first()
    return CommunitySchoolPage.objects.get(pk=event.venue_id), event


def _session_in_week(page, monday):
    start, end = monday, monday + datetime.timedelta(days=7)
    return next(
        occurrence
        for occurrence in page.occurrences.all()
        if start <= timezone.localdate(occurrence.start) < end
    )


def _text(response) -> str:
    tree = lxml_html.fromstring(response.content.decode())
    return re.sub(r"\s+", " ", tree.xpath("string(//main)"))


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Lines wrap anywhere between Han characters: read the text as one run.
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def test_a_school_schedule_lists_this_weeks_sessions_by_day(client, demo):
    school, event = _school_with_weekly_event()
    today = timezone.localdate()
    session = _session_in_week(event, monday_of(today))
    response = client.get(f"/schedule/{school.pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert school.title in text and "一周课程和活动安排" in text
    assert f"地址：{school.address}" in text and f"电话：{school.phone}" in text
    monday = monday_of(today)
    assert f"本周：{monday.year}年{monday.month}月{monday.day}日（星期一）至" in text
    day = timezone.localdate(session.start)
    weekday = "一二三四五六日"[day.weekday()]
    local = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    # The day's heading, then the time, the title and what kind of thing it is.
    tree = lxml_html.fromstring(response.content.decode())
    [section] = tree.xpath(
        f"//section[h2[normalize-space()='{day.month}月{day.day}日 星期{weekday}']]"
    )
    row = re.sub(r"\s+", " ", section.text_content())
    assert f"{local:%H:%M}～{end:%H:%M}" in row and event.title in row and "活动" in row
    # The QR code and its line, the PDF link; the site's print date for the sheet.
    assert tree.xpath("//figure[contains(@class,'schedule__qr')]/svg[@aria-label]")
    assert "扫码查看最新安排" in text and "打印日期：" in text
    [pdf_link] = tree.xpath("//a[normalize-space()='下载 PDF']/@href")
    assert pdf_link == f"/schedule/{school.pk}/pdf/?week={monday.isoformat()}"
    assert 'name="robots" content="noindex' in response.content.decode()
    # Nothing inline for the CSP to refuse.
    assert not tree.xpath("//*[@style]")
    assert not [s for s in tree.xpath("//script[not(@src)]") if "zz-elder-mode" not in s.text]


def test_a_district_schedule_holds_its_schools_sessions_naming_where(client, demo):
    school, event = _school_with_weekly_event()
    district = CommunityCollegePage.objects.ancestor_of(school).get()
    response = client.get(f"/schedule/{district.pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert district.title in text and f"（{district.district_name}全区）" in text
    # Held at one of the district's schools: the row says which.
    assert event.title in text and f"地点：{school.title}" in text
    # Every weekly activity of the district this week is on its sheet.
    weekly = EventPage.objects.live().descendant_of(district).filter(slug="weekly")
    assert weekly.exists()
    for page in weekly:
        assert page.title in text


def test_a_cancelled_session_stays_on_the_sheet_marked_cancelled(client, demo):
    cancelled = Occurrence.objects.filter(cancelled=True, page__coursepage__isnull=False).first()
    course = CoursePage.objects.get(pk=cancelled.page_id)
    place = course.venue_page
    week = timezone.localdate(cancelled.start).isoformat()
    response = client.get(f"/schedule/{place.pk}/?week={week}")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content.decode())
    [row] = tree.xpath("//li[contains(@class,'schedule-item--cancelled')]")
    assert "已取消" in row.text_content() and course.title in row.text_content()
    assert cancelled.note in row.text_content()
    pdf = client.get(f"/schedule/{place.pk}/pdf/?week={week}")
    assert f"【已取消】{course.title}" in _pdf_text(pdf.content)
    assert _rendered_pdf_qr(pdf.content, "schedule-cancelled-pdf")


def test_the_week_chooser_moves_week_by_week(client, demo):
    school, event = _school_with_weekly_event()
    this_monday = monday_of(timezone.localdate())
    next_monday = this_monday + datetime.timedelta(days=7)
    page = lxml_html.fromstring(client.get(f"/schedule/{school.pk}/").content.decode())
    links = {a.text_content().strip(): a.get("href") for a in page.xpath("//nav//a[@rel]")}
    week_before = this_monday - datetime.timedelta(days=7)
    assert list(links) == [f"{week_before.month}月{week_before.day}日那周", "本周", "下周"]
    assert links["本周"] == f"/schedule/{school.pk}/"
    assert links["下周"] == f"/schedule/{school.pk}/?week={next_monday.isoformat()}"
    assert page.xpath("//a[@aria-current='page']")[0].text_content() == "本周"

    # Next week, asked by any day of it: its own dates and its own session of the activity.
    thursday = next_monday + datetime.timedelta(days=3)
    response = client.get(f"/schedule/{school.pk}/?week={thursday.isoformat()}")
    assert response.status_code == 200
    text = _text(response)
    sunday = next_monday + datetime.timedelta(days=6)
    assert f"下周：{next_monday.year}年{next_monday.month}月{next_monday.day}日（星期一）至" in text
    assert f"{sunday.month}月{sunday.day}日（星期日）" in text
    session = _session_in_week(event, next_monday)
    assert f"{timezone.localtime(session.start):%H:%M}" in text
    page = lxml_html.fromstring(response.content.decode())
    links = {a.text_content().strip(): a.get("href") for a in page.xpath("//nav//a[@rel]")}
    after = next_monday + datetime.timedelta(days=7)
    assert list(links) == ["本周", "下周", f"{after.month}月{after.day}日那周"]
    assert links[f"{after.month}月{after.day}日那周"].endswith(f"?week={after.isoformat()}")
    assert page.xpath("//a[@aria-current='page']")[0].text_content() == "下周"
    # And back two weeks: the week before this one.
    before = this_monday - datetime.timedelta(days=7)
    text = _text(client.get(f"/schedule/{school.pk}/?week={before.isoformat()}"))
    assert f"上周：{before.year}年{before.month}月{before.day}日（星期一）" in text


def test_an_empty_week_says_so_and_points_to_the_next_busy_one(client, demo):
    school, event = _school_with_weekly_event()
    first = event.occurrences.order_by("start").first()
    long_before = "2001-06-06"
    response = client.get(f"/schedule/{school.pk}/?week={long_before}")
    assert response.status_code == 200
    text = _text(response)
    assert "这一周这里没有安排课程或活动。" in text
    busy_monday = monday_of(
        min(
            timezone.localdate(o.start)
            for o in Occurrence.objects.filter(cancelled=False)
            if o.page_id == first.page_id
        )
    )
    tree = lxml_html.fromstring(response.content.decode())
    [link] = tree.xpath("//a[contains(normalize-space(), '开始的那一周')]/@href")
    # The next week with something here: this activity's first week, or something sooner.
    linked = datetime.date.fromisoformat(link.split("week=")[1])
    assert linked <= busy_monday
    followed = _text(client.get(link))
    assert "没有安排课程或活动" not in followed
    # Far ahead, nothing follows: the sheet says so and points nowhere.
    text = _text(client.get(f"/schedule/{school.pk}/?week=2099-06-01"))
    assert "这一周这里没有安排课程或活动。" in text and "开始的那一周" not in text
    pdf = client.get(f"/schedule/{school.pk}/pdf/?week=2099-06-01")
    assert "这一周这里没有安排课程或活动" in _pdf_text(pdf.content)


@pytest.mark.parametrize(
    "week",
    [
        "garbage",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "9999-12-27",
        "2026-02-30",
        "2026-13-01",
        "２０２６-１２-０７",
        "2026-12-07x",
        "2026-12-07\x00",
        "99999999999999999999",
        "-1",
        "2026-1-7",
        "x" * 5000,
    ],
)
def test_a_bad_week_is_a_chinese_400_never_a_500(client, demo, week):
    school, _ = _school_with_weekly_event()
    for suffix in ("", "pdf/"):
        response = client.get(f"/schedule/{school.pk}/{suffix}", {"week": week})
        assert response.status_code == 400, (week, suffix)
        assert response["Content-Type"].startswith("text/html")
        text = _text(response)
        assert any(
            phrase in text
            for phrase in ("日期格式不正确", "没有这一天", "只能查看 2000 年至 2099 年")
        ), text
        assert "查看本周课程表" in text


@pytest.mark.parametrize("kind", ["garbage", "missing", "directory", "event", "huge"])
def test_a_place_that_has_no_sheet_is_a_chinese_404(client, demo, kind):
    ids = {
        "garbage": "abc",
        "missing": "999999",
        "directory": str(CommunityUniversityPage.objects.get().pk),
        "event": str(EventPage.objects.live().first().pk),
        "huge": "9" * 40,
    }
    for suffix in ("", "pdf/"):
        response = client.get(f"/schedule/{ids[kind]}/{suffix}")
        assert response.status_code == 404
        assert "没有找到这个社区学校或学习点" in _text(response)


def test_every_school_and_district_page_links_to_its_sheet(client, demo):
    school, event = _school_with_weekly_event()
    centre = school.get_parent().specific
    district = CommunityCollegePage.objects.ancestor_of(school).get()
    for place in (school, centre, district):
        tree = lxml_html.fromstring(client.get(place.url).content.decode())
        [link] = tree.xpath("//a[normalize-space()='打印本周课程表（大字版）']/@href")
        assert link == f"/schedule/{place.pk}/"
        assert client.get(link).status_code == 200
    directory = CommunityUniversityPage.objects.get()
    assert "打印本周课程表" not in client.get(directory.url).content.decode()


def _rendered_pdf_qr(content: bytes, artifact: str, scale: float = 3) -> list[str]:
    """The QR codes read from the first page as a printer renders it (kept for a look)."""
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=scale).to_pil()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / f"{artifact}.png")
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_pdf_is_an_a4_sheet_in_large_print_whose_qr_opens_the_place(client, demo):
    school, event = _school_with_weekly_event()
    response = client.get(f"/schedule/{school.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    text = _pdf_text(response.content)
    assert school.title in text and school.address in text and school.phone in text
    assert event.title in text and "扫码查看最新安排" in text
    assert f"打印日期：{timezone.localdate():%Y}年" in text
    session = _session_in_week(event, monday_of(timezone.localdate()))
    assert f"{timezone.localtime(session.start):%H:%M}" in text

    # Every piece of text is set at 18 pt or more (the size times the text matrix's scale).
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * (tm[3] or 1) * (cm[3] or 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 18, sorted(set(sizes))

    # The QR code, rendered as a printer would, opens the place's page on the public host.
    expected = settings.PUBLIC_BASE_URL.rstrip("/") + school.url
    assert _rendered_pdf_qr(response.content, "schedule-school-pdf") == [expected]


def test_the_district_pdf_lists_its_schools_sessions(client, demo):
    school, event = _school_with_weekly_event()
    district = CommunityCollegePage.objects.ancestor_of(school).get()
    response = client.get(f"/schedule/{district.pk}/pdf/")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert district.title in text and district.address in text
    assert event.title in text and f"地点：{school.title}" in text
    expected = settings.PUBLIC_BASE_URL.rstrip("/") + district.url
    assert _rendered_pdf_qr(response.content, "schedule-district-pdf") == [expected]


# --- Query budget ---------------------------------------------------------------------------


def _grow(branch, containers, numbers, monday):
    """More sessions this week of each kind, at the school or under the catalogue."""
    school = branch.school
    for n in numbers:
        day = monday + datetime.timedelta(days=n % 7)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + n % 8)))
        for factory, parent in (
            (EventPageFactory, containers["calendar"]),
            (LecturePageFactory, containers["forum"]),
            (CoursePageFactory, containers["courses"]),
            (EventPageFactory, school),  # posted under the school, no venue chosen
            (CoursePageFactory, school),
        ):
            venue = school if parent is not school else None
            page = factory(parent=parent, venue=venue, title=f"第{n}项{factory.__name__}")
            add_occurrence(page, start, note="二楼活动室" if n % 2 else "")
            add_occurrence(page, start + datetime.timedelta(hours=1), cancelled=True)


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_sheet_costs_the_same_queries_with_5_or_50_sessions(client, home_page):
    containers = {
        "calendar": EventIndexPageFactory(parent=home_page),
        "forum": ForumIndexPageFactory(parent=home_page),
        "courses": CourseIndexPageFactory(parent=home_page),
    }
    branch = school_branch(home_page, slug="jinshui", school={"address": "文化路 1 号"})
    monday = monday_of(timezone.localdate())
    urls = [
        f"/schedule/{branch.school.pk}/",
        f"/schedule/{branch.college.pk}/",
        f"/schedule/{branch.centre.pk}/",
        f"/schedule/{branch.school.pk}/pdf/",
    ]
    _grow(branch, containers, range(1), monday)
    small = {url: _count(client, url) for url in urls}
    _grow(branch, containers, range(1, 11), monday)
    large = {url: _count(client, url) for url in urls}
    text = _text(client.get(urls[1]))
    # Five pages with two sessions each (one cancelled), all on the district's sheet.
    assert text.count("第10项") == 10 and text.count("已取消") == 5 * 11
    print(small, large)  # noqa: T201 - the counts, shown with -s or a failure
    assert small == large, (small, large)
    assert max(large.values()) <= 15, large


@pytest.mark.reference_index  # the page cache finds what shows a page through it
def test_a_published_change_reaches_the_cached_sheet(client, home_page, settings):
    settings.PAGE_CACHE_ENABLED = True
    branch = school_branch(home_page, slug="jinshui", school={})
    event = EventPageFactory(parent=branch.school, title="社区合唱")
    add_occurrence(event, timezone.localtime() + datetime.timedelta(minutes=5))
    # The session is in this week unless the test runs in the last minutes of a Sunday.
    week = timezone.localdate(event.occurrences.get().start).isoformat()
    url = f"/schedule/{branch.school.pk}/?week={week}"
    # The first request ever creates the site settings row: a change, which the cache obeys.
    client.get("/")
    cache.clear()
    assert "社区合唱" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    event.title = "社区合唱团排练"
    publish(event)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "社区合唱团排练" in response.content.decode()
