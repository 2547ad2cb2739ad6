"""The phone header leaves room for the page: at 390×844, on every page type of the demo, in
normal and 长辈模式, the page's own heading starts within the first 250 px, 菜单 opens the menu,
search is one tap away and the 长辈模式 toggle stays in the header. On a desktop the whole menu
is visible. Screenshots of the first screen: test-artifacts/layout-<type>-<normal|elder>.png."""

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

HEADING_TOP_LIMIT = 250

FIXED_PAGES = {
    "home": "/",
    "standard": "/about/",
    "courses": "/courses/",
    "resources": "/resources/",
    "calendar": "/calendar/",
    "forum": "/forum/",
    "schools": "/schools/",
    "district": "/schools/jinshui/",
    "centre": "/schools/jinshui/jingbalu/",
    "school": "/schools/jinshui/jingbalu/jingbalu-1/",
    "learning-point": "/schools/jinshui/jingbalu/jingbalu-3/",
    "news": "/news/",
    "showcase": "/showcase/",
    "search": "/search/?q=%E5%A4%AA%E6%9E%81",
}
# Detail pages reached by following the first link of a listing, so no slug is hard-coded.
FOLLOWED_PAGES = {
    "course": ("/courses/", ".card__title a"),
    "resource": ("/resources/", ".card__title a"),
    "event": ("/calendar/", ".entry__title a[href*='/learning-week/']"),
    "learning-week-edition": ("/learning-week/", ".edition-list h2 a"),
    "lecture": ("/forum/", ".card__title a, .entry__title a"),
    "reading-festival-edition": ("/reading-festival/", ".edition-list h2 a"),
    "news-article": ("/news/", ".card__title a"),
    "signup": ("/courses/", "a.attend__button[href^='/signup/']"),
}


@pytest.fixture(scope="module")
def layout_urls(browser, live_site):
    context = browser.new_context()
    page = context.new_page()
    urls = {name: live_site.url + path for name, path in FIXED_PAGES.items()}
    for name, (listing, selector) in FOLLOWED_PAGES.items():
        if name == "signup":
            continue
        page.goto(live_site.url + listing)
        urls[name] = live_site.url + page.locator(selector).first.get_attribute("href")
    # The sign-up page: the 报名 button of the first course or event that has one.
    for listing in ("/courses/", "/calendar/"):
        page.goto(live_site.url + listing)
        for href in page.locator(".card__title a, .entry__title a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        ):
            page.goto(live_site.url + href)
            button = page.locator("a.attend__button[href^='/signup/']")
            if button.count():
                urls["signup"] = live_site.url + button.first.get_attribute("href")
                break
        if "signup" in urls:
            break
    page.goto(urls["resource"])
    urls["tag"] = live_site.url + page.locator('a[href^="/tags/"]').first.get_attribute("href")
    context.close()
    assert "signup" in urls, "no page of the demo offers a 报名 button"
    return urls


PAGE_TYPES = [
    "home",
    "standard",
    "courses",
    "course",
    "resources",
    "resource",
    "calendar",
    "event",
    "learning-week-edition",
    "forum",
    "lecture",
    "reading-festival-edition",
    "schools",
    "district",
    "centre",
    "school",
    "learning-point",
    "news",
    "news-article",
    "showcase",
    "search",
    "signup",
    "tag",
]


@pytest.mark.parametrize("mode", ["normal", "elder"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_phone_header_leaves_room_for_the_page(browser, live_site, layout_urls, page_type, mode):
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    set_elder_mode(page, live_site.url, mode == "elder")
    page.goto(layout_urls[page_type])
    assert page.evaluate("document.documentElement.classList.contains('elder')") == (
        mode == "elder"
    )

    heading = page.locator("main h1").first
    top = heading.bounding_box()["y"]
    assert top <= HEADING_TOP_LIMIT, f"{page_type} ({mode}): h1 starts at {top:.0f} px"
    # What the first screen shows is what this test is about (a full page costs a quarter more).
    screenshot(page, f"layout-{page_type}-{mode}", full_page=False)

    # The menu is folded: its links are hidden until 菜单 is pressed.
    menu_links = page.locator("#main-nav a")
    assert not menu_links.first.is_visible()
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    # 长辈模式 stays in the header row, next to the site's name.
    elder = page.locator("[data-elder-toggle]")
    assert elder.is_visible() and elder.bounding_box()["y"] < 100

    # Search is one tap away: the box is on screen without opening anything.
    search = page.locator("#site-search-q")
    assert search.is_visible() and search.bounding_box()["y"] < HEADING_TOP_LIMIT

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_links.count() >= 10
    for index in range(menu_links.count()):
        assert menu_links.nth(index).is_visible()
    toggle.click()
    assert not menu_links.first.is_visible()
    context.close()
    watch.check()


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
