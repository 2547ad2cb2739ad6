"""郑州讲坛: upcoming lectures, and the archive filtered by year, speaker, category and tag.

events.models routes the Forum's pages here (through events.views), so this module does not
import events.models: it looks the lecture models up by name when it runs.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.apps import apps
from django.db.models import Max, Min
from django.utils import timezone
from taggit.models import Tag

from core.page_cache import kept
from home.cards import batched_card_prefetches, cards_by_key, kept_cards, prefetch_card_data
from home.filters import (
    ChoiceFilter,
    IndexFilters,
    ObjectFilter,
    listing_context,
    local_midnight,
    paginate_kept_keys,
    vocabulary,
)
from home.models import Category, Person
from home.queries import live_public

from .ical import subscription_links

ARCHIVE_PAGE_SIZE = 12
UPCOMING_LIMIT = 6


def forum_lectures(forum):
    lecture_model = apps.get_model("events", "LecturePage")
    return live_public(lecture_model.objects.child_of(forum)).annotate(
        first_start=Min("occurrences__start"), last_end=Max("occurrences__end")
    )


class YearFilter(ChoiceFilter):
    """A year that has a lecture in the archive (``year=2025``), by the local date it began."""

    def resolve(self, raw):
        years = {int(choice) for choice, _text in self.choices}
        return (int(raw), f"{int(raw)}年") if raw.isdigit() and int(raw) in years else None


def held_in_year(lectures, year: int):
    return lectures.filter(
        first_start__gte=local_midnight(datetime.date(year, 1, 1)),
        first_start__lt=local_midnight(datetime.date(year + 1, 1, 1)),
    )


class SpeakerFilter(ObjectFilter):
    """A person who gave one of the Forum's lectures, by id (``speaker=12``)."""

    def __init__(self, param, label, speakers, **kwargs):
        super().__init__(param, label, speakers, key="pk", **kwargs)


class ForumFilters(IndexFilters):
    """The archive's year, speaker, category and tag; one fixed order, newest first."""

    def __init__(self, data, *, years, speakers, tags):
        self.years, self.speakers, self.tags = years, speakers, tags
        super().__init__(data)

    def build_filters(self):
        return [
            YearFilter(
                "year",
                "年份",
                choices=[(year, f"{year}年") for year in self.years],
                lookup=held_in_year,
                all_label="全部年份",
                error="没有{raw}年的讲座回放，请重新选择年份。",
                max_length=10,
            ),
            SpeakerFilter(
                "speaker",
                "主讲人",
                self.speakers,
                lookup="speakers__person",
                all_label="全部主讲人",
                error="没有找到这位主讲人，请重新选择。",
                max_length=20,
            ),
            ObjectFilter(
                "category",
                "内容类别",
                partial(vocabulary, Category),
                lookup="category",
                all_label="全部类别",
                error="没有找到所选的内容类别，请重新选择。",
                max_length=60,
            ),
            ObjectFilter(
                "tag",
                "标签",
                self.tags,
                lookup="tags",
                all_label="全部标签",
                error="没有找到这个标签。",
                max_length=100,
            ),
        ]


def archive_choices(forum):
    """The archive filter's years, speakers and tags (three queries), for ``kept``: they change
    with the Forum's lectures, the people and the tags, and as lectures pass into the archive
    (within the same ``PAGE_CACHE_SECONDS`` as the pages)."""
    lecture_model = apps.get_model("events", "LecturePage")
    speaker_model = apps.get_model("events", "LectureSpeaker")
    tag_model = apps.get_model("events", "LecturePageTag")
    archive = forum_lectures(forum).filter(last_end__lt=timezone.now())
    years = sorted(
        {
            timezone.localtime(start).year
            for start in archive.values_list("first_start", flat=True)
            if start
        },
        reverse=True,
    )
    speakers = Person.objects.filter(
        pk__in=speaker_model.objects.filter(
            page__in=live_public(lecture_model.objects.child_of(forum))
        ).values("person")
    ).order_by("name")
    tags = Tag.objects.filter(pk__in=tag_model.objects.values("tag_id")).order_by("name")
    return years, list(speakers), list(tags)


def forum_context(forum, request):
    lecture_model = apps.get_model("events", "LecturePage")
    now = timezone.now()

    def find_upcoming():
        lectures = forum_lectures(forum).filter(last_end__gte=now)
        return lecture_model.with_card_data(lectures.order_by("first_start", "pk"))[:UPCOMING_LIMIT]

    years, speakers, tags = kept(
        f"forum-archive-choices|{forum.pk}", partial(archive_choices, forum)
    )
    filters = ForumFilters(request.GET, years=years, speakers=speakers, tags=tags).parse()

    def archive_keys():
        archive = filters.apply(forum_lectures(forum).filter(last_end__lt=now))
        return list(archive.order_by("-first_start", "-pk").values_list("pk", flat=True))

    # Both lists kept as keys until a lecture changes (and for PAGE_CACHE_SECONDS at most, as
    # lectures pass into the archive); the cards' renditions, occurrences and speakers are
    # loaded together at the end.
    with batched_card_prefetches():
        upcoming = kept_cards(f"forum-upcoming|{forum.pk}", lecture_model, find_upcoming)
        results = paginate_kept_keys(
            f"forum-archive|{forum.pk}|{filters.choice_key()}",
            archive_keys,
            request.GET.get("page"),
            ARCHIVE_PAGE_SIZE,
            partial(cards_by_key, lecture_model),
        )
    prefetch_card_data([*upcoming, *results.page.object_list])
    return listing_context(
        filters,
        results,
        upcoming=upcoming,
        subscription=subscription_links(
            forum.get_url(request) + forum.reverse_subpage("ics"), forum.title
        ),
    )
