"""Upload rules for documents and audio/video, plugged in through Wagtail's and wagtailmedia's
form-base settings (WAGTAILDOCS_DOCUMENT_FORM_BASE, WAGTAILMEDIA["MEDIA_FORM_BASE"]), so every
admin upload path (single add, multiple upload, edit with a new file) runs them.

Extension allow-lists live in settings and are enforced by the models' own ``clean``; these
forms add what the models cannot: active content refused whatever the settings say, WebVTT
checked for real, and a size limit for audio and video."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm
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


def validate_webvtt_upload(uploaded_file) -> None:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        parse_webvtt(data)
    except WebVTTError as error:
        raise ValidationError(str(error), code="invalid_webvtt") from error


class DocumentUploadForm(BaseDocumentForm):
    def clean_file(self):
        uploaded_file = self.cleaned_data.get("file")
        if uploaded_file and "file" in self.changed_data:
            refuse_active_content(uploaded_file)
            if extension_of(uploaded_file) == "vtt":
                validate_webvtt_upload(uploaded_file)
        return uploaded_file


class MediaUploadForm(BaseMediaForm):
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
        return poster
