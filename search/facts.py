"""What the search knows about the site besides the index, read in one query per search.

- **Places**: the districts (tier 2), centres (tier 3) and schools and learning points (tier 4)
  of the school directory, so a place named in a query can filter the results
  (``search.places``).
- **Recurring activities**: dated pages (events, lectures, courses) that share their title, type
  and venue with another, such as the same Learning Week event in two years, or the same festival
  event in two editions. They are one activity to a resident, so the search shows one result for
  each: the one with the next date (or, when all are over, the latest), and the others are left
  out of the results.

Both come from one query over ``wagtailcore_page`` whatever the number of pages, so the search
page's query count stays flat (tests/suites/test_query_budgets.py).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, get_page_models

from core.page_cache import ALL_LISTINGS_KEY
from home.models import Occurrence
from schools.models import CommunityCentrePage, CommunityCollegePage, CommunitySchoolPage

from .query import searchable_pages
from .vocabulary import cached

PLACE_MODELS = (CommunityCollegePage, CommunityCentrePage, CommunitySchoolPage)
TIERS = {CommunityCollegePage: 2, CommunityCentrePage: 3, CommunitySchoolPage: 4}


@dataclass(frozen=True)
class PlaceRow:
    pk: int
    title: str
    path: str
    tier: int
    district_name: str = ""


@dataclass
class SearchFacts:
    places: list[PlaceRow] = field(default_factory=list)
    # Recurring activities: the pages left out (another of their series is shown) ...
    hidden: set[int] = field(default_factory=set)
    # ... and, for the page shown, how many pages its series has.
    series_size: dict[int, int] = field(default_factory=dict)


def lookup_from_page(model: type[Page]) -> str:
    """The ORM path from ``Page`` to ``model``'s own table (``eventpage``, ``a__b``)."""
    names = []
    current = model
    while current is not Page:
        names.append(current._meta.model_name)
        current = next(parent for parent in current._meta.parents if issubclass(parent, Page))
    return "__".join(reversed(names))


@functools.cache
def venue_models() -> tuple[type[Page], ...]:
    """Concrete page models with a ``venue`` (a school of the directory where they take place)."""
    found = []
    for model in get_page_models():
        if model._meta.abstract:
            continue
        try:
            venue = model._meta.get_field("venue")
        except FieldDoesNotExist:
            continue
        if venue.is_relation and venue.many_to_one:
            found.append(model)
    return tuple(found)


def _coalesced(field_name: str, models, default=None):
    """``field_name`` of whichever of ``models`` a page is (``default`` when none has it)."""
    expressions = []
    for model in models:
        try:
            model._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        expressions.append(F(f"{lookup_from_page(model)}__{field_name}"))
    if default is not None:
        expressions.append(Value(default))
    if not expressions:
        return Value(default)
    return expressions[0] if len(expressions) == 1 else Coalesce(*expressions)


def load_facts(now: datetime.datetime | None = None) -> SearchFacts:
    """Places and recurring activities of the live, public site (one query)."""
    now = now or timezone.now()
    pages = searchable_pages()
    place_types = ContentType.objects.get_for_models(*PLACE_MODELS)
    tier_by_type = {place_types[model].pk: tier for model, tier in TIERS.items()}
    dated = Occurrence.objects.values("page_id")
    repeated_titles = (
        pages.filter(pk__in=dated)
        .order_by()
        .values("title")
        .annotate(pages=Count("pk"))
        .filter(pages__gt=1)
        .values("title")
    )
    models = venue_models()
    upcoming = Occurrence.objects.filter(page_id=OuterRef("pk"), end__gte=now, cancelled=False)
    rows = (
        pages.filter(
            Q(content_type_id__in=list(tier_by_type)) | Q(pk__in=dated, title__in=repeated_titles)
        )
        .order_by()
        .annotate(
            district_name=F("communitycollegepage__district_name"),
            venue_key=_coalesced("venue_id", models),
            address_key=_coalesced("venue_address", models, ""),
            next_start=Subquery(upcoming.order_by("start").values("start")[:1]),
            last_start=Subquery(
                Occurrence.objects.filter(page_id=OuterRef("pk"))
                .order_by("-start")
                .values("start")[:1]
            ),
        )
        .values_list(
            "pk",
            "title",
            "path",
            "content_type_id",
            "district_name",
            "venue_key",
            "address_key",
            "next_start",
            "last_start",
        )
    )
    facts = SearchFacts()
    series: dict[tuple, list[tuple]] = {}
    for pk, title, path, type_id, district, venue, address, next_start, last_start in rows:
        tier = tier_by_type.get(type_id)
        if tier is not None:
            facts.places.append(PlaceRow(pk, title, path, tier, district or ""))
            continue
        key = (title, type_id, venue, "" if venue else (address or "").strip())
        series.setdefault(key, []).append((pk, next_start, last_start))
    for members in series.values():
        if len(members) < 2:
            continue
        shown = pick_shown(members)
        facts.series_size[shown] = len(members)
        facts.hidden.update(pk for pk, _next, _last in members if pk != shown)
    # In the directory's own order (the rows come unordered, in any order on PostgreSQL): a name
    # several places share lists their districts as the directory does.
    facts.places.sort(key=lambda place: place.path)
    return facts


def pick_shown(members: list[tuple]) -> int:
    """The page a series shows: the soonest next date; if none is coming, the latest one."""
    coming = [member for member in members if member[1] is not None]
    if coming:
        return min(coming, key=lambda member: (member[1], -member[0]))[0]
    dated = [member for member in members if member[2] is not None]
    if dated:
        return max(dated, key=lambda member: (member[2], member[0]))[0]
    return max(member[0] for member in members)


# Which occurrence is "next" moves with the clock, so the facts are also refreshed this often.
FACTS_FRESH_FOR = 300  # seconds


def site_facts() -> SearchFacts:
    """``load_facts()``, kept per process until a page is published, moved or deleted (the page
    cache's ``list:*`` generation) or five minutes pass: one query less on every search."""
    now = timezone.now()
    return cached(
        "facts",
        ALL_LISTINGS_KEY,
        lambda: load_facts(now),
        also=int(now.timestamp() // FACTS_FRESH_FOR),
    )
