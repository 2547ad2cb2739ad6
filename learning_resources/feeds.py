"""RSS 2.0 and Atom feeds of the newest learning resources (Django's syndication framework)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from .models import ResourceIndexPage, ResourcePage

FEED_LENGTH = 20


@dataclass
class FeedSource:
    """Per-request state: Feed instances are shared between requests, so nothing is stored on them."""

    request: HttpRequest
    index_page: ResourceIndexPage | None


class NewestResourcesFeed(Feed):
    title = "郑州终身学习网 · 新上线的学习资源"
    description = "郑州终身学习网最新发布的视频、音频、文档和图文学习资源。"
    language = "zh-hans"

    def get_object(self, request, *args, **kwargs):
        return FeedSource(request, ResourceIndexPage.objects.live().public().first())

    def link(self, source: FeedSource):
        return source.index_page.get_url(source.request) if source.index_page else "/"

    def items(self, source: FeedSource):
        resources = list(
            ResourcePage.objects.live()
            .public()
            .select_related("category")
            .prefetch_related("tags")
            .defer_streamfields()
            .defer("transcript")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
        for resource in resources:
            # Computed here, where the request is at hand, so every item reuses its site lookup.
            resource.feed_link = resource.get_url(source.request)
        return resources

    def item_title(self, item: ResourcePage):
        return f"【{item.get_kind_display()}】{item.title}"

    def item_description(self, item: ResourcePage):
        return item.summary

    def item_link(self, item: ResourcePage):
        return item.feed_link

    def item_guid(self, item: ResourcePage):
        return f"zzsite-resource-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ResourcePage):
        return item.first_published_at

    def item_updateddate(self, item: ResourcePage):
        return item.last_published_at

    def item_categories(self, item: ResourcePage):
        categories = [tag.name for tag in item.tags.all()]
        if item.category_id:
            categories.insert(0, item.category.name)
        return categories


class NewestResourcesAtomFeed(NewestResourcesFeed):
    feed_type = Atom1Feed
    subtitle = NewestResourcesFeed.description
