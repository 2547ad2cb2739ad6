"""扫码分享: event, lecture, course and school pages end with a QR code of their public URL, as
inline SVG that the CSP allows; the SVG drawn into pixels decodes (zxing-cpp) to the page."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from django.conf import settings
from lxml import etree
from lxml import html as lxml_html
from PIL import Image, ImageDraw

from core import qr
from events.models import EventPage, LecturePage
from learning_resources.models import CoursePage
from schools.models import CommunityCollegePage, CommunitySchoolPage

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SQUARE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z")


def svg_to_image(svg: etree._Element, scale: int = 8) -> Image.Image:
    """Paint the SVG's squares (qrcode's path: one ``M x,y H x2 V y2 H x z`` per module)."""
    size = int(svg.get("viewBox").split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = svg.find(f"{SVG}path")
    squares = SQUARE.findall(path.get("d"))
    assert squares and "".join(f"M{x},{y}H{x2}V{y2}H{x3}z" for x, y, x2, y2, x3 in squares) == (
        path.get("d")
    ), "the path holds nothing but squares"
    for x, y, x2, y2, _ in squares:
        x, y, x2, y2 = (int(value) * scale for value in (x, y, x2, y2))
        draw.rectangle([x, y, x2 - 1, y2 - 1], fill=0)
    return image


def _share_block(client, page):
    """The page's tree, its 扫码分享 block and that block's SVG, read as XML."""
    response = client.get(page.url)
    assert response.status_code == 200
    content = response.content.decode()
    tree = lxml_html.fromstring(content)
    [block] = tree.xpath("//aside[contains(@class,'share-qr')]")
    [markup] = re.findall(r'<aside class="share-qr".*?(<svg .*?</svg>)', content, re.S)
    return tree, block, etree.fromstring(markup)


def _pages():
    return {
        "event": EventPage.objects.live().filter(slug="weekly").first(),
        "lecture": LecturePage.objects.live().first(),
        "course": CoursePage.objects.live().first(),
        "school": CommunitySchoolPage.objects.live().first(),
        "district": CommunityCollegePage.objects.live().first(),
    }


def test_each_page_type_ends_with_a_qr_code_of_its_public_url(client, demo):
    for kind, page in _pages().items():
        tree, block, svg = _share_block(client, page)
        assert block.xpath("string(h2)") == "扫码分享", kind
        assert len(block.xpath(".//svg")) == 1, kind
        assert svg.get("role") == "img"
        assert svg.get("aria-label") == "本页二维码，用微信扫一扫打开"
        # Nothing the CSP refuses: no style attribute or element, no script, no event handler.
        assert not [el for el in svg.iter() if el.get("style") is not None], kind
        assert not svg.findall(f".//{SVG}style") and not svg.findall(f".//{SVG}script")
        assert not [name for el in svg.iter() for name in el.attrib if name.startswith("on")]
        expected = settings.PUBLIC_BASE_URL.rstrip("/") + page.url
        decoded = [result.text for result in zxingcpp.read_barcodes(svg_to_image(svg))]
        assert decoded == [expected], kind
        # At the end of the page, after what the page is about.
        main = tree.xpath("//main")[0]
        assert block in main.iter()


def test_the_qr_code_is_made_once_per_url(client, demo):
    event = _pages()["event"]
    client.get(event.url)
    before = qr._svg_path.cache_info()
    client.get(event.url)
    after = qr._svg_path.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
