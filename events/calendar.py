"""The unified calendar: which occurrences a visitor asked for, fetched in a fixed number of queries.

Dates are read in Asia/Shanghai: "today" is the local day, "this week" runs Monday to Sunday,
"this weekend" is this week's Saturday and Sunday.

events.models routes its index and edition pages here (through events.views), so this module
does not import events.models: it looks the page types up by name when it runs.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, get_page_models

from core.page_cache import kept_many, path_keys
from home.filters import (
    ChoiceFilter,
    DateRangeFilter,
    DistrictFilter,
    FilterField,
    IndexFilter,
    IndexFilters,
    KeywordFilter,
    MonthFilter,
    ObjectFilter,
    TagFilter,
    VocabularyFilter,
)
from home.models import Audience, Category, Occurrence
from home.queries import live_public, top_level_pages
from schools.directory import DistrictLookup
from schools.models import SchoolPage

if TYPE_CHECKING:
    from .models import CalendarPage

KEYWORD_MAX_LENGTH = 50
RANGE_CHOICES = [
    ("today", "今天"),
    ("week", "本周"),
    ("weekend", "本周末"),
    ("month", "本月"),
]
WHEN_CHOICES = [("upcoming", "即将开始"), ("past", "往期回顾")]


# The page types, by name, that the calendar lists (every concrete CalendarPage), that are
# series (festivals and the Forum) and that are festival editions; tests/events/test_events.py
# checks them against the model classes.
CALENDAR_PAGE_TYPES = ("events.EventPage", "events.LecturePage")
SERIES_TYPES = (
    "events.LearningWeekIndexPage",
    "events.ReadingFestivalIndexPage",
    "events.ForumIndexPage",
)
EDITION_TYPES = ("events.LearningWeekPage", "events.ReadingFestivalPage")


def _page_types(names) -> tuple[type[Page], ...]:
    return tuple(apps.get_model(name) for name in names)


def calendar_page_models() -> list[type[CalendarPage]]:
    """Every concrete page type that appears in the calendar (events and lectures)."""
    return list(_page_types(CALENDAR_PAGE_TYPES))


def series_roots(request=None) -> list[Page]:
    """The series a visitor can pick: the Learning Week, the reading festival and the Forum.

    Their index pages sit under the home page, so with a request they come from the top-level
    pages the menu loads anyway.
    """
    series_types = _page_types(SERIES_TYPES)
    if request is not None:
        return [
            page
            for page in top_level_pages(request)
            if page.specific_class is not None and issubclass(page.specific_class, series_types)
        ]
    return list(live_public(Page.objects.type(*series_types), types=series_types).order_by("path"))


@dataclass
class CalendarQuery:
    """A visitor's calendar request, parsed; ``errors`` holds Chinese messages for bad values."""

    now: datetime.datetime
    when: str = "upcoming"
    range_key: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    district: Page | None = None
    audience: Audience | None = None
    category: Category | None = None
    tag: Tag | None = None
    series: Page | None = None
    # One school (any tier) or festival edition: what it holds (see ``place_pages``).
    place: Page | None = None
    # Subscriptions keep recent past occurrences, so a calendar app does not drop them.
    since: datetime.datetime | None = None
    keyword: str = ""
    errors: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    # The parsed filters behind the form (None for a query built in code, e.g. a series' feed).
    filters: CalendarFilters | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def has_other_filters(self, *names: str) -> bool:
        """Whether the visitor narrowed the calendar by anything besides ``names``."""
        return any(key not in names for key in self.values)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.range_key
            or self.district
            or self.audience
            or self.category
            or self.tag
            or self.series
            or self.place
            or self.keyword
        )


class SeriesFilter(ObjectFilter):
    """A series (``series=<slug>``): the Learning Week, the reading festival or the Forum."""

    def __init__(self, param, label, series: list[Page], **kwargs):
        super().__init__(param, label, series, text="title", **kwargs)


class PlaceFilter(IndexFilter):
    """``place=<page id>``: one school's (any tier) or festival edition's calendar; not in the form."""

    widget = None

    def resolve(self, raw):
        place = subscribable_place(raw)
        return (place, place_label(place)) if place is not None else None


class CalendarFilters(IndexFilters):
    """The calendar's filters; ``month_view`` adds the month (the list and the feed ignore it).

    Values are cut at 100 characters rather than refused, and each has its own message.
    """

    def __init__(self, data, *, lookup: DistrictLookup, series: list[Page], now, month_view=False):
        self.lookup, self.series, self.now = lookup, series, now
        self.month_view = month_view
        super().__init__(data)

    def build_filters(self):
        cut = {"max_length": 100}
        filters = [
            ChoiceFilter(
                "when",
                "时间",
                choices=WHEN_CHOICES,
                widget=None,
                error="请选择“即将开始”或“往期回顾”。",
                **cut,
            ),
            DateRangeFilter(
                "range",
                "日期",
                choices=RANGE_CHOICES,
                now=self.now,
                all_label="即将开始的全部活动",
                custom_label="自选日期（填写下方日期）",
                **cut,
            ),
            DistrictFilter(
                "district",
                "区县",
                self.lookup.districts,
                all_label="全部区县",
                error="没有找到所选的区县，请重新选择。",
                **cut,
            ),
            VocabularyFilter(
                "audience",
                "学习对象",
                Audience,
                all_label="全部人群",
                error="没有找到所选的学习对象，请重新选择。",
                **cut,
            ),
            VocabularyFilter(
                "category",
                "内容类别",
                Category,
                all_label="全部类别",
                error="没有找到所选的内容类别，请重新选择。",
                **cut,
            ),
            # Reached from a tag's link, kept through the form, not chosen in it.
            TagFilter("tag", "标签", widget="hidden", error="没有找到这个标签。", **cut),
            SeriesFilter(
                "series",
                "活动系列",
                self.series,
                all_label="全部系列",
                error="没有找到所选的活动系列，请重新选择。",
                **cut,
            ),
            PlaceFilter(
                "place", "地点", error="没有找到这个地点或活动，请从它的页面重新订阅。", **cut
            ),
            KeywordFilter(
                "q", "关键词", length=KEYWORD_MAX_LENGTH, placeholder="例如：太极", **cut
            ),
        ]
        if self.month_view:
            filters.append(
                MonthFilter(
                    "month", "月份", now=self.now, error="月份格式不正确，请按“2026-05”的格式填写。"
                )
            )
        return filters

    # The filters are listed in the order of their messages; the form shows them in this one.
    FORM_ORDER = ["range", "from", "to", "district", "audience", "category", "series", "q", "tag"]

    def form_fields(self):
        view = FilterField(
            "view", "", widget="hidden", value="month" if self.month_view else "list"
        )
        fields = sorted(super().form_fields(), key=lambda item: self.FORM_ORDER.index(item.param))
        return [view, *fields]

    @property
    def has_filters(self) -> bool:
        return bool(set(self.selected) - {"when", "month"})


def parse_calendar_query(
    params, lookup: DistrictLookup, series: list[Page], now=None, *, month_view=False
) -> CalendarQuery:
    """The calendar's parsed request; ``query.filters`` is the form's ``CalendarFilters``."""
    now = now or timezone.now()
    filters = CalendarFilters(
        params, lookup=lookup, series=series, now=now, month_view=month_view
    ).parse()
    chosen = filters.selected
    dates = chosen.get("month") or chosen.get("range")
    named = chosen.get("range")
    return CalendarQuery(
        now=now,
        when=chosen.get("when", "upcoming"),
        range_key=named.key if named is not None else "",
        date_from=named.date_from if named is not None else None,
        date_to=named.date_to if named is not None else None,
        start=dates.start if dates is not None else None,
        end=dates.end if dates is not None else None,
        district=chosen.get("district"),
        audience=chosen.get("audience"),
        category=chosen.get("category"),
        tag=chosen.get("tag"),
        series=chosen.get("series"),
        place=chosen.get("place"),
        keyword=chosen.get("q", ""),
        errors=filters.errors,
        values=filters.given,
        filters=filters,
    )


def place_types() -> tuple[type[Page], ...]:
    """Pages with a calendar of their own: schools of every tier, festival editions and series."""
    return (SchoolPage, *_page_types(EDITION_TYPES), *_page_types(SERIES_TYPES))


def subscribable_place(raw_id: str) -> Page | None:
    """The live, public page a ``place`` id names, as its specific type (one query), else None."""
    if not raw_id.isdigit() or len(raw_id) > 12:
        return None
    models = [
        model
        for model in get_page_models()
        if issubclass(model, place_types()) and not model._meta.abstract
    ]
    page = live_public(Page.objects.type(*models), types=models).filter(pk=int(raw_id)).first()
    return page.specific_deferred if page is not None else None


def place_label(place: Page) -> str:
    """A place as a calendar names it: a district by its name (金水区), anything else by title."""
    return getattr(place, "district_name", "") or place.title


def _any_model(models, **lookup) -> Q:
    """Occurrences whose page is one of ``models`` matching ``lookup``."""
    condition = Q(pk__in=[])
    for model in models:
        condition |= Q(page_id__in=model.objects.filter(**lookup).values("pk"))
    return condition


def held_at(place: Page, models) -> Q:
    """Occurrences of ``models`` posted under ``place`` or held at it (a venue at or below it):
    a district's or a school's calendar, and its weekly schedule (``events.schedules``)."""
    prefix = place.path
    return Q(page__path__startswith=prefix) | _any_model(models, venue__path__startswith=prefix)


def occurrences_for(query: CalendarQuery):
    """Occurrences of live, public calendar pages matching the query, in the order to list them."""
    if not query.is_valid:
        return Occurrence.objects.none()
    models = calendar_page_models()
    pages = live_public(Page.objects.type(*models), types=models)
    # The page's tree path lets build_entries name what each entry shows before loading it.
    occurrences = Occurrence.objects.filter(page_id__in=pages.values("pk")).annotate(
        page_path=F("page__path")
    )
    if query.start is not None:
        occurrences = occurrences.filter(start__lt=query.end, end__gt=query.start)
    elif query.since is not None:
        occurrences = occurrences.filter(end__gte=query.since)
    elif query.when == "past":
        occurrences = occurrences.filter(end__lt=query.now)
    else:
        occurrences = occurrences.filter(end__gte=query.now)
    if query.district is not None:
        occurrences = occurrences.filter(held_at(query.district, models))
    if query.series is not None:
        occurrences = occurrences.filter(page__path__startswith=query.series.path)
    if query.place is not None:
        # A school's calendar also holds what is posted elsewhere but held at it.
        if isinstance(query.place, SchoolPage):
            occurrences = occurrences.filter(held_at(query.place, models))
        else:
            occurrences = occurrences.filter(page__path__startswith=query.place.path)
    if query.audience is not None:
        occurrences = occurrences.filter(_any_model(models, audiences=query.audience))
    if query.category is not None:
        occurrences = occurrences.filter(_any_model(models, category=query.category))
    if query.tag is not None:
        occurrences = occurrences.filter(_any_model(models, tags=query.tag))
    if query.keyword:
        occurrences = occurrences.filter(
            Q(page__title__icontains=query.keyword)
            | _any_model(models, summary__icontains=query.keyword)
        )
    descending = query.when == "past" and query.start is None
    order = ["-start", "-pk"] if descending else ["start", "pk"]
    return occurrences.order_by(*order)


WEEKDAYS = "一二三四五六日"


@dataclass
class CalendarEntry:
    occurrence: Occurrence
    page: CalendarPage
    district: Page | None
    series: Page | None
    venue: Page | None

    @cached_property
    def times(self) -> dict:
        """The row's times, local: ISO values for ``<time>`` and the words shown (the day, for
        rows grouped otherwise than by day; the end's date only when it ends on another day).
        Worked out once here rather than by six ``|date`` filters per row."""
        start = timezone.localtime(self.occurrence.start)
        end = timezone.localtime(self.occurrence.end)
        return {
            "date": f"{start.month}月{start.day}日 周{WEEKDAYS[start.weekday()]}",
            "start_iso": start.isoformat(),
            "end_iso": end.isoformat(),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}"
            if end.date() == start.date()
            else f"{end.month}月{end.day}日 {end:%H:%M}",
        }

    @property
    def cancelled(self) -> bool:
        return self.page.occurrence_is_cancelled(self.occurrence)

    @property
    def status_label(self) -> str:
        if self.occurrence.cancelled:
            return "本场取消"
        return self.page.status_label

    @property
    def is_past(self) -> bool:
        """Over already (the page cache keeps a page for minutes, not days)."""
        return self.occurrence.end < timezone.now()

    @property
    def place(self) -> str:
        if self.venue is not None:
            address = self.page.venue_address or getattr(self.venue, "address", "")
            return f"{self.venue.title}（{address}）" if address else self.venue.title
        return self.page.venue_address or ("线上" if self.page.online_url else "")


def build_entries(occurrences, lookup: DistrictLookup, series: list[Page]) -> list[CalendarEntry]:
    """Attach each occurrence's page, venue, district and series (a fixed number of queries).

    Occurrences from ``occurrences_for`` carry their page's tree path, so the pages with their
    venues are kept (core.page_cache.kept_many) until one of them, a page above it or its
    venue changes: a calendar view then loads only its occurrences.
    """
    occurrences = list(occurrences)
    page_ids = {occurrence.page_id for occurrence in occurrences}
    paths = {
        occurrence.page_id: occurrence.page_path
        for occurrence in occurrences
        if getattr(occurrence, "page_path", None)
    }
    if page_ids and len(paths) == len(page_ids):
        wanted = {pk: (f"calendar-page|{pk}", path_keys(paths[pk])) for pk in page_ids}
        pages = kept_many(wanted, calendar_pages)
    else:
        pages = calendar_pages(page_ids) if page_ids else {}
    entries = []
    for occurrence in occurrences:
        page = pages.get(occurrence.page_id)
        if page is None:
            continue
        venue = page.venue_page
        district = lookup.for_page(page) or (lookup.for_page(venue) if venue else None)
        entry_series = next((root for root in series if page.path.startswith(root.path)), None)
        entries.append(CalendarEntry(occurrence, page, district, entry_series, venue))
    return entries


def calendar_pages(page_ids) -> dict[int, CalendarPage]:
    """The calendar pages (events, lectures) by primary key, each with its venue."""
    pages = {}
    # One query per calendar page type, asked even when a type has no entry here, so the
    # count does not depend on which types the listing happens to contain.
    for model in calendar_page_models():
        pages.update(
            (page.pk, page)
            for page in model.objects.filter(pk__in=page_ids)
            .select_related("category")
            .defer_streamfields()
        )
    venue_ids = {page.venue_id for page in pages.values() if page.venue_id}
    venues = {page.pk: page for page in venues_with_address(venue_ids)} if venue_ids else {}
    for page in pages.values():
        page.__dict__["venue_page"] = venues.get(page.venue_id)  # spare it its venue query
    return pages


def venues_with_address(venue_ids) -> list[Page]:
    """The venues (schools of any tier) with their ``address``, in one query for every tier.

    Entries show a venue's title and address and link nowhere else, so a ``Page`` annotated
    with the address of whichever tier it is replaces one specific query per tier.
    """
    tiers = [
        model._meta.model_name
        for model in get_page_models()
        if issubclass(model, SchoolPage) and not model._meta.abstract
    ]
    return list(
        Page.objects.filter(pk__in=venue_ids).annotate(
            address=Coalesce(*(F(f"{tier}__address") for tier in tiers), Value(""))
        )
    )


def group_by_day(entries: list[CalendarEntry]) -> list[tuple[datetime.date, list[CalendarEntry]]]:
    days: OrderedDict[datetime.date, list[CalendarEntry]] = OrderedDict()
    for entry in entries:
        days.setdefault(timezone.localdate(entry.occurrence.start), []).append(entry)
    return list(days.items())
