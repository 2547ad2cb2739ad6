"""Strict first, relaxed after: pages that cover part of the query, when few cover all of it.

A resident types a need in their own words (老年人学用智能手机); the strict query wants every
piece as one run and finds nothing when the page says 老年人 … 智能手机. When the strict query
finds less than a page of results, ``relaxed_pages`` asks the backend for any of the query's
bigrams and words (``ParsedQuery.relaxed_query``, an Or the database backends rank by BM25), takes
a bounded number of the best candidates and re-ranks them by how much of the query each covers:

- a Han term is covered character by character, by the query's bigrams found in the page (so
  老年人学用智能手机 is 7/9 covered by a page with 老年人 and 智能手机), a single character by
  itself, a word by itself, pinyin by the title's syllables; a term with synonyms counts its best
  word;
- terms weigh what they are long (Han characters one each, a word two, a number one, a
  character on its own a half); an ordinal written against a word (第十届, 2026年) weighs little, as a year does,
  and so do question words and particles (有什么, 怎么, 去哪, 了);
- coverage in the title counts as much again as coverage anywhere (title and body).

Pages covering half of the query or less are left out (太极 黄河 finds neither half). The index's own text is read for the
candidates (the database backends store it beside the vectors), never the pages' fields.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db import connection
from wagtail.models import Page

from core.segmentation import fold

from .query import HAN_ONLY, ParsedQuery, Term

# Candidates read from the backend, best BM25 first; the cost of re-ranking is bounded by this.
MAX_CANDIDATES = 80
MIN_COVERAGE = 0.5  # more than this share of the query
# 第十届, 第3期, 二〇二六年: an edition or a year, not what the resident is looking for.
ORDINAL = re.compile(
    "第?[零〇一二两三四五六七八九十百千]+[届期次年季]|第[零〇一二两三四五六七八九十百千]+"
)
ORDINAL_WEIGHT = 0.25
# Question words and particles a need is phrased with (读书节有什么活动, 毛笔宣纸怎么挑): the page
# about it never says them, so they weigh as little as an edition does.
FILLER = re.compile(
    "有什么|什么|怎么|怎样|如何|哪里|哪儿|去哪|在哪|哪些|请问|我想|想要|一下|[吗呢吧了]"
)
WORD_WEIGHT = 2.0
SINGLE_CHARACTER_WEIGHT = 0.5


@lru_cache(maxsize=1024)
def char_weights(word: str) -> tuple[float, ...]:
    weights = [1.0] * len(word)
    for pattern in (ORDINAL, FILLER):
        for match in pattern.finditer(word):
            for position in range(match.start(), match.end()):
                weights[position] = ORDINAL_WEIGHT
    return tuple(weights)


def term_weight(term: Term) -> float:
    if term.is_han:
        # One character on its own (学 of 老人学电脑) is on nearly every page: it says little.
        return SINGLE_CHARACTER_WEIGHT if len(term.text) == 1 else sum(char_weights(term.text))
    if term.text.isdigit():
        return 1.0
    if term.readings:
        return float(max(1, min(len(reading) for reading in term.readings)))
    return WORD_WEIGHT


def _index_texts(pages: list[Page]) -> dict[int, tuple[str, str]]:
    """Each page's indexed title column and body, as the database backends store them."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    module = type(get_search_backend()).__module__
    if not pages or ".database." not in module or module.endswith(".fallback"):
        return {}
    columns = {"postgresql": ("title_text", "body_text"), "sqlite": ("title", "body")}.get(
        connection.vendor
    )
    if columns is None:
        return {}
    wanted = {(page.content_type_id, str(page.pk)): page.pk for page in pages}
    rows = IndexEntry.objects.filter(
        content_type_id__in={page.content_type_id for page in pages},
        object_id__in=[str(page.pk) for page in pages],
    ).values_list("content_type_id", "object_id", *columns)
    texts = {}
    for content_type_id, object_id, title, body in rows:
        pk = wanted.get((content_type_id, object_id))
        if pk is not None:
            texts[pk] = (title or "", body or "")
    return texts


@lru_cache(maxsize=256)
def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def _han_covered(word: str, text: str) -> float:
    """Share of ``word``'s characters (by weight) covered by its bigrams found in ``text``."""
    if len(word) == 1:
        return 1.0 if word in text else 0.0
    covered = [False] * len(word)
    for start in range(len(word) - 1):
        if word[start : start + 2] in text:
            covered[start] = covered[start + 1] = True
    weights = char_weights(word)
    return sum(weight for weight, hit in zip(weights, covered, strict=True) if hit) / sum(weights)


def _word_found(word: str, text: str) -> float:
    return 1.0 if _word_pattern(word).search(text) else 0.0


def term_coverage(term: Term, title: str, body: str) -> tuple[float, float]:
    """(in the title, anywhere) shares of ``term`` found, for its best alternative."""
    best = (0.0, 0.0)
    for alternative in term.alternatives:
        if HAN_ONLY.fullmatch(alternative):
            in_title = _han_covered(alternative, title)
            anywhere = max(in_title, _han_covered(alternative, body))
        else:
            in_title = _word_found(alternative, title)
            anywhere = max(in_title, _word_found(alternative, body))
        if in_title + anywhere > sum(best):
            best = (in_title, anywhere)
    padded_title = f" {title} "
    for reading in term.readings:
        if f" {' '.join(reading)} " in padded_title:
            return (1.0, 1.0)  # the titles' pinyin is the title column's
    return best


def coverage(parsed: ParsedQuery, title: str, body: str) -> tuple[float, float]:
    """(score, share covered anywhere) of a page for the query: score adds title coverage."""
    terms = parsed.relaxed_terms or parsed.terms
    weights = [term_weight(term) for term in terms]
    total = sum(weights) or 1.0
    in_title = anywhere = 0.0
    for term, weight in zip(terms, weights, strict=True):
        term_title, term_anywhere = term_coverage(term, title, body)
        in_title += weight * term_title
        anywhere += weight * term_anywhere
    in_title, anywhere = in_title / total, anywhere / total
    return (in_title + anywhere) / 2, anywhere


def relaxed_pages(parsed: ParsedQuery, pages, *, exclude=(), limit: int = 10) -> list[Page]:
    """Up to ``limit`` more of ``pages`` for a query whose strict results are fewer than a page.

    First the pages that match with the editors' synonyms (``ParsedQuery.synonym_query``: all of
    the query, a synonym for some word), then the pages covering more than half the query, best
    covered first; those have ``partial_match``. ``exclude``: the strict results, shown above.
    """
    if parsed.is_empty or limit <= 0:
        return []
    exclude = list(exclude)
    found: list[Page] = []
    if parsed.synonym_query is not None:
        others = pages.exclude(pk__in=exclude) if exclude else pages
        found = list(others.search(parsed.synonym_query, order_by_relevance=True)[:limit])
        for page in found:
            page.partial_match = False
        exclude += [page.pk for page in found]
    return found + _partial_pages(parsed, pages, exclude, limit - len(found))


def _partial_pages(parsed: ParsedQuery, pages, exclude: list[int], limit: int) -> list[Page]:
    query = parsed.relaxed_query
    if query is None or limit <= 0:
        return []
    if exclude:
        pages = pages.exclude(pk__in=exclude)
    candidates = list(pages.search(query, order_by_relevance=True)[:MAX_CANDIDATES])
    texts = _index_texts(candidates)
    ranked = []
    for rank, page in enumerate(candidates):
        title, body = texts.get(page.pk) or (fold(page.title.lower()), "")
        score, anywhere = coverage(parsed, title.lower(), body.lower())
        if anywhere > MIN_COVERAGE:
            ranked.append((-score, rank, page))
    ranked.sort(key=lambda item: item[:2])
    found = [page for _score, _rank, page in ranked[:limit]]
    for page in found:
        page.partial_match = True
    return found
