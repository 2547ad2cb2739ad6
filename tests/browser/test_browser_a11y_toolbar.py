"""The 适老化工具 (MIIT 互联网网站适老化通用设计规范) in Chromium at phone size: 页面放大 reflows the page
(root font size, no horizontal scroll at 390 px), 高对比度 gives at least 7:1, 大鼠标 puts our own
64 px cursor files on the page, 读屏 hands the focused or pointed-at text to speechSynthesis in
zh-CN; every choice survives another page and a reload and is on <html> before the first paint;
everything works by keyboard; axe-core finds nothing serious in any of them, normal and 长辈模式;
no CSP violation. Screenshots: test-artifacts/a11y-toolbar-*.png."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import (
    ARTIFACTS,
    CSP_COLLECTOR,
    DESKTOP,
    new_phone_context,
    watch_responses,
)

pytestmark = pytest.mark.browser

# Before any page script runs: what <html> carries when <body> first appears (so before the first
# paint), speechSynthesis recorded instead of spoken, and CSP violations collected.
INIT = (
    """
window.__firstBodyClass = null;
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__firstBodyClass = document.documentElement.className;
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
window.__spoken = [];
window.__cancelled = 0;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
  };
  const cancel = window.speechSynthesis.cancel.bind(window.speechSynthesis);
  window.speechSynthesis.cancel = () => { window.__cancelled += 1; cancel(); };
}
"""
    + CSP_COLLECTOR
)
CONTRAST = """(element) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const bg = rgb(getComputedStyle(node).backgroundColor);
    if (bg.length < 4 || bg[3] > 0) { background = bg; break; }
    node = node.parentElement;
  }
  background = background || [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(element).color)), lum(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
ROOT_FONT = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
HTML_HAS = "name => document.documentElement.classList.contains(name)"


def screenshot(page, name: str) -> None:
    """What the phone's screen shows (the toolbar is fixed at its foot, so not the full page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _context(browser, **options):
    context = new_phone_context(browser, **options)
    context.add_init_script(INIT)
    return context


def _tool(page, label):
    return page.locator("[data-a11y-toolbar]").get_by_role("button", name=label, exact=True)


def _no_csp_violations(page):
    assert page.evaluate("window.__cspViolations") == []


def test_each_tool_changes_the_page_and_is_remembered(browser, live_site):
    context = _context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/courses/")
    toolbar = page.locator("[data-a11y-toolbar]")
    assert not toolbar.is_visible()
    # No template comment leaks into the page (a stray text node in <head> would open <body> early).
    assert "#}" not in page.content() and "{#" not in page.content()
    # On a phone 适老化工具 is at the foot of the open 菜单.
    opener = page.locator(".a11y-opener--phone")
    assert not opener.is_visible()
    page.get_by_role("button", name="菜单").click()
    assert opener.is_visible() and opener.get_attribute("aria-expanded") == "false"
    opener.click()
    assert toolbar.is_visible() and opener.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.textContent.trim()") == "缩小"
    box = toolbar.bounding_box()
    assert box["y"] + box["height"] <= 844 + 0.5 and box["width"] <= 390
    for button in toolbar.get_by_role("button").all():
        if button.is_visible():
            assert button.bounding_box()["height"] >= 44
    assert page.evaluate(OVERFLOW) <= 1

    # 页面放大: 125 %, 150 %, 200 %; the root font size scales the rem layout, which reflows.
    heading = page.locator("main h1")
    assert page.evaluate(ROOT_FONT) == 16
    h1_size = heading.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    card_text = page.locator(".card__title").first
    card_height = card_text.bounding_box()["height"]
    assert _tool(page, "缩小").get_attribute("aria-disabled") == "true"
    for level, font in ((125, 20), (150, 24), (200, 32)):
        _tool(page, "放大").click()
        assert page.evaluate(ROOT_FONT) == font
        assert page.locator("[data-a11y-level]").inner_text() == f"{level}%"
        assert heading.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") == pytest.approx(
            h1_size * level / 100
        )
        assert page.evaluate(OVERFLOW) <= 1, f"horizontal scroll at {level}%"
    assert _tool(page, "放大").get_attribute("aria-disabled") == "true"
    # Reflowed, not scaled: the card title wraps onto more lines within the same width.
    assert card_text.bounding_box()["width"] <= 390
    assert card_text.bounding_box()["height"] > card_height * 1.5
    _tool(page, "缩小").click()
    assert page.evaluate(ROOT_FONT) == 24
    # The toolbar itself keeps its size.
    assert toolbar.evaluate("el => getComputedStyle(el).fontSize") == "16px"

    # 高对比度: black ground, white text, yellow underlined links, all at least 7:1.
    contrast = _tool(page, "高对比度")
    contrast.click()
    assert contrast.get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert heading.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    link = page.locator("main .card__title a").first
    assert link.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 0)"
    assert "underline" in link.evaluate("el => getComputedStyle(el).textDecorationLine")
    for selector in ("main h1", "main .card__title a", "main p", ".site-name", "[data-a11y-level]"):
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 7, f"{selector}: {ratio:.1f}:1"
    assert contrast.evaluate(CONTRAST) >= 7

    # 大鼠标: our own arrow everywhere, our own hand over links and buttons.
    cursor = _tool(page, "大鼠标")
    cursor.click()
    assert cursor.get_attribute("aria-pressed") == "true"
    assert "/static/img/cursor-arrow.svg" in heading.evaluate("el => getComputedStyle(el).cursor")
    assert "/static/img/cursor-pointer.svg" in link.evaluate("el => getComputedStyle(el).cursor")
    assert "/static/img/cursor-pointer.svg" in cursor.evaluate("el => getComputedStyle(el).cursor")
    for name, kind in (
        ("cursor-arrow.svg", "image/svg+xml"),
        ("cursor-pointer.svg", "image/svg+xml"),
        ("cursor-arrow.png", "image/png"),
        ("cursor-pointer.png", "image/png"),
    ):
        response = page.request.get(f"{live_site.url}/static/img/{name}")
        assert response.status == 200 and response.headers["content-type"].startswith(kind), name
    assert (
        b'width="64" height="64"'
        in page.request.get(f"{live_site.url}/static/img/cursor-pointer.svg").body()
    )

    # 读屏 on: the focused link is read aloud in Mandarin.
    reader = _tool(page, "语音读屏")
    reader.click()
    assert reader.get_attribute("aria-pressed") == "true"
    assert "语音读屏已开启" in page.evaluate("window.__spoken.at(-1).text")
    screenshot(page, "a11y-toolbar-normal-contrast-zoom150-phone")

    # Another page, then a reload: every choice is back before the first paint.
    with page.expect_navigation():
        link.click()
    for _ in range(2):
        first = page.evaluate("window.__firstBodyClass").split()
        assert {"a11y-open", "a11y-zoom-150", "a11y-contrast", "a11y-cursor", "a11y-reader"} <= set(
            first
        )
        assert "elder" not in first
        assert page.evaluate(ROOT_FONT) == 24
        assert page.locator("[data-a11y-level]").inner_text() == "150%"
        for label in ("高对比度", "大鼠标", "语音读屏"):
            assert _tool(page, label).get_attribute("aria-pressed") == "true"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
        assert "cursor-arrow.svg" in page.evaluate("getComputedStyle(document.body).cursor")
        assert page.evaluate(OVERFLOW) <= 1
        _no_csp_violations(page)
        page.reload()

    # 全部还原: back to the defaults, here and on the next page.
    cancelled = page.evaluate("window.__cancelled")
    _tool(page, "全部还原").click()
    assert page.evaluate(ROOT_FONT) == 16
    for name in ("a11y-zoom-150", "a11y-contrast", "a11y-cursor", "a11y-reader"):
        assert not page.evaluate(HTML_HAS, name)
    for label in ("高对比度", "大鼠标", "语音读屏"):
        assert _tool(page, label).get_attribute("aria-pressed") == "false"
    assert page.evaluate("window.__cancelled") > cancelled
    assert (
        page.evaluate(
            "['zz-zoom', 'zz-contrast', 'zz-cursor', 'zz-reader'].map(k => localStorage.getItem(k))"
        )
        == [None] * 4
    )
    # 收起工具 folds it away (in normal mode until 适老化工具 is pressed again).
    _tool(page, "收起工具").click()
    assert not toolbar.is_visible()
    page.reload()
    assert not toolbar.is_visible() and page.evaluate("window.__firstBodyClass") == ""
    _no_csp_violations(page)
    context.close()
    watch.check()


def test_reader_speaks_what_is_focused_or_pointed_at(browser, live_site):
    context = _context(browser)
    context.add_init_script(
        "localStorage.setItem('zz-a11y-bar', 'open'); localStorage.setItem('zz-reader', 'on')"
    )
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/about/")
    speaking = page.locator("[data-a11y-speaking]")
    assert page.evaluate("window.__spoken") == [] and not speaking.is_visible()

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    assert page.evaluate("window.__spoken.at(-1)") == {"text": "跳到主要内容", "lang": "zh-CN"}
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "site-name"
    # The site's name, without the decorative 学 of the logo.
    assert page.evaluate("window.__spoken.at(-1)") == {"text": "郑州终身学习网", "lang": "zh-CN"}
    assert speaking.is_visible() and "正在朗读" in speaking.inner_text()
    assert "郑州终身学习网" in speaking.inner_text()

    # The mouse: pointing at the heading reads it.
    heading = page.locator("main h1")
    heading.hover()
    page.wait_for_function(
        "text => window.__spoken.at(-1).text === text", arg=heading.inner_text().strip()
    )
    assert page.evaluate("window.__spoken.at(-1).lang") == "zh-CN"

    # 停止朗读 stops it; turning 读屏 off stops it and reads nothing more.
    cancelled = page.evaluate("window.__cancelled")
    page.get_by_role("button", name="停止朗读").click()
    assert page.evaluate("window.__cancelled") > cancelled and not speaking.is_visible()
    reader = _tool(page, "语音读屏")
    reader.click()
    assert reader.get_attribute("aria-pressed") == "false"
    cancelled = page.evaluate("window.__cancelled")
    count = len(page.evaluate("window.__spoken"))
    reader.click()  # on again (reads its greeting) ...
    reader.click()  # ... and off
    assert page.evaluate("window.__cancelled") > cancelled
    assert len(page.evaluate("window.__spoken")) == count + 1
    page.keyboard.press("Tab")
    heading.hover()
    page.wait_for_timeout(500)
    assert len(page.evaluate("window.__spoken")) == count + 1
    assert page.evaluate("localStorage.getItem('zz-reader')") is None
    _no_csp_violations(page)
    context.close()
    watch.check()


def test_keyboard_alone_reaches_and_works_every_tool(browser, live_site):
    context = _context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/calendar/")

    def tab_to(predicate: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(el => {predicate})(document.activeElement)"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    # Normal mode, phone: 菜单 (Space), then 适老化工具 (Enter) opens the toolbar on its first tool.
    tab_to("el.matches('[data-menu-toggle]')")
    page.keyboard.press("Space")
    tab_to("el.matches('[data-a11y-open]')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent.trim()") == "缩小"
    tab_to("el.textContent.trim() === '放大'", limit=3)
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.evaluate(ROOT_FONT) == 24
    tab_to("el.textContent.trim() === '高对比度'", limit=2)
    page.keyboard.press("Space")
    assert page.evaluate(HTML_HAS, "a11y-contrast")
    # The focus ring is thick, yellow and on the black toolbar.
    ring = page.evaluate(
        "(s => s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor)"
        "(getComputedStyle(document.activeElement))"
    )
    assert ring == "solid 4px rgb(255, 255, 0)"
    tab_to("el.textContent.trim() === '大鼠标'", limit=2)
    page.keyboard.press("Enter")
    assert page.evaluate(HTML_HAS, "a11y-cursor")
    tab_to("el.textContent.trim() === '语音读屏'", limit=2)
    page.keyboard.press("Space")
    assert page.evaluate(HTML_HAS, "a11y-reader")
    page.keyboard.press("Tab")
    assert page.evaluate("window.__spoken.at(-1).text") == "全部还原"
    page.keyboard.press("Enter")
    for name in ("a11y-zoom-150", "a11y-contrast", "a11y-cursor", "a11y-reader"):
        assert not page.evaluate(HTML_HAS, name)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 收起工具: the focus goes back to 适老化工具
    assert not page.evaluate(HTML_HAS, "a11y-open")
    assert page.evaluate("document.activeElement.matches('[data-a11y-open]')")

    # 长辈模式 (its header button, by keyboard) shows the toolbar; 收起工具 leaves one button
    # at the foot of the screen that brings it back.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("[data-elder-toggle]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(HTML_HAS, "elder") and page.evaluate(HTML_HAS, "a11y-open")
    toolbar = page.locator("[data-a11y-toolbar]")
    assert toolbar.is_visible()
    for button in toolbar.get_by_role("button").all():
        if button.is_visible():
            assert button.bounding_box()["height"] >= 60
    assert not page.locator("[data-a11y-open]").first.is_visible()
    assert not page.locator("[data-a11y-open]").last.is_visible()
    tab_to("el.textContent.trim() === '收起工具'", limit=80)
    page.keyboard.press("Enter")
    reopen = page.locator("[data-a11y-reopen]")
    assert not toolbar.is_visible() and reopen.is_visible()
    assert reopen.bounding_box()["height"] >= 60
    assert page.evaluate("document.activeElement.matches('[data-a11y-reopen]')")
    page.reload()
    assert not toolbar.is_visible() and reopen.is_visible()
    reopen.focus()
    page.keyboard.press("Space")
    assert toolbar.is_visible()
    assert page.evaluate("localStorage.getItem('zz-a11y-bar')") is None
    _no_csp_violations(page)
    context.close()
    watch.check()


def test_no_dead_controls_without_javascript(browser, live_site):
    context = new_phone_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_site.url + "/")
    assert not page.locator("[data-a11y-toolbar]").is_visible()
    assert not page.locator("[data-a11y-reopen]").is_visible()
    page.get_by_role("link", name="菜单").click()
    assert page.locator("#main-nav").is_visible()
    assert page.locator("[data-a11y-open]").count() == 2
    assert not page.locator("[data-a11y-open]").first.is_visible()
    assert not page.locator("[data-a11y-open]").last.is_visible()
    context.close()


# 大鼠标 alone changes only the pointer's image, which axe cannot see: it is checked with the
# others in "all" (and on its own, for what it does, above).
COMBINATIONS = {
    "zoom-200": {"zz-zoom": "200"},
    "contrast": {"zz-contrast": "on"},
    "reader": {"zz-reader": "on"},
    "all": {"zz-zoom": "200", "zz-contrast": "on", "zz-cursor": "on", "zz-reader": "on"},
}
AXE_PAGES = ["/", "/courses/", "/calendar/"]


def test_axe_finds_nothing_serious_with_any_tool_normal_and_elder(browser, live_site):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = _context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/courses/")
    detail = page.locator(".card__title a").first.get_attribute("href")
    problems = []
    for elder in (False, True):
        for name, settings in COMBINATIONS.items():
            page.evaluate(
                "([elder, settings]) => { localStorage.clear();"
                " if (elder) localStorage.setItem('zz-elder-mode', 'on');"
                " else localStorage.setItem('zz-a11y-bar', 'open');"
                " for (const [k, v] of Object.entries(settings)) localStorage.setItem(k, v); }",
                [elder, settings],
            )
            # The 7:1 rule too wherever the page promises it (长辈模式, 高对比度).
            options = {
                "resultTypes": ["violations"],  # passing nodes not collected: less work
                "rules": {
                    "color-contrast-enhanced": {"enabled": elder or "zz-contrast" in settings}
                },
            }
            for path in [*AXE_PAGES, detail]:
                page.goto(live_site.url + path)
                assert page.evaluate(HTML_HAS, "a11y-open")
                result = axe.run(page, options=options)
                label = f"{'elder' if elder else 'normal'}/{name} {path}"
                problems += [
                    f"{label}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                    for v in result.response["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                overflow = page.evaluate(OVERFLOW)
                if overflow > 1:
                    problems.append(f"{label}: {overflow}px wider than the phone")
                violations = page.evaluate("window.__cspViolations")
                if violations:
                    problems.append(f"{label}: CSP {violations}")
        if elder:
            page.evaluate(
                "localStorage.setItem('zz-zoom', '150'); localStorage.setItem('zz-contrast', 'on');"
                " localStorage.removeItem('zz-cursor'); localStorage.removeItem('zz-reader')"
            )
            page.goto(live_site.url + "/courses/")
            screenshot(page, "a11y-toolbar-elder-contrast-zoom150-phone")
            page.evaluate(
                "localStorage.removeItem('zz-contrast'); localStorage.removeItem('zz-zoom')"
            )
            page.goto(live_site.url + "/courses/")
            screenshot(page, "a11y-toolbar-elder-phone")
        else:
            page.evaluate("localStorage.clear(); localStorage.setItem('zz-a11y-bar', 'open')")
            page.goto(live_site.url + "/courses/")
            screenshot(page, "a11y-toolbar-normal-phone")
    context.close()
    watch.check()
    assert not problems, "\n".join(problems)


def test_desktop_opens_the_toolbar_from_the_header_row(browser, live_site):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.add_init_script(INIT)
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + "/calendar/")
    opener = page.locator(".a11y-opener--wide")
    assert opener.is_visible() and opener.bounding_box()["y"] < 100
    assert not page.locator(".a11y-opener--phone").is_visible()
    opener.click()
    toolbar = page.locator("[data-a11y-toolbar]")
    assert toolbar.is_visible() and toolbar.bounding_box()["height"] < 80  # one row
    _tool(page, "放大").click()
    assert page.evaluate(OVERFLOW) <= 1
    screenshot(page, "a11y-toolbar-desktop")
    _no_csp_violations(page)
    context.close()
    watch.check()
