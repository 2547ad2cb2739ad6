"""Wagtail's database search backend, with relevance ranking on SQLite that scales linearly.

``wagtail.search.backends.database`` on SQLite (modelsearch's FTS5 backend) orders results by
relevance through a correlated subquery: for every page that matches, SQLite runs the full-text
match again to find that page's score. A word found in N pages costs N full-text scans of N rows,
so the search page slows with the square of the content: on the benchmark's 20× database (5,582
pages) 健康 (253 pages) took 31 ms of SQL, 社区 (1,864 pages) 1.9 s, 学习 (5,348 pages) 20.5 s.

``SearchBackend`` keeps everything else of the stock backend (indexing, counting, facets,
PostgreSQL and MySQL) and changes one thing: when a slice of results is asked for in relevance
order (searching or autocompleting), the full-text match runs once, ranks the index entries of
the pages the queryset allows (one ``IN`` list), and the pages of that slice are loaded by
primary key.
Scores, the order (score, then newest page first) and the ``_score`` annotation are those of
the stock backend.

Title weight on SQLite: the stock SQLite compiler ranks with ``bm25()`` of the whole row for
its "title vector" and again for its "body vector", so a word in the title counts exactly as much
as the same word in the body (only the entry's title norm multiplies the lot). The title-weighted
compiler (``title_weighted_compiler``, under the one-pass ranking) ranks with FTS5's per-column
weights instead: bm25 over the title column times the title norm and ``TITLE_WEIGHT``, plus bm25
over the body, the same shape as PostgreSQL's ranking (title vector with weight A times the title
norm, plus the body). With the title's bigrams and pinyin in the title column
(``core.segmentation.SegmentedTitleField``), a page named for the words ranks above one that
mentions them.

It also reads a plain string query the way the site's search does (``search.query.parse_query``):
Wagtail's admin (page search, the page, image, document, media and snippet choosers, listings)
hands the backend what the editor typed, and a Han run is one token to the stock backend, so
社区学校 would never find 阳光社区学校. A string with Han characters, or a word that reads as
pinyin (``taiji``), becomes the same query objects the public search uses, matched against the
segmented index fields; a plain Latin word keeps the stock behaviour (as-you-type prefix matching
for ``autocomplete``). Query objects pass through unchanged.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, Value, When
from django.db.models.functions import Cast
from wagtail.search.backends import database as stock

SLICED_RANKING_VENDOR = "sqlite"
# A match in the title column counts this much more than one in the body (times the title norm).
TITLE_WEIGHT = 2.0


class ColumnBM25(Func):
    """FTS5's bm25 with per-column weights (the table's columns: autocomplete, body, title)."""

    output_field = FloatField()

    def __init__(self, *, title: float, body: float):
        self.title_weight, self.body_weight = float(title), float(body)
        super().__init__()

    def as_sql(self, compiler, connection, function=None, template=None):
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

        table = SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, 0.0, {self.body_weight!r}, {self.title_weight!r})", []


@functools.cache
def title_weighted_compiler(base):
    """``base`` (modelsearch's SQLite search compiler) ranking title and body columns apart."""

    class TitleWeightedCompiler(base):
        def _column_rank(self, query, *, title: float, body: float):
            from wagtail.search.query import And, Not, Or, Phrase, PlainText
            from wagtail.search.utils import MUL

            # The stock compiler's tree (build_tsrank), with a column-weighted bm25 at the leaves.
            if isinstance(query, Phrase | PlainText | Not):
                return ColumnBM25(title=title, body=body)
            if isinstance(query, And):
                return (
                    MUL(
                        1 + self._column_rank(subquery, title=title, body=body)
                        for subquery in query.subqueries
                    )
                    - 1
                )
            if isinstance(query, Or):
                # FTS5's bm25() scores the row for the whole MATCH, not for one branch, so every
                # leaf is the same value and the stock tree's mean of n leaves is one of them:
                # evaluated once instead of n times per matching row (the partial-match query
                # ORs up to 40 terms over thousands of rows).
                return self._column_rank(query.subqueries[0], title=title, body=body)
            raise NotImplementedError(f"`{type(query).__name__}` is not supported.")

        def _build_rank_expression(self, vectors, config):
            return self._column_rank(self.query, title=1.0, body=0.0) * F(
                "index_entry__title_norm"
            ) * TITLE_WEIGHT + self._column_rank(self.query, title=0.0, body=1.0)

    TitleWeightedCompiler.__name__ = f"TitleWeighted{base.__name__}"
    return TitleWeightedCompiler


@functools.cache
def _ranking_compiler(base):
    """``base`` (a modelsearch SQLite compiler class) with linear relevance ranking."""

    class RankingFromIndexCompiler(base):
        def search(self, config, start, stop, score_field=None):
            from wagtail.search.backends.database.sqlite.query import (
                MatchExpression,
                normalize,
            )
            from wagtail.search.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry
            from wagtail.search.query import MatchAll, Not
            from wagtail.search.utils import get_descendants_content_types_pks

            normalized = normalize(self.query)
            if (
                stop is None  # counts, facets and whole lists: the stock query is linear there
                or score_field is not None
                or not self.order_by_relevance
                or isinstance(normalized, MatchAll | Not)
            ):
                return super().search(config, start, stop, score_field=score_field)

            model = self.queryset.model
            match = MatchExpression(
                self.fields or self.FTS_TABLE_FIELDS,
                self.build_search_query(normalized, config=config),
            )
            object_id = "index_entry__object_id"
            pk_field = model._meta.pk
            while pk_field.is_relation:  # a page type's pk is its link to wagtailcore_page
                pk_field = pk_field.target_field
            if isinstance(pk_field, IntegerField):
                # object_id is text: the newest page first means the larger number first.
                tie_break = Cast(object_id, IntegerField()).desc()
            else:
                tie_break = f"-{object_id}"
            ranked = (
                SQLiteFTSIndexEntry.objects.filter(match)
                .filter(
                    index_entry__content_type__in=get_descendants_content_types_pks(model),
                    index_entry__object_id__in=self.queryset.values("pk"),
                )
                .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
                .order_by("score", tie_break)
                .values_list(object_id, "score")[start:stop]
            )
            scores = {}
            for found_id, score in ranked:
                scores.setdefault(model._meta.pk.to_python(found_id), score)
            if not scores:
                return self.queryset.none()
            return (
                self.queryset.filter(pk__in=list(scores))
                .annotate(
                    _score=Case(
                        *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
                        output_field=FloatField(),
                    )
                )
                .order_by("_score", "-pk")
            )

    RankingFromIndexCompiler.__name__ = f"RankingFromIndex{base.__name__}"
    return RankingFromIndexCompiler


def _segmented(query):
    """The site's query object for a string an editor typed, or None to leave it to the backend."""
    from wagtail.search.query import PlainText

    from core.segmentation import split_pinyin
    from search.query import HAN_ONLY, parse_query

    if isinstance(query, PlainText):
        # The admin's page search parses the string into one PlainText first (its ``live:``
        # filters); the site's own parser gives a top-level PlainText only for a piece it
        # reads the same way again, so this is safe for both.
        query = query.query_string
    if not isinstance(query, str):
        return None
    parsed = parse_query(query)
    if parsed.is_empty:
        return None
    # Whole syllables (taiji → tai ji), not initials alone: a short Latin word such as "pyth"
    # could be initials too, and would lose its prefix match for nothing.
    reads_as_pinyin = any(
        syllables != [piece]
        for piece in parsed.pieces
        if piece.isascii() and piece.isalpha()
        for syllables in split_pinyin(piece)
    )
    if HAN_ONLY.search(parsed.text) or reads_as_pinyin:
        return parsed.query
    return None


def _reading_typed_queries(backend):
    """Route string queries through the site's parser (see the module docstring)."""
    stock_search, stock_autocomplete = backend.search, backend.autocomplete

    def search(query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        segmented = _segmented(query)
        if segmented is None:
            return stock_search(
                query, model_or_queryset, fields, operator, order_by_relevance=order_by_relevance
            )
        # The segmented tokens live in their own index fields: a field list (say, the title's
        # autocomplete field) would leave them out.
        return stock_search(segmented, model_or_queryset, order_by_relevance=order_by_relevance)

    def autocomplete(query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        segmented = _segmented(query)
        if segmented is None:
            return stock_autocomplete(
                query, model_or_queryset, fields, operator, order_by_relevance=order_by_relevance
            )
        # Han text and pinyin are matched whole (bigrams, syllables), as the public search does.
        return stock_search(segmented, model_or_queryset, order_by_relevance=order_by_relevance)

    backend.search, backend.autocomplete = search, autocomplete
    return backend


def SearchBackend(params):  # Wagtail looks a backend module's SearchBackend up by this name
    backend = _reading_typed_queries(stock.SearchBackend(params))
    if connection.vendor == SLICED_RANKING_VENDOR:
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

        if isinstance(backend, SQLiteSearchBackend):  # not the LIKE fallback without FTS5
            backend.query_compiler_class = _ranking_compiler(
                title_weighted_compiler(backend.query_compiler_class)
            )
            backend.autocomplete_query_compiler_class = _ranking_compiler(
                backend.autocomplete_query_compiler_class
            )
    return backend
