"""The site's own pages satisfy their Content-Security-Policy in a real browser: Chromium reports
no `securitypolicyviolation` event and no CSP console error on the main pages, elder mode on (the
hashed inline script runs) and off, and the search suggestions and near-me scripts still work."""

from __future__ import annotations

import re

import pytest

from tests.browser_fixtures import new_phone_context

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/courses/",
    "/resources/",
    "/calendar/",
    "/calendar/?view=month",
    "/forum/",
    "/learning-week/",
    "/reading-festival/",
    "/schools/",
    "/schools/near/?lat=34.7570&lng=113.6650",
    "/search/?q=太极",
    "/about/",
]
DETAIL_LINKS = {
    "/courses/": r"/courses/[^/]+/$",
    "/resources/": r"/resources/[^/]+/$",
    "/forum/": r"/forum/[^/]+/$",
}

COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def _visit(page, url, console):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    csp_console = [text for text in console if "Content Security Policy" in text]
    return violations + csp_console


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_main_pages_report_no_csp_violation(browser, live_site, elder):
    context = new_phone_context(browser)
    context.add_init_script(COLLECT)
    if elder:
        context.add_init_script("localStorage.setItem('zz-elder-mode', 'on')")
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    urls = [live_site.url + path for path in PAGES]
    for listing, pattern in DETAIL_LINKS.items():
        page.goto(live_site.url + listing)
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.pathname)")
        # The listings also link their calendar files (…/ics/), which download rather than show.
        detail = next(
            href for href in hrefs if re.search(pattern, href) and not href.endswith("/ics/")
        )
        urls.append(live_site.url + detail)
    problems = {}
    for url in urls:
        console.clear()
        found = _visit(page, url, console)
        if found:
            problems[url] = found
        response_has_policy = page.evaluate("document.documentElement.className")
        if elder:
            # The hashed inline script ran: elder mode is on before the first paint.
            assert "elder" in response_has_policy, url
    assert problems == {}
    context.close()


def test_the_policy_header_reaches_the_browser(browser, live_site):
    context = new_phone_context(browser)
    context.add_init_script(COLLECT)
    page = context.new_page()
    response = page.goto(live_site.url + "/")
    headers = response.all_headers()
    assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "geolocation=(self)" in headers["permissions-policy"]
    # The search suggestions script (a same-origin file) still works under the policy.
    page.get_by_role("combobox").first.fill("太极")
    page.wait_for_timeout(800)
    # The collector works: an injected inline script is blocked and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.head.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert "script-src" in page.evaluate("window.__cspViolations")[0]
    context.close()
