"""The large-print weekly schedule and the 扫码分享 QR codes in a real browser: a resident on a
phone finds a learning point's schedule, the sheet prints on A4 without the site's header and
menu in large type, its PDF downloads and reads back, and an event page's QR code, as the screen
shows it, decodes to the page."""

from __future__ import annotations

import io
import json
import urllib.request

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from tests.browser_fixtures import ARTIFACTS, CSP_COLLECTOR, screenshot

pytestmark = pytest.mark.browser

A4_WIDTH_PX = 794  # 210 mm at the 96 px per inch CSS reads
PT18_PX = 24  # 18 pt in CSS pixels


def _first_learning_point(live_site) -> dict:
    with urllib.request.urlopen(f"{live_site.url}/schools/geojson/", timeout=10) as response:
        features = json.loads(response.read())["features"]
    # The first school in tree order hosts a weekly tai chi class in the demo.
    return next(feature for feature in features if feature["properties"]["tier"] == 4)


def _decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_a_resident_prints_a_learning_points_week_and_downloads_its_pdf(watched_phone, live_site):
    page = watched_phone
    page.context.add_init_script(CSP_COLLECTOR)
    school = _first_learning_point(live_site)
    school_url = school["properties"]["url"]
    page.goto(school_url)
    name = page.locator("h1").inner_text()
    link = page.get_by_role("link", name="打印本周课程表（大字版）")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/schedule/*/")
    assert page.locator("h1").inner_text() == name
    items = page.locator(".schedule-item")
    assert items.count() > 0
    assert "每周太极拳晨练" in page.locator(".schedule").inner_text()
    assert page.get_by_role("link", name="本周").get_attribute("aria-current") == "page"
    screenshot(page, "schedule-phone")
    assert page.evaluate("window.__cspViolations") == []

    # Printed on A4: the sheet alone, in type one reads from a step away.
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "#main-nav", ".schedule__weeks", ".button"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for selector in (".schedule-item__time", ".schedule-item__title", ".schedule-item__meta"):
        sizes = page.locator(selector).evaluate_all(
            "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))"
        )
        assert sizes and min(sizes) >= PT18_PX, (selector, sizes)
    assert page.locator(".schedule__printed").is_visible()
    assert "扫码查看最新安排" in page.locator(".schedule__qr").inner_text()
    screenshot(page, "schedule-print-a4")
    # Chromium's own print of the page: A4, and its QR code opens the learning point's page.
    printed = page.pdf(format="A4", print_background=True)
    sheet = PdfReader(io.BytesIO(printed)).pages[0]
    # A4 is 595.3 × 841.9 pt; Chromium rounds the inches up a little.
    assert float(sheet.mediabox.width) == pytest.approx(595.3, abs=1.5)
    assert float(sheet.mediabox.height) == pytest.approx(841.9, abs=1.5)
    rendering = pypdfium2.PdfDocument(printed)[0].render(scale=2).to_pil()
    assert [result.text for result in zxingcpp.read_barcodes(rendering)] == [school_url]

    # 下载 PDF: the same week as a PDF file.
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        content = handle.read()
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert name in text and "每周太极拳晨练" in text and "扫码查看最新安排" in text
    # Its first page as a picture beside the screenshots, and its QR code read from that.
    rendering = pypdfium2.PdfDocument(content)[0].render(scale=2).to_pil()
    rendering.save(ARTIFACTS / "schedule-pdf-page1.png")
    assert [result.text for result in zxingcpp.read_barcodes(rendering)] == [school_url]


def test_an_event_pages_qr_code_opens_the_event(watched_phone, live_site):
    page = watched_phone
    page.context.add_init_script(CSP_COLLECTOR)
    page.goto(_first_learning_point(live_site)["properties"]["url"])
    page.locator("#section-events-here").locator("xpath=ancestor::section[1]").locator(
        "a", has_text="每周太极拳晨练"
    ).first.click()
    page.wait_for_load_state()
    block = page.locator(".share-qr")
    block.scroll_into_view_if_needed()
    assert block.locator("h2").inner_text() == "扫码分享"
    code = block.locator("svg")
    assert code.get_attribute("aria-label") == "本页二维码，用微信扫一扫打开"
    # Modest on a phone: well under half the screen's width, yet large enough to scan.
    box = code.bounding_box()
    assert 100 <= box["width"] <= 200 and box["width"] == pytest.approx(box["height"], abs=1)
    assert _decode(code.screenshot()) == [live_site.url + page.evaluate("location.pathname")]
    screenshot(page, "share-qr-event-phone")
    assert page.evaluate("window.__cspViolations") == []
