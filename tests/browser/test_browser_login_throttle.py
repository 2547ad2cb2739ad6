"""On a phone: guessing at the front-end login is slowed with a Chinese page, then works again."""

import re
import time

import pytest

from tests.browser_fixtures import screenshot

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "zzxx-demo-2026"


def _submit(page, username, password):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def test_guessing_at_the_front_end_login_is_slowed_then_the_right_password_works(
    watched_phone, live_site
):
    page = watched_phone
    login = f"{live_site.url}/_util/login/?next=/admin/"
    page.goto(login)
    for _ in range(3):
        _submit(page, "nobody-here", "guess")
        assert page.locator("#id_password").is_visible()  # the form again: password checked
    with page.watch.expecting(429):
        _submit(page, "nobody-here", "guess")
    assert page.get_by_role("heading", name="请稍后再登录").is_visible()
    assert re.search(
        r"登录失败次数过多，为保护账号安全，请 \d+ 秒后再试。", page.inner_text("main")
    )
    screenshot(page, "login-throttled-phone")
    # The button leads back to the form; after the short wait the right password goes through
    # (and clears this address's count for the other journeys).
    page.get_by_role("link", name="返回登录页").click()
    page.wait_for_load_state()
    assert page.locator("#id_username").is_visible()
    time.sleep(3)
    _submit(page, "jinshui_worker", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/admin/$"))
