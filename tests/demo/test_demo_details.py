"""Finished details of the demo: one tag for tai chi, handouts that are real documents about
their subject, notices dated sensibly and addressed to residents, sign-up only where it fits."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from pypdf import PdfReader
from taggit.models import Tag

from demo.loaders.news import SPRING_FESTIVALS, spring_festival_notice_date
from events.models import EventPage, LecturePage
from learning_resources.models import CoursePage, ResourcePage
from news.models import NewsPage

# Words each handout must contain: its subject, in its own text.
HANDOUT_WORDS = {
    "防范电信网络诈骗宣传手册": ["96110", "验证码"],
    "家庭垃圾分类对照表": ["厨余垃圾", "有害垃圾"],
    "老年人如何科学锻炼": ["热身", "太极拳"],
    "黄河文明与郑州的城市记忆": ["商城遗址"],
}
STAFF_WORDING = ("各社区学院", "请各", "后台", "汇总辖区")


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Lines wrap anywhere between Han characters: read the text as one run.
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def test_demo_details(client, demo):
    # One tag for tai chi: 太极拳, never a separate 太极 beside it.
    names = set(Tag.objects.values_list("name", flat=True))
    assert "太极拳" in names and "太极" not in names

    # Handouts are documents about their subject, not a blank page.
    resources = {page.title: page for page in ResourcePage.objects.filter(kind="document")}
    lectures = {page.title: page for page in LecturePage.objects.all()}
    for title, words in HANDOUT_WORDS.items():
        if title in resources:
            documents = [row.document for row in resources[title].documents.all()]
        else:
            documents = [row.document for row in lectures[title].handouts.all()]
        pdfs = [document for document in documents if document.file_extension == "pdf"]
        assert pdfs, f"{title}: no printable handout"
        text = _pdf_text(pdfs[0])
        assert title in text, f"{title}: the handout does not name its subject"
        for word in words:
            assert word in text, f"{title}: handout lacks {word!r}"
    # Each handout is its own: no two resources share one printable document.
    printable = [
        row.document_id
        for page in resources.values()
        for row in page.documents.all()
        if row.document.file_extension == "pdf"
    ]
    assert len(printable) == len(set(printable)) == len(resources)

    # The 春节 notice is dated shortly before a Spring Festival, never in the future.
    notices = NewsPage.objects.filter(kind="notice")
    spring = notices.get(title__contains="春节")
    assert any(
        datetime.timedelta(0) <= festival - spring.date <= datetime.timedelta(days=30)
        for festival in SPRING_FESTIVALS
    ), spring.date
    assert spring.date <= datetime.date.today()

    # The home page's notices speak to residents, not to staff.
    home = client.get("/").content.decode()
    shown = [notice for notice in notices if notice.title in home]
    assert shown
    for notice in shown:
        text = notice.title + notice.summary + str(notice.body)
        assert not any(words in text for words in STAFF_WORDING), notice.title

    # Courses: one seat figure (the sign-up's capacity is the course's 招收人数).
    for course in CoursePage.objects.live().specific():
        session = course.enrolment_session
        if session is not None and course.seats:
            assert session.capacity == course.seats, course.title
            # Signing up for a course is signing up at its start, for all of it.
            assert session == course.held_sessions[0], course.title

    # What a page says about its days matches its sessions: a weekend activity on weekends, a
    # course that names its weekday meets on that day.
    weekend = EventPage.objects.filter(title__startswith="周末").prefetch_related("occurrences")
    assert weekend
    for event in weekend:
        days = {timezone.localtime(row.start).weekday() for row in event.occurrences.all()}
        assert days <= {5, 6}, (event.title, days)
    weekdays = dict(zip("一二三四五六日", range(7), strict=True))
    for course in CoursePage.objects.live().prefetch_related("occurrences"):
        for name, number in weekdays.items():
            if f"每周{name}" in course.summary:
                days = {timezone.localtime(row.start).weekday() for row in course.occurrences.all()}
                assert days == {number}, (course.title, days)


def test_spring_festival_notice_date_follows_the_latest_festival():
    assert spring_festival_notice_date(datetime.date(2026, 12, 1)) == datetime.date(2026, 2, 7)
    assert spring_festival_notice_date(datetime.date(2027, 1, 27)) == datetime.date(2027, 1, 27)
    assert spring_festival_notice_date(datetime.date(2027, 1, 26)) == datetime.date(2026, 2, 7)
