"""How to attend: every event, lecture and course page says one way in (需报名 with a 报名
button, 免费入场，无需报名, or 已结束), never two that disagree; a course signs up once, near
the top, for all its sessions, and shows one seat figure."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine

from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
    local,
)
from tests.factories.learning_resources import CourseIndexPageFactory, CoursePageFactory
from tests.factories.signups import enable_signup

NOW = local(2026, 12, 1, 10)
SOON = local(2026, 12, 10, 9)
SIGNUP_LINK = re.compile(r'href="/signup/(\d+)/"')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def calendar(home_page):
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def courses(home_page):
    return CourseIndexPageFactory(parent=home_page)


def _html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def _attend_box(html: str) -> str:
    match = re.search(r'<section class="attend[^"]*".*?</section>', html, re.S)
    assert match, "the page has no 怎样参加 box"
    return match.group(0)


def _weekly(page, first, weeks, **fields):
    return [
        add_occurrence(page, first + datetime.timedelta(weeks=week), **fields)
        for week in range(weeks)
    ]


# --- Events --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_with_sign_up_says_so_once_and_never_no_sign_up(client, calendar):
    event = EventPageFactory(
        parent=calendar, title="社区合唱体验课", how_to_join="免费参加，无需报名，请提前到场。"
    )
    occurrence = enable_signup(add_occurrence(event, SOON), capacity=25)
    html = _html(client, event)
    box = _attend_box(html)
    assert "需报名" in box and "名额 25 人" in box
    assert SIGNUP_LINK.findall(html) == [str(occurrence.pk)]
    assert SIGNUP_LINK.search(box)
    # The editor's 无需报名 would contradict the sign-up: it is not shown.
    assert "无需报名" not in html


@pytest.mark.django_db
def test_event_without_sign_up_says_free_entry_and_has_no_button(client, calendar):
    event = EventPageFactory(parent=calendar, title="广场舞展演")
    add_occurrence(event, SOON)
    html = _html(client, event)
    assert "免费入场，无需报名" in _attend_box(html)
    assert not SIGNUP_LINK.search(html) and ">报名<" not in html


@pytest.mark.django_db
def test_event_with_a_cost_names_it_instead_of_free(client, calendar):
    event = EventPageFactory(parent=calendar, title="陶艺体验", cost="材料费 20 元")
    add_occurrence(event, SOON)
    box = _attend_box(_html(client, event))
    assert "无需报名 · 费用：材料费 20 元" in box and "免费入场" not in box


@pytest.mark.django_db
def test_past_event_says_finished_and_offers_no_button(client, calendar):
    event = EventPageFactory(parent=calendar, title="上个月的讲座")
    enable_signup(add_occurrence(event, NOW - datetime.timedelta(days=20)), capacity=30)
    html = _html(client, event)
    assert "已结束" in _attend_box(html)
    assert not SIGNUP_LINK.search(html) and "需报名" not in html


@pytest.mark.django_db
def test_event_with_several_sign_up_times_sends_you_to_choose_one(client, calendar):
    event = EventPageFactory(parent=calendar, title="亲子阅读会")
    first = enable_signup(add_occurrence(event, SOON), capacity=10)
    second = enable_signup(add_occurrence(event, SOON + datetime.timedelta(days=7)), capacity=10)
    past = enable_signup(add_occurrence(event, NOW - datetime.timedelta(days=7)), capacity=10)
    html = _html(client, event)
    assert "每场单独报名" in _attend_box(html)
    links = SIGNUP_LINK.findall(html)
    assert sorted(links) == sorted([str(first.pk), str(second.pk)])
    assert str(past.pk) not in links


# --- Lectures ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upcoming_lecture_says_just_come(client, home_page):
    forum = ForumIndexPageFactory(parent=home_page)
    lecture = LecturePageFactory(parent=forum, title="黄河文化讲座")
    add_occurrence(lecture, SOON)
    box = _attend_box(_html(client, lecture))
    assert "怎样参加" in box and "免费入场，无需报名" in box


@pytest.mark.django_db
def test_lecture_with_sign_up_says_sign_up(client, home_page):
    forum = ForumIndexPageFactory(parent=home_page)
    lecture = LecturePageFactory(parent=forum, title="家庭理财讲座")
    occurrence = enable_signup(add_occurrence(lecture, SOON), capacity=80)
    html = _html(client, lecture)
    assert "需报名 · 名额 80 人" in _attend_box(html)
    assert SIGNUP_LINK.findall(html) == [str(occurrence.pk)]


@pytest.mark.django_db
def test_past_lecture_says_finished(client, home_page):
    forum = ForumIndexPageFactory(parent=home_page)
    lecture = LecturePageFactory(parent=forum, title="往期讲座")
    add_occurrence(lecture, NOW - datetime.timedelta(days=30))
    box = _attend_box(_html(client, lecture))
    assert "已结束" in box and "无需报名" not in box


# --- Courses -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_course_signs_up_once_near_the_top_for_all_sessions(client, courses):
    course = CoursePageFactory(parent=courses, title="太极拳初级班", seats=25)
    sessions = _weekly(course, SOON, 4)
    for session in sessions:
        enable_signup(session, capacity=25)  # an editor ticked every session
    html = _html(client, course)
    box = _attend_box(html)
    assert SIGNUP_LINK.findall(html) == [str(sessions[0].pk)]
    assert "全部 4 次课" in box and "不用每次课单独报名" in box
    # The button comes before the schedule, and none sits under a session.
    schedule = html.index('id="schedule-heading"')
    assert html.index(box) < schedule
    assert not SIGNUP_LINK.search(html[schedule:])
    assert "即将开课" in html


@pytest.mark.django_db
def test_course_shows_one_seat_figure(client, courses):
    course = CoursePageFactory(parent=courses, title="书法班", seats=40)
    enable_signup(_weekly(course, SOON, 3)[0], capacity=25)
    html = _html(client, course)
    assert "招收人数" not in html and "40 人" not in html
    assert "名额 25 人" in _attend_box(html)
    assert re.search(r"<dt>名额</dt><dd>25 人</dd>", html)


@pytest.mark.django_db
def test_course_without_sign_up_gives_its_class_size_not_places_to_book(client, courses):
    course = CoursePageFactory(parent=courses, title="剪纸班", seats=30)
    _weekly(course, SOON, 3)
    html = _html(client, course)
    # No 名额 beside 无需报名: a class one just attends has a size, not places to book.
    assert "<dt>名额</dt>" not in html and "名额 30" not in html
    assert re.search(r"<dt>班级人数</dt><dd>约 30 人，先到先得</dd>", html)
    assert "免费，无需报名，直接来上课" in _attend_box(html)
    assert "入场" not in _attend_box(html)
    assert "需报名" not in html.replace("无需报名", "")


@pytest.mark.django_db
def test_running_course_with_sign_up_for_later_sessions_says_so_coherently(client, courses):
    course = CoursePageFactory(parent=courses, title="八段锦班", seats=20)
    sessions = _weekly(course, NOW - datetime.timedelta(weeks=3) + datetime.timedelta(days=1), 8)
    enable_signup(sessions[3], capacity=20)
    html = _html(client, course)
    box = _attend_box(html)
    assert "已开课" in box and "第 4 次课" in box and "余下的 5 次课" in box
    assert SIGNUP_LINK.findall(html) == [str(sessions[3].pk)]
    assert "欢迎旁听" not in html and "进行中" in html


@pytest.mark.django_db
def test_course_not_yet_begun_with_sign_up_from_its_second_class_does_not_say_begun(
    client, courses
):
    """An editor added an earlier class without sign-up to a course that has not started."""
    course = CoursePageFactory(parent=courses, title="书法兴趣班", seats=20)
    sessions = _weekly(course, SOON, 4)
    enable_signup(sessions[1], capacity=20)
    box = _attend_box(_html(client, course))
    assert "已开课" not in box
    assert "报名后参加第 2 次课" in box and "起的 3 次课" in box


@pytest.mark.django_db
def test_finished_course_says_finished_without_a_button(client, courses):
    course = CoursePageFactory(parent=courses, title="上学期的班")
    enable_signup(_weekly(course, NOW - datetime.timedelta(weeks=6), 4)[0], capacity=20)
    html = _html(client, course)
    assert "已结束" in _attend_box(html) and not SIGNUP_LINK.search(html)


@pytest.mark.django_db
def test_course_cards_say_sign_up_only_when_one_signs_up(client, courses):
    with_signup = CoursePageFactory(parent=courses, title="要报名的课")
    enable_signup(_weekly(with_signup, SOON, 2)[0], capacity=20)
    walk_in = CoursePageFactory(parent=courses, title="直接来的课")
    _weekly(walk_in, SOON, 2)
    html = client.get(courses.url).content.decode()
    cards = {
        title: next(card for card in html.split('class="card"')[1:] if title in card)
        for title in ("要报名的课", "直接来的课")
    }
    assert "即将开课" in cards["要报名的课"] and "需报名" in cards["要报名的课"]
    assert "即将开课" in cards["直接来的课"] and "需报名" not in cards["直接来的课"]
    assert "报名中" not in html


def _course_form(seats, capacity):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    session = {
        "start": "2026-12-10 09:00",
        "end": "2026-12-10 10:30",
        "note": "",
        "cancelled": "",
        "signup_mode": "first_come",
        "capacity": str(capacity),
        "signup_opens": "",
        "signup_closes": "",
        "reserved_seats": "",
    }
    return nested_form_data(
        {
            "title": "剪纸兴趣班",
            "slug": "paper-cutting",
            "summary": "学剪福字窗花",
            "mode": "offline",
            "seats": str(seats),
            "fee": "免费",
            "body": streamfield([]),
            "teachers": inline_formset([]),
            "lessons": inline_formset([]),
            "occurrences": inline_formset([session]),
            "tags": "",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


@pytest.mark.django_db
def test_admin_refuses_seats_that_disagree_with_the_sign_up(admin_client, courses):
    from learning_resources.models import CoursePage

    add_url = f"/admin/pages/add/learning_resources/coursepage/{courses.pk}/"
    refused = admin_client.post(add_url, _course_form(seats=40, capacity=25))
    assert refused.status_code == 200
    assert "招收人数须与报名名额（25 人）一致" in refused.content.decode()
    assert not CoursePage.objects.filter(slug="paper-cutting").exists()
    accepted = admin_client.post(add_url, _course_form(seats=25, capacity=25))
    assert accepted.status_code == 302
    assert CoursePage.objects.get(slug="paper-cutting").seat_figure == 25
