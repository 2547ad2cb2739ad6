"""Make the demo recordings in demo/media/recordings/ from the scripts in demo/data/recordings.py.

For each script: every sentence spoken by espeak-ng (Mandarin), the sentences joined with a short
pause; WebVTT captions with one cue per sentence, timed from the speech; WebVTT chapters; for a
video, one slide per chapter (the title and the chapter's name, drawn with Pillow in Noto Sans
CJK) shown while that chapter is spoken. Writes <key>.mp4 or <key>.mp3, <key>.vtt,
<key>.chapters.vtt and manifest.json (durations, sizes) that the demo loaders read.

Needs Debian's espeak-ng, ffmpeg and fonts-noto-cjk (`apt-get install espeak-ng ffmpeg
fonts-noto-cjk`); nothing at run time does. Run from the repository root:

    .venv/bin/python scripts/make_demo_recordings.py [key …]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from demo.data.recordings import ALL_SCRIPTS, Script  # noqa: E402

OUT = ROOT / "demo" / "media" / "recordings"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SIZE = (640, 360)
VOICE = ["espeak-ng", "-v", "cmn", "-s", "185", "-p", "45"]
PAUSE_SECONDS = 0.35
LEAD_IN_SECONDS = 0.5


def speak(sentence: str, path: Path) -> None:
    subprocess.run([*VOICE, "-w", str(path), sentence], check=True)


def join_speech(parts: list[Path], target: Path) -> list[tuple[float, float]]:
    """Concatenate the sentences' WAV files with pauses; return each sentence's (start, end)."""
    timings = []
    with wave.open(str(parts[0])) as first:
        params = first.getparams()
    frame_rate, frame_bytes = params.framerate, params.sampwidth * params.nchannels
    silence = b"\0" * int(PAUSE_SECONDS * frame_rate) * frame_bytes
    position = LEAD_IN_SECONDS
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(b"\0" * int(LEAD_IN_SECONDS * frame_rate) * frame_bytes)
        for part in parts:
            with wave.open(str(part)) as speech:
                frames = speech.readframes(speech.getnframes())
                seconds = speech.getnframes() / frame_rate
            out.writeframes(frames + silence)
            timings.append((position, position + seconds))
            position += seconds + PAUSE_SECONDS
    return timings


def stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues: list[tuple[float, float, str]]) -> str:
    blocks = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, start=1):
        blocks += [str(number), f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(blocks)


def wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for character in text:
        if draw.textlength(line + character, font=font) > width:
            lines.append(line)
            line = character
        else:
            line += character
    return [*lines, line] if line else lines


def slide(script: Script, chapter: str, number: int, total: int, path: Path) -> None:
    image = Image.new("RGB", SIZE, "#0b5c8a")
    draw = ImageDraw.Draw(image)
    small = ImageFont.truetype(FONT, 20)
    title_font = ImageFont.truetype(FONT_BOLD, 30)
    chapter_font = ImageFont.truetype(FONT_BOLD, 44)
    draw.text((32, 24), "郑州终身学习网", font=small, fill="#cfe3f0")
    y = 80
    for line in wrap(draw, script.title, title_font, SIZE[0] - 64):
        draw.text((32, y), line, font=title_font, fill="#ffffff")
        y += 42
    draw.rectangle((32, y + 12, 112, y + 18), fill="#f3b23a")
    y += 40
    for line in wrap(draw, chapter, chapter_font, SIZE[0] - 64):
        draw.text((32, y), line, font=chapter_font, fill="#fff4d6")
        y += 58
    if total > 1:
        draw.text(
            (32, SIZE[1] - 44), f"第 {number} 部分，共 {total} 部分", font=small, fill="#cfe3f0"
        )
    image.save(path)


def make(script: Script) -> dict:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        parts = []
        for index, sentence in enumerate(script.sentences):
            part = work / f"s{index:03d}.wav"
            speak(sentence, part)
            parts.append(part)
        speech = work / "speech.wav"
        timings = join_speech(parts, speech)
        duration = timings[-1][1] + PAUSE_SECONDS
        captions = [
            (start, end, sentence)
            for (start, end), sentence in zip(timings, script.sentences, strict=True)
        ]
        chapters, index = [], 0
        for heading, sentences in script.chapters:
            start = timings[index][0] if index else 0.0
            index += len(sentences)
            end = timings[index][0] - PAUSE_SECONDS / 2 if index < len(timings) else duration
            chapters.append((start, end, heading))
        (OUT / f"{script.key}.vtt").write_text(webvtt(captions), encoding="utf-8")
        (OUT / f"{script.key}.chapters.vtt").write_text(webvtt(chapters), encoding="utf-8")

        if script.kind == "video":
            listing = []
            for number, (start, end, heading) in enumerate(chapters, start=1):
                picture = work / f"slide{number}.png"
                slide(script, heading, number, len(chapters), picture)
                listing += [f"file '{picture}'", f"duration {end - start:.3f}"]
            listing.append(f"file '{picture}'")  # the concat demuxer needs the last one twice
            (work / "slides.txt").write_text("\n".join(listing) + "\n")
            target = OUT / f"{script.key}.mp4"
            ffmpeg = [
                "-f", "concat", "-safe", "0", "-i", str(work / "slides.txt"), "-i", str(speech),
                "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-r", "5",
                "-tune", "stillimage", "-crf", "30", "-preset", "veryslow",
                "-c:a", "aac", "-b:a", "24k", "-ac", "1", "-ar", "22050",
                "-movflags", "+faststart", "-shortest",
            ]  # fmt: skip
        else:
            target = OUT / f"{script.key}.mp3"
            ffmpeg = ["-i", str(speech), "-c:a", "libmp3lame", "-b:a", "24k", "-ac", "1"]
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", *ffmpeg, str(target)],
            check=True,
            env={**os.environ, "AV_LOG_FORCE_NOCOLOR": "1"},
        )
    entry = {"file": target.name, "type": script.kind, "duration": round(duration, 2)}
    if script.kind == "video":
        entry.update(width=SIZE[0], height=SIZE[1])
    return entry


def main(keys: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest_path = OUT / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for script in ALL_SCRIPTS:
        if keys and script.key not in keys:
            continue
        manifest[script.key] = make(script)
        print(f"{script.key}: {manifest[script.key]['duration']} s")
    known = {script.key for script in ALL_SCRIPTS}
    manifest = {key: entry for key, entry in sorted(manifest.items()) if key in known}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
