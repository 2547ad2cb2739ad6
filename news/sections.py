"""The home page's 通知公告 and 新闻动态 sections, read together in one query."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.page_cache import depend_on_listing
from home.queries import live_public
from home.sections import PageListSection, index_page_url, pinned_ids

from .models import NewsIndexPage, NewsKind, NewsPage

# Room for the newest articles after the ones editors pinned to the home page are left out.
LATEST_NEWS_CANDIDATES = 8


def home_news(request, pinned=()):
    """Pinned notices, the newest articles and those pinned: one query for both sections.

    Each section names the listing it shows, also the one reading what the other loaded: each
    is a fragment of its own (core.page_cache.Fragment), invalidated by what it depends on.
    """
    depend_on_listing(NewsPage)
    if not hasattr(request, "_home_news"):
        newest_articles = live_public(
            NewsPage.objects.filter(kind=NewsKind.NEWS), listing=False
        ).order_by("-date", "-pk")[:LATEST_NEWS_CANDIDATES]
        request._home_news = list(
            NewsPage.listed().filter(
                Q(kind=NewsKind.NOTICE, pinned_until__gte=timezone.localdate())
                | Q(pk__in=newest_articles.values("pk"))
                | Q(pk__in=pinned_ids(pinned, (NewsPage,)))
            )
        )
    return request._home_news


@dataclass
class NewsSection(PageListSection):
    """A ``PageListSection`` whose items come from ``home_news``, filtered by kind."""

    kind: str = NewsKind.NEWS

    def get_context(self, page, request, pinned):
        articles = {article.pk: article for article in home_news(request, pinned)}
        chosen = [
            articles[pk]
            for pk in pinned_ids(pinned, self.page_types)
            if pk in articles and articles[pk].kind == self.kind
        ][: self.limit]
        newest = [
            article
            for article in articles.values()
            if article.kind == self.kind and article not in chosen
        ]
        items = [*chosen, *newest][: self.limit]
        return {"items": items, **self.extra} if items else None


def notices_section():
    """Notices the editors keep on the home page until their expiry date; gone the day after."""
    return NewsSection(
        key="notices",
        title="通知公告",
        template="news/home_notices.html",
        page_types=(),  # home-page pins of articles go to 新闻动态; notices pin themselves by date
        kind=NewsKind.NOTICE,
        limit=5,
        more_url=index_page_url(NewsIndexPage),
    )


def latest_news_section():
    return NewsSection(
        key="news",
        title="新闻动态",
        template="home/sections/page_list.html",
        page_types=(NewsPage,),
        kind=NewsKind.NEWS,
        more_url=index_page_url(NewsIndexPage),
    )
