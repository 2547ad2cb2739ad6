"""Views behind the calendar, the festival editions and the Forum."""

from __future__ import annotations

import calendar as month_calendar
import datetime

from django.template.response import TemplateResponse
from django.utils import timezone

from home.filters import paginate
from home.models import Audience, Category
from home.queries import live_public
from schools.directory import DistrictLookup

from .calendar import (
    RANGE_CHOICES,
    WHEN_CHOICES,
    build_entries,
    group_by_day,
    local_midnight,
    occurrences_for,
    parse_calendar_query,
    series_roots,
)
from .ical import ics_response, webcal_url
from .models import EventPage

CALENDAR_PAGE_SIZE = 30
ICS_MAX_ITEMS = 500


def _calendar_request(request):
    lookup = DistrictLookup()
    series = series_roots(request)
    query = parse_calendar_query(request.GET, lookup, series)
    return lookup, series, query


def parse_month(raw: str, today: datetime.date) -> datetime.date | None:
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in raw.strip()[:7].split("-"))
        return datetime.date(year, month, 1) if 1900 < year < 3000 else None
    except ValueError:
        return None


def calendar_view(index_page, request):
    lookup, series, query = _calendar_request(request)
    view = request.GET.get("view", "list")
    context = index_page.get_context(request)
    context.update(
        {
            "query": query,
            "districts": lookup.districts,
            "series_roots": series,
            "audiences": Audience.objects.all(),
            "categories": Category.objects.all(),
            "range_choices": RANGE_CHOICES,
            "when_choices": WHEN_CHOICES,
            "view": "month" if view == "month" else "list",
        }
    )
    feed_query = request.GET.copy()
    for name in ("page", "view", "month"):
        feed_query.pop(name, None)
    ics_path = index_page.url + "ics/" + (f"?{feed_query.urlencode()}" if feed_query else "")
    context["ics_url"] = ics_path
    context["webcal_url"] = webcal_url(request, ics_path)

    if context["view"] == "month":
        first = parse_month(request.GET.get("month", ""), timezone.localdate())
        if first is None:
            query.errors.append("月份格式不正确，请按“2026-05”的格式填写。")
            first = timezone.localdate().replace(day=1)
        next_month = (first + datetime.timedelta(days=32)).replace(day=1)
        query.start, query.end = local_midnight(first), local_midnight(next_month)
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
    status = 400 if query.errors else 200
    return TemplateResponse(request, "events/event_index_page.html", context, status=status)


def calendar_ics(index_page, request):
    lookup, series, query = _calendar_request(request)
    if not query.is_valid:
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(
            "；".join(query.errors), content_type="text/plain; charset=utf-8"
        )
    entries = build_entries(occurrences_for(query)[:ICS_MAX_ITEMS], lookup, series)
    name = "郑州终身学习网 · 活动日历"
    return ics_response(request, [(entry.page, entry.occurrence) for entry in entries], name=name)


def _edition_entries(edition, lookup, series):
    """Every occurrence of the edition's events, in time order."""
    from home.models import Occurrence

    events = live_public(EventPage.objects.descendant_of(edition))
    occurrences = Occurrence.objects.filter(page_id__in=events.values("pk")).order_by("start", "pk")
    return build_entries(occurrences, lookup, series)


def edition_context(edition, request) -> dict:
    lookup = DistrictLookup()
    series = series_roots(request)
    entries = _edition_entries(edition, lookup, series)
    by_district: dict = {}
    for entry in entries:
        key = entry.district.district_name if entry.district else "全市"
        by_district.setdefault(key, []).append(entry)
    ordered_districts = sorted(by_district.items(), key=lambda item: (item[0] != "全市", item[0]))
    return {
        "days": group_by_day(entries),
        "by_district": ordered_districts,
        "entry_count": len(entries),
    }


def edition_ics(edition, request):
    lookup = DistrictLookup()
    entries = _edition_entries(edition, lookup, series_roots(request))
    return ics_response(
        request, [(entry.page, entry.occurrence) for entry in entries], name=edition.title
    )


def forum_view(forum, request):
    from .forum import forum_context

    context = forum.get_context(request)
    extra, status = forum_context(forum, request)
    context.update(extra)
    return TemplateResponse(request, "events/forum_index_page.html", context, status=status)
