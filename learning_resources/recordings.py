"""The recording a page carries: video, audio, WebVTT captions and a transcript.

A learning resource (``ResourcePage``) and a 郑州讲坛 lecture (``events.LecturePage``) declare
the same recording fields (video, audio, captions, chapters, transcript); ``RecordingFieldsMixin`` holds them once, with what every page that
plays a recording needs around them (URLs for the API, the chooser panels, the related rows
the page's template shows, the caption format check). It lives here, the lowest app both use.

A page may give a field a wording of its own by declaring it again with the same factory
(``video = recording_media_field("video", _("录像"))`` on the lecture); the column stays the same.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtailmedia.edit_handlers import MediaChooserPanel

from home.api import absolute_url

from .webvtt import WebVTTError, parse_webvtt

logger = logging.getLogger(__name__)

TRANSCRIPT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]
CAPTION_FORMAT_ERROR = _("字幕文件必须是 WebVTT 格式（.vtt）。")
CHAPTERS_FORMAT_ERROR = _("章节文件必须是 WebVTT 格式（.vtt）。")


def recording_media_field(media_type: str, verbose_name) -> models.ForeignKey:
    """The video or the audio of a recording (a wagtailmedia item of that type)."""
    return models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"type": media_type},
    )


def webvtt_document_field(verbose_name, help_text) -> models.ForeignKey:
    """A recording's WebVTT file (captions or chapters): a document, checked by ``clean``."""
    return models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class RecordingFieldsMixin(models.Model):
    """Mixed into a page model after its page base: ``class ResourcePage(BasePage, RecordingFieldsMixin)``."""

    video = recording_media_field("video", _("视频"))
    audio = recording_media_field("audio", _("音频"))
    caption_file = webvtt_document_field(
        _("字幕文件"), _("中文 WebVTT 字幕（.vtt），播放视频或音频时显示。")
    )
    chapters_file = webvtt_document_field(
        _("章节文件"),
        _("可选。WebVTT 章节文件（.vtt），每条写一个章节名，读者可以点章节名直接跳到那一段。"),
    )
    transcript = RichTextField(
        _("文字稿"),
        blank=True,
        features=TRANSCRIPT_FEATURES,
        help_text=_(
            "视频或音频的完整文字内容，方便听障读者阅读，也便于搜索。有字幕文件时，"
            "页面按字幕显示带时间的文字稿（点一句就从那里播放）；这里的文字稿用于搜索。"
        ),
    )

    # The media choosers and the caption, in the order the editors know them.
    recording_panels = [
        MediaChooserPanel("video", media_type="video"),
        MediaChooserPanel("audio", media_type="audio"),
        FieldPanel("caption_file"),
        FieldPanel("chapters_file"),
    ]
    recording_api_fields = [
        absolute_url("video_url"),
        absolute_url("audio_url"),
        absolute_url("caption_url"),
    ]
    # What the player needs, for the page's detail_select_related.
    recording_select_related = ("video", "audio", "caption_file", "chapters_file")

    class Meta:
        abstract = True

    @property
    def video_url(self) -> str | None:
        return self.video.url if self.video_id else None

    @property
    def audio_url(self) -> str | None:
        return self.audio.url if self.audio_id else None

    @property
    def caption_url(self) -> str | None:
        return self.caption_file.url if self.caption_file_id else None

    def caption_is_webvtt(self) -> bool:
        """Whether the chosen caption file (there must be one) is a .vtt file."""
        return self.caption_file.file_extension.lower() == "vtt"

    def recording_errors(self) -> dict:
        """The caption and chapter files' format errors, by field, for ``clean``."""
        errors = {}
        if self.caption_file_id and not self.caption_is_webvtt():
            errors["caption_file"] = CAPTION_FORMAT_ERROR
        if self.chapters_file_id and self.chapters_file.file_extension.lower() != "vtt":
            errors["chapters_file"] = CHAPTERS_FORMAT_ERROR
        return errors


# The cues of a caption or chapter file, as the player's transcript and chapter list show them.
# Read from storage once per file version (the key carries the file's hash), not once per render.
CUES_CACHE_PREFIX = "recording-cues:"
CUES_CACHE_SECONDS = 24 * 3600
MAX_CUE_FILE_BYTES = 2 * 1024 * 1024


def recording_cues(document) -> list[dict]:
    """``[{"start": 12.5, "end": 15.0, "text": "…"}, …]`` for a WebVTT document; ``[]`` for none,
    a file that is not WebVTT, or one too large to be a caption file."""
    if not document:  # None, or "" for a template variable the including page did not pass
        return []
    key = f"{CUES_CACHE_PREFIX}{document.pk}:{document.file_hash or document.file.name}"
    cues = cache.get(key)
    if cues is None:
        cues = _read_cues(document)
        cache.set(key, cues, CUES_CACHE_SECONDS)
    return cues


def _read_cues(document) -> list[dict]:
    if document.file_extension.lower() != "vtt":
        return []
    try:
        with document.file.open("rb") as handle:
            data = handle.read(MAX_CUE_FILE_BYTES + 1)
    except OSError:
        logger.warning("caption file %s could not be read", document.file.name)
        return []
    if len(data) > MAX_CUE_FILE_BYTES:
        return []
    try:
        parsed = parse_webvtt(data)
    except WebVTTError:
        return []
    cues = []
    for cue in parsed:
        # Cue text may carry WebVTT markup (<v 主讲人>, <b>); the page shows the words.
        text = " ".join(strip_tags(cue.text).split())
        if text:
            cues.append({"start": cue.start, "end": cue.end, "text": text})
    return cues
