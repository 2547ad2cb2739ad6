"""RSS 2.0 and Atom feeds of 郑州讲坛 lectures, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from home.queries import live_public

from .models import ForumIndexPage, LecturePage

FEED_LENGTH = 20


@dataclass
class FeedSource:
    """Per-request state: Feed instances are shared between requests, so nothing is stored on them."""

    request: HttpRequest
    forum: ForumIndexPage | None


class LecturesFeed(Feed):
    title = "郑州终身学习网 · 郑州讲坛"
    description = "郑州讲坛的讲座预告与讲座回放。"
    language = "zh-hans"

    def get_object(self, request, *args, **kwargs):
        return FeedSource(request, live_public(ForumIndexPage.objects.all()).first())

    def link(self, source: FeedSource):
        return source.forum.get_url(source.request) if source.forum else "/"

    def items(self, source: FeedSource):
        lectures = list(
            LecturePage.with_card_data(live_public(LecturePage.objects.all()))
            .prefetch_related("tags")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
        for lecture in lectures:
            lecture.feed_link = lecture.get_url(source.request)
        return lectures

    def item_title(self, item: LecturePage):
        label = "讲座回放" if item.has_recording else "讲座预告"
        return f"【{label}】{item.title}"

    def item_description(self, item: LecturePage):
        occurrence = item.all_occurrences[0] if item.all_occurrences else None
        when = (
            timezone.localtime(occurrence.start).strftime("%Y年%-m月%-d日 %H:%M")
            if occurrence
            else ""
        )
        speakers = "、".join(person.name for person in item.speaker_people)
        lines = [item.summary]
        if speakers:
            lines.append(f"主讲：{speakers}")
        if when:
            lines.append(f"时间：{when}")
        return "\n".join(lines)

    def item_link(self, item: LecturePage):
        return item.feed_link

    def item_guid(self, item: LecturePage):
        return f"zzsite-lecture-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: LecturePage):
        return item.first_published_at

    def item_updateddate(self, item: LecturePage):
        return item.last_published_at

    def item_author_name(self, item: LecturePage):
        return "、".join(person.name for person in item.speaker_people) or None

    def item_categories(self, item: LecturePage):
        categories = [tag.name for tag in item.tags.all()]
        if item.category_id:
            categories.insert(0, item.category.name)
        return categories


class LecturesAtomFeed(LecturesFeed):
    feed_type = Atom1Feed
    subtitle = LecturesFeed.description
