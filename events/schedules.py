"""A place's week on paper: the large-print schedule of a district, centre, school or learning
point (tiers 2–4), shown as a printable page and as a PDF (``events.schedule_pdf``).

A place's week holds every dated session of a live, public event, lecture or course posted
under the place or held at it (its ``venue`` is the place or a school below it), as the place's
calendar subscription does, from Monday 00:00 to the next Monday (Asia/Shanghai). Cancelled
sessions stay on the sheet, marked 已取消: a resident who came for them reads why nothing is on.

The queries do not depend on how many sessions the week has: the place, the sessions, one
query per page type for their pages, one for the schools they are held at, and (for an empty
week only) one for the next session after it. Page types are looked up by name (this module
does not import events.models).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from core.page_cache import depend_on_page
from home.models import Occurrence
from home.queries import live_public

from .calendar import WEEKDAYS, held_at

# What a sheet can list: the types with dated sessions, and the word each is called by.
SCHEDULE_PAGE_TYPES = {
    "learning_resources.CoursePage": "课程",
    "events.EventPage": "活动",
    "events.LecturePage": "讲座",
}
# The school tiers with a sheet of their own (the directory, tier 1, lists places, not events).
PLACE_TYPES = (
    "schools.CommunityCollegePage",
    "schools.CommunityCentrePage",
    "schools.CommunitySchoolPage",
)
SCHOOL_TYPES = ("schools.CommunityUniversityPage", *PLACE_TYPES)
# The weeks one can ask for; any other year is refused, so no date arithmetic can overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2099
WEEK_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class WeekRefused(ValueError):
    """A ``week`` value that names no week one can show; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(raw: str | None, today: datetime.date) -> datetime.date:
    """The Monday of the week containing the date ``raw`` names (``2026-12-07``), else this week's."""
    raw = (raw or "").strip()
    if not raw:
        return monday_of(today)
    if len(raw) > 10 or not WEEK_FORMAT.fullmatch(raw):
        raise WeekRefused("日期格式不正确，请按“2026-12-07”这样的格式填写年-月-日。")
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise WeekRefused("没有这一天，请检查填写的年、月、日。") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise WeekRefused(f"只能查看 {FIRST_YEAR} 年至 {LAST_YEAR} 年的课程和活动安排。")
    return monday_of(day)


def week_in_range(monday: datetime.date) -> bool:
    """Whether the week starting ``monday`` overlaps the years one may ask for."""
    sunday = monday + datetime.timedelta(days=6)
    return sunday.year >= FIRST_YEAR and monday.year <= LAST_YEAR


def day_label(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def week_parts(monday: datetime.date) -> tuple[str, str]:
    """("2026年12月7日（星期一）", "12月13日（星期日）"); the year again when the week crosses one."""
    sunday = monday + datetime.timedelta(days=6)
    end = f"{sunday.year}年" if sunday.year != monday.year else ""
    return (
        f"{monday.year}年{monday.month}月{monday.day}日（星期一）",
        f"{end}{sunday.month}月{sunday.day}日（星期日）",
    )


def week_label(monday: datetime.date) -> str:
    """2026年12月7日（星期一）至12月13日（星期日）."""
    return "至".join(week_parts(monday))


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _models(names) -> list:
    return [apps.get_model(name) for name in names]


def schedule_place(raw_id: str):
    """The live, public district, centre, school or learning point ``raw_id`` names, else None."""
    if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 12:
        return None
    models = _models(PLACE_TYPES)
    found = (
        live_public(Page.objects.type(*models), listing=False)
        .filter(pk=int(raw_id))
        .values_list("content_type_id", flat=True)
        .first()
    )
    if found is None:
        return None
    model = ContentType.objects.get_for_id(found).model_class()
    place = model.objects.filter(pk=int(raw_id)).defer_streamfields().first()
    if place is not None:
        depend_on_page(place)  # its name, address and phone are on the sheet
    return place


@dataclass
class ScheduleItem:
    start: datetime.datetime
    end: datetime.datetime
    kind: str
    title: str
    note: str
    where: str
    cancelled: bool
    status: str
    url: str | None

    @property
    def time_label(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if end.date() != start.date():
            return f"{start:%H:%M}～{end.month}月{end.day}日 {end:%H:%M}"
        return f"{start:%H:%M}～{end:%H:%M}"

    @property
    def full_title(self) -> str:
        """The title with the session's note, as the calendar files name it: 太极拳（第3次课）."""
        return f"{self.title}（{self.note}）" if self.note else self.title


@dataclass
class ScheduleDay:
    date: datetime.date
    items: list[ScheduleItem]

    @property
    def label(self) -> str:
        return day_label(self.date)


@dataclass
class Schedule:
    place: Page
    monday: datetime.date
    today: datetime.date
    days: list[ScheduleDay] = field(default_factory=list)
    # For an empty week: the Monday of the next week with a session, if any.
    next_busy_week: datetime.date | None = None

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def item_count(self) -> int:
        return sum(len(day.items) for day in self.days)

    @property
    def week_label(self) -> str:
        return week_label(self.monday)

    @property
    def week_start_label(self) -> str:
        return week_parts(self.monday)[0]

    @property
    def week_end_label(self) -> str:
        return week_parts(self.monday)[1]

    @property
    def relative_label(self) -> str:
        """本周, 下周, 上周 or "" for a week further away."""
        weeks = (self.monday - monday_of(self.today)).days // 7
        return {0: "本周", 1: "下周", -1: "上周"}.get(weeks, "")

    @property
    def empty_message(self) -> str:
        which = "本周" if self.relative_label == "本周" else "这一周"
        return f"{which}这里没有安排课程或活动。"

    @property
    def scope_label(self) -> str:
        """What the sheet covers beyond the place itself."""
        if self.place.tier == 2:
            return f"{self.place.district_name}全区"
        if self.place.tier == 3:
            return "含下属社区学校和学习点"
        return ""

    @property
    def print_date(self) -> str:
        return date_label(self.today)


def _week_bounds(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    next_monday = monday + datetime.timedelta(days=7)
    return start, datetime.datetime.combine(next_monday, datetime.time.min, tzinfo=zone)


def _held_here(place) -> Q:
    """Sessions of live, public pages posted under the place or held at it (or below it)."""
    models = _models(SCHEDULE_PAGE_TYPES)
    pages = live_public(Page.objects.type(*models), types=models)
    return Q(page_id__in=pages.values("pk")) & held_at(place, models)


def _schools_by(venue_ids, parent_paths) -> tuple[dict, dict]:
    """The schools sessions are held at, by id and by path, with their address (one query)."""
    if not venue_ids and not parent_paths:
        return {}, {}
    models = _models(SCHOOL_TYPES)
    content_types = ContentType.objects.get_for_models(*models).values()
    schools = Page.objects.filter(
        Q(pk__in=venue_ids) | Q(path__in=parent_paths),
        content_type__in=[content_type.pk for content_type in content_types],
    ).annotate(
        address=Coalesce(*(F(f"{model._meta.model_name}__address") for model in models), Value(""))
    )
    schools = list(schools)
    return {school.pk: school for school in schools}, {school.path: school for school in schools}


def build_schedule(place, monday: datetime.date, today: datetime.date, request=None) -> Schedule:
    schedule = Schedule(place=place, monday=monday, today=today)
    start, end = _week_bounds(monday)
    held_here = _held_here(place)
    occurrences = list(
        Occurrence.objects.filter(held_here, start__gte=start, start__lt=end).order_by(
            "start", "pk"
        )
    )
    if not occurrences:
        following = (
            Occurrence.objects.filter(held_here, start__gte=end, cancelled=False)
            .order_by("start")
            .values_list("start", flat=True)
            .first()
        )
        if following is not None:
            busy = monday_of(timezone.localdate(following))
            schedule.next_busy_week = busy if week_in_range(busy) else None
        return schedule

    page_ids = {occurrence.page_id for occurrence in occurrences}
    pages, kinds = {}, {}
    for name, kind in SCHEDULE_PAGE_TYPES.items():
        for page in apps.get_model(name).objects.filter(pk__in=page_ids).defer_streamfields():
            pages[page.pk] = page
            kinds[page.pk] = kind
    step = Page.steplen
    by_id, by_path = _schools_by(
        {page.venue_id for page in pages.values() if page.venue_id},
        {page.path[:-step] for page in pages.values()},
    )

    days: dict[datetime.date, list[ScheduleItem]] = {}
    for occurrence in occurrences:
        page = pages.get(occurrence.page_id)
        if page is None:
            continue
        school = by_id.get(page.venue_id) if page.venue_id else by_path.get(page.path[:-step])
        status_label = ""
        cancelled = occurrence.cancelled
        if hasattr(page, "occurrence_is_cancelled"):  # events and lectures have a status
            cancelled = page.occurrence_is_cancelled(occurrence)
            status_label = "" if cancelled else page.status_label
        item = ScheduleItem(
            start=occurrence.start,
            end=occurrence.end,
            kind=kinds[page.pk],
            title=page.title,
            note=occurrence.note,
            where=_where(page, school, place),
            cancelled=cancelled,
            status=status_label,
            url=page.get_url(request),
        )
        days.setdefault(timezone.localdate(occurrence.start), []).append(item)
    schedule.days = [ScheduleDay(day, items) for day, items in sorted(days.items())]
    return schedule


def _where(page, school, place) -> str:
    """Where the session is held, as the data says it: another school's name, an address of
    the page's own, or 线上; nothing when it is the place the sheet is for."""
    address = getattr(page, "venue_address", "")
    if school is not None and school.pk != place.pk:
        return f"{school.title}（{address}）" if address else school.title
    if address and address != getattr(place, "address", ""):
        return address
    if getattr(page, "mode", "") == "online" or (
        school is None and getattr(page, "online_url", "")
    ):
        return "线上"
    return ""
