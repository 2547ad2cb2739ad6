"""The header's menu and search beyond one page's first screen: 菜单 works without JavaScript,
the search box's placeholder fits a phone and one tap reaches results, a desktop shows the whole
menu, and long search titles wrap as text in 长辈模式. (On every page type, in normal and
长辈模式, the phone header's room for the page and its 菜单 are checked in
tests/browser/test_accessibility.py, in the same visit as the page's other checks.)"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser_fixtures import (
    DESKTOP,
    new_phone_context,
    screenshot,
    set_elder_mode,
    watch_responses,
)

pytestmark = pytest.mark.browser


def test_phone_menu_opens_without_javascript(browser, live_site):
    context = new_phone_context(browser, java_script_enabled=False)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/courses/")
    assert not page.locator("#main-nav a").first.is_visible()
    page.get_by_role("link", name="菜单").click()
    assert page.locator("#main-nav").get_by_role("link", name="郑州讲坛").is_visible()
    page.get_by_role("link", name="郑州讲坛").click()
    assert page.locator("main h1").first.inner_text().startswith("郑州讲坛")
    context.close()
    watch.check()


def test_phone_search_reaches_results_in_one_tap(browser, live_site):
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/news/")
    search = page.locator("#site-search-q")
    placeholder = search.get_attribute("placeholder")
    # The whole placeholder fits in the box at 390 px.
    assert page.evaluate(
        """(input) => {
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(input).font;
            probe.textContent = input.placeholder;
            document.body.appendChild(probe);
            const text = probe.getBoundingClientRect().width;
            probe.remove();
            const style = getComputedStyle(input);
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return text <= room;
        }""",
        search.element_handle(),
    ), f"placeholder {placeholder!r} is cut off"
    search.fill("太极")
    search.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("main h1").first.is_visible()
    context.close()
    watch.check()


def test_desktop_shows_the_whole_menu(browser, live_site):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/courses/")
    links = page.locator("#main-nav a")
    assert links.count() >= 10
    for index in range(links.count()):
        assert links.nth(index).is_visible()
    assert not page.locator("[data-menu-toggle]").is_visible()
    screenshot(page, "layout-courses-desktop")
    context.close()
    watch.check()


def test_elder_mode_search_titles_wrap_as_text(browser, live_site):
    """A long highlighted title reads as two or three lines of text in 长辈模式, not as columns
    of two characters each (the highlighted pieces once became flex items)."""
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    set_elder_mode(page, live_site.url, True)
    page.goto(f"{live_site.url}/search/?q={quote('老年人学用智能手机')}")
    lines = page.locator(".search-result__title a").evaluate_all(
        """links => links.map(link => {
            const range = document.createRange();
            range.selectNodeContents(link);
            const tops = [...range.getClientRects()].map(rect => rect.top).sort((a, b) => a - b);
            const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > 8).length;
            return [link.textContent.trim(), lines];
        })"""
    )
    assert lines, "no results for 老年人学用智能手机"
    for title, count in lines:
        assert count <= 3, f"{title!r} takes {count} lines at phone width in 长辈模式"
    context.close()
    watch.check()
