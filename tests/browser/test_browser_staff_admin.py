"""Staff journeys in the admin, in Chromium on a desktop screen (1366×900): the superuser gives
a new colleague a school's community-worker role from 设置 → 社区角色, the colleague logs in and
finds 我的社区; the city editor downloads 参与情况统计 as CSV and XLSX."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.test_browser_journeys import DEMO_PASSWORD, _log_in
from tests.browser_fixtures import screenshot, watch_responses

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
SCHOOL = "经八路街道育才社区学习点"


def _desktop(browser):
    return browser.new_context(
        viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )


@pytest.mark.parametrize(
    "username", ["admin", "editor", "jinshui_moderator", "jinshui_worker"]
)  # fmt: skip
def test_each_role_sees_a_chinese_dashboard_without_broken_avatars(browser, live_site, username):
    context = _desktop(browser)
    page = context.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, username)
    avatars = page.locator("img.avatar, .avatar img")
    assert avatars.count() >= 1
    for index in range(avatars.count()):
        source = avatars.nth(index).get_attribute("src")
        assert "gravatar" not in source and source.startswith("/static/"), source
        assert avatars.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    if username in ("jinshui_moderator", "jinshui_worker"):
        assert "我的社区" in page.content()
    screenshot(page, f"staff-dashboard-{username}")
    context.close()
    watch.check()


def test_the_admin_gives_a_school_worker_role_and_the_worker_finds_my_community(browser, live_site):
    context = _desktop(browser)
    page = context.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "admin")

    # A new colleague, as the superuser adds one; no group ticked on the 角色 tab.
    page.goto(f"{live_site.url}/admin/users/new/")
    assert "Editors" not in page.content() and "Moderators" not in page.content()
    page.fill("#id_username", "zhao_worker")
    page.fill("#id_email", "zhao_worker@zzlearning.example")
    page.fill("#id_first_name", "社工")  # 名
    page.fill("#id_last_name", "赵")  # 姓
    page.fill("#id_password1", DEMO_PASSWORD)
    page.fill("#id_password2", DEMO_PASSWORD)
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/users/$"))

    page.get_by_role("button", name="设置").click()  # the sidebar menu opens its submenu
    page.get_by_role("link", name="社区角色").click()
    page.wait_for_url(re.compile(r"/admin/community-roles/$"))
    page.get_by_label("用户").select_option(label="赵社工（zhao_worker）")
    page.get_by_label("社区工作者").check()
    scope = page.locator("#id_scope option", has_text=SCHOOL).first.get_attribute("value")
    page.locator("#id_scope").select_option(value=scope)
    screenshot(page, "staff-community-roles-form")
    page.get_by_role("button", name="分配角色").click()
    page.wait_for_url(re.compile(r"/admin/community-roles/$"))
    assert "已将 赵社工（zhao_worker） 设为" in page.content()
    holders = page.locator("table.listing")
    assert "zhao_worker" in holders.inner_text() and SCHOOL in holders.inner_text()
    screenshot(page, "staff-community-roles-assigned")
    context.close()
    watch.check()

    context = _desktop(browser)
    page = context.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "zhao_worker")
    panel = page.locator("#my-community-heading").locator("xpath=..")
    assert "我的社区" in panel.inner_text() and SCHOOL in panel.inner_text()
    assert panel.get_by_role("link", name="发布活动").count() >= 1
    screenshot(page, "staff-new-worker-dashboard")
    context.close()
    watch.check()


def _export_link(page, file_format):
    """The 下载 link in the header's 操作 menu (opened first, as a person would)."""
    link = page.locator(f"a[href*='export={file_format}']").first
    if not link.is_visible():
        page.locator("#w-slim-header-buttons").get_by_role("button").first.click()
    return link


def test_the_editor_downloads_the_participation_report_as_csv_and_xlsx(browser, live_site):
    context = _desktop(browser)
    page = context.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "editor")
    page.goto(f"{live_site.url}/admin/reports/participation/district/")
    table = page.locator("table").first
    assert "合计" in table.inner_text() and "课程数" in table.inner_text()
    assert "将在" not in page.content()  # no note promising columns that are already there
    screenshot(page, "staff-participation-report")

    with page.expect_download() as csv_download:
        _export_link(page, "csv").click()
    content = Path(csv_download.value.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("区县,活动数,讲座数,课程数,场次数,报名人数")
    assert lines[-1].startswith("合计,")

    with page.expect_download() as xlsx_download:
        _export_link(page, "xlsx").click()
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    sheet = workbook.active
    assert sheet.title == "参与情况统计"
    assert [cell.value for cell in sheet[sheet.max_row]][0] == "合计"
    context.close()
    watch.check()
