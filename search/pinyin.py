"""Pinyin that forgives: one slip within a word, and a last syllable still being typed.

Both read the query word against the syllables of indexed titles (``search.vocabulary``): a
reading counts only when each syllable follows the one before it in some title, so a slip is
corrected towards what the site has (``zhengzhuo`` → zheng zhou, 郑州) and never towards two
syllables no title has side by side. Near readings are ranked by how many titles have them, and
a word that reads as typed is still taken for a 模糊音 slip when that reading is far more common
(``yangshen`` → yang sheng, 养生, on a site with many pages on 养生 and one 养身体).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from core.segmentation import PINYIN_SYLLABLES, split_pinyin

from .vocabulary import PinyinVocabulary

# A slip is looked for in words of this many letters (shorter ones fan out into noise).
MIN_FUZZY_LENGTH = 4
MAX_FUZZY_LENGTH = 30
MAX_READINGS = 3
# A word that reads as typed is taken for a 模糊音 slip only when the reading it is a slip of is in
# this many times as many titles: a resident types the common word wrong more often than the rare
# one right (the rare word's pages still follow; a slip that is no 模糊音 never overrides it).
SLIP_OVER_EXACT = 4
MAX_COMPLETIONS = 8
LONGEST_SYLLABLE = 6


@lru_cache(maxsize=4096)
def near_syllables(piece: str) -> tuple[str, ...]:
    """Pinyin syllables one edit (insert, delete, replace, swap of neighbours) from ``piece``."""
    found = extract(piece, PINYIN_SYLLABLES, scorer=OSA.distance, score_cutoff=1, limit=None)
    return tuple(sorted(syllable for syllable, distance, _ in found if distance == 1))


def exact_readings(word: str, vocabulary: PinyinVocabulary) -> list[list[str]]:
    return [reading for reading in split_pinyin(word) if vocabulary.reads(reading)]


# Sounds that residents (and Chinese input methods' 模糊音 settings) mix up: a slip between them
# is likelier than any other one-letter slip.
ALIKE_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("h", "f"), ("r", "l"))
ALIKE_WEIGHT = 4
# Near readings in fewer than this share of the best one's titles are left out (noise).
NEAR_SHARE = 0.5


def sounds_alike(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with a 模糊音 slip: zh/z, ch/c, sh/s, n/l, h/f, r/l, -n/-ng."""
    if typed + "g" == meant or meant + "g" == typed:
        return typed.endswith("n") or meant.endswith("n")
    for one, other in ALIKE_INITIALS:
        for first, second in ((one, other), (other, one)):
            if (
                typed.startswith(first)
                and meant.startswith(second)
                and typed[len(first) :] == meant[len(second) :]
            ):
                return True
    return False


def fuzzy_readings(word: str, vocabulary: PinyinVocabulary) -> list[tuple[list[str], float, bool]]:
    """Readings of ``word`` with exactly one syllable one edit away that some title has, each
    with its weight (titles that have it, four times more for a 模糊音 slip) and whether the slip
    is one; the likeliest first."""
    if not (MIN_FUZZY_LENGTH <= len(word) <= MAX_FUZZY_LENGTH) or not word.isalpha():
        return []
    found: dict[tuple[str, ...], float] = {}
    alike_readings: set[tuple[str, ...]] = set()
    budget = [2000]  # steps; a long word cannot run away

    def walk(position: int, path: list[str], weight: float | None) -> None:
        budget[0] -= 1
        if budget[0] < 0 or len(found) >= MAX_READINGS * 16:
            return
        if position == len(word):
            if weight is not None and path:
                reading = tuple(path)
                score = weight * vocabulary.support(path)
                if score > found.get(reading, 0.0):
                    found[reading] = score
                    if weight == ALIKE_WEIGHT:
                        alike_readings.add(reading)
            return
        previous = path[-1] if path else None
        for end in range(min(len(word), position + LONGEST_SYLLABLE + 1), position, -1):
            piece = word[position:end]
            options = [(piece, weight)] if piece in vocabulary.syllables else []
            if weight is None and len(piece) >= 2:
                options += [
                    (syllable, ALIKE_WEIGHT if sounds_alike(piece, syllable) else 1)
                    for syllable in near_syllables(piece)
                ]
            for syllable, reading_weight in options:
                if syllable not in vocabulary.syllables:
                    continue
                if previous is not None and (previous, syllable) not in vocabulary.pairs:
                    continue
                walk(end, [*path, syllable], reading_weight)

    walk(0, [], None)
    ranked = sorted(found.items(), key=lambda item: (-item[1], len(item[0])))
    if not ranked:
        return []
    best = ranked[0][1]
    return [
        (list(reading), score, reading in alike_readings)
        for reading, score in ranked
        if score >= best * NEAR_SHARE
    ][:MAX_READINGS]


def slip_readings(
    word: str, exact: list[list[str]], vocabulary: PinyinVocabulary
) -> tuple[list[list[str]], bool]:
    """Near readings of ``word`` to search, and whether its readings as typed come after them.

    ``exact``: the word's readings as typed. None of them in a title: the near readings are
    searched with them. Some are, but a 模糊音 slip away is a reading ``SLIP_OVER_EXACT`` times
    as many titles have: that is what the resident meant and comes first, the word as typed
    after it (``huanhe``: 黄河, then 退还和). Otherwise the word as typed is taken as meant.
    """
    exact_support = max((vocabulary.support(reading) for reading in exact), default=0)
    near = fuzzy_readings(word, vocabulary)
    if not exact_support:
        return [reading for reading, _, _ in near], False
    floor = SLIP_OVER_EXACT * exact_support
    meant = [
        reading for reading, _, alike in near if alike and vocabulary.support(reading) >= floor
    ]
    return meant, bool(meant)


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
