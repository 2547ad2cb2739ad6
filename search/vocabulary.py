"""What the query parser knows about the site: the titles' pinyin and the editors' synonyms.

Both are small, read on many queries and change rarely, so each process keeps them in memory,
keyed by the page cache's generation of what they are built from (``core.page_cache``): any page
published, unpublished, moved or deleted bumps ``list:*`` and refreshes the pinyin; a synonym
saved or deleted bumps the site-wide key (``PAGE_CACHE_SITE_WIDE_MODELS``) and refreshes the
synonyms, as it does every cached page.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from core.page_cache import ALL_LISTINGS_KEY, SITE_KEY, current_generation
from core.segmentation import PINYIN_SYLLABLES, title_pinyin

_memo: dict[str, tuple[str, object]] = {}
_lock = threading.Lock()


def cached(name: str, key: str, build, *, also=None):
    """``build()``, kept in this process until ``key``'s generation (or ``also``) changes."""
    # (The cache in production is core.resilience's: an outage reads as a miss, not an error.)
    version = (current_generation(key), also)
    found = _memo.get(name)
    if found is not None and found[0] == version:
        return found[1]
    value = build()
    with _lock:
        _memo[name] = (version, value)
    return value


def forget() -> None:
    """Drop what this process remembers (tests that change content without a publish)."""
    with _lock:
        _memo.clear()


# --- Title pinyin -------------------------------------------------------------------------------


@dataclass
class PinyinVocabulary:
    """The syllables of indexed titles, which syllable follows which, and in how many titles."""

    # syllable → the number of titles that have it; two and three syllables in a row → the same
    syllables: dict[str, int] = field(default_factory=dict)
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)
    following: dict[str, tuple[str, ...]] = field(default_factory=dict)
    triples: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def reads(self, syllables: list[str]) -> bool:
        """Whether these syllables occur, one after another, in some title (pair by pair)."""
        return self.support(syllables) > 0

    def support(self, syllables: list[str]) -> int:
        """How many titles have this reading, at most: the count of its rarest pair, or of its
        rarest three syllables in a row when it has three or more."""
        if len(syllables) == 1:
            return self.syllables.get(syllables[0], 0)
        if len(syllables) == 2:
            return self.pairs.get((syllables[0], syllables[1]), 0)
        return min(
            self.triples.get(triple, 0)
            for triple in zip(syllables, syllables[1:], syllables[2:], strict=False)
        )


def _index_title_texts() -> list[str] | None:
    """The title column of the database search index: the title, then its segments, pinyin last
    (``core.segmentation.title_segments_text``); None when the index lives elsewhere."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    module = type(get_search_backend()).__module__
    if ".database." not in module or module.endswith(".fallback"):
        return None
    if connection.vendor == "postgresql":
        column = "title_text"
    elif connection.vendor == "sqlite":
        column = "title"
    else:
        return None
    try:
        IndexEntry._meta.get_field(column)
    except FieldDoesNotExist:
        return None
    return list(IndexEntry.objects.values_list(column, flat=True).iterator(chunk_size=2000))


def _titles_syllables() -> list[list[str]]:
    texts = _index_title_texts()
    known = PINYIN_SYLLABLES
    if texts is not None:
        found = []
        for text in texts:
            tokens = (text or "").split()
            # The pinyin is the last run of syllables (core.segmentation.title_segments_text).
            end = len(tokens)
            start = end
            while start > 0 and tokens[start - 1] in known:
                start -= 1
            if end - start:
                found.append(tokens[start:end])
        return found
    # Another backend (Elasticsearch): the live pages' titles, read with pypinyin.
    from search.query import searchable_pages

    return [
        _memo_title_pinyin(title)
        for title in searchable_pages().values_list("title", flat=True).iterator(chunk_size=2000)
    ]


@lru_cache(maxsize=20000)
def _memo_title_pinyin(title: str) -> list[str]:
    return title_pinyin(title)[0]


def _build_pinyin() -> PinyinVocabulary:
    syllables: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    triples: Counter[tuple[str, str, str]] = Counter()
    for title in _titles_syllables():
        syllables.update(set(title))
        pairs.update(set(zip(title, title[1:], strict=False)))
        triples.update(set(zip(title, title[1:], title[2:], strict=False)))
    following: dict[str, set[str]] = {}
    for first, second in pairs:
        following.setdefault(first, set()).add(second)
    return PinyinVocabulary(
        dict(syllables),
        dict(pairs),
        {first: tuple(sorted(seconds)) for first, seconds in following.items()},
        dict(triples),
    )


def pinyin_vocabulary() -> PinyinVocabulary:
    return cached("pinyin", ALL_LISTINGS_KEY, _build_pinyin)


# --- Synonyms -----------------------------------------------------------------------------------


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    from search.models import SearchSynonym, split_words

    groups: dict[str, list[str]] = {}
    for text in SearchSynonym.objects.values_list("words", flat=True):
        words = split_words(text)
        if len(words) < 2:
            continue
        for word in words:
            # A word in two groups matches the words of both.
            alternatives = groups.setdefault(word, [word])
            alternatives.extend(other for other in words if other not in alternatives)
    return {word: tuple(alternatives) for word, alternatives in groups.items()}


def synonyms() -> dict[str, tuple[str, ...]]:
    """Each word of a group → the word itself first, then the other words of its groups."""
    return cached("synonyms", SITE_KEY, _build_synonyms)
