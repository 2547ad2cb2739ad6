"""Participation figures: the public headline numbers and the admin report's rows.

The report counts per occurrence (one dated run of an event or lecture, or one course session),
grouped by district, audience or month, with a 合计 row. Other apps add columns through the ``participation_report_measures`` hook:
a function ``(occurrence_ids) -> (columns, values)`` where ``columns`` is a list of
``(key, heading)`` and ``values`` maps an occurrence id to ``{key: number}``; the report sums
them per row. The sign-up app (报名) adds 报名人数, 报名成功 and 签到人数 this way.

showcase.models shows the headline figures on its statistics page, so this module does not
import showcase.models: it looks the showcase's page types up by name when it runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from events.models import EventPage, LecturePage
from home.models import Audience, Occurrence
from home.queries import live_public
from learning_resources.models import CoursePage, ResourcePage
from schools.directory import DistrictLookup
from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
)

MEASURES_HOOK = "participation_report_measures"
NO_DISTRICT = "未归属区县"
NO_AUDIENCE = "未指定学习对象"

DIMENSIONS = {
    "district": "按区县",
    "audience": "按学习对象",
    "month": "按月份",
}
BASE_COLUMNS = [
    ("events", "活动数"),
    ("lectures", "讲座数"),
    ("courses", "课程数"),
    ("occurrences", "场次数"),
]
PAGE_KINDS = ("events", "lectures", "courses")
TOTAL_LABEL = "合计"


def calendar_models():
    return EventPage, LecturePage


def headline_figures(now=None) -> list[dict]:
    """The network's headline figures, each one SQL query, from live public pages only."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    event_model, lecture_model = calendar_models()
    organisation_model = apps.get_model("showcase", "LearningOrganisationPage")
    honour_model = apps.get_model("showcase", "HonourPage")
    schools = live_public(CommunitySchoolPage.objects.all()).aggregate(
        schools=Count("pk", filter=Q(kind=CommunitySchoolPage.KIND_SCHOOL)),
        points=Count("pk", filter=Q(kind=CommunitySchoolPage.KIND_POINT)),
    )
    this_year = year_occurrences(year)
    events_this_year = this_year.values("page_id").distinct().count()

    counted = [
        CommunityUniversityPage,
        CommunityCollegePage,
        CommunityCentrePage,
        lecture_model,
        CoursePage,
        ResourcePage,
        organisation_model,
        honour_model,
    ]
    # One grouped query for every page type counted whole (none of them has subclasses).
    content_types = ContentType.objects.get_for_models(*counted)
    per_type = dict(
        live_public(Page.objects.filter(content_type__in=content_types.values()), types=counted)
        .order_by()
        .values_list("content_type")
        .annotate(pages=Count("pk"))
        .values_list("content_type", "pages")
    )

    def count(model):
        return per_type.get(content_types[model].pk, 0)

    return [
        {"group": "四级社区教育网络", "label": "社区大学", "value": count(CommunityUniversityPage)},
        {
            "group": "四级社区教育网络",
            "label": "社区学院（区县）",
            "value": count(CommunityCollegePage),
        },
        {
            "group": "四级社区教育网络",
            "label": "社区教育中心（乡镇、街道）",
            "value": count(CommunityCentrePage),
        },
        {"group": "四级社区教育网络", "label": "社区学校", "value": schools["schools"]},
        {"group": "四级社区教育网络", "label": "学习点", "value": schools["points"]},
        {"group": f"{year}年学习活动", "label": "活动和讲座", "value": events_this_year},
        {"group": f"{year}年学习活动", "label": "活动场次", "value": this_year.count()},
        {"group": "学习内容", "label": "郑州讲坛讲座", "value": count(lecture_model)},
        {"group": "学习内容", "label": "课程", "value": count(CoursePage)},
        {"group": "学习内容", "label": "学习资源", "value": count(ResourcePage)},
        {"group": "示范引领", "label": "学习型组织", "value": count(organisation_model)},
        {"group": "示范引领", "label": "示范项目与学习之星", "value": count(honour_model)},
    ]


def calendar_page_ids():
    """Live, public events and lectures (ids, as a subquery)."""
    event_model, lecture_model = calendar_models()
    return (
        live_public(event_model.objects.all()).values("pk"),
        live_public(lecture_model.objects.all()).values("pk"),
    )


def year_occurrences(year: int):
    """Non-cancelled occurrences of live public events and lectures starting in ``year`` (local)."""
    events, lectures = calendar_page_ids()
    start, end = _year_bounds(year)
    return Occurrence.objects.filter(
        Q(page__in=events) | Q(page__in=lectures),
        cancelled=False,
        start__gte=start,
        start__lt=end,
    )


def _year_bounds(year: int):
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


@dataclass
class PageFacts:
    kind: str  # "events", "lectures" or "courses"
    district: str
    district_id: int | None
    audiences: list[str]


def report_models():
    """The page types the report counts, each with its column: events, lectures, courses."""
    event_model, lecture_model = calendar_models()
    return [(event_model, "events"), (lecture_model, "lectures"), (CoursePage, "courses")]


def _page_facts() -> dict[int, PageFacts]:
    """District and audiences of every live public event, lecture and course (a few queries)."""
    lookup = DistrictLookup()
    facts: dict[int, PageFacts] = {}
    for model, kind in report_models():
        pages = live_public(model.objects.all())
        audience_names = defaultdict(list)
        through = model.audiences.through
        page_field = f"{model._meta.model_name}_id"
        for row in (
            through.objects.filter(**{f"{model._meta.model_name}__in": pages.values("pk")})
            .order_by("audience__sort_order", "audience__name")
            .values(page_field, "audience__name")
        ):
            audience_names[row[page_field]].append(row["audience__name"])
        for page_id, path, venue_path in pages.values_list("pk", "path", "venue__path"):
            district = lookup.for_path(path) or (
                lookup.for_path(venue_path) if venue_path else None
            )
            facts[page_id] = PageFacts(
                kind=kind,
                district=district.district_name if district else NO_DISTRICT,
                district_id=district.pk if district else None,
                audiences=audience_names.get(page_id, []),
            )
    return facts


def report_columns_and_measures(occurrence_ids):
    columns = list(BASE_COLUMNS)
    measures: dict[int, dict[str, float]] = defaultdict(dict)
    for hook in hooks.get_hooks(MEASURES_HOOK):
        extra_columns, values = hook(occurrence_ids)
        columns.extend(extra_columns)
        for occurrence_id, numbers in values.items():
            measures[occurrence_id].update(numbers)
    return columns, measures


def participation_rows(
    dimension: str, year: int | None = None, district_ids=None
) -> tuple[list, list[dict]]:
    """``(columns, rows)``: per district, audience or month, the published events, lectures and
    courses with a non-cancelled occurrence (in ``year`` if given), their occurrences (course
    sessions included), and any measure other apps add; the last row (合计) counts each page and
    occurrence once, whichever rows it is in. A page counts once per row however many
    occurrences it has there. With ``district_ids``, only pages in those districts count."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    facts = _page_facts()
    if district_ids is not None:
        allowed = set(district_ids)
        facts = {pk: fact for pk, fact in facts.items() if fact.district_id in allowed}
    occurrences = Occurrence.objects.filter(page_id__in=list(facts), cancelled=False)
    if year is not None:
        start, end = _year_bounds(year)
        occurrences = occurrences.filter(start__gte=start, start__lt=end)
    occurrence_rows = list(occurrences.order_by("start").values_list("pk", "page_id", "start"))
    columns, measures = report_columns_and_measures([row[0] for row in occurrence_rows])

    groups: dict[str, dict] = {}
    if dimension == "district":
        for district in DistrictLookup().districts:
            if district_ids is None or district.pk in district_ids:
                groups[district.district_name] = _empty_row(district.district_name, columns)
    elif dimension == "audience":
        for audience in Audience.objects.order_by("sort_order", "name"):
            groups[audience.name] = _empty_row(audience.name, columns)

    total = _empty_row(TOTAL_LABEL, columns)
    for occurrence_id, page_id, start in occurrence_rows:
        page = facts[page_id]
        if dimension == "district":
            labels = [page.district]
        elif dimension == "audience":
            labels = page.audiences or [NO_AUDIENCE]
        else:
            labels = [timezone.localtime(start).strftime("%Y-%m")]
        rows_here = [groups.setdefault(label, _empty_row(label, columns)) for label in labels]
        for row in [*rows_here, total]:
            row["_pages"][page.kind].add(page_id)
            row["occurrences"] += 1
            for key, number in measures.get(occurrence_id, {}).items():
                row[key] = row.get(key, 0) + number

    rows = list(groups.values())
    if dimension == "month":
        rows.sort(key=lambda row: row["label"])
    rows.append(total)
    for row in rows:
        pages = row.pop("_pages")
        for kind in PAGE_KINDS:
            row[kind] = len(pages[kind])
    return columns, rows


def _empty_row(label: str, columns) -> dict:
    row = {"label": label, "_pages": {kind: set() for kind in PAGE_KINDS}}
    for key, _heading in columns:
        row.setdefault(key, 0)
    return row
