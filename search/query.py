"""From what a resident typed to a search query object, and the site's one search function.

The raw string never reaches a backend. It is cut to letters, digits and Han characters, then
each piece becomes a query object of ``wagtail.search.query`` that matches the segmented index
(see ``core.segmentation``):

- a Han run of two or more characters → a Phrase of its bigrams (太极拳 → "太极 极拳");
- a single Han character → a term on the single-character tokens;
- a Latin or digit word → a lowercased term; an all-letter word may also be pinyin
  (``taijiquan`` → "tai ji quan") or initials (``tjq`` → "t j q"), OR-ed with the term.

Pieces are AND-ed. The same objects work on SQLite FTS5, PostgreSQL and Elasticsearch/OpenSearch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wagtail.models import Page
from wagtail.search.query import And, Or, Phrase, PlainText, SearchQuery

from core.page_cache import depend_on_listing
from core.segmentation import HAN_CLASS, bigrams, split_pinyin
from home.queries import public_only

# A resident's query is a few words; anything longer is cut, not refused.
MAX_QUERY_LENGTH = 100
MAX_PIECES = 8
# Bound the work done on a pasted page of text before cleaning it.
MAX_RAW_LENGTH = 1000

PIECE = re.compile(f"[{HAN_CLASS}]+|[^\\W_{HAN_CLASS}]+")
HAN_ONLY = re.compile(f"[{HAN_CLASS}]+")
# First letters a pinyin syllable can start with (no syllable starts with i, u or v).
INITIAL_LETTERS = frozenset("abcdefghjklmnopqrstwxyz")
MAX_INITIALS = 10


@dataclass
class ParsedQuery:
    text: str = ""  # the cleaned query, safe to show and to use as a cache key
    pieces: list[str] = field(default_factory=list)
    query: SearchQuery | None = None
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return self.query is None

    @property
    def highlight_terms(self) -> list[str]:
        """What to mark in snippets: Han runs whole, words case-insensitively; longest first."""
        return sorted(set(self.pieces), key=len, reverse=True)


def piece_query(piece: str) -> SearchQuery:
    if HAN_ONLY.fullmatch(piece):
        if len(piece) == 1:
            return PlainText(piece)
        return Phrase(" ".join(bigrams(piece)))
    interpretations: list[SearchQuery] = [PlainText(piece)]
    if piece.isascii() and piece.isalpha() and len(piece) >= 2:
        for syllables in split_pinyin(piece):
            if syllables != [piece]:
                interpretations.append(Phrase(" ".join(syllables)))
        if len(piece) <= MAX_INITIALS and set(piece) <= INITIAL_LETTERS:
            interpretations.append(Phrase(" ".join(piece)))
    return interpretations[0] if len(interpretations) == 1 else Or(interpretations)


def parse_query(raw: str | None) -> ParsedQuery:
    """Clean and interpret ``raw``; an empty or all-punctuation query gives ``query=None``."""
    text = unicodedata.normalize("NFKC", (raw or "")[:MAX_RAW_LENGTH]).lower()
    pieces: list[str] = []
    length = 0
    truncated = False
    for match in PIECE.finditer(text):
        piece = match.group()
        if len(pieces) >= MAX_PIECES or length + len(piece) > MAX_QUERY_LENGTH:
            truncated = True
            piece = piece[: MAX_QUERY_LENGTH - length] if len(pieces) < MAX_PIECES else ""
            if piece:
                pieces.append(piece)
            break
        pieces.append(piece)
        length += len(piece)
    if not pieces:
        return ParsedQuery()
    subqueries = [piece_query(piece) for piece in pieces]
    query = subqueries[0] if len(subqueries) == 1 else And(subqueries)
    return ParsedQuery(text=" ".join(pieces), pieces=pieces, query=query, truncated=truncated)


def searchable_pages(model: type[Page] | None = None):
    """Every live, public page below the root, optionally of exactly one type."""
    depend_on_listing(model or Page)
    pages = public_only(Page.objects.live().filter(depth__gt=1))
    if model is not None:
        pages = pages.exact_type(model)
    return pages


def search_pages(parsed: ParsedQuery, model: type[Page] | None = None):
    """The site's search: live, public pages matching ``parsed``, best first (lazy results)."""
    if parsed.is_empty:
        return Page.objects.none()
    return searchable_pages(model).search(parsed.query, order_by_relevance=True)
