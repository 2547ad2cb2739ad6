"""The Content-Security-Policy reaches the browser and does what it says: the header arrives, the
search suggestions (a same-origin script) still work, and an injected inline script is blocked
and reported. (Every page type reports no violation in normal and 长辈模式:
tests/browser/test_accessibility.py.)"""

from __future__ import annotations

import pytest

from tests.browser_fixtures import CSP_COLLECTOR, new_phone_context

pytestmark = pytest.mark.browser


def test_the_policy_header_reaches_the_browser(browser, live_site):
    context = new_phone_context(browser)
    context.add_init_script(CSP_COLLECTOR)
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
