"""Sign-up journeys on a phone in a real browser (Debian's Chromium): every form is submitted,
as a resident would, and every answer of 400 or more fails the journey unless it is expected.

The demo site is shared by all browser tests of the session, so each journey uses its own
numbers (1390000xxxx) and its own occurrences where the seats matter, and none depends on
another having run.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import (
    MANAGE,
    new_phone_context,
    screenshot,
    set_elder_mode,
    site_env,
    watch_responses,
)

pytestmark = pytest.mark.browser

# Runs inside the live site (its own database): finds the demo's sign-up occurrences and sets
# up one of its own for the cancel journey (one seat, taken, and one person waiting).
SETUP = r"""
import datetime, json
from django.utils import timezone
from home.models import Occurrence, SignupMode
from signups.models import Signup, SignupStatus
from signups.services import Applicant, sign_up, counts

def first_come(full):
    for occurrence in Occurrence.objects.filter(
        signup_mode=SignupMode.FIRST_COME, page__content_type__model="eventpage"
    ).order_by("pk"):
        free = counts(occurrence)["free"]
        if (free == 0) == full and (full or free >= 10):
            return occurrence
    raise SystemExit("no such demo occurrence")

open_event = first_come(full=False)
full_event = first_come(full=True)
start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=12)
own = Occurrence.objects.create(
    page=open_event.page, start=start, end=start + datetime.timedelta(hours=2),
    signup_mode=SignupMode.FIRST_COME, capacity=1,
)
seated, seated_token = sign_up(own.pk, Applicant("郑大爷", "13900000301", "elder"))
waiting, waiting_token = sign_up(own.pk, Applicant("孙阿姨", "13900000302", "elder"))
assert (seated.status, waiting.status) == (SignupStatus.CONFIRMED, SignupStatus.WAITING)
print(json.dumps({
    "open": open_event.pk,
    "open_page": open_event.page.url,
    "full": full_event.pk,
    "cancel_seated_token": seated_token,
    "cancel_waiting_token": waiting_token,
}))
"""


def run_in_site(live_site, code: str) -> str:
    result = subprocess.run(
        [*MANAGE, "shell", "-c", code],
        env=site_env(live_site.root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def demo(live_site):
    return json.loads(run_in_site(live_site, SETUP))


def _focused_is(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def _fill_participant(page, name: str, number: str, age: str = "60 岁及以上（老年人）"):
    page.get_by_label("参加人姓名").fill(name)
    page.get_by_label("参加人手机号").fill(number)
    page.get_by_label(age).check()


def _consent_and_submit(page, button: str):
    page.get_by_label("我已阅读并同意上面的个人信息说明").check()
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _status_value(page, term: str) -> str:
    return page.locator(f"dl.signup-status dt:text-is('{term}') + dd").inner_text().strip()


def test_first_come_sign_up_from_the_event_page(watched_phone, live_site, demo):
    page = watched_phone
    page.goto(live_site.url + demo["open_page"])
    page.locator(f'a[href="/signup/{demo["open"]}/"]').first.click()
    page.wait_for_url(re.compile(rf"/signup/{demo['open']}/$"))
    # A mistyped number first: the list of what to correct gets the focus.
    _fill_participant(page, "王秀英", "1390000abc")
    with page.watch.expecting(400):
        _consent_and_submit(page, "提交报名")
    summary = page.locator("[data-error-summary]")
    assert "请填写正确的 11 位手机号码" in summary.inner_text()
    assert _focused_is(page, "[data-error-summary]")
    assert summary.evaluate("el => el.getBoundingClientRect().top") < 844  # in view
    screenshot(page, "signup-form-error")
    page.get_by_label("参加人手机号").fill("139 0000 0101")
    _consent_and_submit(page, "提交报名")
    page.wait_for_url(re.compile(r"/signup/status/[^/]+/\?new=1$"))
    assert page.locator("h1").inner_text() == "报名成功"
    assert _status_value(page, "状态").startswith("报名成功")
    code = page.locator(".booking-code").inner_text().strip()
    assert re.fullmatch(r"[ACDEFHJKMNPQRTUVWXY347]{6}", code)
    assert _status_value(page, "手机号") == "139****0101"
    link = page.locator("#private-link").input_value()
    assert link == page.url.split("?")[0]
    # 复制链接 copies the private link (the Clipboard API; the text stays selectable anyway).
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    page.get_by_role("button", name="复制链接").click()
    # The Clipboard API answers asynchronously: wait for the status line it fills.
    expect(page.locator("[data-copy-status]")).to_have_text(re.compile("^链接已复制"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.get_by_role("link", name="“我的报名”").get_attribute("href") == "/signup/lookup/"
    screenshot(page, "signup-confirmed")


def test_sign_up_when_full_joins_the_waiting_list(watched_phone, live_site, demo):
    page = watched_phone
    set_elder_mode(page, live_site.url, True)
    page.goto(f"{live_site.url}/signup/{demo['full']}/")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert "已报满" in page.locator(".seat-status").inner_text()
    _fill_participant(page, "李桂芳", "13900000201")
    _consent_and_submit(page, "加入候补")
    assert page.locator("h1").inner_text() == "已加入候补"
    assert re.search(r"候补第 \d+ 位", _status_value(page, "状态"))
    assert page.locator(".booking-code").inner_text().strip()
    screenshot(page, "signup-waiting-elder")


def test_cancelling_asks_first_then_the_first_waiting_person_moves_up(
    watched_phone, live_site, demo
):
    page = watched_phone
    set_elder_mode(page, live_site.url, True)
    page.goto(f"{live_site.url}/signup/status/{demo['cancel_seated_token']}/")
    assert _status_value(page, "状态") == "报名成功"
    page.get_by_role("link", name="取消报名").click()
    confirm = page.locator("#cancel")
    confirm.wait_for()
    assert "确定要取消报名吗？" in confirm.inner_text()
    assert _focused_is(page, "#cancel")
    screenshot(page, "signup-cancel-confirm-elder")
    # Changing one's mind changes nothing.
    page.get_by_role("link", name="不取消，返回").click()
    page.wait_for_load_state()
    assert page.locator("#cancel").count() == 0
    assert _status_value(page, "状态") == "报名成功"
    page.get_by_role("link", name="取消报名").click()
    with page.expect_navigation():
        page.get_by_role("button", name="确认取消").click()
    assert "已取消报名。名额已让给候补的人" in page.locator(".notice").first.inner_text()
    assert _status_value(page, "状态") == "已取消"
    assert page.get_by_role("link", name="取消报名").count() == 0
    screenshot(page, "signup-cancelled-elder")
    # The person who was waiting now has the seat.
    page.goto(f"{live_site.url}/signup/status/{demo['cancel_waiting_token']}/")
    assert _status_value(page, "状态") == "报名成功"


def test_signing_up_a_parent_on_their_behalf(watched_phone, live_site, demo):
    page = watched_phone
    page.goto(f"{live_site.url}/signup/{demo['open']}/")
    _fill_participant(page, "赵淑珍", "13900000401")
    page.get_by_label("我是替家人或朋友报名").check()
    page.get_by_label("代报名人（您）的姓名").fill("赵小明")
    helper_phone = page.get_by_label("代报名人（您）的手机号")
    assert helper_phone.get_attribute("type") == "tel"
    helper_phone.fill("13900000402")
    _consent_and_submit(page, "提交报名")
    assert page.locator("h1").inner_text() == "报名成功"
    assert _status_value(page, "参加人") == "赵淑珍"
    assert _status_value(page, "手机号") == "139****0401"
    assert _status_value(page, "代报名人") == "赵小明（139****0402）"
    screenshot(page, "signup-on-behalf")


def test_finding_a_booking_again_by_number_and_code(browser, live_site, demo):
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    set_elder_mode(page, live_site.url, True)
    page.goto(f"{live_site.url}/signup/{demo['open']}/")
    _fill_participant(page, "钱玉兰", "13900000501")
    _consent_and_submit(page, "提交报名")
    code = page.locator(".booking-code").inner_text().strip()
    old_link = page.locator("#private-link").input_value()
    context.close()

    # Later, on another phone, without the link: the footer's 我的报名.
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/")
    page.locator(".site-footer").get_by_role("link", name=re.compile("我的报名")).click()
    page.wait_for_url(re.compile(r"/signup/lookup/$"))
    phone_field = page.get_by_label("报名时填写的手机号")
    assert phone_field.get_attribute("inputmode") == "tel"
    phone_field.fill("13900000501")
    wrong = "".join(reversed(code)) if code != code[::-1] else "KKKKKK"
    page.get_by_label("报名码").fill(wrong)
    with watch.expecting(404), page.expect_navigation():
        page.get_by_role("button", name="查找报名").click()
    refusal = page.locator("[data-focus-on-load]")
    assert "手机号和报名码对不上" in refusal.inner_text()
    assert _focused_is(page, "[data-focus-on-load]")
    screenshot(page, "signup-lookup-refused")
    page.get_by_label("报名码").fill(code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="查找报名").click()
    assert "已找到您的报名" in page.locator(".notice").first.inner_text()
    assert _status_value(page, "参加人") == "钱玉兰"
    assert page.locator(".booking-code").inner_text().strip() == code
    new_link = page.locator("#private-link").input_value()
    assert new_link != old_link
    screenshot(page, "signup-lookup-found")
    # The old link no longer opens the booking.
    with watch.expecting(404):
        assert page.goto(old_link).status == 404
    context.close()
    watch.check()


def test_the_volunteer_form_refuses_a_bad_number_then_thanks(watched_phone, live_site):
    page = watched_phone
    page.goto(f"{live_site.url}/volunteer/")
    district = page.get_by_label("所在区县")
    assert district.input_value() == ""  # nothing chosen for the resident
    page.get_by_label("称呼").fill("周老师")
    number = page.get_by_label("手机号码")
    assert (number.get_attribute("type"), number.get_attribute("inputmode")) == ("tel", "tel")
    number.fill("abc")
    district.select_option(label="金水区")
    page.get_by_label("智能手机辅导").check()
    page.get_by_label("我同意本网站按上面的说明使用我填写的信息").check()
    with page.watch.expecting(400), page.expect_navigation():
        page.get_by_role("button", name="提交报名").click()
    summary = page.locator("[data-error-summary]")
    assert "请填写正确的 11 位手机号码" in summary.inner_text()
    assert _focused_is(page, "[data-error-summary]")
    assert page.get_by_label("所在区县").input_value() == "金水区"  # kept, not reset
    screenshot(page, "signup-volunteer-error")
    page.get_by_label("手机号码").fill("139 0000 0601")
    with page.expect_navigation():
        page.get_by_role("button", name="提交报名").click()
    assert page.locator("h1").inner_text() == "报名已提交"
    screenshot(page, "signup-volunteer-thanks")
    stored = run_in_site(
        live_site,
        "from wagtail.contrib.forms.models import FormSubmission\n"
        "print(sum('13900000601' in str(s.form_data.values()) "
        "for s in FormSubmission.objects.all()))",
    )
    assert stored == "1"
