"""Views behind the calendar, the festival editions and the Forum.

The index and edition pages in events.models route here, so this module does not import
events.models: it looks the page types up by name when it runs.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime

from django.apps import apps
from django.db.models import F
from django.utils import timezone

from core.page_cache import kept
from home.filters import (
    ChoiceFilter,
    DistrictFilter,
    IndexFilters,
    listing_context,
    listing_response,
    paginate,
)
from home.models import Occurrence
from home.queries import live_public, top_level_pages
from schools.directory import DistrictLookup

from .calendar import (
    RANGE_CHOICES,
    WEEKDAYS,
    CalendarQuery,
    build_entries,
    group_by_day,
    occurrences_for,
    parse_calendar_query,
    place_label,
    series_roots,
)
from .forum import forum_context
from .ical import calendar_name, ics_response, subscription_links, webcal_url

CALENDAR_PAGE_SIZE = 30
ICS_MAX_ITEMS = 500
SUBSCRIPTION_PAST = datetime.timedelta(days=90)


def _calendar_request(request, month_view=False):
    lookup = DistrictLookup()
    series = series_roots(request)
    query = parse_calendar_query(request.GET, lookup, series, month_view=month_view)
    return lookup, series, query


def calendar_view(index_page, request):
    view = "month" if request.GET.get("view", "list") == "month" else "list"
    lookup, series, query = _calendar_request(request, month_view=view == "month")
    context = index_page.get_context(request)
    context.update(
        listing_context(query.filters, query=query, range_choices=RANGE_CHOICES, view=view)
    )
    feed_query = request.GET.copy()
    for name in ("page", "view", "month"):
        feed_query.pop(name, None)
    ics_path = index_page.url + "ics/" + (f"?{feed_query.urlencode()}" if feed_query else "")
    context["ics_url"] = ics_path
    context["webcal_url"] = webcal_url(request, ics_path)

    if view == "month":
        # The month (this one unless ``month`` names another) replaces any date range.
        month = query.filters.selected["month"]
        first, next_month = month.date_from, month.date_to
        entries = build_entries(occurrences_for(query)[:ICS_MAX_ITEMS], lookup, series)
        by_day = dict(group_by_day(entries))
        weeks = [
            [(day, by_day.get(day, [])) if day.month == first.month else (None, []) for day in week]
            for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
                first.year, first.month
            )
        ]
        previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
        context.update(
            {
                "month": first,
                "weeks": weeks,
                "previous_month": previous_month.strftime("%Y-%m"),
                "next_month": next_month.strftime("%Y-%m"),
                "month_count": len(entries),
            }
        )
    else:
        results = paginate(occurrences_for(query), request.GET.get("page"), CALENDAR_PAGE_SIZE)
        entries = build_entries(results.page.object_list, lookup, series)
        context.update({"results": results, "days": group_by_day(entries)})
    return listing_response(request, "events/event_index_page.html", context)


def calendar_ics(index_page, request):
    lookup, series, query = _calendar_request(request)
    if not query.is_valid:
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(
            "；".join(query.errors), content_type="text/plain; charset=utf-8"
        )
    label = "活动日历"
    if query.place is not None or query.series is not None:
        # A place's or a series' subscription: what it holds, named for it, from a while back.
        label = place_label(query.place) if query.place is not None else query.series.title
        if not query.values.get("when") and query.start is None:
            query.since = query.now - SUBSCRIPTION_PAST
    elif query.district is not None and not query.has_other_filters("district"):
        label = query.district.district_name
    return _subscription_response(request, query, lookup, series, label)


def _subscription_response(request, query, lookup, series, label: str):
    entries = build_entries(occurrences_for(query)[:ICS_MAX_ITEMS], lookup, series)
    return ics_response(
        request,
        [(entry.page, entry.occurrence) for entry in entries],
        name=calendar_name(label),
        filename=query.place.slug if query.place is not None else "calendar",
    )


def series_ics(series_root, request):
    """A series' (the Forum's, a festival's) subscription: its events from a while back on."""
    lookup, series = DistrictLookup(), series_roots(request)
    query = CalendarQuery(now=timezone.now(), series=series_root)
    query.since = query.now - SUBSCRIPTION_PAST
    return _subscription_response(request, query, lookup, series, series_root.title)


def place_subscription(request, place) -> dict | None:
    """Links to subscribe to a place's calendar (a school of any tier), through the unified
    calendar's feed (``?place=<page id>``); None when the site has no calendar page."""
    index_model = apps.get_model("events", "EventIndexPage")
    calendar_index = next(
        (
            page
            for page in top_level_pages(request)
            if page.specific_class is not None and issubclass(page.specific_class, index_model)
        ),
        None,
    )
    if calendar_index is None:
        return None
    ics_path = f"{calendar_index.get_url(request)}ics/?place={place.pk}"
    return subscription_links(ics_path, place_label(place))


def _edition_entries(edition, request):
    """Every occurrence of the edition's events, in time order.

    Kept (core.page_cache.kept) until an event, a lecture, a venue, a district or a series
    changes: an edition page and its calendar file read them whole, then narrow them by its
    filters. What moves with time (over, cancelled) is worked out from them on each view.
    """

    def build():
        event_model = apps.get_model("events", "EventPage")
        events = live_public(event_model.objects.descendant_of(edition))
        occurrences = Occurrence.objects.filter(page_id__in=events.values("pk")).annotate(
            page_path=F("page__path")
        )
        # Their own district lookup and series, so that what those name is named here too.
        return build_entries(
            occurrences.order_by("start", "pk"), DistrictLookup(), series_roots(request)
        )

    return kept(f"edition-entries|{edition.pk}", build)


class EditionFilters(IndexFilters):
    """An edition's day (``day=2026-05-14``) and district (``district=<slug>``).

    The options are the edition's own days and the districts in the official order (the order
    of the district pages in the tree). The entries are a list, so they are narrowed in Python.
    """

    def __init__(self, data, edition, lookup: DistrictLookup):
        self.edition, self.lookup = edition, lookup
        super().__init__(data)

    def build_filters(self):
        days = []
        day = self.edition.start_date
        while day <= self.edition.end_date and len(days) < 62:
            days.append((day.isoformat(), f"{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]}"))
            day += datetime.timedelta(days=1)
        return [
            ChoiceFilter("day", "日期", choices=days),
            DistrictFilter("district", "区县", self.lookup.districts),
        ]

    def narrow(self, entries: list) -> list:
        if not self.is_valid:
            return []
        day, district = self.selected.get("day"), self.selected.get("district")
        return [
            entry
            for entry in entries
            if (day is None or timezone.localdate(entry.occurrence.start).isoformat() == day)
            and (district is None or (entry.district and entry.district.pk == district.pk))
        ]


def edition_context(edition, request) -> dict:
    """An edition's events by day and by district (official order), narrowed by the filters
    (a refused value: the site's usual message, and 400 through ``mark_refused``)."""
    lookup = DistrictLookup()
    filters = EditionFilters(request.GET, edition, lookup).parse()
    all_entries = _edition_entries(edition, request)
    entries = filters.narrow(all_entries)
    by_district: dict = {}
    for entry in entries:
        by_district.setdefault(entry.district.pk if entry.district else None, []).append(entry)
    ordered_districts = [("全市", by_district[None])] if None in by_district else []
    ordered_districts += [
        (district.district_name, by_district[district.pk])
        for district in lookup.districts
        if district.pk in by_district
    ]
    return listing_context(
        filters,
        days=group_by_day(entries),
        by_district=ordered_districts,
        entry_count=len(entries),
        edition_entry_count=len(all_entries),
        # Once every event of an edition is over, nothing new will reach a subscriber.
        edition_is_over=bool(all_entries) and all(entry.is_past for entry in all_entries),
        subscription=subscription_links(
            edition.get_url(request) + edition.reverse_subpage("ics"), edition.title
        ),
    )


def edition_ics(edition, request):
    entries = _edition_entries(edition, request)
    return ics_response(
        request,
        [(entry.page, entry.occurrence) for entry in entries],
        name=calendar_name(edition.title),
        filename=edition.slug,
    )


def forum_view(forum, request):
    context = forum.get_context(request)
    context.update(forum_context(forum, request))
    return listing_response(request, "events/forum_index_page.html", context)
