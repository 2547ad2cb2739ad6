"""The home page's 通知公告 and 新闻动态 sections."""

from home.sections import PageListSection, index_page_url

from .models import NewsIndexPage, NewsKind, NewsPage


def notices_section():
    """Notices the editors keep on the home page until their expiry date; gone the day after."""
    return PageListSection(
        key="notices",
        title="通知公告",
        template="news/home_notices.html",
        order=5,
        page_types=(),  # home-page pins of articles go to 新闻动态; notices pin themselves by date
        newest=lambda page, request: NewsPage.pinned_notices(),
        limit=5,
        more_url=index_page_url(NewsIndexPage),
    )


def latest_news_section():
    return PageListSection(
        key="news",
        title="新闻动态",
        template="home/sections/page_list.html",
        order=40,
        page_types=(NewsPage,),
        newest=lambda page, request: NewsPage.listed().filter(kind=NewsKind.NEWS),
        more_url=index_page_url(NewsIndexPage),
    )
