"""Every page type, in normal and elder mode, checked in Chromium: axe-core finds no serious or
critical violation (and in elder mode the 7:1 contrast rule is on), controls are big enough to
touch, and nothing is wider than a phone's screen. Screenshots go to test-artifacts/."""

import re

import pytest

from tests.browser_fixtures import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser

FIXED_PAGES = {
    "home": "/",
    "standard": "/about/",
    "policy": "/policies/community-education-2013/",
    "directory": "/schools/",
    "district": "/schools/jinshui/",
    "centre": "/schools/jinshui/jingbalu/",
    "school": "/schools/jinshui/jingbalu/jingbalu-1/",
    "near-me": "/schools/near/?district=jinshui",
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
    context.close()
    return urls


def _context(browser, elder: bool, viewport=PHONE):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    if elder:
        context.add_init_script("localStorage.setItem('zz-elder-mode', 'on')")
    return context


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_page_type_passes_axe_and_fits_a_phone(browser, page_urls, elder):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # Only violations come back: axe skips collecting every passing node (~20 % of its time).
    options = {
        "resultTypes": ["violations"],
        "rules": {"color-contrast-enhanced": {"enabled": elder}},
    }
    context = _context(browser, elder)
    page = context.new_page()
    minimum_target = 60 if elder else 44
    problems, report = [], []
    for name, url in page_urls.items():
        page.goto(url)
        assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
        result = axe.run(page, options=options)
        serious = [
            f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        report.append(
            f"{name}: {url} — {len(result.response['violations'])} violations, {len(serious)} serious/critical"
        )
        problems += [f"{name}: {item}" for item in serious]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            culprits = page.evaluate(WIDER_THAN_SCREEN)
            problems.append(f"{name}: page is {overflow}px wider than the phone screen: {culprits}")
        for box in page.locator(TOUCH_TARGETS).evaluate_all(
            "els => els.map(el => { const r = el.getBoundingClientRect();"
            " return {h: r.height, w: r.width, what: el.outerHTML.slice(0, 80)}; })"
        ):
            if box["h"] and box["h"] + 0.5 < minimum_target:
                problems.append(
                    f"{name}: target {box['h']:.0f}px high < {minimum_target}: {box['what']}"
                )
        if name in ("home", "calendar", "school", "lecture", "directory", "schedule"):
            screenshot(page, f"{name}-{'elder' if elder else 'normal'}-phone")
    context.close()
    print("\n".join(["axe-core checks (" + ("elder" if elder else "normal") + " mode):", *report]))  # noqa: T201 - the report, shown with -s or a failure
    assert not problems, "\n".join(problems)


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


def test_headings_are_in_order_and_images_have_alt(browser, page_urls):
    context = _context(browser, False)
    page = context.new_page()
    for name, url in page_urls.items():
        page.goto(url)
        levels = page.locator("main h1, main h2, main h3, main h4").evaluate_all(
            "els => els.map(el => Number(el.tagName[1]))"
        )
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{name}: {levels}"
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not jumps, f"{name}: heading levels skip {jumps}"
        missing_alt = page.locator("img:not([alt])").count()
        assert missing_alt == 0, f"{name}: {missing_alt} images without alt"
        assert re.search(r"\S", page.title())
    context.close()
