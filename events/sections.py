"""What the events app adds to the home page and to school pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone

from home.queries import live_public
from home.sections import PageListSection, Section, index_page_url

from .models import EventIndexPage, EventPage, ForumIndexPage, LearningWeekPage, LecturePage
from .views import place_subscription

COMING_SOON_DAYS = 30


def upcoming_events(pages, now=None):
    """Events with an occurrence still to come, soonest first, ready for cards."""
    now = now or timezone.now()
    return EventPage.with_card_data(
        pages.annotate(next_start=Min("occurrences__start", filter=Q(occurrences__end__gte=now)))
        .filter(next_start__isnull=False)
        .order_by("next_start", "pk")
    )


def upcoming_events_section():
    return PageListSection(
        key="upcoming-events",
        title="近期活动",
        template="home/sections/page_list.html",
        page_types=(EventPage,),
        newest=lambda page, request: upcoming_events(live_public(EventPage.objects.all())),
        more_url=index_page_url(EventIndexPage),
    )


def latest_lectures_section():
    return PageListSection(
        key="latest-lectures",
        title="郑州讲坛",
        template="home/sections/page_list.html",
        page_types=(LecturePage,),
        newest=lambda page, request: LecturePage.with_card_data(
            LecturePage.in_time_order(live_public(LecturePage.objects.all()))
        ),
        more_url=index_page_url(ForumIndexPage),
    )


@dataclass
class LearningWeekBanner(Section):
    """During the Learning Week a banner for it; in the month before, a 'coming soon' notice."""

    def get_context(self, page, request, pinned):
        today = timezone.localdate()
        edition = (
            live_public(LearningWeekPage.objects.all())
            .filter(
                end_date__gte=today,
                start_date__lte=today + datetime.timedelta(days=COMING_SOON_DAYS),
            )
            .order_by("start_date")
            .first()
        )
        if edition is None:
            return None
        return {"edition": edition, "is_on": edition.is_on(today)}


def learning_week_banner():
    return LearningWeekBanner(
        key="learning-week",
        title="全民终身学习活动周",
        template="events/home_learning_week.html",
    )


def events_here_section():
    """On a school page: upcoming events posted under it or held at it."""

    def events_here(page, request):
        pages = live_public(EventPage.objects.all()).filter(
            Q(path__startswith=page.path) | Q(venue__path__startswith=page.path)
        )
        return upcoming_events(pages)

    return PageListSection(
        key="events-here",
        title="近期在这里举办的活动",
        template="home/sections/page_list.html",
        page_types=(EventPage,),
        newest=events_here,
        limit=6,
    )


@dataclass
class CalendarSubscriptionSection(Section):
    """On a school page (tiers 2–4): subscribe to, or download, the calendar of what is held
    there. The feed is the unified calendar's (``?place=<page id>``): schools sit below events."""

    def get_context(self, page, request, pinned):
        if page.tier < 2:
            return None  # the directory (tier 1) lists places, not one place's events
        subscription = place_subscription(request, page)
        return {"subscription": subscription} if subscription else None


def calendar_subscription_section():
    return CalendarSubscriptionSection(
        key="calendar-subscription",
        title="订阅这里的活动",
        template="events/includes/subscribe_section.html",
    )


@dataclass
class PrintScheduleSection(Section):
    """On a school page (tiers 2–4): a link to its large-print week (events.schedule_views)."""

    def get_context(self, page, request, pinned):
        if page.tier < 2:
            return None
        return {"schedule_url": reverse("place_schedule", args=[page.pk])}


def print_schedule_section():
    return PrintScheduleSection(
        key="print-schedule",
        title="打印课程表",
        template="events/includes/print_schedule_section.html",
    )
