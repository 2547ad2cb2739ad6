"""Pinyin that forgives: one slip within a word, and a last syllable still being typed.

Both read the query word against the syllables of indexed titles (``search.vocabulary``): a
reading counts only when each syllable follows the one before it in some title, so a slip is
corrected towards what the site has (``zhengzhuo`` → zheng zhou, 郑州) and never towards two
syllables no title has side by side.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from core.segmentation import pinyin_syllables, split_pinyin

from .vocabulary import PinyinVocabulary

# A slip is looked for in words of this many letters (shorter ones fan out into noise).
MIN_FUZZY_LENGTH = 4
MAX_FUZZY_LENGTH = 30
MAX_READINGS = 3
MAX_COMPLETIONS = 8
LONGEST_SYLLABLE = 6


@lru_cache(maxsize=4096)
def near_syllables(piece: str) -> tuple[str, ...]:
    """Pinyin syllables one edit (insert, delete, replace, swap of neighbours) from ``piece``."""
    found = extract(piece, pinyin_syllables(), scorer=OSA.distance, score_cutoff=1, limit=None)
    return tuple(sorted(syllable for syllable, distance, _ in found if distance == 1))


def exact_readings(word: str, vocabulary: PinyinVocabulary) -> list[list[str]]:
    return [reading for reading in split_pinyin(word) if vocabulary.reads(reading)]


def fuzzy_readings(word: str, vocabulary: PinyinVocabulary) -> list[list[str]]:
    """Readings of ``word`` with exactly one syllable one edit away, that some title has."""
    if not (MIN_FUZZY_LENGTH <= len(word) <= MAX_FUZZY_LENGTH) or not word.isalpha():
        return []
    found: list[list[str]] = []
    budget = [2000]  # steps; a long word cannot run away

    def walk(position: int, path: list[str], edited: bool) -> None:
        budget[0] -= 1
        if budget[0] < 0 or len(found) >= MAX_READINGS * 4:
            return
        if position == len(word):
            if edited and path:
                found.append(path)
            return
        previous = path[-1] if path else None
        for end in range(min(len(word), position + LONGEST_SYLLABLE + 1), position, -1):
            piece = word[position:end]
            options = [(piece, False)] if piece in vocabulary.syllables else []
            if not edited and len(piece) >= 2:
                options += [(syllable, True) for syllable in near_syllables(piece)]
            for syllable, is_edit in options:
                if syllable not in vocabulary.syllables:
                    continue
                if previous is not None and (previous, syllable) not in vocabulary.pairs:
                    continue
                walk(end, [*path, syllable], edited or is_edit)

    walk(0, [], False)
    unique = {tuple(reading): None for reading in sorted(found, key=len)}
    return [list(reading) for reading in unique][:MAX_READINGS]


def completions(word: str, vocabulary: PinyinVocabulary) -> list[list[str]]:
    """Readings of ``word`` whose last syllable is still being typed: ``taij`` → tai ji, tai jiao."""
    if not word.isalpha() or len(word) > MAX_FUZZY_LENGTH:
        return []
    found: list[list[str]] = []
    for cut in range(len(word) - 1, max(-1, len(word) - LONGEST_SYLLABLE - 1), -1):
        head, tail = word[:cut], word[cut:]
        heads = [[]] if not head else exact_readings(head, vocabulary)
        for reading in heads:
            previous = reading[-1] if reading else None
            candidates = (
                vocabulary.following.get(previous, ()) if previous else sorted(vocabulary.syllables)
            )
            for syllable in candidates:
                if syllable.startswith(tail) and syllable != tail:
                    found.append([*reading, syllable])
                    if len(found) >= MAX_COMPLETIONS:
                        return found
    return found
