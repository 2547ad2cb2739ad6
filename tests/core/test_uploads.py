"""Hostile uploads through the admin, as an editor makes them: each refused with a clear Chinese
message and nothing left in storage or in the database. Rich text set in code is sanitised."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtailmedia.models import Media

from core.rich_text_sanitiser import sanitise_html
from home.models import StandardPage
from tests.conftest import publish

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def stored_files() -> set[str]:
    found = set()
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for folder, _dirs, files in os.walk(root):
            found.update(os.path.join(folder, name) for name in files)
    return found


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(side=30_000) -> bytes:
    """A real 1-bit PNG of side x side pixels (900 million): ~110 KB on disk, 112 MB of pixels
    inflated, far more once decoded to RGB."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + side // 8)
    rows = row * 1000
    idat = b"".join(compressor.compress(rows) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def many_pixels() -> bytes:
    """A valid, small file of 8,000 x 6,000 = 48 million pixels (the limit is 40 million)."""
    buffer = io.BytesIO()
    PILImage.new("1", (8000, 6000)).save(buffer, format="PNG")
    return buffer.getvalue()


def _post(admin_client, url, name, data, **extra):
    return admin_client.post(
        url, {"title": name, "file": SimpleUploadedFile(name, data), "collection": 1, **extra}
    )


def _assert_refused(response, message, model, before):
    assert response.status_code == 200, response.status_code  # the form again, with the error
    assert message in response.content.decode()
    assert not model.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.png", decompression_bomb(), "像素"),
        ("huge.png", many_pixels(), "像素"),
        ("photo.png", SVG, "扩展名与文件格式不匹配"),
        ("photo.jpg", HTML, "无法创建图片"),
    ],
    ids=["decompression-bomb", "huge-pixel-count", "svg-as-png", "html-as-jpg"],
)
def test_hostile_images_are_refused(admin_client, name, data, message):
    before = stored_files()
    response = _post(admin_client, "/admin/images/add/", name, data)
    _assert_refused(response, message, get_image_model(), before)


def test_hostile_images_are_refused_by_the_multiple_uploader(admin_client):
    before = stored_files()
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("bomb.png", decompression_bomb())},
    )
    assert response.json()["success"] is False
    assert "像素" in response.json()["error_message"]
    assert not get_image_model().objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("handout.pdf", HTML, "网页、SVG 或 XML"),
        ("handout.pdf", SVG, "网页、SVG 或 XML"),
        ("notes.txt", HTML, "网页、SVG 或 XML"),
        ("slides.pptx", b"just some text, not a zip", "文件内容与扩展名 .pptx 不符"),
        ("handout.pdf", b"MZ\x90\x00 a program", "文件内容与扩展名 .pdf 不符"),
        # The probe's payloads: markup after the first 512 bytes, a namespaced tag, odd case.
        ("notes.txt", b"a" * 600 + b"<html><script>alert(1)</script>", "网页、SVG 或 XML"),
        ("notes.txt", "课程说明。".encode() * 30000 + b"<ScRiPt>x()</script>", "网页、SVG 或 XML"),
        ("notes.txt", b"plain words <x:script xmlns:x='http://www.w3.org/1999/xhtml'>", "网页"),
        ("notes.txt", b"see javascript:alert(1) here", "网页、SVG 或 XML"),
        (
            "captions.vtt",
            b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"hello " * 200 + b"<svg onload=x>",
            "网页、SVG 或 XML",
        ),
    ],
)
def test_renamed_documents_are_refused(admin_client, name, data, message):
    before = stored_files()
    response = _post(admin_client, "/admin/documents/add/", name, data)
    _assert_refused(response, message, get_document_model(), before)


def test_oversized_document_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    before = stored_files()
    response = _post(admin_client, "/admin/documents/add/", "big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    _assert_refused(response, "文件过大", get_document_model(), before)


def test_a_real_pdf_is_accepted(admin_client):
    response = _post(admin_client, "/admin/documents/add/", "ok.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    get_document_model().objects.get().file.delete()


@pytest.mark.parametrize(
    ("media_type", "name", "data", "message"),
    [
        ("video", "lecture.mp4", "这不是视频，只是一段文字。".encode() * 20, "不符"),
        ("video", "lecture.webm", HTML, "网页、SVG 或 XML"),
        ("audio", "talk.mp3", b"plain text pretending to be audio", "不符"),
    ],
)
def test_fake_audio_and_video_are_refused(admin_client, media_type, name, data, message):
    before = stored_files()
    response = _post(admin_client, f"/admin/media/{media_type}/add/", name, data, duration=4)
    _assert_refused(response, message, Media, before)


def test_a_video_poster_must_really_be_an_image(admin_client, settings):
    clip = (settings.BASE_DIR / "tests/fixtures/clip.mp4").read_bytes()
    before = stored_files()
    response = admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "讲座",
            "file": SimpleUploadedFile("clip.mp4", clip),
            "thumbnail": SimpleUploadedFile("poster.png", b"<html><script>alert(1)</script>"),
            "collection": 1,
            "duration": 4,
        },
    )
    _assert_refused(response, "封面图不是有效的图片文件", Media, before)
    png = io.BytesIO()
    PILImage.new("RGB", (32, 18), "navy").save(png, format="PNG")
    response = admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "讲座",
            "file": SimpleUploadedFile("clip.mp4", clip),
            "thumbnail": SimpleUploadedFile("poster.png", png.getvalue()),
            "collection": 1,
            "duration": 4,
        },
    )
    assert response.status_code == 302
    media = Media.objects.get()
    media.file.delete()
    media.thumbnail.delete()


def test_oversized_video_is_refused(admin_client, settings):
    settings.AUDIO_VIDEO_MAX_UPLOAD_SIZE = 1024
    clip = (settings.BASE_DIR / "tests/fixtures/clip.mp4").read_bytes()
    before = stored_files()
    response = _post(admin_client, "/admin/media/video/add/", "clip.mp4", clip, duration=4)
    _assert_refused(response, "文件太大", Media, before)


# --- rich text saved outside the editor ------------------------------------------------------

HOSTILE_RICH_TEXT = (
    '<p onclick="steal()">你好<script>alert(1)</script>'
    '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">点我</a>'
    '<a linktype="page" id="2">首页</a></p><style>body{display:none}</style>'
    '<iframe src="https://evil.example/"></iframe>'
)


def test_sanitiser_keeps_wagtail_links_and_embeds_and_drops_the_rest():
    cleaned = sanitise_html(HOSTILE_RICH_TEXT + '<embed embedtype="image" id="1" format="left"/>')
    for bad in ("script", "onerror", "onclick", "javascript:", "<style", "iframe", "alert"):
        assert bad not in cleaned
    assert '<a id="2" linktype="page">首页</a>' in cleaned
    assert 'embedtype="image"' in cleaned
    assert sanitise_html(cleaned) == cleaned  # idempotent: editor content passes unchanged


def test_rich_text_set_in_code_never_renders_script(client, home_page):
    page = StandardPage(
        title="导入的页面",
        slug="imported",
        body=[("paragraph", HOSTILE_RICH_TEXT)],
    )
    home_page.add_child(instance=page)
    publish(page)
    page.refresh_from_db()
    stored = page.body.raw_data[0]["value"]
    assert "script" not in stored and "onerror" not in stored
    html = client.get(page.url).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "你好" in main and "点我" in main
    for bad in ("<script", "onerror", "onclick", "javascript:", "alert(", "<iframe", "<style"):
        assert bad not in main


def test_rich_text_field_set_in_code_is_sanitised(home_page):
    from home.models import Person

    person = Person.objects.create(name="王老师", bio=HOSTILE_RICH_TEXT)
    person.refresh_from_db()
    assert "script" not in person.bio and "onerror" not in person.bio
    assert "你好" in person.bio


# --- Serving recordings in development and tests: byte ranges, so the player can seek --------


@pytest.fixture
def served_clip(db):
    from tests.factories.learning_resources import VideoFactory

    video = VideoFactory()
    return video.url, video.file.read()


def test_media_answers_a_byte_range_so_a_player_can_seek(client, served_clip):
    url, data = served_clip
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert part.content == data[100:200] and part["Content-Type"] == "video/mp4"
    to_the_end = client.get(url, headers={"Range": "bytes=1000-"})
    assert to_the_end.content == data[1000:]
    last = client.get(url, headers={"Range": "bytes=-50"})
    assert last.content == data[-50:]


@pytest.mark.parametrize("asked", [f"bytes={10**9}-", "bytes=500-100"])
def test_a_range_outside_the_file_is_refused_with_416(client, served_clip, asked):
    url, data = served_clip
    refused = client.get(url, headers={"Range": asked})
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("asked", ["bytes=abc", "items=0-1", "bytes=0-1,5-9"])
def test_a_range_the_server_does_not_read_gets_the_whole_file(client, served_clip, asked):
    url, data = served_clip
    response = client.get(url, headers={"Range": asked})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
