"""Turning a page of search results into what a resident reads: type, snippet, date or place.

Results come back from the backend as plain ``Page`` rows. ``load_specific`` fetches the
specific pages for one page of results in one query per page type (never one per result) with
what the result line needs prefetched; snippets are cut from the fields already loaded.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_cache import kept_many, path_keys
from core.segmentation import HAN_RUN, SEGMENT_FIELD_NAMES

SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30
WHITESPACE = re.compile(r"\s+")


@dataclass
class SearchHit:
    page: Page
    type_label: str
    title_html: SafeString
    snippet: SafeString
    when: str = ""
    place: str = ""
    # Shown beside the title when another result on the page has the same title (where, when).
    distinction: str = ""
    # Covers only part of the query (search.relaxed): shown as 部分匹配.
    partial: bool = False
    # A recurring activity shown once: how many times it is held (同一活动共 2 场).
    series_note: str = ""
    # A dated page all of whose dates have passed (an event held, a festival ended).
    over: bool = False


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def type_label(model: type[models.Model] | None) -> str:
    return str(model._meta.verbose_name) if model is not None else "页面"


def _with_result_data(model: type[Page], queryset):
    """Generic prefetching for the result line: the venue's title (occurrences: load_specific)."""
    try:
        venue = model._meta.get_field("venue")
    except FieldDoesNotExist:
        pass
    else:
        if venue.is_relation and venue.many_to_one:
            queryset = queryset.select_related("venue")
    return queryset


def load_specific(pages: list[Page]) -> list[Page]:
    """The specific page for each of ``pages``, in the same order; one query per page type.

    Kept (core.page_cache.kept_many) until the page or a page above it changes, or something
    it shows (its venue): the same pages come back for many searches, and their specific rows,
    with their venue and dates, cost more to build than to read back.
    """
    wanted = {page.pk: (f"search-result|{page.pk}", path_keys(page.path)) for page in pages}
    by_pk = {page.pk: page for page in pages}
    specific = kept_many(wanted, lambda missing: _load_specific([by_pk[pk] for pk in missing]))
    return [specific.get(page.pk, page) for page in pages]


def _load_specific(pages: list[Page]) -> dict[int, Page]:
    ids_by_type: dict[int, list[int]] = defaultdict(list)
    for page in pages:
        ids_by_type[page.content_type_id].append(page.pk)
    specific: dict[int, Page] = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            continue
        for item in _with_result_data(model, model.objects.filter(pk__in=ids)):
            specific[item.pk] = item
    # The dates of every dated result, whatever its type, in one query.
    dated = [page for page in specific.values() if hasattr(type(page), "next_occurrence")]
    if dated:
        prefetch_related_objects(dated, "occurrences")
    return specific


# --- Snippets -------------------------------------------------------------------------------


def _stream_texts(raw) -> list[str]:
    """Readable strings from a StreamField's stored JSON, without converting blocks (no queries)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            text = strip_tags(value)
            # Keep prose; skip identifiers, choice values, URLs and image ids.
            if HAN_RUN.search(text) or " " in text.strip():
                found.append(text)
        elif isinstance(value, dict):
            # A block is {"type", "value", "id"}; a struct's value maps child names to values.
            for key, item in value.items():
                if key not in ("type", "id"):
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(raw)
    return found


def snippet_sources(page: Page) -> list[str]:
    """The page's own searchable text fields in ``search_fields`` order, as plain text."""
    texts: list[str] = []
    if page.search_description:
        texts.append(page.search_description)
    for search_field in type(page).get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        name = search_field.field_name
        if name == "title" or name in SEGMENT_FIELD_NAMES:
            continue
        try:
            field = type(page)._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if name in page.get_deferred_fields():
            continue
        value = getattr(page, name)
        if isinstance(field, StreamField):
            texts.extend(_stream_texts(value.raw_data if value is not None else []))
        elif isinstance(field, RichTextField):
            texts.append(strip_tags(value or ""))
        elif isinstance(field, (models.CharField, models.TextField)):
            texts.append(value or "")
    return [WHITESPACE.sub(" ", text).strip() for text in texts if text and text.strip()]


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    terms = [term for term in terms if term]
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of a term wrapped in <mark>."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def make_snippet(page: Page, terms: list[str]) -> SafeString:
    """About 120 characters around the first match, else the start of the summary."""
    sources = snippet_sources(page)
    pattern = _term_pattern(terms)
    if pattern is not None:
        for text in sources:
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - SNIPPET_LEAD)
                end = min(len(text), start + SNIPPET_LENGTH)
                piece = highlight(text[start:end], terms)
                prefix = "…" if start > 0 else ""
                suffix = "…" if end < len(text) else ""
                return mark_safe(f"{prefix}{piece}{suffix}")  # highlight escapes
    if sources:
        text = sources[0]
        suffix = "…" if len(text) > SNIPPET_LENGTH else ""
        return mark_safe(f"{escape(text[:SNIPPET_LENGTH])}{suffix}")  # escaped
    return mark_safe("")


# --- Date and place ----------------------------------------------------------------------------


WEEKDAYS = "一二三四五六日"


def weekly_pattern(occurrences) -> str:
    """'每周二 07:30' when the upcoming times repeat weekly at the same hour, else ''."""
    starts = [timezone.localtime(occurrence.start) for occurrence in occurrences]
    if len(starts) < 3:
        return ""
    week = datetime.timedelta(weeks=1)
    if any(later - earlier != week for earlier, later in zip(starts, starts[1:], strict=False)):
        return ""
    return f"每周{WEEKDAYS[starts[0].weekday()]} {starts[0]:%H:%M}"


def when_label(page: Page) -> str:
    if hasattr(page, "all_occurrences") and hasattr(page, "next_occurrence"):
        occurrence = page.next_occurrence
        if occurrence is not None:
            upcoming = [o for o in page.upcoming_occurrences() if not o.cancelled]
            # A weekly activity is one result: its rhythm and its next date.
            weekly = weekly_pattern(upcoming)
            next_time = timezone.localtime(occurrence.start).strftime("%Y年%-m月%-d日 %H:%M")
            return f"{weekly}，下次 {next_time}" if weekly else next_time
        if page.all_occurrences:
            last = page.all_occurrences[-1]
            return timezone.localtime(last.start).strftime("%Y年%-m月%-d日（已结束）")
        return ""
    return getattr(page, "date_range_label", "") or ""


def is_over(page: Page, today: datetime.date) -> bool:
    """Whether every date of ``page`` has passed: its sessions held, its date range ended."""
    if hasattr(page, "all_occurrences") and hasattr(page, "next_occurrence"):
        return page.next_occurrence is None and bool(page.all_occurrences)
    end = getattr(page, "end_date", None)
    return isinstance(end, datetime.date) and end < today


def place_label(page: Page) -> str:
    address = getattr(page, "address", "")
    if isinstance(address, str) and address:
        return address
    venue_id = getattr(page, "venue_id", None)
    venue_address = getattr(page, "venue_address", "") or ""
    if venue_id:
        return f"{page.venue.title}（{venue_address}）" if venue_address else page.venue.title
    return venue_address


def build_hits(
    pages: list[Page], terms: list[str], series_size: dict[int, int] | None = None
) -> list[SearchHit]:
    """The result lines for ``pages``; ``series_size``: pages standing for a recurring activity
    (``search.facts``), with the number of times it is held."""
    hits = []
    series_size = series_size or {}
    today = timezone.localdate()
    for page in load_specific(pages):
        size = series_size.get(page.pk, 0)
        over = is_over(page, today)
        # The page shown is the next time, or the last one when none is coming (search.facts).
        series_note = ""
        if size > 1:
            shown = "都已结束，这里显示最后一场" if over else "这里显示最近的一场"
            series_note = f"同一活动共 {size} 场，{shown}"
        hits.append(
            SearchHit(
                page=page,
                type_label=type_label(type(page)),
                title_html=highlight(page.title, terms),
                snippet=make_snippet(page, terms),
                when=when_label(page),
                place=place_label(page),
                series_note=series_note,
                over=over,
            )
        )
    tell_apart(hits)
    return hits


def still_to_come_first(hits: list[SearchHit]) -> list[SearchHit]:
    """``hits`` with those whose dates have all passed moved below the others, each group in its
    own order: on one page of results, what a resident can still go to comes first (the 2026
    festival before the 2025 one, next week's show before yesterday's). Pages keep their
    results, so paging through shows each result once."""
    return [hit for hit in hits if not hit.over] + [hit for hit in hits if hit.over]


def tell_apart(hits: list[SearchHit]) -> None:
    """Results with the same title get where and when beside it (place, date)."""
    repeated = {
        title for title, count in Counter(hit.page.title for hit in hits).items() if count > 1
    }
    for title in repeated:
        same = [hit for hit in hits if hit.page.title == title]
        places = {hit.place for hit in same}
        dates = {short_when(hit.page) for hit in same}
        for hit in same:
            place = hit.place.split("（")[0]
            # The place when it differs; the date too, unless every one is at a different place
            # on no date at all. In one place, the date tells them apart.
            parts = [place if len(places) > 1 else "", short_when(hit.page)]
            if len(places) == 1 and len(dates) == 1:
                parts = [place, year_of(hit.page)]
            hit.distinction = "，".join(part for part in parts if part)


def short_when(page: Page) -> str:
    """The next date (5月20日; with the year when not this year), or the year it ended."""
    occurrence = (
        getattr(page, "next_occurrence", None) if hasattr(page, "all_occurrences") else None
    )
    if occurrence is not None:
        start = timezone.localtime(occurrence.start)
        if start.year == timezone.localdate().year:
            return f"{start:%-m月%-d日}"
        return f"{start:%Y年%-m月%-d日}"
    return year_of(page)


def year_of(page: Page) -> str:
    occurrences = getattr(page, "all_occurrences", None)
    if occurrences:
        return f"{timezone.localtime(occurrences[0].start):%Y}年"
    return ""
