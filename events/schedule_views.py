"""The large-print weekly schedule of a place: ``/schedule/<page id>/`` (a page to print) and
``/schedule/<page id>/pdf/`` (the same sheet as an A4 PDF); ``?week=2026-12-07`` for the week
containing that date, else this week.

The HTML page goes through the page cache like any page: it depends on the place and on the
listings of courses, events and lectures (``live_public``), and as every cached page lives at
most ``PAGE_CACHE_SECONDS``, "this week" and the print date are at most that late after
midnight. The PDF is not stored (the cache keeps text only) and is built on each request.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from core.public_urls import page_public_url
from core.qr import qr_svg

from .schedules import (
    WeekRefused,
    build_schedule,
    date_label,
    monday_of,
    parse_week,
    schedule_place,
    week_in_range,
)

QR_LABEL = "本地点网页的二维码，用微信扫一扫查看最新安排"
NOT_FOUND = "没有找到这个社区学校或学习点，请从它的页面点“打印本周课程表”进入。"


def _refusal(request, message: str, status: int, place=None):
    return render(
        request,
        "events/schedule_error.html",
        {
            "message": message,
            "place": place,
            "this_week_url": reverse("place_schedule", args=[place.pk]) if place else None,
        },
        status=status,
    )


def _week_links(place, monday: datetime.date, today: datetime.date) -> list[dict]:
    """The week before the one shown · 本周 · 下周 · the week after it, without repeats, the week
    shown marked current. The weeks before and after are named by their Monday ("12月14日那周"):
    "下一周" beside "下周" read as the same week to residents."""
    base = reverse("place_schedule", args=[place.pk])
    this_monday = monday_of(today)
    links = [
        ("", monday - datetime.timedelta(days=7)),
        ("本周", this_monday),
        ("下周", this_monday + datetime.timedelta(days=7)),
        ("", monday + datetime.timedelta(days=7)),
    ]
    named = {this_monday, this_monday + datetime.timedelta(days=7)}
    chosen = []
    for label, week in links:
        if not label:
            if week in named:
                continue
            label = f"{week.month}月{week.day}日那周"
        if not week_in_range(week):
            continue
        url = base if week == this_monday else f"{base}?week={week.isoformat()}"
        chosen.append({"label": label, "url": url, "current": week == monday})
    return chosen


def _schedule_for(request, place_id: str):
    """(place, schedule, None) or (None, None, the refusal to answer)."""
    place = schedule_place(place_id)
    if place is None:
        return None, None, _refusal(request, NOT_FOUND, 404)
    today = timezone.localdate()
    values = request.GET.getlist("week")
    try:
        monday = parse_week(values[-1] if values else None, today)
    except WeekRefused as refusal:
        return None, None, _refusal(request, refusal.message, 400, place)
    return place, build_schedule(place, monday, today, request), None


@require_safe
def place_schedule(request, place_id: str):
    place, schedule, refusal = _schedule_for(request, place_id)
    if refusal is not None:
        return refusal
    place_url = page_public_url(place, request) or ""
    base = reverse("place_schedule", args=[place.pk])
    next_busy = schedule.next_busy_week
    context = {
        "place": place,
        "schedule": schedule,
        "week_links": _week_links(place, schedule.monday, schedule.today),
        "pdf_url": f"{base}pdf/?week={schedule.monday.isoformat()}",
        "place_url": place_url,
        "qr": mark_safe(qr_svg(place_url, QR_LABEL, "qr schedule__qr-code")) if place_url else "",
        "next_busy_url": f"{base}?week={next_busy.isoformat()}" if next_busy else None,
        "next_busy_label": date_label(next_busy) if next_busy else "",
    }
    return render(request, "events/schedule.html", context)


@require_safe
def place_schedule_pdf(request, place_id: str):
    place, schedule, refusal = _schedule_for(request, place_id)
    if refusal is not None:
        return refusal
    # Imported here: reportlab (about 13 MB) is loaded by the workers that make a PDF, not all.
    from .schedule_pdf import schedule_pdf

    content = schedule_pdf(schedule, page_public_url(place, request) or "")
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"schedule-{place.slug}-{schedule.monday.isoformat()}"
    ascii_name = filename.encode("ascii", "ignore").decode()
    readable = f"{place.title}课程表-{schedule.monday.isoformat()}.pdf"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.pdf\"; filename*=UTF-8''{quote(readable)}"
    )
    return response
