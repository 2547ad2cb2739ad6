"""iCalendar (.ics) files built with the ``icalendar`` library, never by hand."""

from __future__ import annotations

import datetime
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone, vDuration
from icalendar.parser import content_line as icalendar_content_line

from core.page_cache import depend_on_page, kept
from core.public_urls import webcal_url as public_webcal_url
from home.models import Occurrence

PRODID = "-//Zhengzhou Lifelong Learning//zzsite//ZH"
SITE_NAME = "郑州终身学习网"
# How often a subscribed calendar app should fetch the file again (RFC 7986 and Outlook's name).
REFRESH_INTERVAL = datetime.timedelta(hours=6)


# icalendar 7.3 folds every content line at 75 octets one character at a time, encoding each
# character to count its octets, even the many lines far shorter than that (a third of a
# calendar file's build time). The same function, first asking whether the line can need
# folding at all; the file comes out byte for byte the same (tests/events/test_subscriptions.py).
ICALENDAR_FOLDLINE = getattr(icalendar_content_line, "_foldline", None)
FOLD_LIMIT = 75


def foldline(line: str, limit: int = FOLD_LIMIT, fold_sep: str = "\r\n ") -> str:
    # A UTF-8 character is at most 4 octets: a line of fewer than limit / 4 characters fits.
    if len(line) * 4 < limit or len(line.encode("utf-8")) < limit:
        return line
    return ICALENDAR_FOLDLINE(line, limit, fold_sep)


if ICALENDAR_FOLDLINE is not None:
    icalendar_content_line._foldline = foldline


def calendar_name(label: str) -> str:
    """What a calendar app lists the subscription as, e.g. "金水区 · 郑州终身学习网"."""
    return f"{label} · {SITE_NAME}"


def occurrence_uid(occurrence: Occurrence) -> str:
    """Stable across requests and hosts, so a calendar app updates instead of duplicating."""
    return f"occurrence-{occurrence.pk}@{settings.CALENDAR_UID_DOMAIN}"


@lru_cache(maxsize=4)
def site_timezone_component(tzid: str) -> Timezone:
    """The VTIMEZONE of the site's zone: the same on every request, and costly to derive from the
    zone's transitions (a quarter of an .ics response's time when it was made each time)."""
    return Timezone.from_tzid(tzid)


def calendar_head(name: str) -> Calendar:
    """The calendar's own properties and the site zone's VTIMEZONE, without events.

    ``name`` is the full calendar name (see ``calendar_name``).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    calendar.add_component(site_timezone_component(settings.TIME_ZONE))
    # Every time in the events is in the site's zone (its VTIMEZONE is in) or UTC (DTSTAMP,
    # needing none), so icalendar's add_missing_timezones() would only walk every property.
    return calendar


def page_events(request, page, occurrences, stamp) -> dict[int, Event]:
    """A VEVENT for each of a calendar page's (event's, lecture's) occurrences, by its pk."""
    local = timezone.get_default_timezone()
    url = page.get_full_url(request)
    description = f"{strip_tags(page.summary or '')}\n{url}".strip()
    events = {}
    for occurrence in occurrences:
        event = Event()
        event.add("uid", occurrence_uid(occurrence))
        event.add("dtstamp", stamp)
        event.add("dtstart", occurrence.start.astimezone(local))
        event.add("dtend", occurrence.end.astimezone(local))
        title = f"{page.title}（{occurrence.note}）" if occurrence.note else page.title
        event.add("summary", title)
        event.add("description", description)
        event.add("url", url)
        if page.location_text:
            event.add("location", page.location_text)
        event.add(
            "status", "CANCELLED" if page.occurrence_is_cancelled(occurrence) else "CONFIRMED"
        )
        if page.category_id:
            event.add("categories", [page.category.name])
        events[occurrence.pk] = event
    return events


def build_calendar(request, items, name: str) -> Calendar:
    """``items`` are (page, occurrence) pairs, in the calendar's order; pages are calendar pages
    (events, lectures). ``name`` is the full calendar name (see ``calendar_name``)."""
    calendar = calendar_head(name)
    stamp = timezone.now()
    events = {}
    for page, occurrences in _by_page(items):
        made = page_events(request, page, occurrences, stamp)
        events.update({(page.pk, pk): event for pk, event in made.items()})
    for page, occurrence in items:
        calendar.add_component(events[page.pk, occurrence.pk])
    return calendar


def _by_page(items):
    """(page, its occurrences) in the order of each page's first item."""
    grouped = {}
    for page, occurrence in items:
        grouped.setdefault(page.pk, (page, []))[1].append(occurrence)
    return grouped.values()


# icalendar writes a calendar's subcomponents last, just before its END line.
CALENDAR_END = b"END:VCALENDAR\r\n"


def calendar_file(request, items, name: str) -> bytes:
    """The .ics file of ``items`` (see ``build_calendar``), the same as
    ``build_calendar(...).to_ical()`` but for each event's DTSTAMP.

    Serializing events through icalendar is most of a calendar file's time, so each page's
    events are kept as text (core.page_cache.kept), named by the page and the occurrences
    shown, until the page changes: a long-tail subscription (a place's, a district's) and the
    first request after a publish rebuild only the pages not kept. A kept event's DTSTAMP says
    when its text was made, as a cached file's does.
    """
    if getattr(request, "is_preview", False):  # a draft's events are never kept
        return build_calendar(request, items, name).to_ical()
    texts = {}
    for page, occurrences in _by_page(items):
        kept_texts = _kept_page_events(request, page, occurrences)
        texts.update({(page.pk, pk): text for pk, text in kept_texts.items()})
    head = calendar_head(name).to_ical()
    body = b"".join(texts[page.pk, occurrence.pk] for page, occurrence in items)
    return head[: -len(CALENDAR_END)] + body + CALENDAR_END


def _kept_page_events(request, page, occurrences) -> dict[int, bytes]:
    # kept() hashes the name: the occurrences' keys can stand in it as they are.
    shown = ",".join(str(occurrence.pk) for occurrence in occurrences)

    def build():
        depend_on_page(page)
        made = page_events(request, page, occurrences, timezone.now())
        return {pk: event.to_ical() for pk, event in made.items()}

    return kept(f"ics-events|{request.get_host()}|{page.pk}|{shown}", build)


def ics_response(request, items, name: str, filename: str = "calendar") -> HttpResponse:
    response = HttpResponse(
        calendar_file(request, items, name), content_type="text/calendar; charset=utf-8"
    )
    ascii_name = filename.encode("ascii", "ignore").decode() or "calendar"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.ics\"; filename*=UTF-8''{quote(name)}.ics"
    )
    return response


def webcal_url(request, path_with_query: str) -> str:
    """The same feed as a webcal:// link on the public host, which calendar apps subscribe to."""
    return public_webcal_url(path_with_query)


def subscription_links(ics_path: str, label: str) -> dict:
    """What events/includes/subscribe.html shows: a subscription and a one-off download."""
    return {"ics_url": ics_path, "webcal_url": public_webcal_url(ics_path), "label": label}
