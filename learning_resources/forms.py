"""Upload rules for documents and audio/video, plugged in through Wagtail's and wagtailmedia's
form-base settings (WAGTAILDOCS_DOCUMENT_FORM_BASE, WAGTAILMEDIA["MEDIA_FORM_BASE"]), so every
admin upload path (single add, multiple upload, edit with a new file) runs them.

Extension allow-lists live in settings and are enforced by the models' own ``clean``; these
forms add what the models cannot: active content refused whatever the settings say, WebVTT
checked for real, and a size limit for audio and video."""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from .webvtt import WebVTTError, parse_webvtt

# Files a browser would run as a page or script when opened from our domain.
ACTIVE_CONTENT_EXTENSIONS = frozenset(
    {"htm", "html", "xhtml", "shtml", "svg", "svgz", "xml", "js", "mjs"}
)


def extension_of(uploaded_file) -> str:
    return os.path.splitext(uploaded_file.name)[1].lstrip(".").lower()


def refuse_active_content(uploaded_file) -> None:
    if extension_of(uploaded_file) in ACTIVE_CONTENT_EXTENSIONS:
        raise ValidationError(
            "出于安全考虑，网站不接受 HTML、SVG、XML 或脚本文件，请转换为 PDF 等格式后再上传。",
            code="active_content",
        )


# What the first bytes of an allowed format look like. A file whose content does not match its
# extension (a page or an SVG renamed to .pdf, text renamed to .mp4) is refused: browsers and
# players trust the extension we serve it under.
ZIP = (b"PK\x03\x04",)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "pptx": ZIP,
    "xlsx": ZIP,
    "webm": (b"\x1a\x45\xdf\xa3",),
    "ogg": (b"OggS",),
}
FTYP_FORMATS = {"mp4", "m4a"}  # ISO base media: "ftyp" at offset 4
MARKUP_MARKERS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")


def _head(uploaded_file, size=1024) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(size)
    uploaded_file.seek(0)
    return head


def looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in text[:512] for marker in MARKUP_MARKERS)


# Text formats (captions, plain text, CSV) are read whole, in chunks, for anything a browser
# would run: tags by name with or without a namespace prefix (``<x:script``), XML declarations
# and script URLs, in any case, anywhere in the file (not only its first bytes).
ACTIVE_MARKUP = re.compile(
    rb"<\s*/?\s*(?:[a-z0-9_.-]+:)?(?:script|html|svg|iframe|frame|body|object|embed|math|style"
    rb"|meta|link|base|form|img|image|xsl)\b|<\?xml|<!doctype\s+html|javascript\s*:|vbscript\s*:",
    re.IGNORECASE,
)
SCAN_CHUNK = 64 * 1024
SCAN_OVERLAP = 64  # a marker split across two chunks is still seen


def text_contains_active_markup(uploaded_file) -> bool:
    uploaded_file.seek(0)
    tail = b""
    try:
        while chunk := uploaded_file.read(SCAN_CHUNK):
            window = tail + chunk
            # UTF-16 text hides markers between NUL bytes; look at it without them too.
            if ACTIVE_MARKUP.search(window) or ACTIVE_MARKUP.search(window.replace(b"\x00", b"")):
                return True
            tail = window[-SCAN_OVERLAP:]
    finally:
        uploaded_file.seek(0)
    return False


def content_matches_extension(extension: str, head: bytes) -> bool:
    if extension in SIGNATURES:
        return head.startswith(SIGNATURES[extension])
    if extension in FTYP_FORMATS:
        return head[4:8] == b"ftyp"
    if extension == "mp3":
        return head.startswith(b"ID3") or (
            len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
        )
    return True  # text formats (txt, vtt): checked for markup only


def refuse_mismatched_content(uploaded_file) -> None:
    extension = extension_of(uploaded_file)
    head = _head(uploaded_file)
    is_text = not (extension in SIGNATURES or extension in FTYP_FORMATS or extension == "mp3")
    if (looks_like_markup(head) and extension != "vtt") or (
        is_text and text_contains_active_markup(uploaded_file)
    ):
        raise ValidationError(
            "文件内容是网页、SVG 或 XML（只是改了扩展名），出于安全考虑不能上传。",
            code="active_content",
        )
    if not content_matches_extension(extension, head):
        raise ValidationError(
            f"文件内容与扩展名 .{extension} 不符，可能不是真正的 {extension.upper()} 文件，"
            "请检查后重新上传。",
            code="content_mismatch",
        )


def validate_webvtt_upload(uploaded_file) -> None:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        parse_webvtt(data)
    except WebVTTError as error:
        raise ValidationError(str(error), code="invalid_webvtt") from error


class OneMessagePerRefusedFile:
    """Once ``clean_file`` has refused a file, the model's own extension check runs on an empty
    file and adds a second, contradictory line (文件扩展“”是不被允许…): keep only the first."""

    def _post_clean(self):
        refused = self.has_error("file")
        super()._post_clean()
        if refused:
            del self._errors["file"][1:]


class DocumentUploadForm(OneMessagePerRefusedFile, BaseDocumentForm):
    def clean_file(self):
        uploaded_file = self.cleaned_data.get("file")
        if uploaded_file and "file" in self.changed_data:
            refuse_active_content(uploaded_file)
            refuse_mismatched_content(uploaded_file)
            if extension_of(uploaded_file) == "vtt":
                validate_webvtt_upload(uploaded_file)
        return uploaded_file


class MediaUploadForm(OneMessagePerRefusedFile, BaseMediaForm):
    def clean_file(self):
        uploaded_file = self.cleaned_data.get("file")
        if uploaded_file and "file" in self.changed_data:
            refuse_active_content(uploaded_file)
            limit = settings.AUDIO_VIDEO_MAX_UPLOAD_SIZE
            if uploaded_file.size > limit:
                raise ValidationError(
                    f"文件太大（{filesizeformat(uploaded_file.size)}），"
                    f"音视频文件不能超过 {filesizeformat(limit)}。",
                    code="file_too_large",
                )
            refuse_mismatched_content(uploaded_file)
        return uploaded_file

    def clean_thumbnail(self):
        poster = self.cleaned_data.get("thumbnail")
        if poster and "thumbnail" in self.changed_data:
            refuse_active_content(poster)
            limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
            if poster.size > limit:
                raise ValidationError(
                    f"封面图太大（{filesizeformat(poster.size)}），不能超过 {filesizeformat(limit)}。",
                    code="file_too_large",
                )
            refuse_non_image(poster)
        return poster


POSTER_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def refuse_non_image(uploaded_file) -> None:
    """A poster is shown as an image on public pages: check its content as Wagtail checks images."""
    uploaded_file.seek(0)
    try:
        with PILImage.open(uploaded_file) as picture:
            found = picture.format
            picture.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValidationError(
            "封面图不是有效的图片文件，请上传 JPEG、PNG、GIF 或 WebP 格式的图片。",
            code="invalid_image",
        ) from error
    finally:
        uploaded_file.seek(0)
    if found not in POSTER_FORMATS:
        raise ValidationError(
            "封面图不是有效的图片文件，请上传 JPEG、PNG、GIF 或 WebP 格式的图片。",
            code="invalid_image",
        )


class ImageUploadForm(BaseImageForm):
    """Wagtail refuses images over WAGTAILIMAGES_MAX_IMAGE_PIXELS, but Pillow raises first (an
    uncaught DecompressionBombError, a server error) for images beyond twice its own limit:
    refuse those with the same clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            field.to_python = _refusing_bombs(field.to_python)


def _refusing_bombs(to_python):
    def wrapper(data):
        try:
            return to_python(data)
        except PILImage.DecompressionBombError as error:
            raise ValidationError(
                f"图片像素过多（超过 {settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:,} 像素），"
                "可能是恶意构造的文件，请缩小后再上传。",
                code="file_too_many_pixels",
            ) from error

    return wrapper
