"""Measure the site search: recall@10 and query time on real pages, optionally at scale.

    python manage.py search_recall                    # the pages that are there
    python manage.py search_recall --add-pages 4500   # plus 4,500 generated pages, rolled back
    python manage.py search_recall --set needs        # one set (sampled, needs, traditional,
                                                      # pinyin-slips); --limit N: its first N

Sampled set: queries are built from published pages: word-aligned pieces of 2-4 Han characters
of titles and bodies (both ends on a word boundary of pypinyin's MMSEG segmentation), and the
full pinyin and the initials of title pieces. Each goes through the site's own search function.

recall@10 of one query = relevant pages among the first ten / min(10, relevant pages), where the
relevant pages are every searchable page whose indexed text contains the piece (for pinyin: whose
title's pinyin contains the syllables). "source in top 10" is the share of queries whose sampled
page is itself among the first ten.

Written sets (``search.recall_sets``), searched as the /search/ page searches (a place in the
query filters, a recurring activity is one result): everyday needs with the pages that answer
them, traditional-character queries (relevant: text containing the simplified form) and pinyin
with one slip (relevant: title containing the word meant). For each: the share of queries with a
relevant page among the first three ("top 3"), recall@10 as above, median and p95 time. Pages a
recurring activity leaves out of the results (search.facts) do not count as relevant: the page
shown stands for them.
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from pypinyin.seg.mmseg import seg

from core.segmentation import han_runs, title_pinyin
from home.models import HomePage, StandardPage
from search import recall_sets
from search.query import parse_query, search_pages, searchable_pages
from search.site_search import scope_for

K = 10
TOP = 3


class Rollback(Exception):
    pass


def aligned_pieces(text: str, shortest: int = 2, longest: int = 4) -> list[str]:
    """Pieces of 2-4 characters whose both ends fall on MMSEG word boundaries."""
    pieces = []
    for run in han_runs(text):
        words = list(seg.cut(run))
        for start in range(len(words)):
            piece = ""
            for word in words[start:]:
                piece += word
                if len(piece) > longest:
                    break
                if len(piece) >= shortest:
                    pieces.append(piece)
    return pieces


class Command(BaseCommand):
    help = "Recall@10 and query time of the site search on published pages (see module docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=100, help="pages to build queries from")
        parser.add_argument("--per-page", type=int, default=4, help="Han queries per sampled page")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--set",
            choices=["all", "sampled", *recall_sets.SETS],
            default="all",
            help="run one set only (default: all)",
        )
        parser.add_argument(
            "--limit", type=int, default=0, help="only the first N queries of each written set"
        )
        parser.add_argument(
            "--show-misses",
            action="store_true",
            help="list the written queries with no relevant page in the top 3",
        )
        parser.add_argument(
            "--add-pages",
            type=int,
            default=0,
            help="first add this many generated pages, in a transaction that is rolled back",
        )

    def handle(self, *args, **options):
        if options["add_pages"] < 0 or options["sample"] < 1:
            raise CommandError("--add-pages must be 0 or more and --sample at least 1.")
        rng = random.Random(options["seed"])
        try:
            with transaction.atomic():
                if options["add_pages"]:
                    self.add_generated_pages(options["add_pages"], rng)
                if options["set"] in ("all", "sampled"):
                    self.measure(options, rng)
                if options["set"] != "sampled":
                    self.measure_written(options)
                if options["add_pages"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Generated pages rolled back.")

    # --- Corpus ---------------------------------------------------------------------------

    def corpus(self):
        pages = list(searchable_pages().specific())
        texts = {}
        for page in pages:
            source = getattr(page, "search_source_texts", None)
            texts[page.pk] = "\n".join(source() if source else [page.title])
        return pages, texts

    def add_generated_pages(self, count: int, rng: random.Random):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("No home page: run load_demo first.")
        _pages, texts = self.corpus()
        vocabulary = sorted({word for text in texts.values() for word in aligned_pieces(text)})
        if not vocabulary:
            raise CommandError("No Chinese text to build pages from.")
        started = time.perf_counter()
        parent = home.add_child(
            instance=StandardPage(title="检索压力测试", slug="search-scale-test")
        )
        for number in range(count):
            title = "".join(rng.choices(vocabulary, k=rng.randint(2, 4)))
            sentences = [
                "".join(rng.choices(vocabulary, k=rng.randint(4, 9))) + "。" for _ in range(8)
            ]
            parent.add_child(
                instance=StandardPage(
                    title=f"{title}{number}", slug=f"scale-{number}", intro="".join(sentences)
                )
            )
        self.stdout.write(
            f"Added {count} generated pages in {time.perf_counter() - started:.0f} s."
        )

    # --- Measurement ------------------------------------------------------------------------

    def measure(self, options, rng: random.Random):
        pages, texts = self.corpus()
        if not pages:
            raise CommandError("No published pages to sample: run load_demo first.")
        pinyin = {page.pk: title_pinyin(page.title) for page in pages}
        sample = rng.sample(pages, min(options["sample"], len(pages)))

        # (kind, query, source page id, pinyin tokens the query stands for)
        queries: list[tuple[str, str, int, list[str]]] = []
        for page in sample:
            title_pieces = aligned_pieces(page.title)
            body_pieces = [p for p in aligned_pieces(texts[page.pk]) if p not in title_pieces]
            for piece in rng.sample(title_pieces, min(2, len(title_pieces))):
                queries.append(("title", piece, page.pk, []))
            per_body = max(options["per_page"] - 2, 0)
            for piece in rng.sample(body_pieces, min(per_body, len(body_pieces))):
                queries.append(("body", piece, page.pk, []))
            if title_pieces:
                # The piece's reading in the title (polyphones read as the title reads them).
                piece = rng.choice(title_pieces)
                start = "".join(han_runs(page.title)).index(piece)
                full, initials = pinyin[page.pk]
                syllables = full[start : start + len(piece)]
                letters = initials[start : start + len(piece)]
                queries.append(("pinyin", "".join(syllables), page.pk, syllables))
                queries.append(("initials", "".join(letters), page.pk, letters))

        def relevant(kind: str, query: str, tokens: list[str]) -> set[int]:
            if kind in ("title", "body"):
                return {pk for pk, text in texts.items() if query in text}
            position = 0 if kind == "pinyin" else 1
            return {
                pk
                for pk, readings in pinyin.items()
                if contains_sequence(readings[position], tokens)
            }

        # Warm up: the first search loads pypinyin's syllable table and the database caches.
        list(search_pages(parse_query("学习"))[:K])

        by_kind: dict[str, list[float]] = {}
        found_source: dict[str, list[int]] = {}
        timings = []
        for kind, query, source, tokens in queries:
            parsed = parse_query(query)
            started = time.perf_counter()
            top = [page.pk for page in search_pages(parsed)[:K]]
            timings.append((time.perf_counter() - started) * 1000)
            wanted = relevant(kind, query, tokens) | {source}
            recall = len(wanted.intersection(top)) / min(K, len(wanted))
            by_kind.setdefault(kind, []).append(recall)
            found_source.setdefault(kind, []).append(int(source in top))

        all_recalls = [value for values in by_kind.values() for value in values]
        self.stdout.write(f"Searchable pages: {len(pages)}; sampled pages: {len(sample)}")
        self.stdout.write(f"Queries: {len(queries)}")
        for kind in ("title", "body", "pinyin", "initials"):
            if kind in by_kind:
                values = by_kind[kind]
                self.stdout.write(
                    f"  {kind:<9} n={len(values):<4} recall@{K}={statistics.fmean(values):.3f}  "
                    f"source in top {K}={statistics.fmean(found_source[kind]):.3f}"
                )
        self.stdout.write(f"recall@{K} (all queries): {statistics.fmean(all_recalls):.3f}")
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        self.stdout.write(
            f"query time: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
        )

    # --- Written sets -----------------------------------------------------------------------

    def written_sets(self, wanted: str, texts: dict[int, str]):
        """(set name, [(query, relevant page ids)]) for each written set asked for."""
        pages = list(searchable_pages().only("pk", "title"))
        by_title: dict[str, set[int]] = {}
        for page in pages:
            by_title.setdefault(page.title, set()).add(page.pk)
        sets = []
        if wanted in ("all", "needs"):
            missing = sorted(
                {title for need in recall_sets.NEEDS for title in need.titles} - set(by_title)
            )
            if missing:
                self.stderr.write(f"Needs name pages that do not exist: {'、'.join(missing)}")
            queries = [
                (need.query, set().union(*(by_title.get(title, set()) for title in need.titles)))
                for need in recall_sets.NEEDS
            ]
            sets.append(("needs", queries))
        if wanted in ("all", "traditional"):
            queries = [
                (typed, {pk for pk, text in texts.items() if simplified in text})
                for typed, simplified in recall_sets.TRADITIONAL
            ]
            sets.append(("traditional", queries))
        if wanted in ("all", "pinyin-slips"):
            queries = [
                (typed, {page.pk for page in pages if word in page.title})
                for typed, word in recall_sets.PINYIN_SLIPS
            ]
            sets.append(("pinyin-slips", queries))
        return sets

    def measure_written(self, options):
        _pages, texts = self.corpus()
        scope_for(parse_query("学习")).top(K)  # warm up
        for name, queries in self.written_sets(options["set"], texts):
            if options["limit"]:
                queries = queries[: options["limit"]]
            in_top, recalls, timings, misses = [], [], [], []
            for query, relevant in queries:
                started = time.perf_counter()
                scope = scope_for(parse_query(query))
                top = [page.pk for page in scope.top(K)]
                timings.append((time.perf_counter() - started) * 1000)
                relevant = (relevant - scope.facts.hidden) or relevant
                if not relevant:
                    continue
                hit = bool(relevant.intersection(top[:TOP]))
                in_top.append(int(hit))
                recalls.append(len(relevant.intersection(top)) / min(K, len(relevant)))
                if not hit:
                    misses.append(query)
            if not recalls:
                self.stdout.write(f"{name}: no query with a relevant page")
                continue
            self.stdout.write(
                f"{name:<13} n={len(recalls):<4} top {TOP}={statistics.fmean(in_top):.3f}  "
                f"recall@{K}={statistics.fmean(recalls):.3f}  "
                f"median {statistics.median(timings):.1f} ms  p95 {percentile(timings, 0.95):.1f} ms"
            )
            if options["show_misses"] and misses:
                self.stdout.write(f"  not in the top {TOP}: {'，'.join(misses)}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def contains_sequence(tokens: list[str], wanted: list[str]) -> bool:
    size = len(wanted)
    return any(tokens[i : i + size] == wanted for i in range(len(tokens) - size + 1))
