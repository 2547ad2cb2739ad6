"""A community worker at a learning point's desk, in the Wagtail admin, on a desktop browser:
registers an elder who has only a landline, hands over the booking code, and cancels a seat
through the confirmation step."""

import re
import subprocess
from types import SimpleNamespace

import pytest

from tests.browser_fixtures import (
    MANAGE,
    copy_demo_site,
    screenshot,
    site_env,
    start_server,
    stop_server,
    watch_responses,
)

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "zzxx-demo-2026"

# The demo gives jinshui_worker's learning point no upcoming session: on a private copy of the
# demo site, move one upcoming event there and open it for sign-up (two seats taken, one waiting).
SETUP = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy
from events.models import EventPage
from home.models import Occurrence, SignupMode
from signups.models import AgeGroup
from signups.services import Applicant, sign_up
worker = get_user_model().objects.get(username="jinshui_worker")
point = PagePermissionPolicy().instances_user_has_any_permission_for(worker, ["change"]).first()
soon = timezone.now() + datetime.timedelta(days=3)
occurrence = Occurrence.objects.filter(
    signup_mode="", cancelled=False, start__gte=soon, page__live=True,
    page__content_type__model="eventpage",
).order_by("start").first()
EventPage.objects.get(pk=occurrence.page_id).move(point, pos="last-child")
occurrence.signup_mode = SignupMode.FIRST_COME
occurrence.capacity = 2
occurrence.save()
for number, name in ((901, "张桂兰"), (902, "李建国"), (903, "刘淑珍")):
    sign_up(occurrence.pk, Applicant(name=name, phone=f"138009{number:05d}"[:11],
                                     age_group=AgeGroup.ELDER))
"""


@pytest.fixture(scope="module")
def desk_site(demo_site_files, tmp_path_factory):
    root = copy_demo_site(demo_site_files, tmp_path_factory.mktemp("desk-site"))
    env = site_env(root)
    subprocess.run([*MANAGE, "shell", "-c", SETUP], env=env, check=True, timeout=300)
    server, url = start_server(root, env)
    yield SimpleNamespace(url=url, root=root)
    stop_server(server)


def test_worker_registers_an_elder_with_a_landline_and_cancels_with_confirmation(
    browser, desk_site
):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(f"{desk_site.url}/admin/login/")
    page.fill("#id_username", "jinshui_worker")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.get_by_role("link", name="报名管理").first.click()
    page.wait_for_url(re.compile(r"/admin/signups/$"))
    page.locator("table.listing tbody a").first.click()
    page.wait_for_url(re.compile(r"/admin/signups/\d+/$"))
    detail_url = page.url

    # At the desk: an elder with only a landline.
    page.fill("#id_name", "王秀英")
    page.fill("#id_phone", "0371-66668888")
    page.get_by_label("本人的电话").check()
    page.get_by_label("已向本人说明个人信息用途，本人同意").check()
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(r"\?registered=\d+$"))
    panel = page.locator(".desk-registered")
    code = panel.locator(".desk-booking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    assert "请把报名码和活动时间抄给老人" in panel.inner_text()
    assert "0371****8888" in panel.inner_text()
    assert "66668888" not in page.content()
    screenshot(page, "signup-desk-registered")

    # The same number again: the desk is told the existing code, not to register twice.
    page.goto(detail_url)
    page.fill("#id_name", "王秀英")
    page.fill("#id_phone", "037166668888")
    page.get_by_label("已向本人说明个人信息用途，本人同意").check()
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    assert f"报名码 {code}" in page.content() and "无需重复登记" in page.content()
    screenshot(page, "signup-desk-duplicate")

    # Cancelling someone's seat asks first, saying what will happen.
    row = page.locator("table.listing tbody tr", has=page.locator("text=王秀英")).first
    row.get_by_role("button", name=re.compile("取消报名")).click()
    page.wait_for_url(re.compile(r"/cancel/$"))
    question = page.get_by_role("alert").inner_text()
    assert "确定取消 王**（0371****8888）的报名吗？" in question
    screenshot(page, "signup-desk-cancel-confirm")
    # Going back changes nothing.
    page.get_by_role("link", name="不取消，返回名单").click()
    page.wait_for_url(detail_url)
    assert page.locator("h2", has_text="已取消").count() == 0 or "王秀英" not in (
        page.locator("section", has=page.locator("h2", has_text="已取消")).inner_text()
    )
    row = page.locator("table.listing tbody tr", has=page.locator("text=王秀英")).first
    row.get_by_role("button", name=re.compile("取消报名")).click()
    page.get_by_role("button", name="确定取消报名").click()
    page.wait_for_url(detail_url)
    assert "已取消 王** 的报名" in page.content()
    cancelled = page.locator("section", has=page.locator("h2", has_text="已取消"))
    assert "王秀英" in cancelled.inner_text()
    screenshot(page, "signup-desk-cancelled")
    context.close()
    watch.check()
