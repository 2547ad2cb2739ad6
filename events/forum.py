"""郑州讲坛: upcoming lectures, and the archive filtered by year, speaker, category and tag."""

from __future__ import annotations

import datetime

from django.db.models import Max, Min
from django.utils import timezone
from taggit.models import Tag

from home.cards import batched_card_prefetches, prefetch_card_data
from home.filters import paginate
from home.models import Category, Person
from home.queries import live_public

from .calendar import local_midnight
from .ical import subscription_links
from .models import LecturePage, LecturePageTag, LectureSpeaker

ARCHIVE_PAGE_SIZE = 12
UPCOMING_LIMIT = 6


def forum_lectures(forum):
    return live_public(LecturePage.objects.child_of(forum)).annotate(
        first_start=Min("occurrences__start"), last_end=Max("occurrences__end")
    )


def forum_context(forum, request):
    now = timezone.now()
    lectures = forum_lectures(forum)
    # Both lists' cards get their renditions, occurrences and speakers together, at the end.
    with batched_card_prefetches():
        upcoming = LecturePage.with_card_data(
            lectures.filter(last_end__gte=now).order_by("first_start", "pk")
        )[:UPCOMING_LIMIT]
    archive = lectures.filter(last_end__lt=now)

    params = request.GET
    errors: list[str] = []
    chosen: dict[str, str] = {}

    years = sorted(
        {
            timezone.localtime(start).year
            for start in archive.values_list("first_start", flat=True)
            if start
        },
        reverse=True,
    )
    raw_year = (params.get("year") or "").strip()[:10]
    if raw_year:
        if raw_year.isdigit() and int(raw_year) in years:
            year = int(raw_year)
            archive = archive.filter(
                first_start__gte=local_midnight(datetime.date(year, 1, 1)),
                first_start__lt=local_midnight(datetime.date(year + 1, 1, 1)),
            )
            chosen["year"] = raw_year
        else:
            errors.append(f"没有{raw_year[:10]}年的讲座回放，请重新选择年份。")

    speakers = list(
        Person.objects.filter(
            pk__in=LectureSpeaker.objects.filter(
                page__in=live_public(LecturePage.objects.child_of(forum))
            ).values("person")
        ).order_by("name")
    )
    raw_speaker = (params.get("speaker") or "").strip()[:20]
    if raw_speaker:
        speaker = next((person for person in speakers if str(person.pk) == raw_speaker), None)
        if speaker is None:
            errors.append("没有找到这位主讲人，请重新选择。")
        else:
            archive = archive.filter(speakers__person=speaker)
            chosen["speaker"] = raw_speaker

    categories = list(Category.objects.all())
    raw_category = (params.get("category") or "").strip()[:60]
    if raw_category:
        category = next((item for item in categories if item.slug == raw_category), None)
        if category is None:
            errors.append("没有找到所选的内容类别，请重新选择。")
        else:
            archive = archive.filter(category=category)
            chosen["category"] = raw_category

    tags = list(Tag.objects.filter(pk__in=LecturePageTag.objects.values("tag_id")).order_by("name"))
    raw_tag = (params.get("tag") or "").strip()[:100]
    if raw_tag:
        tag = next((item for item in tags if item.slug == raw_tag), None)
        if tag is None:
            errors.append("没有找到这个标签。")
        else:
            archive = archive.filter(tags=tag)
            chosen["tag"] = raw_tag

    if errors:
        archive = archive.none()
    with batched_card_prefetches():
        archive_cards = LecturePage.with_card_data(archive.order_by("-first_start", "-pk"))
    results = paginate(archive_cards, params.get("page"), ARCHIVE_PAGE_SIZE)
    upcoming = list(upcoming)
    prefetch_card_data([*upcoming, *results.page.object_list])
    context = {
        "subscription": subscription_links(
            forum.get_url(request) + forum.reverse_subpage("ics"), forum.title
        ),
        "upcoming": upcoming,
        "results": results,
        "years": years,
        "speakers": speakers,
        "categories": categories,
        "tags": tags,
        "chosen": chosen,
        "filter_errors": errors,
    }
    return context, 400 if errors else 200
