"""The course catalogue: every live, public course on the site, filtered in SQL.

Courses live where their school is (under any tier) or under the catalogue page; the district
of a course is read from the tree: the district it sits under, else its venue's district.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from home.filters import (
    ChoiceFilter,
    FilterOption,
    IndexFilter,
    IndexFilters,
    TagFilter,
    VocabularyFilter,
    paginate,
)
from home.models import Audience, Category
from home.queries import live_public
from schools.directory import DistrictLookup

from .models import CourseMode, CoursePage, CourseStatus


class DistrictFilter(IndexFilter):
    """A district (tier-2 page) by slug: courses under it, or held at a school in it."""

    def __init__(self, param, label, lookup: DistrictLookup):
        super().__init__(param, label, lookup="path")
        self.district_lookup = lookup

    def options(self):
        return [
            FilterOption(district.slug, district.district_name)
            for district in self.district_lookup.districts
        ]

    def resolve(self, raw):
        district = self.district_lookup.by_slug(raw)
        return (district, district.district_name) if district is not None else None

    def apply(self, queryset, value):
        return queryset.filter(
            Q(path__startswith=value.path) | Q(venue__path__startswith=value.path)
        )


class CourseFilters(IndexFilters):
    sorts = {
        # Open and running courses first, the next session soonest; finished ones last.
        "soonest": (
            _("最近开课"),
            ["finished_last", F("next_start").asc(nulls_last=True), "-first_published_at", "-pk"],
        ),
        "newest": (_("最新发布"), ["-first_published_at", "-pk"]),
    }
    default_sort = "soonest"

    def __init__(self, data, district_lookup: DistrictLookup):
        self.district_lookup = district_lookup
        super().__init__(data)

    def build_filters(self):
        return [
            VocabularyFilter("audience", "学习对象", Audience, lookup="audiences"),
            VocabularyFilter("category", "内容类别", Category, lookup="category"),
            DistrictFilter("district", "区县", self.district_lookup),
            ChoiceFilter("mode", "上课方式", lookup="mode", choices=CourseMode.choices),
            ChoiceFilter(
                "status", "课程状态", lookup="schedule_status", choices=CourseStatus.choices
            ),
            TagFilter("tag", "标签", lookup="tags"),
        ]


def popular_course_tags(limit: int = 20) -> list[Tag]:
    """The most used tags among live, public courses (one query)."""
    live_courses = live_public(CoursePage.objects.all()).values("pk")
    return list(
        Tag.objects.filter(learning_resources_taggedcourse_items__content_object__in=live_courses)
        .annotate(usage=Count("learning_resources_taggedcourse_items"))
        .order_by("-usage", "name")[:limit]
    )


def listed_courses(now=None):
    """Every live, public course wherever it is, ready for cards."""
    return CoursePage.with_card_data(live_public(CoursePage.objects.all()), now=now)


def catalogue_context(request, per_page: int) -> dict:
    filters = CourseFilters(request.GET, DistrictLookup())
    filters.filter_named("tag").choices = popular_course_tags()
    filters.parse()
    results = paginate(filters.apply(listed_courses()), request.GET.get("page"), per_page)
    return {
        "filters": filters,
        "results": results,
        "courses": results.page.object_list,
        "filter_querystring": filters.querystring(),
        "messages_for_resident": [
            *filters.errors,
            *([results.message] if results.message else []),
        ],
    }
