"""What staff read in the admin: the visible text of a page, and the English words left in it.

Used by the admin-language audit (tests/home/test_admin_chinese.py). Text is what a browser would show
or read aloud: element text outside <script>/<style>, and the title, aria-label, placeholder and
alt attributes and button values.
"""

from __future__ import annotations

import re

import lxml.html

SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")
# An iframe's children are never shown (the frame is); a side-panel counter's text is a number
# the script writes in (Wagtail leaves a Python "None" there while it is hidden).
SKIPPED_TAGS = {"script", "style", "noscript", "iframe"}
SKIPPED_ATTRIBUTE = "data-side-panel-toggle-counter"
# A model's code name (schools.communitycentrepage), shown as an identifier beside its name.
MODEL_IDENTIFIER = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
# Web addresses and paths (https://…, /signup/10/) are addresses, not language.
ADDRESS = re.compile(r"(?:https?://|/)[\w./\[\]-]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")

# Latin words a Chinese clerk reads as they are: file formats, the product name, units.
ALLOWED_WORDS = {
    "pdf",
    "url",
    "urls",
    "csv",
    "xlsx",
    "html",
    "docx",
    "pptx",
    "vtt",
    "txt",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "svg",
    "avif",
    "heic",
    "ico",
    "mp3",
    "mp4",
    "webm",
    "m4a",
    "ogg",
    "wagtail",
    "email",
    "seo",
    "api",
    "rss",
    "ical",
    "ics",
    "http",
    "https",
    "www",
    "icp",
    "gmt",
    "utc",
    "asia",
    "shanghai",
    "markdown",
    "isbn",
    "tsv",
    "webvtt",
    "iframe",
    "embed",
    "tab",
    "ctrl",
    "cmd",
    "shift",
    "enter",
    "alt",
    "esc",
}


def visible_texts(html: str) -> list[str]:
    """Each piece of text the page shows or announces, in document order."""
    tree = lxml.html.fromstring(html)
    texts: list[str] = []
    for element in tree.iter():
        parent = element.getparent()
        if element.tail and element.tail.strip() and not _inside_skipped(parent):
            texts.append(element.tail.strip())
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        if _inside_skipped(element):
            continue
        if element.text and element.text.strip():
            texts.append(element.text.strip())
        for attribute in SPOKEN_ATTRIBUTES:
            value = element.get(attribute)
            if value and value.strip():
                texts.append(value.strip())
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            value = element.get("value")
            if value and value.strip():
                texts.append(value.strip())
    return texts


def _skipped(element) -> bool:
    return isinstance(element.tag, str) and (
        element.tag.lower() in SKIPPED_TAGS or element.get(SKIPPED_ATTRIBUTE) is not None
    )


def _inside_skipped(element) -> bool:
    while element is not None:
        if _skipped(element):
            return True
        element = element.getparent()
    return False


def english_words(html: str, content_words: set[str] = frozenset()) -> list[tuple[str, str]]:
    """``(word, the text it is in)`` for every Latin word of 3+ letters that is neither on the
    allow-list nor part of content staff entered (usernames, e-mail addresses, slugs, file names)."""
    allowed = ALLOWED_WORDS | {word.lower() for word in content_words}
    found = []
    for text in visible_texts(html):
        plain = MODEL_IDENTIFIER.sub(" ", ADDRESS.sub(" ", text))
        for word in LATIN_WORD.findall(plain):
            if word.lower() not in allowed:
                found.append((word, text[:120]))
    return found


def latin_words(*values: str) -> set[str]:
    """The Latin words inside content values (for the allow-list of user-entered content)."""
    words: set[str] = set()
    for value in values:
        if value:
            words.update(word.lower() for word in LATIN_WORD.findall(value))
    return words
