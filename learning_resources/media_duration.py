"""The duration of an uploaded recording, read from the file; a typed one must be plausible.

Plugged in as wagtailmedia's form base (WAGTAILMEDIA["MEDIA_FORM_BASE"]), so every way an editor
adds audio or video (the media library, the chooser's upload tab on a page) fills it in: MP4,
M4A, MP3 and OGG through mutagen. For a file it cannot read (WebM), the editor types it.
"""

from __future__ import annotations

import math

import mutagen
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .forms import MediaUploadForm

# Longer than any lecture or lesson recording: a typed value past this is a slip of the keyboard.
LONGEST_PLAUSIBLE_SECONDS = 12 * 60 * 60


def read_duration(uploaded_file) -> float | None:
    """Seconds of playing time from the file's own headers, or None where it cannot tell."""
    try:
        uploaded_file.seek(0)
        parsed = mutagen.File(uploaded_file)
    except (mutagen.MutagenError, OSError, ValueError, EOFError):
        return None
    finally:
        uploaded_file.seek(0)
    length = getattr(getattr(parsed, "info", None), "length", None)
    if not length or not math.isfinite(length) or length <= 0:
        return None
    return round(length, 2)


class MediaForm(MediaUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "duration" in self.fields:
            self.fields["duration"].help_text = (
                "单位：秒。上传 MP4、M4A、MP3、OGG 文件时自动从文件读出，不必填写；"
                "其他格式请填写实际时长。"
            )

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if isinstance(uploaded, UploadedFile):
            measured = read_duration(uploaded)
            if measured is not None:
                cleaned["duration"] = measured
                return cleaned
            if not cleaned.get("duration") and "duration" in self.fields:
                self.add_error("duration", "无法从这个文件读出时长，请填写时长（秒）。")
                return cleaned
        typed = cleaned.get("duration")
        if typed is not None and not 0 <= typed <= LONGEST_PLAUSIBLE_SECONDS:
            self.add_error(
                "duration",
                ValidationError(
                    "时长应在 0 到 %(hours)d 小时之间（单位：秒）。",
                    params={"hours": LONGEST_PLAUSIBLE_SECONDS // 3600},
                ),
            )
        return cleaned
