"""Sign-up (报名): capacity, waiting list, cancellation, limits, the draw, organisers' views,
privacy, retention, abuse, and — on PostgreSQL — seat counting under concurrency."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission

from events.models import EventStatus
from home.models import Occurrence, SignupMode
from schools.models import SchoolRole
from schools.roles import assign_role, setup_roles
from signups.models import (
    BOOKING_CODE_ALPHABET,
    AgeGroup,
    Draw,
    Signup,
    SignupSettings,
    SignupStatus,
)
from signups.phones import mask_phone, normalize_phone
from signups.services import cancel, draw_order, sign_up, week_bounds
from tests.conftest import publish
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence, local
from tests.factories.learning_resources import CourseIndexPageFactory, CoursePageFactory
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)
from tests.factories.signups import add_signup, applicant, enable_signup, phone

# Runs again on PostgreSQL in CI: row locks (select_for_update), advisory locks, unique-constraint
# races and JSON fields; the concurrency tests need PostgreSQL.
pytestmark = pytest.mark.engine

NOW = local(2026, 12, 1, 10)
START = local(2026, 12, 10, 9)  # a Thursday
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tree(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(parent=university, district_name="金水区", slug="jinshui")
    erqi = CommunityCollegePageFactory(parent=university, district_name="二七区", slug="erqi")
    centre = CommunityCentrePageFactory(parent=jinshui, slug="jingbalu")
    point = CommunitySchoolPageFactory(
        parent=centre, title="育才学习点", slug="yucai", kind="point"
    )
    erqi_centre = CommunityCentrePageFactory(parent=erqi, slug="wulibao")
    erqi_school = CommunitySchoolPageFactory(parent=erqi_centre, title="二七学校", slug="erqi-s")
    EventIndexPageFactory(parent=home_page)
    setup_roles()
    event = EventPageFactory(parent=point, title="太极拳入门", slug="taiji")
    erqi_event = EventPageFactory(parent=erqi_school, title="二七区读书会", slug="dushu")
    return {
        "home": home_page,
        "jinshui": jinshui,
        "erqi": erqi,
        "point": point,
        "event": event,
        "erqi_event": erqi_event,
    }


@pytest.fixture
def occurrence(tree):
    return enable_signup(add_occurrence(tree["event"], START, minutes=120), capacity=2)


def _user(username, *, role=None, scope=None, group=None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if role:
        assign_role(user, role, scope)
    if group:
        user.groups.add(group)
    return user


@pytest.fixture
def editor(tree):
    group = Group.objects.create(name="全站编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=tree["home"], permission=Permission.objects.get(codename=codename)
        )
    return _user("editor", group=group)


@pytest.fixture
def jinshui_worker(tree):
    return _user("jinshui_worker", role=SchoolRole.WORKER, scope=tree["point"])


@pytest.fixture
def erqi_worker(tree):
    return _user("erqi_worker", role=SchoolRole.WORKER, scope=tree["erqi"])


def _form(number=1, **changes):
    data = {
        "name": f"居民{number}",
        "phone": phone(number),
        "age_group": AgeGroup.ADULT,
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _post(client, occurrence, number=1, **changes):
    return client.post(f"/signup/{occurrence.pk}/", _form(number, **changes))


def _token_of(response) -> str:
    assert response.status_code == 303, response.content.decode()[:2000]
    match = re.match(r"^/signup/status/([A-Za-z0-9_-]+)/\?new=1$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _statuses(occurrence):
    return list(
        Signup.objects.filter(occurrence=occurrence).order_by("pk").values_list("phone", "status")
    )


def _denied(response) -> bool:
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard, with a message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def _snapshot():
    return list(Signup.objects.order_by("pk").values_list("pk", "status", "rank", "phone"))


# --- Phone numbers ---------------------------------------------------------------------------------


def test_phone_numbers_are_normalised_and_masked_in_one_place():
    assert normalize_phone("+86 138-1234-5678") == "13812345678"
    assert normalize_phone("0086 13812345678") == "13812345678"
    assert normalize_phone("8613812345678") == "13812345678"
    assert normalize_phone("12812345678") is None  # no mobile prefix 12
    assert normalize_phone("1381234567") is None
    assert normalize_phone("１３８１２３４５６７８") == "13812345678"  # full-width input method
    assert normalize_phone("138１２３４５６7٨") is None  # other scripts' digits are not digits here
    assert mask_phone("13812345678") == "138****5678"


# --- Capacity, waiting list, cancellation -----------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_capacity_fills_then_waiting_list_in_order_and_status_page_shows_place(client, occurrence):
    tokens = [_token_of(_post(client, occurrence, number)) for number in range(1, 5)]
    assert _statuses(occurrence) == [
        (phone(1), SignupStatus.CONFIRMED),
        (phone(2), SignupStatus.CONFIRMED),
        (phone(3), SignupStatus.WAITING),
        (phone(4), SignupStatus.WAITING),
    ]
    first = client.get(f"/signup/status/{tokens[0]}/?new=1").content.decode()
    assert "报名成功" in first and "138****0001" in first
    fourth = client.get(f"/signup/status/{tokens[3]}/").content.decode()
    assert "候补第 2 位" in fourth
    page = client.get(f"/signup/{occurrence.pk}/").content.decode()
    assert "已报满" in page and "加入候补" in page


CONFIRM_CANCEL = {"action": "cancel", "confirm": "yes"}


@pytest.mark.usefixtures("frozen")
def test_cancelling_with_the_private_link_promotes_the_first_waiting_person(client, occurrence):
    tokens = [_token_of(_post(client, occurrence, number)) for number in range(1, 5)]
    response = client.post(f"/signup/status/{tokens[1]}/", CONFIRM_CANCEL)
    assert response.status_code == 200
    assert "已取消报名。名额已让给候补的人" in response.content.decode()
    assert _statuses(occurrence) == [
        (phone(1), SignupStatus.CONFIRMED),
        (phone(2), SignupStatus.CANCELLED),
        (phone(3), SignupStatus.CONFIRMED),
        (phone(4), SignupStatus.WAITING),
    ]
    third = client.get(f"/signup/status/{tokens[2]}/").content.decode()
    assert "报名成功" in third
    assert "候补第 1 位" in client.get(f"/signup/status/{tokens[3]}/").content.decode()
    # Cancelling twice changes nothing more.
    again = client.post(f"/signup/status/{tokens[1]}/", CONFIRM_CANCEL)
    assert "之前已经取消" in again.content.decode()
    assert Signup.objects.filter(status=SignupStatus.CONFIRMED).count() == 2
    # A waiting person who cancels frees no seat and promotes nobody, and is not told so.
    waiting = client.post(f"/signup/status/{tokens[3]}/", CONFIRM_CANCEL).content.decode()
    assert "已取消报名，感谢您告诉我们。" in waiting
    assert "名额已让给候补" not in waiting
    assert Signup.objects.filter(status=SignupStatus.CONFIRMED).count() == 2


@pytest.mark.usefixtures("frozen")
def test_cancelling_asks_for_confirmation_first(client, occurrence):
    token = _token_of(_post(client, occurrence, 1))
    status_page = client.get(f"/signup/status/{token}/").content.decode()
    assert f'href="/signup/status/{token}/?cancel=1#cancel"' in status_page
    assert "确定要取消报名吗" not in status_page
    # The 取消报名 link (a GET) only asks.
    asking = client.get(f"/signup/status/{token}/?cancel=1")
    assert asking.status_code == 200
    html = asking.content.decode()
    assert "确定要取消报名吗？" in html and "确认取消" in html and "不取消，返回" in html
    assert 'name="confirm" value="yes"' in html
    # A post without the confirmation asks again and changes nothing.
    first_post = client.post(f"/signup/status/{token}/", {"action": "cancel"})
    assert first_post.status_code == 200
    assert "确定要取消报名吗？" in first_post.content.decode()
    assert Signup.objects.get().status == SignupStatus.CONFIRMED
    # Confirmed: cancelled; nobody was waiting, so nobody is said to have moved up.
    done = client.post(f"/signup/status/{token}/", CONFIRM_CANCEL).content.decode()
    assert Signup.objects.get().status == SignupStatus.CANCELLED
    assert "已取消报名" in done and "名额已让给候补" not in done
    assert "确定要取消报名吗" not in done


@pytest.mark.usefixtures("frozen")
def test_raising_capacity_in_the_editor_promotes_waiting_people(
    django_capture_on_commit_callbacks, occurrence
):
    for number in range(1, 5):
        add_signup(occurrence, number)
    with django_capture_on_commit_callbacks(execute=True):
        occurrence.capacity = 3
        occurrence.save()
    assert Signup.objects.filter(status=SignupStatus.CONFIRMED).count() == 3
    assert Signup.objects.get(phone=phone(3)).status == SignupStatus.CONFIRMED


@pytest.mark.usefixtures("frozen")
def test_one_seat_per_number_per_occurrence(client, occurrence):
    _token_of(_post(client, occurrence, 1))
    response = _post(client, occurrence, 1, phone="+86 138-0000-0001", name="另一个名字")
    assert response.status_code == 409
    assert "这个手机号已经报过这一场了" in response.content.decode()
    assert Signup.objects.count() == 1
    # After cancelling, the same number may sign up again.
    cancel(Signup.objects.get().pk)
    _token_of(_post(client, occurrence, 1))
    assert Signup.objects.filter(status=SignupStatus.CONFIRMED).count() == 1


@pytest.mark.usefixtures("frozen")
def test_weekly_limit_per_number_is_set_by_editors(client, tree):
    settings = SignupSettings.load()
    settings.weekly_limit = 2
    settings.save()
    monday = local(2026, 12, 7, 9)
    same_week = [
        enable_signup(add_occurrence(tree["event"], monday + datetime.timedelta(days=day)))
        for day in (0, 2, 6)  # Monday, Wednesday, Sunday
    ]
    next_week = enable_signup(add_occurrence(tree["event"], local(2026, 12, 14, 9)))
    _token_of(_post(client, same_week[0], 1))
    _token_of(_post(client, same_week[1], 1))
    refused = _post(client, same_week[2], 1)
    assert refused.status_code == 409
    assert "达到每周 2 场的上限" in refused.content.decode()
    _token_of(_post(client, next_week, 1))
    _token_of(_post(client, same_week[2], 2))  # another number is not affected
    assert Signup.objects.filter(phone=phone(1)).count() == 3
    settings.weekly_limit = 0  # 0: no limit
    settings.save()
    _token_of(_post(client, same_week[2], 1))


def test_sign_up_opens_and_closes_on_time(client, occurrence):
    enable_signup(
        occurrence,
        capacity=2,
        signup_opens=local(2026, 12, 2, 9),
        signup_closes=local(2026, 12, 9, 18),
    )
    with time_machine.travel(local(2026, 12, 2, 8, 59), tick=False):
        page = client.get(f"/signup/{occurrence.pk}/").content.decode()
        assert "报名还没有开始" in page and '<form class="signup-form"' not in page
        early = _post(client, occurrence, 1)
        assert early.status_code == 409
        assert "报名还没有开始，将于 2026年12月2日 09:00 开始" in early.content.decode()
    with time_machine.travel(local(2026, 12, 2, 9), tick=False):
        _token_of(_post(client, occurrence, 1))
    with time_machine.travel(local(2026, 12, 9, 18), tick=False):
        late = _post(client, occurrence, 2)
        assert late.status_code == 409
        assert "报名已经截止" in late.content.decode()
    assert Signup.objects.count() == 1


@pytest.mark.usefixtures("frozen")
def test_a_cancelled_occurrence_or_event_takes_no_sign_ups(client, tree, occurrence):
    occurrence.cancelled = True
    occurrence.save()
    response = _post(client, occurrence, 1)
    assert response.status_code == 409
    assert "这一场已经取消" in response.content.decode()
    occurrence.cancelled = False
    occurrence.save()
    event = tree["event"]
    event.status = EventStatus.CANCELLED
    publish(event)
    response = _post(client, occurrence, 1)
    assert response.status_code == 409
    assert Signup.objects.count() == 0


@pytest.mark.usefixtures("frozen")
def test_unpublished_pages_and_occurrences_without_sign_up_are_not_found(client, tree, occurrence):
    plain = add_occurrence(tree["event"], START + datetime.timedelta(days=1))
    response = client.get(f"/signup/{plain.pk}/")
    assert response.status_code == 404
    assert "没有找到这个报名场次" in response.content.decode()
    tree["event"].unpublish()
    assert client.get(f"/signup/{occurrence.pk}/").status_code == 404
    assert _post(client, occurrence, 1).status_code == 404
    assert Signup.objects.count() == 0


# --- Bad input --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "请填写正确的 11 位手机号码"),
        ({"phone": "138 0000 000a"}, "请填写正确的 11 位手机号码"),
        ({"phone": ""}, "请填写参加人的手机号"),
        ({"name": "   "}, "请填写参加人的姓名"),
        ({"consent": None}, "请阅读并同意个人信息说明"),
        ({"age_group": "child"}, "请选择参加人的年龄段"),
        ({"for_someone_else": "on"}, "替别人报名时，请填写您自己的姓名"),
        (
            {"for_someone_else": "on", "helper_name": "小王", "helper_phone": "999"},
            "请填写正确的 11 位手机号码",
        ),
    ],
)
def test_malformed_input_gets_400_with_a_message_tied_to_the_field(
    client, occurrence, changes, message
):
    response = _post(client, occurrence, 1, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    error_id = re.search(r'<p class="form-field__error" id="([^"]+)"', html).group(1)
    assert f'aria-describedby="{error_id}"' in html or re.search(
        rf'aria-describedby="[^"]*\b{error_id}\b', html
    )
    assert Signup.objects.count() == 0


@pytest.mark.usefixtures("frozen")
def test_non_integer_and_unknown_ids_get_a_chinese_404(client, occurrence):
    for url in ("/signup/abc/", "/signup/99999999999999999999999/", "/signup/0/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "报名场次" in response.content.decode()
    assert client.post("/signup/abc/", _form(1)).status_code == 404
    assert Signup.objects.count() == 0


@pytest.mark.usefixtures("frozen")
def test_tampered_token_is_a_404_and_changes_nothing(client, occurrence):
    token = _token_of(_post(client, occurrence, 1))
    before = _snapshot()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (f"/signup/status/{tampered}/", "/signup/status/x/", f"/signup/status/{'a' * 200}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "这个报名链接无效" in response.content.decode()
        assert client.post(url, {"action": "cancel"}).status_code == 404
    assert client.post(f"/signup/status/{token}/", {"action": "delete"}).status_code == 400
    assert _snapshot() == before


@pytest.mark.usefixtures("frozen")
@override_settings(SIGNUP_RATE_LIMIT=3)
def test_a_flood_from_one_address_is_rate_limited_with_a_clear_message(client, occurrence):
    for number in range(1, 4):
        _token_of(_post(client, occurrence, number))
    response = _post(client, occurrence, 4)
    assert response.status_code == 429
    assert "操作太频繁了，请稍等几分钟再试" in response.content.decode()
    assert Signup.objects.count() == 3
    # Another address is not affected.
    other = client.post(f"/signup/{occurrence.pk}/", _form(5), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 303


@pytest.mark.usefixtures("frozen")
@override_settings(SIGNUP_RATE_LIMIT=3, SIGNUP_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_rate_limit_reads_the_trusted_proxy_header_when_configured(client, occurrence):
    for number in range(1, 4):
        client.post(f"/signup/{occurrence.pk}/", _form(number), HTTP_X_REAL_IP="203.0.113.5")
    blocked = client.post(f"/signup/{occurrence.pk}/", _form(4), HTTP_X_REAL_IP="203.0.113.5")
    assert blocked.status_code == 429
    allowed = client.post(f"/signup/{occurrence.pk}/", _form(4), HTTP_X_REAL_IP="203.0.113.6")
    assert allowed.status_code == 303


# --- Pages and privacy --------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_event_and_course_pages_link_to_sign_up_without_live_counts_or_csrf(
    client, tree, occurrence
):
    add_signup(occurrence, 1)
    html = client.get(tree["event"].url).content.decode()
    assert f'href="/signup/{occurrence.pk}/"' in html
    assert "名额 2 人" in html
    assert "csrfmiddlewaretoken" not in html and "还剩" not in html
    assert "csrftoken" not in client.cookies
    courses = CourseIndexPageFactory(parent=tree["home"])
    course = CoursePageFactory(parent=courses, title="书法班", slug="shufa")
    session = enable_signup(add_occurrence(course, START), SignupMode.DRAW, capacity=20)
    cancelled = enable_signup(
        add_occurrence(course, START + datetime.timedelta(days=7), cancelled=True)
    )
    html = client.get(course.url).content.decode()
    assert f'href="/signup/{session.pk}/"' in html and "摇号" in html
    assert f'href="/signup/{cancelled.pk}/"' not in html
    form_page = client.get(f"/signup/{occurrence.pk}/")
    assert "csrfmiddlewaretoken" in form_page.content.decode()
    assert "no-store" in form_page["Cache-Control"]
    assert "还剩 <strong>1</strong> 个" in form_page.content.decode()


@pytest.mark.usefixtures("frozen")
def test_a_courses_sign_up_and_status_pages_say_which_classes_it_covers(client, tree, occurrence):
    """One sign-up is for the whole course: the form and the 报名成功 page say how many
    classes, from when to when (a cancelled class is not counted)."""
    courses = CourseIndexPageFactory(parent=tree["home"])
    course = CoursePageFactory(parent=courses, title="书法班", slug="shufa")
    session = enable_signup(add_occurrence(course, START), SignupMode.FIRST_COME, capacity=20)
    for week in (1, 2, 3):
        add_occurrence(course, START + datetime.timedelta(days=7 * week), cancelled=week == 2)
    form_page = client.get(f"/signup/{session.pk}/").content.decode()
    assert "共 3 次课" in form_page and "报名一次全部参加" in form_page
    status_page = client.get(f"/signup/status/{_token_of(_post(client, session, 1))}/")
    assert "共 3 次课" in status_page.content.decode()
    assert "次课" not in client.get(f"/signup/{occurrence.pk}/").content.decode()  # an event


@pytest.mark.usefixtures("frozen")
def test_numbers_are_masked_on_public_pages_and_in_the_admin_but_not_in_the_export(
    client, occurrence, editor
):
    token = _token_of(
        _post(
            client,
            occurrence,
            1,
            for_someone_else="on",
            helper_name="小李",
            helper_phone="13900000009",
        )
    )
    _post(client, occurrence, 2)
    full, helper = phone(1), "13900000009"
    status_page = client.get(f"/signup/status/{token}/").content.decode()
    assert "138****0001" in status_page and "139****0009" in status_page
    signup_page = client.get(f"/signup/{occurrence.pk}/").content.decode()
    client.force_login(editor)
    admin_list = client.get(f"/admin/signups/{occurrence.pk}/").content.decode()
    assert "138****0001" in admin_list and "138****0002" in admin_list
    for html in (status_page, signup_page, admin_list):
        assert full not in html and helper not in html and phone(2) not in html
    exported = client.get(f"/admin/signups/{occurrence.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["序号", "状态", "顺序", "姓名", "手机号"]
    assert [row[4] for row in rows[1:]] == [full, phone(2)]
    assert rows[1][7] == helper


@pytest.mark.usefixtures("frozen")
def test_no_number_reaches_a_log_record_or_a_url(client, occurrence, editor, caplog):
    caplog.set_level(logging.DEBUG)
    numbers = [phone(1), phone(2), phone(3), "13900000009"]
    urls = []
    first = _post(
        client, occurrence, 1, for_someone_else="on", helper_name="小李", helper_phone="13900000009"
    )
    urls.append(first["Location"])
    for number in (2, 3):
        urls.append(_post(client, occurrence, number)["Location"])
    _post(client, occurrence, 3)  # duplicate, refused
    _post(client, occurrence, 4, phone="1380000000")  # malformed
    token = _token_of(first)
    client.post(f"/signup/status/{token}/", CONFIRM_CANCEL)
    client.force_login(editor)
    client.post(
        f"/admin/signups/{occurrence.pk}/offline/",
        {"name": "现场", "phone": "13900000123", "age_group": "elder", "consent": "on"},
    )
    numbers.append("13900000123")
    html = client.get(f"/admin/signups/{occurrence.pk}/").content.decode()
    urls += re.findall(r'(?:href|action)="([^"]+)"', html)
    for url in urls:
        assert not any(number in url for number in numbers), url
    logged = "\n".join(f"{record.getMessage()} {record.args}" for record in caplog.records)
    assert caplog.records  # the flow does log, just never a number
    for number in numbers:
        assert number not in logged
        assert number[-4:] + "," not in logged


# --- E-mail ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_no_email_is_pretended_without_a_real_backend(client, occurrence):
    page = client.get(f"/signup/{occurrence.pk}/").content.decode()
    assert 'name="email"' not in page
    _token_of(_post(client, occurrence, 1, email="a@example.cn"))
    assert mail.outbox == []


@pytest.mark.usefixtures("frozen")
@override_settings(SIGNUP_EMAIL_ENABLED=True)
def test_with_a_backend_configured_the_confirmation_is_emailed(client, occurrence):
    assert 'name="email"' in client.get(f"/signup/{occurrence.pk}/").content.decode()
    token = _token_of(_post(client, occurrence, 1, email="resident@example.cn"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resident@example.cn"]
    assert f"/signup/status/{token}/" in message.body
    assert "138****0001" in message.body and phone(1) not in message.body


# --- Organisers ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_export_is_limited_to_those_who_may_edit_the_page(
    client, tree, occurrence, editor, jinshui_worker, erqi_worker
):
    add_signup(occurrence, 1)
    for fmt in ("csv", "xlsx"):
        url = f"/admin/signups/{occurrence.pk}/export.{fmt}"
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
        client.force_login(erqi_worker)
        refused = client.get(url)
        assert _denied(refused) and phone(1) not in refused.content.decode()
        for user in (editor, jinshui_worker):
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, user
            assert "attachment" in response["Content-Disposition"]
            assert phone(1) not in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet["D2"].value == "居民1" and sheet["E2"].value == phone(1)


@pytest.mark.usefixtures("frozen")
def test_community_workers_see_only_their_own_subtree(
    client, tree, occurrence, erqi_worker, jinshui_worker, editor
):
    erqi_occurrence = enable_signup(add_occurrence(tree["erqi_event"], START), capacity=5)
    client.force_login(erqi_worker)
    listing = client.get("/admin/signups/").content.decode()
    assert "二七区读书会" in listing and "太极拳入门" not in listing
    assert _denied(client.get(f"/admin/signups/{occurrence.pk}/"))
    assert _denied(client.post(f"/admin/signups/{occurrence.pk}/checkin/", {"signup": 1}))
    assert client.get(f"/admin/signups/{erqi_occurrence.pk}/").status_code == 200
    client.force_login(jinshui_worker)
    listing = client.get("/admin/signups/").content.decode()
    assert "太极拳入门" in listing and "二七区读书会" not in listing
    client.force_login(editor)
    listing = client.get("/admin/signups/").content.decode()
    assert "太极拳入门" in listing and "二七区读书会" in listing


@pytest.mark.usefixtures("frozen")
def test_organisers_check_people_in_and_cancel_for_them(client, occurrence, jinshui_worker):
    first = add_signup(occurrence, 1)[0]
    add_signup(occurrence, 2)
    third = add_signup(occurrence, 3)[0]
    client.force_login(jinshui_worker)
    page = client.get(f"/admin/signups/{occurrence.pk}/").content.decode()
    assert "报名成功（2）" in page and "候补名单（1）" in page
    client.post(f"/admin/signups/{occurrence.pk}/checkin/", {"signup": first.pk, "checked_in": "1"})
    first.refresh_from_db()
    assert first.checked_in_at == NOW
    assert "已签到 1" not in page
    assert "已签到" in client.get(f"/admin/signups/{occurrence.pk}/").content.decode()
    client.post(f"/admin/signups/{occurrence.pk}/checkin/", {"signup": first.pk, "checked_in": "0"})
    first.refresh_from_db()
    assert first.checked_in_at is None
    client.post(f"/admin/signups/{occurrence.pk}/cancel/", {"signup": first.pk, "confirm": "yes"})
    third.refresh_from_db()
    assert third.status == SignupStatus.CONFIRMED
    # Waiting people cannot be checked in; bad ids are a 404, never a 500.
    assert (
        client.post(f"/admin/signups/{occurrence.pk}/checkin/", {"signup": "x"}).status_code == 404
    )
    assert client.get("/admin/signups/99999/").status_code == 404


# --- The draw ---------------------------------------------------------------------------------------------


def test_draw_order_is_reproducible_from_its_seed_and_reserves_seats_for_elders():
    pool = list(range(1, 41))
    elders = [3, 17, 29, 33]
    first = draw_order(pool, elders, 12345, capacity=10, reserved=3)
    assert first == draw_order(pool, elders, 12345, capacity=10, reserved=3)
    assert first != draw_order(pool, elders, 54321, capacity=10, reserved=3)
    winners, waiting = first
    assert len(winners) == 10 and len(waiting) == 30
    assert sorted(winners + waiting) == pool
    assert len(set(winners[:3]) & set(elders)) == 3
    # More seats reserved than elders: the rest go to everyone.
    winners, waiting = draw_order(pool, [5], 7, capacity=10, reserved=3)
    assert winners[0] == 5 and len(winners) == 10


@override_settings(SIGNUP_RATE_LIMIT=50)
def test_a_draw_collects_applications_then_an_editor_runs_it_with_a_recorded_seed(
    client, tree, editor, jinshui_worker
):
    session = enable_signup(
        add_occurrence(tree["event"], START),
        SignupMode.DRAW,
        capacity=5,
        reserved_seats=2,
        signup_closes=local(2026, 12, 5, 18),
    )
    with time_machine.travel(NOW, tick=False):
        for number in range(1, 13):
            _token_of(_post(client, session, number))
        client.force_login(jinshui_worker)
        for number in (51, 52, 53):
            response = client.post(
                f"/admin/signups/{session.pk}/offline/",
                {
                    "name": f"老人{number}",
                    "phone": phone(number),
                    "age_group": "elder",
                    "consent": "on",
                },
            )
            assert response.status_code == 302
        # Too early: the window is still open.
        client.force_login(editor)
        client.post(f"/admin/signups/{session.pk}/draw/", {"confirm": "yes"})
        assert not Draw.objects.exists()
        assert Signup.objects.filter(status=SignupStatus.APPLIED).count() == 15
        client.logout()
        page = client.get(f"/signup/{session.pk}/").content.decode()
        assert "已有 <strong>15</strong> 人申请" in page
    with time_machine.travel(local(2026, 12, 6, 9), tick=False):
        client.force_login(
            erqi := get_user_model().objects.create_user("erqi_w", password=PASSWORD)
        )
        assign_role(erqi, SchoolRole.WORKER, tree["erqi"])
        assert _denied(client.post(f"/admin/signups/{session.pk}/draw/", {"confirm": "yes"}))
        client.force_login(editor)
        client.post(f"/admin/signups/{session.pk}/draw/", {"confirm": "yes"})
        draw = Draw.objects.get()
        assert draw.run_by == editor
        confirmed = Signup.objects.filter(occurrence=session, status=SignupStatus.CONFIRMED)
        assert confirmed.count() == 5
        assert confirmed.filter(offline=True, age_group=AgeGroup.ELDER).count() >= 2
        assert Signup.objects.filter(status=SignupStatus.WAITING).count() == 10
        ranked = list(
            Signup.objects.filter(occurrence=session).order_by("rank").values_list("pk", flat=True)
        )
        assert ranked == draw.order
        assert draw_order(draw.pool, draw.elder_pool, draw.seed, 5, 2) == (
            draw.order[:5],
            draw.order[5:],
        )
        detail = client.get(f"/admin/signups/{session.pk}/").content.decode()
        assert str(draw.seed) in detail and "结果与记录一致" in detail
        # Only once.
        client.post(f"/admin/signups/{session.pk}/draw/", {"confirm": "yes"})
        assert Draw.objects.count() == 1
        # After the draw, a cancellation promotes in drawn order.
        first_waiting = Signup.objects.get(pk=draw.order[5])
        cancel(draw.order[0])
        first_waiting.refresh_from_db()
        assert first_waiting.status == SignupStatus.CONFIRMED
        out = io.StringIO()
        call_command("run_draws", "--verify", stdout=out)
        assert "0 mismatch" in out.getvalue()


def test_run_draws_command_draws_every_closed_window(tree):
    due = enable_signup(
        add_occurrence(tree["event"], START),
        SignupMode.DRAW,
        capacity=2,
        signup_closes=local(2026, 12, 5, 18),
    )
    not_yet = enable_signup(
        add_occurrence(tree["event"], START + datetime.timedelta(days=7)),
        SignupMode.DRAW,
        capacity=2,
    )
    with time_machine.travel(NOW, tick=False):
        for number in range(1, 5):
            add_signup(due, number)
            add_signup(not_yet, number + 10)
    with time_machine.travel(local(2026, 12, 6, 9), tick=False):
        out = io.StringIO()
        call_command("run_draws", stdout=out)
        assert "1 draw(s) run" in out.getvalue()
        call_command("run_draws", stdout=io.StringIO())
    assert Draw.objects.get().occurrence == due
    assert Signup.objects.filter(occurrence=due, status=SignupStatus.CONFIRMED).count() == 2
    assert Signup.objects.filter(occurrence=not_yet, status=SignupStatus.APPLIED).count() == 4


# --- Retention -------------------------------------------------------------------------------------------------


def test_purge_signups_deletes_what_is_older_than_the_retention_period(tree):
    settings = SignupSettings.load()
    settings.retention_days = 30
    settings.save()
    old = enable_signup(add_occurrence(tree["event"], local(2026, 10, 1, 9)))
    recent = enable_signup(add_occurrence(tree["event"], local(2026, 11, 20, 9)))
    with time_machine.travel(local(2026, 9, 20), tick=False):
        add_signup(old, 1)
    with time_machine.travel(local(2026, 11, 10), tick=False):
        add_signup(recent, 2)
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("purge_signups", "--dry-run", stdout=out)
        assert "1 sign-up(s)" in out.getvalue() and Signup.objects.count() == 2
        call_command("purge_signups", stdout=io.StringIO())
    assert list(Signup.objects.values_list("phone", flat=True)) == [phone(2)]


# --- Concurrency on PostgreSQL ----------------------------------------------------------------------------------

# PostgreSQL allows 100 connections by default and the machine is shared: 200 threads race,
# at most 40 of them hold a connection at once (each closes its own at the end).
MAX_CONNECTIONS = 40


def _race(work, count):
    from django.db import connection as thread_connection

    barrier = threading.Barrier(count)
    gate = threading.BoundedSemaphore(MAX_CONNECTIONS)
    errors, results = [], []
    lock = threading.Lock()

    def run(index):
        barrier.wait()
        with gate:
            try:
                result = work(index)
                with lock:
                    results.append(result)
            except Exception as error:  # noqa: BLE001 - collected: the test asserts there are none
                with lock:
                    errors.append(repr(error))
            finally:
                thread_connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


# Decided from the test database's engine when the module loads, before any fixture touches the
# database; serialized_rollback puts back what migrations created (root page, vocabularies) after
# the transactional test's flush, so tests that run later still find them.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the concurrency tests need PostgreSQL (set DATABASE_URL); SQLite serialises writers",
)
concurrent_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@postgresql_only
@concurrent_db
def test_200_concurrent_sign_ups_fill_50_seats_exactly_and_cancellations_promote_in_order(tree):
    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=3)
    seats = enable_signup(add_occurrence(tree["event"], start), capacity=50)

    results, errors = _race(lambda index: sign_up(seats.pk, applicant(index + 1))[0].pk, 200)
    assert errors == []
    assert len(results) == 200 == len(set(results))
    rows = Signup.objects.filter(occurrence=seats)
    assert rows.count() == 200
    assert rows.filter(status=SignupStatus.CONFIRMED).count() == 50
    assert rows.filter(status=SignupStatus.WAITING).count() == 150
    assert rows.values("phone").distinct().count() == 200
    ranks = list(rows.order_by("rank").values_list("rank", flat=True))
    assert ranks == list(range(1, 201))
    # Seats went to the first 50 to arrive, the rest wait in arrival order.
    confirmed_ranks = set(rows.filter(status=SignupStatus.CONFIRMED).values_list("rank", flat=True))
    assert confirmed_ranks == set(range(1, 51))

    waiting_in_order = list(
        rows.filter(status=SignupStatus.WAITING).order_by("rank").values_list("pk", flat=True)
    )
    leaving = list(rows.filter(status=SignupStatus.CONFIRMED).values_list("pk", flat=True)[:30])
    results, errors = _race(lambda index: cancel(leaving[index])[0].pk, 30)
    assert errors == []
    assert sorted(results) == sorted(leaving)
    assert rows.filter(status=SignupStatus.CANCELLED).count() == 30
    assert rows.filter(status=SignupStatus.CONFIRMED).count() == 50
    promoted = set(rows.filter(status=SignupStatus.CONFIRMED).values_list("pk", flat=True))
    assert set(waiting_in_order[:30]) <= promoted
    assert rows.filter(status=SignupStatus.WAITING).count() == 120
    assert set(rows.filter(status=SignupStatus.WAITING).values_list("pk", flat=True)) == set(
        waiting_in_order[30:]
    )


@postgresql_only
@concurrent_db
def test_the_same_number_racing_itself_gets_one_seat(tree):
    from django.utils import timezone

    seats = enable_signup(
        add_occurrence(tree["event"], timezone.now() + datetime.timedelta(days=3)), capacity=50
    )
    results, errors = _race(lambda index: sign_up(seats.pk, applicant(1))[0].pk, 20)
    assert len(results) == 1
    assert len(errors) == 19 and all("已经报过" in error for error in errors)
    assert Signup.objects.filter(occurrence=seats).count() == 1


@postgresql_only
@concurrent_db
def test_one_number_racing_across_occurrences_keeps_the_weekly_limit(tree):
    from django.utils import timezone

    limit = SignupSettings.load()
    limit.weekly_limit = 3
    limit.save()
    monday, _next = week_bounds(timezone.now() + datetime.timedelta(days=14))
    sessions = [
        enable_signup(add_occurrence(tree["event"], monday + datetime.timedelta(days=day, hours=9)))
        for day in range(6)
    ]
    results, errors = _race(lambda index: sign_up(sessions[index].pk, applicant(1))[0].pk, 6)
    assert len(results) == 3
    assert len(errors) == 3 and all("上限" in error for error in errors)
    assert Signup.objects.filter(phone=phone(1)).count() == 3


# --- Editors set it up ----------------------------------------------------------------------------------------


def _event_form_with_signup(start, **signup_fields):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    occurrence = {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "note": "",
        "cancelled": "",
        "signup_mode": "",
        "capacity": "",
        "reserved_seats": "",
        "signup_opens": "",
        "signup_closes": "",
    }
    occurrence.update(signup_fields)
    return nested_form_data(
        {
            "title": "社区合唱排练",
            "slug": "hechang",
            "summary": "一起唱歌",
            "status": "scheduled",
            "cost": "免费",
            "body": streamfield([]),
            "occurrences": inline_formset([occurrence]),
            "tags": "",
            "comments": inline_formset([]),
        }
    )


@pytest.mark.usefixtures("frozen")
def test_editors_set_sign_up_per_occurrence_in_the_page_editor(client, tree, jinshui_worker):
    client.force_login(jinshui_worker)
    url = f"/admin/pages/add/events/eventpage/{tree['point'].pk}/"
    assert "老年人保留名额" in client.get(url).content.decode()  # the occurrence rows' template
    refused = client.post(url, _event_form_with_signup(START, signup_mode="first_come"))
    assert refused.status_code == 200
    assert "开放网上报名时请填写名额" in refused.content.decode()
    response = client.post(
        url,
        _event_form_with_signup(
            START,
            signup_mode="draw",
            capacity="30",
            reserved_seats="40",
        ),
    )
    assert "保留名额不能多于总名额" in response.content.decode()
    response = client.post(
        url,
        _event_form_with_signup(
            START,
            signup_mode="first_come",
            capacity="30",
            signup_opens="2026-12-02 09:00",
            signup_closes="2026-12-09 18:00",
        ),
    )
    assert response.status_code == 302
    saved = Occurrence.objects.get(page__slug="hechang")
    assert (saved.signup_mode, saved.capacity) == ("first_come", 30)
    assert saved.signup_closes == local(2026, 12, 9, 18)


def test_weekly_limit_and_retention_are_edited_under_settings(client, tree, editor):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    response = client.get("/admin/settings/signups/signupsettings/", follow=True)
    assert response.status_code == 200
    url = (
        response.redirect_chain[-1][0]
        if response.redirect_chain
        else "/admin/settings/signups/signupsettings/"
    )
    assert "每个手机号每周最多报名场次" in response.content.decode()
    client.post(url, {"weekly_limit": "5", "retention_days": "90"})
    assert (SignupSettings.load().weekly_limit, SignupSettings.load().retention_days) == (5, 90)


@pytest.mark.usefixtures("frozen")
def test_desk_sign_up_with_a_bad_number_shows_the_error_by_the_field(
    client, occurrence, jinshui_worker
):
    client.force_login(jinshui_worker)
    response = client.post(
        f"/admin/signups/{occurrence.pk}/offline/",
        {"name": "老人", "phone": "138", "age_group": "elder", "consent": "on"},
    )
    assert response.status_code == 400
    assert "请填写 11 位手机号（例如 13812345678）或带区号的座机" in response.content.decode()
    assert Signup.objects.count() == 0
    response = client.post(
        f"/admin/signups/{occurrence.pk}/offline/",
        {"name": "老人", "phone": "139 0000 0123", "age_group": "elder", "consent": "on"},
        follow=True,
    )
    signup = Signup.objects.get()
    # The desk is told the 报名码 to write down for the elder.
    assert (
        f"已登记（139****0123）：报名成功。报名码 {signup.booking_code}，请抄给本人"
        in response.content.decode()
    )
    assert (signup.offline, signup.entered_by, signup.phone) == (
        True,
        jinshui_worker,
        "13900000123",
    )


@pytest.mark.django_db
def test_load_demo_opens_sign_up_with_fake_numbers_and_stays_idempotent(client, demo):
    enabled = list(Occurrence.objects.exclude(signup_mode="").select_related("page"))
    assert len(enabled) == 5
    draw = next(occurrence for occurrence in enabled if occurrence.signup_mode == SignupMode.DRAW)
    assert draw.reserved_seats and draw.signup_closes < draw.start
    desk = Signup.objects.filter(occurrence=draw, offline=True)
    assert desk.count() == 2 and {s.entered_by.username for s in desk} == {"erqi_worker"}
    nearly_full = [
        occurrence
        for occurrence in enabled
        if occurrence.signup_mode == SignupMode.FIRST_COME
        and occurrence.capacity - occurrence.signups.filter(status="confirmed").count() == 1
    ]
    assert nearly_full
    # One is full with people waiting: signing up there joins the waiting list.
    full = [
        occurrence
        for occurrence in enabled
        if occurrence.signup_mode == SignupMode.FIRST_COME
        and occurrence.signups.filter(status="confirmed").count() == occurrence.capacity
        and occurrence.signups.filter(status="waiting").count() == 2
    ]
    assert len(full) == 1
    assert "已报满" in client.get(f"/signup/{full[0].pk}/").content.decode()
    assert all(
        number.startswith("138000") for number in Signup.objects.values_list("phone", flat=True)
    )
    page = client.get(f"/signup/{nearly_full[0].pk}/")
    assert page.status_code == 200 and "还剩 <strong>1</strong> 个" in page.content.decode()
    assert (
        f'href="/signup/{nearly_full[0].pk}/"'
        in client.get(nearly_full[0].page.url).content.decode()
    )
    before = list(Signup.objects.values_list("pk", "status"))
    call_command("load_demo", stdout=io.StringIO())
    assert list(Signup.objects.values_list("pk", "status")) == before


@pytest.mark.usefixtures("frozen")
@override_settings(SIGNUP_RATE_LIMIT=2)
def test_private_links_never_reach_the_logs(client, occurrence, caplog):
    caplog.set_level(logging.DEBUG)
    token = _token_of(_post(client, occurrence, 1))
    assert client.post(f"/signup/status/{token}/", {"action": "delete"}).status_code == 400
    assert client.post(f"/signup/status/{token}/", {"action": "cancel"}).status_code == 429
    warnings = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert "Bad Request: /signup/status/…/" in warnings
    assert "Too Many Requests: /signup/status/…/" in warnings
    assert all(token not in record.getMessage() for record in caplog.records)


def test_lower_apps_never_import_signups():
    """home ← schools ← learning_resources ← events ← signups ← search: only hooks point up."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"^\s*(from|import)\s+signups\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(root))
        for app in ("home", "schools", "learning_resources", "events")
        for path in (root / app).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_participation_report_counts_sign_ups_and_check_ins_per_district(occurrence):
    from showcase.statistics import participation_rows

    for number in (1, 2, 3):
        add_signup(occurrence, number)  # two seats: two confirmed, the third waits
    Signup.objects.filter(phone=phone(1)).update(checked_in_at=START)

    columns, rows = participation_rows("district", year=START.year)

    assert {("signups", "报名人数"), ("confirmed", "报名成功"), ("checked_in", "签到人数")} <= set(
        columns
    )
    by_district = {row["label"]: row for row in rows}
    assert by_district["金水区"]["signups"] == 3
    assert by_district["金水区"]["confirmed"] == 2
    assert by_district["金水区"]["checked_in"] == 1
    assert by_district["二七区"]["signups"] == 0


# --- Real browsers: referrer policy and CSRF --------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_sign_up_pages_keep_the_token_on_this_site_but_let_the_browser_send_its_origin(
    client, occurrence
):
    # no-referrer made Chromium post "Origin: null", which Django's CSRF check refuses.
    token = _token_of(_post(client, occurrence, 1))
    for url in (f"/signup/{occurrence.pk}/", f"/signup/status/{token}/", "/signup/lookup/"):
        assert client.get(url)["Referrer-Policy"] == "same-origin", url


def _csrf_form(browser, url):
    html = browser.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.usefixtures("frozen")
def test_a_browser_post_with_its_real_origin_passes_the_csrf_check(occurrence):
    browser = Client(enforce_csrf_checks=True)
    token = _csrf_form(browser, f"/signup/{occurrence.pk}/")
    response = browser.post(
        f"/signup/{occurrence.pk}/",
        {**_form(1), "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 303
    assert Signup.objects.get().phone == phone(1)


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("origin", ["null", "http://testserver"])
def test_a_refused_form_gets_a_chinese_page_in_the_site_layout_and_changes_nothing(
    occurrence, origin
):
    browser = Client(enforce_csrf_checks=True)
    token = _csrf_form(browser, f"/signup/{occurrence.pk}/")
    if origin == "http://testserver":
        token = "x" * len(token)  # the page stayed open while the cookie changed
    response = browser.post(
        f"/signup/{occurrence.pk}/",
        {**_form(1), "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=origin,
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期，这次没有提交成功" in html
    assert "页面打开的时间太久了" in html and "Cookie" in html
    assert f'href="/signup/{occurrence.pk}/">返回刚才的页面重新填写' in html
    assert 'class="site-header' in html and 'class="site-footer"' in html  # the site's layout
    assert "Forbidden" not in html and "CSRF verification failed" not in html
    assert not Signup.objects.exists()


# --- 报名码 and 我的报名 ------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_every_sign_up_gets_a_short_unambiguous_booking_code_shown_on_its_status_page(
    client, occurrence
):
    tokens = [_token_of(_post(client, occurrence, number)) for number in range(1, 4)]
    codes = list(Signup.objects.values_list("booking_code", flat=True))
    assert len(set(codes)) == 3
    for code in codes:
        assert len(code) == 6 and set(code) <= set(BOOKING_CODE_ALPHABET)
        assert not set(code) & set("0O1IL2Z5S6G8B")
    html = client.get(f"/signup/status/{tokens[0]}/?new=1").content.decode()
    assert '<strong class="booking-code"' in html and codes[0] in html
    assert 'href="/signup/lookup/"' in html
    assert "复制链接" in html and 'readonly aria-label="专属链接"' in html
    # The organiser's number: the learning point the event is posted under.
    point = occurrence.page.get_parent().specific
    point.phone = "0371-6000 1234"
    point.save()
    html = client.get(f"/signup/status/{tokens[0]}/").content.decode()
    assert 'href="tel:037160001234"' in html and "0371-6000 1234" in html


@pytest.mark.usefixtures("frozen")
def test_looking_up_by_number_and_code_issues_a_fresh_private_link(client, occurrence):
    old_token = _token_of(_post(client, occurrence, 1))
    signup = Signup.objects.get()
    typed_code = " ".join(signup.booking_code.lower())  # spaces and lower case are fine
    response = client.post(
        "/signup/lookup/", {"phone": "138 0000 0001", "booking_code": typed_code}
    )
    assert response.status_code == 303
    new_token = re.match(
        r"^/signup/status/([A-Za-z0-9_-]+)/\?found=1$", response["Location"]
    ).group(1)
    assert new_token != old_token
    html = client.get(response["Location"]).content.decode()
    assert "已找到您的报名" in html and "居民1" in html and "138****0001" in html
    # The old link stops working (it may have been lost to someone else).
    assert client.get(f"/signup/status/{old_token}/").status_code == 404
    assert Signup.objects.get().status == SignupStatus.CONFIRMED


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"phone": "13800000001", "booking_code": "WRONG1"}, 400, "报名码是 6 位字母和数字"),
        ({"phone": "abc", "booking_code": "KKKKKK"}, 400, "请填写正确的 11 位手机号码"),
        ({"phone": "", "booking_code": ""}, 400, "请填写报名时的手机号"),
        ({"phone": "13800000002", "booking_code": "<same>"}, 404, "手机号和报名码对不上"),
        ({"phone": "13800000001", "booking_code": "<other>"}, 404, "手机号和报名码对不上"),
    ],
)
def test_a_wrong_number_or_code_is_refused_in_chinese_and_changes_nothing(
    client, occurrence, data, status, message
):
    _post(client, occurrence, 1)
    signup = Signup.objects.get()
    other = "".join(reversed(signup.booking_code))
    if other == signup.booking_code:
        other = "KKKKKK" if signup.booking_code != "KKKKKK" else "MMMMMM"
    code = {"<same>": signup.booking_code, "<other>": other}.get(data["booking_code"])
    before = list(Signup.objects.values_list("pk", "token_hash", "status", "booking_code"))
    response = client.post(
        "/signup/lookup/", {**data, "booking_code": code or data["booking_code"]}
    )
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert "data-error-summary" in html or "data-focus-on-load" in html
    assert list(Signup.objects.values_list("pk", "token_hash", "status", "booking_code")) == before


@pytest.mark.usefixtures("frozen")
@override_settings(SIGNUP_RATE_LIMIT=2)
def test_failed_look_ups_are_rate_limited_even_for_the_right_pair(client, occurrence):
    _post(client, occurrence, 1)
    signup = Signup.objects.get()
    right = {"phone": phone(1), "booking_code": signup.booking_code}
    wrong = {"phone": phone(2), "booking_code": signup.booking_code}
    assert client.post("/signup/lookup/", right).status_code == 303  # successes don't count
    assert client.post("/signup/lookup/", wrong).status_code == 404
    assert client.post("/signup/lookup/", wrong).status_code == 404
    refused = client.post("/signup/lookup/", right)
    assert refused.status_code == 429
    assert "操作太频繁了" in refused.content.decode()
    assert client.get("/signup/lookup/").status_code == 200  # reading the form is fine


@pytest.mark.usefixtures("frozen")
def test_sign_up_and_look_up_forms_use_the_phone_keypad_and_focus_their_error_summary(
    client, occurrence
):
    from lxml import html as lxml_html

    for url in (f"/signup/{occurrence.pk}/", "/signup/lookup/"):
        document = lxml_html.fromstring(client.get(url).content)
        for name in ("phone", "helper_phone"):
            for field in document.xpath(f"//input[@name='{name}']"):
                assert (field.get("type"), field.get("autocomplete"), field.get("inputmode")) == (
                    "tel",
                    "tel",
                    "tel",
                ), (url, name)
        assert not document.xpath("//*[@autofocus]")
    response = _post(client, occurrence, 1, phone="abc")
    document = lxml_html.fromstring(response.content)
    (summary,) = document.xpath("//*[@data-error-summary]")
    assert summary.get("tabindex") == "-1"
    link = summary.xpath(".//a")[0]
    assert link.get("href") == "#id_phone" and "请填写正确的 11 位手机号码" in link.text_content()
    # The summary sits before the form it describes.
    assert summary.getnext().tag == "form"


# --- Back office: confirmation steps, desk sign-ups with landlines and family numbers -----------


def _desk(client, occurrence, **changes):
    data = {"name": "王秀英", "phone": "0371-66668888", "age_group": "elder", "consent": "on"}
    data.update(changes)
    return client.post(f"/admin/signups/{occurrence.pk}/offline/", data, follow=True)


@pytest.mark.usefixtures("frozen")
def test_cancelling_a_seat_in_the_back_office_asks_first_and_says_who_moves_up(
    client, occurrence, jinshui_worker
):
    first = add_signup(occurrence, 1, name="张三")[0]
    add_signup(occurrence, 2)
    third = add_signup(occurrence, 3, name="李四")[0]
    client.force_login(jinshui_worker)
    before = _snapshot()
    url = f"/admin/signups/{occurrence.pk}/cancel/"
    for response in (client.post(url, {"signup": first.pk}), client.get(url, {"signup": first.pk})):
        html = response.content.decode()
        assert response.status_code == 200
        assert "确定取消 张*（138****0001）的报名吗？" in html
        assert "取消后，候补第一位 李* 将自动获得名额。" in html
        assert 'name="confirm" value="yes"' in html and "csrfmiddlewaretoken" in html
    assert _snapshot() == before  # asking changes nothing
    response = client.post(url, {"signup": first.pk, "confirm": "yes"}, follow=True)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, third.status) == (SignupStatus.CANCELLED, SignupStatus.CONFIRMED)
    assert "已取消 张* 的报名，候补第一位 李* 已自动获得名额。" in response.content.decode()
    # Cancelling someone waiting says what that means instead.
    waiting = add_signup(occurrence, 4)[0]
    html = client.post(url, {"signup": waiting.pk}).content.decode()
    assert "不再排队候补" in html


def test_a_draw_asks_first_and_states_the_numbers(client, tree, editor):
    session = enable_signup(
        add_occurrence(tree["event"], START),
        SignupMode.DRAW,
        capacity=5,
        reserved_seats=2,
        signup_closes=local(2026, 12, 5, 18),
    )
    with time_machine.travel(NOW, tick=False):
        for number in range(1, 9):
            add_signup(session, number)
    url = f"/admin/signups/{session.pk}/draw/"
    with time_machine.travel(local(2026, 12, 6, 9), tick=False):
        client.force_login(editor)
        for response in (client.post(url), client.get(url)):
            assert response.status_code == 200
            assert (
                "摇号后结果不能更改：8 人申请 5 个名额（其中老年人保留 2 个），"
                "未中签的人按抽中顺序进入候补。"
            ) in response.content.decode()
        assert not Draw.objects.exists()
        assert Signup.objects.filter(status=SignupStatus.APPLIED).count() == 8
        client.post(url, {"confirm": "yes"})
        assert Draw.objects.count() == 1
        assert Signup.objects.filter(status=SignupStatus.CONFIRMED).count() == 5
        # Once drawn, asking again says so instead of offering a second draw.
        response = client.post(url, follow=True)
        assert "这一场已经摇过号了" in response.content.decode()


@pytest.mark.usefixtures("frozen")
def test_desk_sign_up_with_a_landline_is_stored_normalised_and_masked_everywhere(
    client, occurrence, jinshui_worker
):
    client.force_login(jinshui_worker)
    response = _desk(client, occurrence)
    signup = Signup.objects.get()
    assert (signup.phone, signup.offline, signup.contact_relation) == ("037166668888", True, "")
    html = response.content.decode()
    # The booking code, large, with what to write down for the elder.
    assert 'class="desk-booking-code"' in html and signup.booking_code in html
    assert "请把报名码和活动时间抄给老人" in html
    assert "0371****8888" in html and "66668888" not in html
    # The same landline in another format is the same number.
    before = _snapshot()
    assert "无需重复登记" in _desk(client, occurrence, phone="037166668888").content.decode()
    assert _snapshot() == before
    # The elder can look the booking up on the public site with the landline and the code.
    client.logout()
    found = client.post(
        "/signup/lookup/", {"phone": "0371 6666 8888", "booking_code": signup.booking_code}
    )
    assert found.status_code == 303
    public = client.get(found["Location"]).content.decode()
    assert "0371****8888" in public and "66668888" not in public
    # Only the export has the full number.
    client.force_login(jinshui_worker)
    assert (
        "037166668888" in client.get(f"/admin/signups/{occurrence.pk}/export.csv").content.decode()
    )


def test_landlines_are_normalised_and_masked_in_one_place():
    from signups.phones import normalize_contact_number

    assert normalize_contact_number("0371-12345678") == "037112345678"
    assert normalize_contact_number("（0371）6666 8888") == "037166668888"
    assert normalize_contact_number("010-87654321") == "01087654321"
    assert normalize_contact_number("+86 371 1234567") == "03711234567"
    assert normalize_contact_number("12345678") is None  # no area code
    assert normalize_contact_number("0371-12345") is None
    assert mask_phone("037112345678") == "0371****5678"
    assert mask_phone("01087654321") == "010****4321"
    assert mask_phone("0371123456") == "0371****56"


@pytest.mark.usefixtures("frozen")
def test_desk_sign_up_with_a_family_mobile_records_the_relation(client, occurrence, jinshui_worker):
    client.force_login(jinshui_worker)
    _desk(client, occurrence, phone="139 0000 0123", contact_relation="子女")
    _desk(
        client,
        occurrence,
        name="赵大爷",
        phone="13900000124",
        contact_relation="邻居",
        contact_relation_other="楼长",
    )
    assert list(Signup.objects.order_by("pk").values_list("phone", "contact_relation")) == [
        ("13900000123", "子女"),
        ("13900000124", "楼长"),
    ]
    html = client.get(f"/admin/signups/{occurrence.pk}/").content.decode()
    assert "139****0123（子女）" in html and "139****0124（楼长）" in html


@pytest.mark.usefixtures("frozen")
def test_desk_refusals_tell_the_worker_what_to_do(client, occurrence, jinshui_worker):
    existing = add_signup(occurrence, 1, name="张三")[0]
    client.force_login(jinshui_worker)
    response = _desk(client, occurrence, phone=phone(1))
    html = response.content.decode()
    assert (
        f"这个号码已经报过这一场（张*，报名码 {existing.booking_code}，报名成功），无需重复登记"
        in html
    )
    assert "专属链接" not in html
    assert Signup.objects.count() == 1
    response = _desk(client, occurrence, phone="12345678")
    assert response.status_code == 400
    assert "座机号码请加上区号，例如 0371-12345678。" in response.content.decode()
    assert Signup.objects.count() == 1


@pytest.mark.usefixtures("frozen")
def test_a_worker_from_another_district_still_cannot_register_or_cancel(
    client, occurrence, erqi_worker
):
    signup = add_signup(occurrence, 1)[0]
    client.force_login(erqi_worker)
    response = client.post(
        f"/admin/signups/{occurrence.pk}/offline/",
        {"name": "王秀英", "phone": "0371-66668888", "age_group": "elder", "consent": "on"},
    )
    assert _denied(response)
    url = f"/admin/signups/{occurrence.pk}/cancel/"
    assert _denied(client.get(url, {"signup": signup.pk}))
    assert _denied(client.post(url, {"signup": signup.pk, "confirm": "yes"}))
    assert list(Signup.objects.values_list("phone", "status")) == [
        (phone(1), SignupStatus.CONFIRMED)
    ]
