"""News and notices: tree rules, filters, notices on the home page until their expiry date,
RSS/Atom, query counts and the share metadata of an article."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from lxml import etree, html
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from news.models import NewsIndexPage, NewsKind, NewsPage
from tests.conftest import queries_for
from tests.factories.events import local
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

# Wednesday 13 May 2026, 10:00 in Zhengzhou.
NOW = local(2026, 5, 13, 10, 0)


class NewsTreeRulesTests(WagtailPageTestCase):
    def test_news_index_lives_under_the_home_page_once(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        assert NewsIndexPage.max_count == 1

    def test_articles_live_only_in_the_news_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)


@pytest.fixture
def index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def titles(response) -> list[str]:
    tree = html.fromstring(response.content)
    return [link.text_content().strip() for link in tree.xpath('//h3[@class="card__title"]/a')]


def test_only_notices_can_be_pinned_to_the_home_page(index):
    article = NewsPageFactory(parent=index, kind=NewsKind.NEWS)
    article.pinned_until = datetime.date(2026, 6, 1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "pinned_until" in error.value.message_dict


@pytest.mark.engine
def test_filters_narrow_the_list_and_newest_comes_first(client, index):
    NewsPageFactory(parent=index, title="旧闻", date=datetime.date(2024, 3, 1), tags=["阅读"])
    NewsPageFactory(parent=index, title="新闻", date=datetime.date(2025, 3, 1))
    NewsPageFactory(
        parent=index, title="通知", kind=NewsKind.NOTICE, date=datetime.date(2025, 4, 1)
    )

    assert titles(client.get("/news/")) == ["通知", "新闻", "旧闻"]
    assert titles(client.get("/news/?kind=notice")) == ["通知"]
    assert titles(client.get("/news/?kind=news")) == ["新闻", "旧闻"]
    assert titles(client.get("/news/?year=2024")) == ["旧闻"]
    assert titles(client.get("/news/?tag=%E9%98%85%E8%AF%BB")) == ["旧闻"]
    assert titles(client.get("/news/?sort=oldest")) == ["旧闻", "新闻", "通知"]


@pytest.mark.parametrize(
    "query", ["kind=gossip", "year=1999", "year=abc", "tag=no-such-tag", "kind=" + "x" * 500]
)
def test_unknown_filter_values_give_a_chinese_message_and_no_results(client, index, query):
    NewsPageFactory(parent=index, title="新闻")
    response = client.get(f"/news/?{query}")
    assert response.status_code == 400
    assert titles(response) == []
    assert "请重新选择" in response.content.decode()


def test_a_bad_page_number_shows_the_nearest_page(client, index):
    NewsPageFactory(parent=index)
    for number in ("0", "abc", "99"):
        response = client.get(f"/news/?page={number}")
        assert response.status_code == 200
        assert len(titles(response)) == 1


def test_drafts_and_private_articles_are_not_listed(client, home_page, index):
    NewsPageFactory(parent=index, title="公开")
    draft = NewsPageFactory(parent=index, title="草稿")
    draft.unpublish()
    private = NewsPageFactory(parent=index, title="内部")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert titles(client.get("/news/")) == ["公开"]
    assert "草稿" not in client.get("/feeds/news/rss/").content.decode()
    assert "内部" not in client.get("/feeds/news/rss/").content.decode()


def _notice_board(response) -> list[str]:
    tree = html.fromstring(response.content)
    return [link.text_content().strip() for link in tree.xpath('//ul[@class="notice-list"]//a')]


def test_a_notice_stays_on_the_home_page_until_its_expiry_date_then_vanishes(client, index):
    NewsPageFactory(
        parent=index,
        title="活动周报名通知",
        kind=NewsKind.NOTICE,
        date=datetime.date(2026, 5, 10),
        pinned_until=datetime.date(2026, 5, 20),
    )
    NewsPageFactory(parent=index, title="不置顶的通知", kind=NewsKind.NOTICE)

    with time_machine.travel(NOW, tick=False):
        assert _notice_board(client.get("/")) == ["活动周报名通知"]
    with time_machine.travel(local(2026, 5, 20, 23, 59), tick=False):
        assert _notice_board(client.get("/")) == ["活动周报名通知"]  # the expiry day itself
    with time_machine.travel(local(2026, 5, 21, 0, 1), tick=False):
        response = client.get("/")
        assert _notice_board(response) == []
        assert "通知公告" not in response.content.decode()  # an empty section is left out
        # Still on the news page, where notices are kept.
        assert "活动周报名通知" in titles(client.get("/news/?kind=notice"))


def test_the_newest_news_appear_on_the_home_page(client, index):
    NewsPageFactory(parent=index, title="社区新闻", date=datetime.date(2026, 5, 1))
    NewsPageFactory(parent=index, title="一则通知", kind=NewsKind.NOTICE)
    tree = html.fromstring(client.get("/").content)
    links = tree.xpath('//section[@aria-labelledby="section-news"]//h3[@class="card__title"]/a')
    assert [link.text_content().strip() for link in links] == ["社区新闻"]


def test_rss_and_atom_list_the_newest_articles_first(client, index):
    NewsPageFactory(parent=index, title="较早", date=datetime.date(2026, 1, 1), tags=["社区教育"])
    NewsPageFactory(
        parent=index, title="最新", kind=NewsKind.NOTICE, date=datetime.date(2026, 2, 1)
    )

    rss = client.get("/feeds/news/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = etree.fromstring(rss.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["【通知公告】最新", "【新闻动态】较早"]
    assert (
        items[0].findtext("link")
        == "http://testserver/news/" + NewsPage.objects.get(title="最新").slug + "/"
    )
    assert "社区教育" in [category.text for category in items[1].findall("category")]

    atom = client.get("/feeds/news/atom/")
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    entries = etree.fromstring(atom.content).findall("a:entry", namespace)
    assert [entry.findtext("a:title", namespaces=namespace) for entry in entries] == [
        "【通知公告】最新",
        "【新闻动态】较早",
    ]


def _add_articles(index, count, start=0):
    for number in range(start, start + count):
        NewsPageFactory(
            parent=index,
            title=f"新闻{number}",
            tags=["社区", f"标签{number % 3}"],
            cover_image=get_image_model().objects.create(
                title=f"图{number}", file=get_test_image_file(f"news{number}.png")
            ),
        )


def test_news_index_query_count_does_not_grow_with_articles(client, index):
    _add_articles(index, 5)
    five = len(queries_for(client, "/news/"))
    _add_articles(index, 45, start=5)
    fifty = len(queries_for(client, "/news/"))
    assert five == fifty
    assert fifty <= 15


def test_home_page_sections_query_count_does_not_grow_with_articles(client, index):
    _add_articles(index, 5)
    five = len(queries_for(client, "/"))
    _add_articles(index, 45, start=5)
    assert len(queries_for(client, "/")) == five


def test_an_article_shares_its_title_summary_and_an_absolute_cover_url(client, index):
    image = get_image_model().objects.create(title="封面", file=get_test_image_file("cover.png"))
    NewsPageFactory(
        parent=index,
        slug="opening",
        title="社区学校开学",
        summary="秋季班开学了",
        cover_image=image,
    )
    tree = html.fromstring(client.get("/news/opening/").content)

    def meta(attribute, name):
        return tree.xpath(f'//meta[@{attribute}="{name}"]/@content')[0]

    assert meta("property", "og:title") == "社区学校开学"
    assert meta("property", "og:description") == "秋季班开学了"
    assert meta("property", "og:type") == "article"
    assert meta("property", "og:url") == "http://testserver/news/opening/"
    assert meta("property", "og:image").startswith("http://testserver/media/images/")
    assert meta("itemprop", "name") == "社区学校开学"
    assert meta("itemprop", "description") == "秋季班开学了"
    assert meta("itemprop", "image") == meta("property", "og:image")


def test_a_page_without_a_picture_shares_the_site_image(client, index):
    tree = html.fromstring(client.get("/news/").content)
    image = tree.xpath('//meta[@property="og:image"]/@content')[0]
    assert image.startswith("http://testserver/static/img/share-default")
    assert tree.xpath('//meta[@property="og:type"]/@content') == ["website"]
