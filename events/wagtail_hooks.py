from wagtail import hooks

from schools.models import SCHOOL_PAGE_SECTIONS_HOOK

from .sections import (
    calendar_subscription_section,
    events_here_section,
    latest_lectures_section,
    learning_week_banner,
    print_schedule_section,
    upcoming_events_section,
)

hooks.register("home_page_sections", learning_week_banner)
hooks.register("home_page_sections", upcoming_events_section)
hooks.register("home_page_sections", latest_lectures_section)
hooks.register(SCHOOL_PAGE_SECTIONS_HOOK, events_here_section)
hooks.register(SCHOOL_PAGE_SECTIONS_HOOK, calendar_subscription_section)
hooks.register(SCHOOL_PAGE_SECTIONS_HOOK, print_schedule_section)
