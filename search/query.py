"""From what a resident typed to a search query object, and the site's one search function.

The raw string never reaches a backend. It is folded (full-width → half-width, traditional →
simplified: 學校 → 学校), cut to letters, digits and Han characters, then each piece becomes a
query object of ``wagtail.search.query`` that matches the segmented index (see
``core.segmentation``):

- a Han run of two or more characters → a Phrase of its bigrams (太极拳 → "太极 极拳");
- a single Han character → a term on the single-character tokens;
- a Latin or digit word → a lowercased term; an all-letter word may also be pinyin
  (``taijiquan`` → "tai ji quan") or initials (``tjq`` → "t j q"), OR-ed with the term. A word
  that no title reads as (``zhengzhuo``) is also read with one slip corrected towards the titles'
  syllables (``search.pinyin``); pinyin syllables typed apart (``tai ji``) are one phrase;
- a piece that is a word of an editors' synonym group (设置 → 搜索同义词) may match any word of
  the group (電腦 → 电脑 / 计算机 / 办公软件): ``ParsedQuery.synonym_query``, asked after the
  words as typed.

Pieces are AND-ed: the strict query. ``ParsedQuery.relaxed_query`` ORs the pieces' bigrams and
words instead, for the pages that cover only part of the query (``search.relaxed``). The same
objects work on SQLite FTS5, PostgreSQL and Elasticsearch/OpenSearch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wagtail.models import Page
from wagtail.search.query import And, Or, Phrase, PlainText, SearchQuery

from core.page_cache import depend_on_listing
from core.segmentation import HAN_CLASS, PINYIN_SYLLABLES, bigrams, fold, split_pinyin
from home.queries import public_only

# A resident's query is a few words; anything longer is cut, not refused.
MAX_QUERY_LENGTH = 100
MAX_PIECES = 8
# Bound the work done on a pasted page of text before cleaning it.
MAX_RAW_LENGTH = 1000
# The relaxed query ORs at most this many bigrams and words.
MAX_RELAXED_TERMS = 40

PIECE = re.compile(f"[{HAN_CLASS}]+|[^\\W_{HAN_CLASS}]+")
HAN_ONLY = re.compile(f"[{HAN_CLASS}]+")
# First letters a pinyin syllable can start with (no syllable starts with i, u or v).
INITIAL_LETTERS = frozenset("abcdefghjklmnopqrstwxyz")
MAX_INITIALS = 10


@dataclass
class Term:
    """One thing asked for: a Han word, a Latin or digit word, or syllables typed apart."""

    text: str
    is_han: bool
    # The word itself first, then the other words of its synonym groups.
    alternatives: list[str] = field(default_factory=list)
    # Pinyin readings beyond the word itself (exact, a slip corrected, a syllable completed).
    readings: list[list[str]] = field(default_factory=list)
    initials: bool = False
    # The word's readings as typed when a 模糊音 slip of a far commoner reading is searched first
    # (``search.pinyin.slip_readings``): asked after it, with the synonyms.
    later: list[list[str]] = field(default_factory=list)


@dataclass
class ParsedQuery:
    text: str = ""  # the cleaned query, safe to show and to use as a cache key
    pieces: list[str] = field(default_factory=list)
    query: SearchQuery | None = None
    truncated: bool = False
    terms: list[Term] = field(default_factory=list)
    # The query with each term's synonyms too (None: no term has any). The site asks it only when
    # the words as typed find less than a page, below those (``search.relaxed``): a page with the
    # resident's own word comes before one with a synonym.
    synonym_query: SearchQuery | None = None
    # The terms again for partial matching, a Han run cut at the synonym words inside it
    # (老人学电脑 → 老人 | 学 | 电脑, each synonym word with its group).
    relaxed_terms: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.query is None

    @property
    def highlight_terms(self) -> list[str]:
        """What to mark in snippets: Han runs whole, words case-insensitively; longest first."""
        words = set(self.pieces)
        for term in [*self.terms, *self.relaxed_terms]:
            words.update(term.alternatives)
        return sorted(words, key=len, reverse=True)

    @property
    def relaxed_query(self) -> SearchQuery | None:
        """Any bigram or word of the query (``search.relaxed`` ranks what it finds)."""
        parts: list[SearchQuery] = []
        seen: set[str] = set()
        for term in self.relaxed_terms or self.terms:
            for alternative in term.alternatives:
                if HAN_ONLY.fullmatch(alternative):
                    tokens = bigrams(alternative) or [alternative]
                    for token in tokens:
                        if token not in seen:
                            seen.add(token)
                            parts.append(PlainText(token))
                elif alternative not in seen:
                    seen.add(alternative)
                    parts.append(PlainText(alternative))
            for reading in term.readings:
                phrase = " ".join(reading)
                if phrase not in seen:
                    seen.add(phrase)
                    parts.append(Phrase(phrase) if len(reading) > 1 else PlainText(phrase))
        parts = parts[:MAX_RELAXED_TERMS]
        if len(parts) < 2:
            return None  # one token: the strict query already asked for it
        return Or(parts)


def _text_query(text: str) -> SearchQuery:
    """A Han word as a phrase of its bigrams (one character as a term), else a plain term."""
    if HAN_ONLY.fullmatch(text) and len(text) > 1:
        return Phrase(" ".join(bigrams(text)))
    if " " in text:
        return Phrase(text)
    return PlainText(text)


def term_query(term: Term, *, synonyms: bool = True) -> SearchQuery:
    words = term.alternatives if synonyms else term.alternatives[:1]
    interpretations: list[SearchQuery] = [_text_query(word) for word in words]
    for reading in [*term.readings, *(term.later if synonyms else [])]:
        interpretations.append(Phrase(" ".join(reading)))
    if term.initials:
        interpretations.append(Phrase(" ".join(term.text)))
    return interpretations[0] if len(interpretations) == 1 else Or(interpretations)


def piece_query(piece: str) -> SearchQuery:
    """The query object of one piece as typed (no synonyms, no slips)."""
    return term_query(_term(piece, synonyms={}, vocabulary=None))


def _is_syllable(word: str) -> bool:
    return word.isascii() and word.isalpha() and word in PINYIN_SYLLABLES


def _term(piece: str, *, synonyms, vocabulary, complete=False) -> Term:
    from .pinyin import completions, slip_readings

    alternatives = list(synonyms.get(piece, (piece,)))
    if HAN_ONLY.fullmatch(piece):
        return Term(piece, True, alternatives)
    term = Term(piece, False, alternatives)
    if " " in piece:  # syllables typed apart: one phrase
        term.alternatives = [piece.replace(" ", "")]
        term.readings = [piece.split()]
    elif piece.isascii() and piece.isalpha() and len(piece) >= 2:
        term.readings = [syllables for syllables in split_pinyin(piece) if syllables != [piece]]
        term.initials = len(piece) <= MAX_INITIALS and set(piece) <= INITIAL_LETTERS
    if vocabulary is not None and piece.isascii() and piece.replace(" ", "").isalpha():
        word = piece.replace(" ", "")
        exact = [[word], *split_pinyin(word), *term.readings]
        near, typed_later = slip_readings(word, exact, vocabulary)
        if typed_later:
            term.later, term.readings = term.readings, near
        else:
            term.readings += near
        if complete:
            term.readings += completions(word, vocabulary)
    return term


def _all_of(subqueries: list[SearchQuery]) -> SearchQuery:
    return subqueries[0] if len(subqueries) == 1 else And(subqueries)


def _cut_at_synonyms(term: Term, synonyms) -> list[Term]:
    """A Han run with synonym words inside, as its pieces (longest synonym word first)."""
    if not term.is_han or len(term.alternatives) > 1 or len(term.text) < 3:
        return [term]
    text = term.text
    pieces: list[Term] = []
    gap_start = position = 0
    while position < len(text):
        for end in range(min(len(text), position + 8), position + 1, -1):
            word = text[position:end]
            if word in synonyms and word != text:
                if gap_start < position:
                    gap = text[gap_start:position]
                    pieces.append(Term(gap, True, [gap]))
                pieces.append(Term(word, True, list(synonyms[word])))
                position = gap_start = end
                break
        else:
            position += 1
    if not pieces:
        return [term]
    if gap_start < len(text):
        pieces.append(Term(text[gap_start:], True, [text[gap_start:]]))
    return pieces


def _join_spaced_syllables(pieces: list[str]) -> list[str]:
    """Pinyin syllables typed apart (``tai ji``) become one piece ``"tai ji"``."""
    joined: list[str] = []
    run: list[str] = []
    for piece in [*pieces, ""]:
        if piece and _is_syllable(piece):
            run.append(piece)
            continue
        if len(run) > 1:
            joined.append(" ".join(run))
        else:
            joined.extend(run)
        run = []
        if piece:
            joined.append(piece)
    return joined


def parse_query(raw: str | None, *, complete_last: bool = False) -> ParsedQuery:
    """Clean and interpret ``raw``; an empty or all-punctuation query gives ``query=None``.

    ``complete_last``: the last word may be a syllable still being typed (suggestions).
    """
    from .vocabulary import pinyin_vocabulary, synonyms

    text = fold(unicodedata.normalize("NFKC", (raw or "")[:MAX_RAW_LENGTH]).lower())
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
    groups = _join_spaced_syllables(pieces)
    needs_vocabulary = any(group.isascii() and any(c.isalpha() for c in group) for group in groups)
    vocabulary = pinyin_vocabulary() if needs_vocabulary else None
    known_synonyms = synonyms()
    terms = [
        _term(
            group,
            synonyms=known_synonyms,
            vocabulary=vocabulary,
            complete=complete_last and number == len(groups) - 1,
        )
        for number, group in enumerate(groups)
    ]
    query = _all_of([term_query(term, synonyms=False) for term in terms])
    synonym_query = None
    if any(len(term.alternatives) > 1 or term.later for term in terms):
        synonym_query = _all_of([term_query(term) for term in terms])
    return ParsedQuery(
        text=" ".join(pieces),
        pieces=pieces,
        query=query,
        truncated=truncated,
        terms=terms,
        synonym_query=synonym_query,
        relaxed_terms=[piece for term in terms for piece in _cut_at_synonyms(term, known_synonyms)],
    )


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
