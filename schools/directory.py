"""Queries behind the directory, district pages, the near-me finder and the GeoJSON feed.

Every listing here costs a fixed number of SQL queries whatever the number of schools: the
district of a page is read off its tree path (a district's pages all share its path prefix)
instead of walking up the tree page by page.

schools.models imports this module (its pages' routes and contexts are built here), so this
module does not import schools.models: it looks the page types up by name when it runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from wagtail.models import Page

from core.page_cache import depend_on_listing, kept
from core.public_urls import public_url
from home.filters import (
    ChoiceFilter,
    DistrictFilter,
    IndexFilters,
    KeywordFilter,
    listing_context,
    paginate,
)
from home.queries import live_public

from .geo import (
    CoordinateError,
    bounding_box,
    gcj02_to_wgs84,
    great_circle_km,
    parse_position,
    wgs84_to_gcj02,
)

if TYPE_CHECKING:
    from .models import (
        CommunityCollegePage,
        CommunitySchoolPage,
        CommunityUniversityPage,
        SchoolPage,
    )

NEAREST_LIMIT = 10
FIRST_RADIUS_KM = 2.0
RADIUS_GROWTH = 4  # 2, 8, 32, 128, 512 km: at most five box queries
MAX_RADIUS_KM = 512.0
KEYWORD_MAX_LENGTH = 50
DIRECTORY_PAGE_SIZE = 20

TIER_LABELS = {1: "社区大学", 2: "社区学院", 3: "社区教育中心", 4: "社区学校"}


def school_model(name: str) -> type[SchoolPage]:
    """One of the four tiers' page types, by class name (``"CommunityCollegePage"``)."""
    return apps.get_model("schools", name)


# --- Districts --------------------------------------------------------------------------------


def live_districts():
    """The districts in official order; read by most listings' filters, so kept (core.page_cache)."""
    return kept(
        "districts",
        lambda: list(
            live_public(school_model("CommunityCollegePage").objects.all()).order_by("path")
        ),
    )


def district_of(page: Page) -> CommunityCollegePage | None:
    """The tier-2 college (district) a page sits under, or the page itself if it is one."""
    college_model = school_model("CommunityCollegePage")
    if isinstance(page, college_model):
        return page
    return college_model.objects.ancestor_of(page).first()


class DistrictLookup:
    """Maps any page to its district with one query for all districts."""

    def __init__(self, districts=None):
        self.districts = list(districts) if districts is not None else live_districts()
        self._by_path = {district.path: district for district in self.districts}
        self.prefix_length = len(self.districts[0].path) if self.districts else 0

    def for_path(self, path: str) -> CommunityCollegePage | None:
        return self._by_path.get(path[: self.prefix_length]) if self.prefix_length else None

    def for_page(self, page: Page) -> CommunityCollegePage | None:
        return self.for_path(page.path)

    def by_slug(self, slug: str) -> CommunityCollegePage | None:
        return next((district for district in self.districts if district.slug == slug), None)


def district_counts(lookup: DistrictLookup) -> list[dict]:
    """Each district with its numbers of centres, schools and learning points (one query)."""
    depend_on_listing(school_model("CommunityCollegePage"))  # the districts' names and links
    length = lookup.prefix_length
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"centres": 0, "school": 0, "point": 0})
    if not length:
        return []
    # Centres and schools counted in one query: a centre has no school row, so its kind is None.
    for row in (
        live_public(
            Page.objects.type(
                school_model("CommunityCentrePage"), school_model("CommunitySchoolPage")
            )
        )
        .annotate(prefix=Substr("path", 1, length), kind=F("communityschoolpage__kind"))
        .order_by()  # the model's default ordering would split the groups
        .values("prefix", "kind")
        .annotate(total=Count("pk"))
    ):
        counts[row["prefix"]][row["kind"] or "centres"] += row["total"]
    return [
        {
            "district": district,
            "centres": counts[district.path]["centres"],
            "schools": counts[district.path]["school"],
            "points": counts[district.path]["point"],
        }
        for district in lookup.districts
    ]


def centres_with_schools(college: CommunityCollegePage) -> list[dict]:
    """A district's centres, each with its schools and learning points (two queries)."""
    centres = list(
        live_public(school_model("CommunityCentrePage").objects.child_of(college)).order_by("path")
    )
    schools = (
        live_public(school_model("CommunitySchoolPage").objects.descendant_of(college))
        .order_by("path")
        .only("title", "url_path", "path", "depth", "kind", "address", "phone")
    )
    by_centre = defaultdict(list)
    centre_path_length = len(centres[0].path) if centres else 0
    for school in schools:
        by_centre[school.path[:centre_path_length]].append(school)
    return [{"centre": centre, "schools": by_centre[centre.path]} for centre in centres]


# --- Directory filters ------------------------------------------------------------------------

TIER_CHOICES = [("2", "社区学院"), ("3", "社区教育中心"), ("4", "社区学校和学习点")]


class TierFilter(ChoiceFilter):
    """A tier of the directory (``tier=2``–``4``), as its number."""

    def __init__(self, param, label, **kwargs):
        super().__init__(param, label, choices=TIER_CHOICES, value=int, **kwargs)


class DirectoryFilters(IndexFilters):
    """The directory's district, tier, kind and keyword; every value narrows in SQL, in
    ``filtered_directory`` (a union over the tiers), always in tree order."""

    def __init__(self, data, lookup: DistrictLookup):
        self.lookup = lookup
        super().__init__(data)

    def build_filters(self):
        return [
            DistrictFilter(
                "district",
                "区县",
                self.lookup.districts,
                all_label="全部区县",
                error="没有找到所选的区县，请从列表中重新选择。",
            ),
            TierFilter(
                "tier",
                "层级",
                all_label="全部层级",
                error="层级只能是社区学院、社区教育中心或社区学校和学习点。",
            ),
            ChoiceFilter(
                "kind",
                "类型",
                choices=[
                    (value, f"只看{label}")
                    for value, label in school_model("CommunitySchoolPage").KIND_CHOICES
                ],
                all_label="社区学校和学习点",
                error="类型只能是社区学校或学习点。",
            ),
            KeywordFilter("q", "名称或地址", length=KEYWORD_MAX_LENGTH, placeholder="例如：文化路"),
        ]

    @property
    def district(self) -> CommunityCollegePage | None:
        return self.selected.get("district")

    @property
    def tier(self) -> int | None:
        return self.selected.get("tier")

    @property
    def kind(self) -> str | None:
        return self.selected.get("kind")

    @property
    def keyword(self) -> str:
        return self.selected.get("q", "")

    @property
    def active(self) -> bool:
        return bool(self.district or self.tier or self.kind or self.keyword)

    @property
    def has_filters(self) -> bool:
        return self.active


def filtered_directory(filters: DirectoryFilters):
    """Pages of tiers 2–4 matching the filters, in tree order (district, centre, school)."""
    tier_models = {
        2: school_model("CommunityCollegePage"),
        3: school_model("CommunityCentrePage"),
        4: school_model("CommunitySchoolPage"),
    }
    if filters.kind:
        tier_models = {4: tier_models[4]} if filters.tier in (None, 4) else {}
    elif filters.tier:
        tier_models = {filters.tier: tier_models[filters.tier]}
    matching = Q(pk__in=[])
    for tier, model in tier_models.items():
        queryset = model.objects.all()
        if filters.district is not None:
            queryset = queryset.filter(path__startswith=filters.district.path)
        if filters.keyword:
            queryset = queryset.filter(
                Q(title__icontains=filters.keyword) | Q(address__icontains=filters.keyword)
            )
        if tier == 4 and filters.kind:
            queryset = queryset.filter(kind=filters.kind)
        matching |= Q(pk__in=queryset.values("pk"))
    return live_public(Page.objects.all()).filter(matching).order_by("path"), tier_models


def specific_rows(pages, tier_models, lookup: DistrictLookup) -> list:
    """``pages`` as their tier's page type, in a fixed number of queries.

    Colleges are the districts the lookup holds already; centres and schools are fetched one
    query per tier the filters allow, whether or not this page of results holds one, so the
    count never depends on the mix of tiers shown.
    """
    if not pages:
        return []
    by_id = {district.pk: district for district in lookup.districts}
    ids = [page.pk for page in pages]
    for tier, model in tier_models.items():
        if tier != 2:
            by_id.update((page.pk, page) for page in model.objects.filter(pk__in=ids))
    return [by_id.get(page.pk, page) for page in pages]


def directory_context(university: CommunityUniversityPage, request):
    lookup = DistrictLookup()
    filters = DirectoryFilters(request.GET, lookup).parse()
    valid = filters.is_valid
    results, tier_models = filtered_directory(filters) if valid else (Page.objects.none(), {})
    results = paginate(results, request.GET.get("page"), DIRECTORY_PAGE_SIZE)
    pages = specific_rows(list(results.page.object_list), tier_models, lookup)
    rows = [{"page": page, "district": lookup.for_page(page)} for page in pages]
    return listing_context(
        filters,
        results,
        # Counted when the template asks, which a kept district table does not.
        district_rows=partial(district_counts, lookup),
        districts=lookup.districts,  # the near-me form's district picker
        rows=rows,
        tier_labels=TIER_LABELS,
    )


# --- Near me ----------------------------------------------------------------------------------


@dataclass
class NearbySchool:
    school: CommunitySchoolPage
    distance_km: float
    district: CommunityCollegePage | None = None


def nearest_schools(lat: float, lng: float, limit: int = NEAREST_LIMIT) -> list[NearbySchool]:
    """The ``limit`` nearest live tier-4 schools and learning points to a GCJ-02 position.

    SQL keeps only the rows inside a bounding box (on the indexed coordinates); Python computes
    the exact great-circle distance. The box contains the whole circle of its radius, so once
    ``limit`` schools lie within the radius no nearer one can be outside the box; until then the
    radius grows.
    """
    base = (
        live_public(school_model("CommunitySchoolPage").objects.all())
        .filter(latitude__isnull=False, longitude__isnull=False)
        .only(
            "title",
            "url_path",
            "path",
            "depth",
            "kind",
            "address",
            "phone",
            "latitude",
            "longitude",
        )
    )
    radius = FIRST_RADIUS_KM
    while True:
        min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
        candidates = base.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lng,
            longitude__lte=max_lng,
        )
        measured = sorted(
            (
                NearbySchool(school, great_circle_km(lat, lng, school.latitude, school.longitude))
                for school in candidates
            ),
            key=lambda nearby: (nearby.distance_km, nearby.school.path),
        )
        within = [nearby for nearby in measured if nearby.distance_km <= radius]
        if len(within) >= limit or radius >= MAX_RADIUS_KM:
            return within[:limit]
        radius *= RADIUS_GROWTH


def near_me_context(university: CommunityUniversityPage, request):
    lookup = DistrictLookup()
    params = request.GET
    context = {"districts": lookup.districts, "origin": None, "nearby": [], "near_error": None}
    district_slug = params.get("district", "").strip()
    has_position = params.get("lat") or params.get("lng")
    if not district_slug and not has_position:
        return context, 200
    try:
        if has_position:
            # The browser's Geolocation API reports WGS-84; schools are stored in GCJ-02.
            lat, lng = wgs84_to_gcj02(*parse_position(params.get("lat"), params.get("lng")))
            context["origin"] = {"label": "您的位置", "lat": lat, "lng": lng}
        else:
            district = lookup.by_slug(district_slug)
            if district is None:
                raise CoordinateError("没有找到所选的区县，请从列表中重新选择。")
            if not district.has_position:
                raise CoordinateError(f"{district.district_name}暂未登记位置，请改用定位查找。")
            lat, lng = district.latitude, district.longitude
            context["origin"] = {"label": district.title, "lat": lat, "lng": lng}
            context["chosen_district"] = district
    except CoordinateError as error:
        context["near_error"] = str(error)
        return context, 400
    nearby = nearest_schools(lat, lng)
    for item in nearby:
        item.district = lookup.for_page(item.school)
    context["nearby"] = nearby
    return context, 200


# --- GeoJSON ----------------------------------------------------------------------------------


def schools_geojson(request) -> dict:
    """Every live school of every tier that has a position, as a GeoJSON FeatureCollection.

    RFC 7946 coordinates are WGS-84 ``[lng, lat]``: stored GCJ-02 positions are converted, so
    other map software puts the marker on the building rather than ~570 m off. ``amap_url``
    keeps the GCJ-02 link that opens AMap at the right spot.
    """
    features = []
    fields = ("title", "url_path", "path", "depth", "address", "phone", "latitude", "longitude")
    for tier, model in (
        (1, school_model("CommunityUniversityPage")),
        (2, school_model("CommunityCollegePage")),
        (3, school_model("CommunityCentrePage")),
        (4, school_model("CommunitySchoolPage")),
    ):
        queryset = (
            live_public(model.objects.all())
            .filter(latitude__isnull=False, longitude__isnull=False)
            .order_by("path")
            .only(*fields, *(("kind",) if tier == 4 else ()))
        )
        for school in queryset:
            wgs_lat, wgs_lng = gcj02_to_wgs84(school.latitude, school.longitude)
            features.append(
                {
                    "type": "Feature",
                    "id": school.pk,
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(wgs_lng, 7), round(wgs_lat, 7)],
                    },
                    "properties": {
                        "name": school.title,
                        "tier": tier,
                        "tier_label": TIER_LABELS[tier],
                        "kind": getattr(school, "kind", None),
                        "kind_label": school.get_kind_display() if tier == 4 else None,
                        "address": school.address,
                        "phone": school.phone,
                        "url": public_url(school.get_url(request)),
                        "amap_url": school.amap_url,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
