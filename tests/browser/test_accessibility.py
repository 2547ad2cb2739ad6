"""Every page type of the demo, on a phone (390×844) in normal and 长辈模式, visited once per mode
in Chromium and checked for everything a page owes a resident there:

- axe-core finds no serious or critical violation (in 长辈模式 the 7:1 contrast rule is on);
- controls are big enough to touch and nothing is wider than the screen;
- headings start at one h1 and skip no level, every image has alt text, the page has a title;
- the Content-Security-Policy holds: no `securitypolicyviolation` event, no CSP console error
  (in 长辈模式 the hashed inline script has run: the mode is on before the first paint);
- the phone header leaves room for the page: the h1 starts within the first 250 px, the search
  box is on screen, 长辈模式 stays in the header row, 菜单 opens and folds the whole menu;
- no response is an error, except the 404 page's own.

One visit per page and mode for all of it (each check in its own module once loaded every page
again). Screenshots go to test-artifacts/: layout-<type>-<mode>.png (the first screen) and full
pages of the main types."""

import re

import pytest

from tests.browser_fixtures import (
    CSP_COLLECTOR,
    DESKTOP,
    new_phone_context,
    screenshot,
    watch_responses,
)

pytestmark = pytest.mark.browser

FIXED_PAGES = {
    "home": "/",
    "standard": "/about/",
    "policy": "/policies/community-education-2013/",
    "directory": "/schools/",
    "district": "/schools/jinshui/",
    "centre": "/schools/jinshui/jingbalu/",
    "school": "/schools/jinshui/jingbalu/jingbalu-1/",
    "learning-point": "/schools/jinshui/jingbalu/jingbalu-3/",
    "near-me": "/schools/near/?district=jinshui",
    "near-me-located": "/schools/near/?lat=34.7570&lng=113.6650",
    "calendar": "/calendar/",
    "calendar-month": "/calendar/?view=month",
    "calendar-filtered": "/calendar/?range=week&audience=elderly",
    "learning-week": "/learning-week/",
    "forum": "/forum/",
    "lecture": "/forum/lecture-2/",
    "reading-festival": "/reading-festival/",
    "resources": "/resources/",
    "courses": "/courses/",
    "search": "/search/?q=%E5%A4%AA%E6%9E%81",
    "search-empty": "/search/",
    "search-no-results": "/search/?q=%E7%81%AB%E6%98%9F%E7%99%BB%E9%99%86",
    "not-found": "/no-such-page/",
    "news": "/news/",
    "news-notices": "/news/?kind=notice",
    "showcase": "/showcase/",
    "organisations": "/showcase/organisations/?kind=community",
    "honours": "/showcase/honours/",
    "organisation": "/showcase/organisations/weilai-community/",
    "honour-with-video": "/showcase/honours/star-retired-teacher/",
    "teachers": "/teachers/",
    "volunteer": "/volunteer/",
    "statistics": "/statistics/",
}
# Detail pages reached by following the first link of a listing, so no slug is hard-coded.
FOLLOWED_PAGES = {
    "event": ("/calendar/", ".entry__title a"),
    "forum-lecture": ("/forum/", ".card__title a, .entry__title a"),
    "learning-week-edition": ("/learning-week/", ".edition-list h2 a"),
    "reading-festival-edition": ("/reading-festival/", ".edition-list h2 a"),
    "resource": ("/resources/", ".card__title a"),
    "course": ("/courses/", ".card__title a"),
    "news-article": ("/news/", ".card__title a"),
    "teacher": ("/teachers/", ".speaker__name a"),
}
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map((el) => el.tagName + "." + el.className)"""
TOUCH_TARGETS = (
    "button:visible, select:visible, input:not([type=hidden]):visible, summary:visible, "
    ".main-nav a:visible, .button:visible, .pagination a:visible, .quick-ranges a:visible, "
    ".quick-links a:visible, .map-link:visible"
)
HEADING_TOP_LIMIT = 250
# Pages without the site's header: the printable week (its own sheet, checked in
# tests/browser/test_browser_schedules.py).
WITHOUT_SITE_HEADER = {"schedule"}
# Pages whose scripts fetch after the load (suggestions, the map of places near me): the CSP
# check waits until the network is quiet there.
LATE_SCRIPTS = {"near-me", "near-me-located", "search", "home"}
FULL_PAGE_SCREENSHOTS = {"home", "calendar", "school", "lecture", "directory", "schedule"}
EXPECTED_STATUS = {"not-found": (404,)}


@pytest.fixture(scope="module")
def page_urls(browser, live_site):
    context = browser.new_context()
    page = context.new_page()
    urls = {name: live_site.url + path for name, path in FIXED_PAGES.items()}
    for name, (listing, selector) in FOLLOWED_PAGES.items():
        page.goto(live_site.url + listing)
        urls[name] = live_site.url + page.locator(selector).first.get_attribute("href")
    page.goto(urls["resource"])
    tag_link = page.locator('a[href^="/tags/"]').first
    urls["tag"] = live_site.url + tag_link.get_attribute("href")
    page.goto(live_site.url + "/courses/?mode=online")
    page.locator(".card__title a").first.click()
    page.wait_for_load_state()
    urls["lesson"] = page.url + "lessons/1/"
    page.goto(urls["school"])
    schedule = page.get_by_role("link", name="打印本周课程表（大字版）").get_attribute("href")
    urls["schedule"] = live_site.url + schedule
    # The sign-up form: the 报名 button of the first course or event that has one.
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
    context.close()
    assert "signup" in urls, "no page of the demo offers a 报名 button"
    return urls


def _axe_problems(axe, page, elder: bool) -> list[str]:
    options = {
        # Only violations come back: axe skips collecting every passing node (~20 % of its time).
        "resultTypes": ["violations"],
        "rules": {"color-contrast-enhanced": {"enabled": elder}},
    }
    result = axe.run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _fit_and_touch_problems(page, elder: bool) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        culprits = page.evaluate(WIDER_THAN_SCREEN)
        problems.append(f"page is {overflow}px wider than the phone screen: {culprits}")
    minimum_target = 60 if elder else 44
    for box in page.locator(TOUCH_TARGETS).evaluate_all(
        "els => els.map(el => { const r = el.getBoundingClientRect();"
        " return {h: r.height, w: r.width, what: el.outerHTML.slice(0, 80)}; })"
    ):
        if box["h"] and box["h"] + 0.5 < minimum_target:
            problems.append(f"target {box['h']:.0f}px high < {minimum_target}: {box['what']}")
    return problems


def _outline_problems(page) -> list[str]:
    problems = []
    levels = page.locator("main h1, main h2, main h3, main h4").evaluate_all(
        "els => els.map(el => Number(el.tagName[1]))"
    )
    if not (levels and levels[0] == 1 and levels.count(1) == 1):
        problems.append(f"headings do not start at one h1: {levels}")
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    if jumps:
        problems.append(f"heading levels skip {jumps}")
    missing_alt = page.locator("img:not([alt])").count()
    if missing_alt:
        problems.append(f"{missing_alt} images without alt")
    if not re.search(r"\S", page.title()):
        problems.append("the page has no title")
    return problems


def _header_problems(page) -> list[str]:
    """The phone header leaves room for the page, and 菜单 opens and folds the whole menu."""
    problems = []
    top = page.locator("main h1").first.bounding_box()["y"]
    if top > HEADING_TOP_LIMIT:
        problems.append(f"h1 starts at {top:.0f} px (limit {HEADING_TOP_LIMIT})")
    # 长辈模式 stays in the header row, next to the site's name.
    elder_toggle = page.locator("[data-elder-toggle]")
    if not (elder_toggle.is_visible() and elder_toggle.bounding_box()["y"] < 100):
        problems.append("the 长辈模式 switch is not in the header row")
    # Search is one tap away: the box is on screen without opening anything.
    search = page.locator("#site-search-q")
    if not (search.is_visible() and search.bounding_box()["y"] < HEADING_TOP_LIMIT):
        problems.append("the search box is not on the first screen")
    # The menu is folded: its links are hidden until 菜单 is pressed.
    menu_links = page.locator("#main-nav a")
    toggle = page.get_by_role("button", name="菜单")
    if menu_links.first.is_visible() or toggle.get_attribute("aria-expanded") != "false":
        problems.append("the menu is not folded behind 菜单")
    toggle.click()
    shown = menu_links.evaluate_all("links => links.filter(link => link.checkVisibility()).length")
    if toggle.get_attribute("aria-expanded") != "true" or shown < 10 or shown != menu_links.count():
        problems.append(f"菜单 shows {shown} of {menu_links.count()} menu links")
    toggle.click()
    if menu_links.first.is_visible():
        problems.append("菜单 pressed again leaves the menu open")
    return problems


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_page_type_on_a_phone(browser, page_urls, elder):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    mode = "elder" if elder else "normal"
    context = new_phone_context(browser)
    context.add_init_script(CSP_COLLECTOR)
    if elder:
        context.add_init_script("localStorage.setItem('zz-elder-mode', 'on')")
    page = context.new_page()
    watch = watch_responses(page)
    console = []
    page.on("console", lambda message: console.append(message.text))
    problems, report = [], []
    for name, url in page_urls.items():
        console.clear()
        with watch.expecting(*EXPECTED_STATUS.get(name, ())):
            page.goto(url)
            if name in LATE_SCRIPTS:
                page.wait_for_load_state("networkidle")
        found = []
        # The hashed inline script ran: 长辈模式 is on before the first paint.
        if page.evaluate("document.documentElement.classList.contains('elder')") is not elder:
            found.append(f"长辈模式 is {'off' if elder else 'on'}")
        found += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations")]
        found += [f"CSP console: {text}" for text in console if "Content Security Policy" in text]
        axe_found = _axe_problems(axe, page, elder)
        report.append(f"{name}: {url} — {len(axe_found)} serious/critical")
        found += axe_found
        found += _fit_and_touch_problems(page, elder)
        found += _outline_problems(page)
        if name in FULL_PAGE_SCREENSHOTS:
            screenshot(page, f"{name}-{mode}-phone")
        if name not in WITHOUT_SITE_HEADER:
            # What the first screen shows is what the header check is about.
            screenshot(page, f"layout-{name}-{mode}", full_page=False)
            found += _header_problems(page)
        problems += [f"{name}: {item}" for item in found]
    context.close()
    print("\n".join([f"axe-core checks ({mode} mode):", *report]))  # noqa: T201 - the report, shown with -s or a failure
    assert not problems, "\n".join(problems)
    watch.check()


def _context(browser, elder: bool, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    if elder:
        context.add_init_script("localStorage.setItem('zz-elder-mode', 'on')")
    return context


def test_desktop_screenshots_and_no_overflow(browser, page_urls):
    for elder in (False, True):
        context = _context(browser, elder, viewport=DESKTOP)
        page = context.new_page()
        for name in ("home", "calendar", "calendar-month", "directory", "lecture", "event"):
            page.goto(page_urls[name])
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} overflows the desktop window by {overflow}px"
            screenshot(page, f"{name}-{'elder' if elder else 'normal'}-desktop")
        context.close()


def test_keyboard_reaches_the_main_content_and_focus_is_visible(phone, live_site):
    phone.goto(live_site.url + "/calendar/")
    phone.keyboard.press("Tab")
    skip = phone.locator(":focus")
    assert skip.inner_text() == "跳到主要内容"
    outline = skip.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"
    # Every form control on the page has a label a screen reader announces.
    unlabelled = phone.locator("select, input:not([type=hidden]), textarea").evaluate_all(
        "els => els.filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))"
        ".map(el => el.outerHTML.slice(0, 80))"
    )
    assert unlabelled == []
