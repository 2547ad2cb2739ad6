"""A base for RSS 2.0 feeds of pages (Django's syndication framework); Atom via ``atom_variant``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Page

from core.public_urls import public_url

from .queries import live_public

FEED_LENGTH = 20


@dataclass
class FeedSource:
    """Per-request state: Feed instances are shared between requests, so nothing is stored on them."""

    request: HttpRequest
    index_page: Page | None


class PageFeed(Feed):
    """The newest live, public pages of one type, linked to their index page.

    Subclasses set ``index_model``, ``guid_prefix``, the feed texts, and ``get_pages()``;
    items with ``category`` and ``tags`` get both as feed categories.
    """

    index_model: type[Page]
    guid_prefix = ""
    language = "zh-hans"
    item_guid_is_permalink = False

    def get_pages(self):
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        return FeedSource(request, live_public(self.index_model.objects.all()).first())

    def link(self, source: FeedSource):
        # Absolute on the public host: Django would otherwise prefix the request's Host.
        return public_url(source.index_page.get_url(source.request) if source.index_page else "/")

    def feed_url(self, source: FeedSource):
        return public_url(source.request.path)

    def items(self, source: FeedSource):
        pages = list(self.get_pages()[:FEED_LENGTH])
        for page in pages:
            # Computed here, where the request is at hand, so every item reuses its site lookup.
            page.feed_link = public_url(page.get_url(source.request))
        return pages

    def item_link(self, item):
        return item.feed_link

    def item_guid(self, item):
        return f"zzsite-{self.guid_prefix}-{item.pk}"

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        categories = [tag.name for tag in item.tags.all()]
        if item.category_id:
            categories.insert(0, item.category.name)
        return categories


def atom_variant(feed_class: type[PageFeed]) -> type[PageFeed]:
    """The same feed as Atom 1.0."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
