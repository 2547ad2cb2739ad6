"""Tag pages: /tags/<tag>/ lists every live page carrying a tag, grouped by type, Chinese included."""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from home.models import HomePage, StandardPage
from learning_resources.models import CoursePage, ResourcePage
from search.tags import taggable_page_models
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence
from tests.factories.learning_resources import ResourceIndexPageFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return ResourceIndexPageFactory(parent=home_page)


def test_taggable_types_are_discovered_not_listed():
    models = taggable_page_models()
    assert ResourcePage in models and CoursePage in models
    assert HomePage not in models and StandardPage not in models


def test_chinese_tag_keeps_its_characters_in_the_slug_and_url():
    tag = Tag.objects.create(name="太极拳")
    assert tag.slug == "太极拳"
    assert reverse("tag_page", args=[tag.slug]) == f"/tags/{quote('太极拳')}/"


def test_tag_page_lists_everything_carrying_the_tag_grouped_by_type(client, index):
    ResourcePageFactory(parent=index, title="太极拳入门", tags=["太极拳", "健康"])
    ResourcePageFactory(parent=index, title="太极拳进阶", tags=["太极拳"])
    ResourcePageFactory(parent=index, title="书法入门", tags=["书法"])
    draft = ResourcePageFactory(parent=index, title="草稿", tags=["太极拳"])
    draft.unpublish()
    private = ResourcePageFactory(parent=index, title="内部资料", tags=["太极拳"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get(f"/tags/{quote('太极拳')}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>标签：太极拳</h1>" in html
    group = html.split("<h2")[1]
    assert group.split(">", 1)[1].startswith("学习资源")
    assert "太极拳入门" in group and "太极拳进阶" in group
    for absent in ("书法入门", "草稿", "内部资料"):
        assert absent not in html


def test_resource_page_links_its_tags_to_tag_pages(client, index):
    page = ResourcePageFactory(parent=index, tags=["防范电信诈骗"])
    html = client.get(page.url).content.decode()
    href = f"/tags/{quote('防范电信诈骗')}/"
    assert f'href="{href}">防范电信诈骗</a>' in html
    assert client.get(href).status_code == 200


def test_tag_with_spaces_and_latin_letters(client, index):
    ResourcePageFactory(parent=index, title="手机课", tags=["智能 手机 App"])
    tag = Tag.objects.get(name="智能 手机 App")
    response = client.get(reverse("tag_page", args=[tag.slug]))
    assert response.status_code == 200 and "手机课" in response.content.decode()
    # A hand-typed name instead of the slug still finds it.
    assert client.get(f"/tags/{quote('智能 手机 App')}/").status_code == 200


@pytest.mark.parametrize("value", ["不存在", "%E0%A4%A", "x" * 300, "..", "%00"])
def test_unknown_or_malformed_tag_is_a_chinese_404(client, index, value):
    response = client.get(f"/tags/{value}/")
    assert response.status_code == 404
    assert (
        "没有找到带有" in response.content.decode()
        or "没有找到这个页面" in response.content.decode()
    )


def test_tag_only_on_unpublished_pages_is_a_404(client, index):
    draft = ResourcePageFactory(parent=index, tags=["下线内容"])
    draft.unpublish()
    response = client.get(f"/tags/{quote('下线内容')}/")
    assert response.status_code == 404
    assert "没有找到带有“下线内容”标签的内容" in response.content.decode()


def _add_tagged(index, count, start=0):
    for number in range(start, start + count):
        ResourcePageFactory(
            parent=index,
            title=f"资源{number}",
            image=get_image_model().objects.create(
                title=f"图{number}", file=get_test_image_file(f"tagged{number}.png")
            ),
            tags=["郑州"],
        )


def test_tag_page_query_count_does_not_grow_with_items(client, index):
    url = f"/tags/{quote('郑州')}/"
    _add_tagged(index, 5)
    client.get(url)  # renditions are generated on the first view
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _add_tagged(index, 45, start=5)
    client.get(url)
    with CaptureQueriesContext(connection) as fifty:
        html = client.get(url).content.decode()
    assert html.count('class="card"') == 50
    assert len(five) == len(fifty)
    renditions = [q for q in fifty.captured_queries if "wagtailimages_rendition" in q["sql"]]
    assert len(renditions) == 1


def test_a_past_event_on_a_tag_page_says_it_is_over(client, home_page):
    """Past and coming events share a tag page: the past one's card says 已结束, the coming
    one's says nothing of the kind."""
    calendar = EventIndexPageFactory(parent=home_page)
    now = timezone.now()
    for title, start in (
        ("去年的晨练", now - datetime.timedelta(days=300)),
        ("下周的晨练", now + datetime.timedelta(days=7)),
    ):
        event = EventPageFactory(parent=calendar, title=title)
        event.tags.add("太极拳")
        event.save()
        add_occurrence(event, start)

    document = lxml_html.fromstring(client.get(f"/tags/{quote('太极拳')}/").content)

    def label(title):
        (card,) = document.xpath(f'//article[@class="card"][.//h3/a[normalize-space()="{title}"]]')
        return [
            " ".join(p.text_content().split()) for p in card.xpath('.//p[@class="card__label"]')
        ]

    assert label("去年的晨练") == ["已结束"]
    assert label("下周的晨练") == []


def test_a_tag_pages_events_come_soonest_first_then_the_past_latest_first(client, home_page):
    calendar = EventIndexPageFactory(parent=home_page)
    now = timezone.now()
    for title, days in (("去年的", -300), ("下月的", 30), ("上周的", -7), ("明天的", 1)):
        event = EventPageFactory(parent=calendar, title=title)
        event.tags.add("太极拳")
        event.save()
        add_occurrence(event, now + datetime.timedelta(days=days))
    document = lxml_html.fromstring(client.get(f"/tags/{quote('太极拳')}/").content)
    titles = [
        " ".join(h.text_content().split()) for h in document.xpath("//article[@class='card']//h3")
    ]
    assert titles == ["明天的", "下月的", "上周的", "去年的"]
