"""A small WebVTT checker: enough of https://www.w3.org/TR/webvtt1/ to refuse a file that a
browser's `<track>` would silently ignore (wrong header, broken timestamps, no cues)."""

from __future__ import annotations

import re
from dataclasses import dataclass

TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING_LINE = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t]+.*)?$")
HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")


class WebVTTError(ValueError):
    """The file is not valid WebVTT; the message is for the editor who uploaded it."""


@dataclass
class Cue:
    start: float
    end: float
    text: str


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_webvtt(data: bytes) -> list[Cue]:
    """Return the cues of a WebVTT file, or raise ``WebVTTError`` with a Chinese message."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebVTTError("字幕文件必须使用 UTF-8 编码。") from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n{2,}", text.strip("\n"))
    if not blocks or not HEADER.match(blocks[0].split("\n", 1)[0]):
        raise WebVTTError("这不是有效的 WebVTT 字幕文件：文件第一行必须是 WEBVTT。")

    cues: list[Cue] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        # A cue may start with an identifier line; the timing line comes first or second.
        timing_index = 0 if "-->" in lines[0] else 1
        if timing_index >= len(lines):
            raise WebVTTError(
                f"字幕第 {len(cues) + 1} 条缺少时间轴（形如 00:00:01.000 --> 00:00:03.000）。"
            )
        match = TIMING_LINE.match(lines[timing_index].strip())
        if match is None:
            raise WebVTTError(
                f"字幕第 {len(cues) + 1} 条的时间轴格式不正确：“{lines[timing_index][:60]}”。"
                "正确格式如 00:00:01.000 --> 00:00:03.000。"
            )
        start = _seconds(*match.groups()[:4])
        end = _seconds(*match.groups()[4:])
        if end <= start:
            raise WebVTTError(f"字幕第 {len(cues) + 1} 条的结束时间必须晚于开始时间。")
        cue_text = "\n".join(lines[timing_index + 1 :])
        if "-->" in cue_text:
            raise WebVTTError(f"字幕第 {len(cues) + 1} 条之后缺少空行。")
        cues.append(Cue(start=start, end=end, text=cue_text))
    if not cues:
        raise WebVTTError("字幕文件里没有任何字幕条目。")
    return cues
