"""Page fragments (core.page_cache.Fragment): the home page's sections, the header and the
footer, reused by every render outside the page cache until what they show changes, and never
by a preview.

The page cache is off here (as for an editor's visit or a URL nobody asked for yet), except in
test_a_page_made_of_reused_sections…, where such a page must still leave the page cache exactly.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import Site

from core.page_cache import Fragment
from home.models import SiteSettings
from tests.conftest import publish
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence
from tests.factories.home import StandardPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_ENABLED = True


@pytest.fixture
def site(home_page):
    calendar = EventIndexPageFactory(parent=home_page)
    news = NewsIndexPageFactory(parent=home_page)
    soon = timezone.now() + datetime.timedelta(days=3)
    for number in range(3):
        event = EventPageFactory(parent=calendar, title=f"社区太极晨练{number}")
        add_occurrence(event, soon + datetime.timedelta(days=number))
    for number in range(3):
        NewsPageFactory(parent=news, title=f"社区学校开学{number}")
    Client().get("/")  # the first request ever creates the site settings row: a change
    return {"calendar": calendar, "news": news, "soon": soon}


def home(client=None):
    """The home page's HTML and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def new_event(site, title):
    event = EventPageFactory(parent=site["calendar"], title=title, live=False)
    add_occurrence(event, site["soon"] - datetime.timedelta(days=1))
    publish(event)
    return event


def test_sections_are_reused_until_what_they_show_changes(site):
    first, built = home()
    second, reused = home()

    assert second == first
    assert "社区太极晨练0" in first and "社区学校开学0" in first
    # Only the page's own queries are left: the sections' lists, cards and renditions are not.
    assert reused <= built - 3

    new_event(site, "重阳节书法体验课")
    after_publish, rebuilt = home()

    assert "重阳节书法体验课" in after_publish
    # The events section is built again; the news sections are still reused.
    assert reused < rebuilt < built
    assert after_publish.count("社区学校开学0") == first.count("社区学校开学0")


def test_a_change_to_one_news_article_reaches_the_home_page_at_once(site):
    home()
    article = site["news"].get_children().live().first().specific
    article.title = "社区学校春季开学"
    publish(article)

    html, _queries = home()

    assert "社区学校春季开学" in html


def test_a_preview_neither_uses_nor_fills_the_fragments(site):
    """Wagtail marks a preview's request (``is_preview``); a draft is for one editor alone."""
    visitor = RequestFactory().get("/")
    stored = Fragment(visitor, "home|sections")
    with stored.building():
        pass
    stored.store("<p>已发布的内容</p>")
    assert Fragment(RequestFactory().get("/"), "home|sections").html == "<p>已发布的内容</p>"

    preview = RequestFactory().get("/")
    preview.is_preview = True
    draft = Fragment(preview, "home|sections")
    assert draft.html is None
    with draft.building():
        pass
    draft.store("<p>草稿</p>")
    assert Fragment(RequestFactory().get("/"), "home|sections").html == "<p>已发布的内容</p>"


def test_a_page_made_of_reused_sections_leaves_the_page_cache_when_one_changes(site, settings):
    settings.PAGE_CACHE_ENABLED = True
    Client().get("/")  # the sections are stored with the page
    # The same page under a parameter it does not read: a page-cache miss, made of fragments.
    assert Client().get("/?source=poster")["X-Page-Cache"] == "miss"
    assert Client().get("/?source=poster")["X-Page-Cache"] == "hit"

    new_event(site, "重阳节书法体验课")

    response = Client().get("/?source=poster")
    assert response["X-Page-Cache"] == "miss"
    assert "重阳节书法体验课" in response.content.decode()


def menu(html):
    """The header menu's items, and the one marked as the current section."""
    nav = lxml_html.fromstring(html).xpath('//nav[@id="main-nav"]')[0]
    items = [" ".join(link.text_content().split()) for link in nav.xpath(".//a")]
    current = [link.text_content() for link in nav.xpath('.//a[@aria-current="page"]')]
    return items, current


def test_the_header_and_footer_are_reused_until_the_menu_or_the_settings_change(site, home_page):
    site["calendar"].show_in_menus = True
    publish(site["calendar"])
    site["news"].show_in_menus = True
    publish(site["news"])
    calendar = Client().get("/calendar/").content.decode()
    news = Client().get("/news/").content.decode()

    # Each section's page marks its own menu item, also when the header is reused.
    assert menu(calendar) == (["首页", "活动日历", "新闻动态"], ["活动日历"])
    assert menu(Client().get("/news/").content.decode()) == menu(news)
    assert menu(news)[1] == ["新闻动态"]

    about = StandardPageFactory(parent=home_page, title="关于我们", show_in_menus=True, live=False)
    publish(about)
    assert menu(Client().get("/calendar/").content.decode())[0] == [
        "首页",
        "活动日历",
        "新闻动态",
        "关于我们",
    ]

    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.organizer = "郑州市教育局"
    settings_row.save()
    assert "郑州市教育局" in Client().get("/calendar/").content.decode()
