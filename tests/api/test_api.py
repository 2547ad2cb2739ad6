"""The read-only API v2: only live, public content, per-type public fields, sane limits and
clear 400s; plus sitemap.xml and robots.txt, which share the same idea of "public"."""

import pytest
from django.contrib.auth import get_user_model
from lxml import etree
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
    local,
)
from tests.factories.home import PersonFactory, StandardPageFactory
from tests.factories.learning_resources import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    VideoFactory,
)
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.schools import (
    school_branch,
)
from tests.factories.showcase import PeopleIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page):
    school = school_branch(
        home_page,
        slug="jinshui",
        centre={"slug": "jingbalu"},
        school={
            "title": "未来路社区学校",
            "slug": "weilai",
            "latitude": 34.77,
            "longitude": 113.69,
        },
    ).school
    calendar = EventIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=calendar, title="公开活动", venue=school)
    add_occurrence(event, local(2026, 6, 1, 9))
    draft = EventPageFactory(parent=calendar, title="草稿活动")
    draft.unpublish()
    private_section = StandardPageFactory(parent=home_page, title="内部资料", slug="internal")
    PageViewRestriction.objects.create(page=private_section, restriction_type="login")
    private_child = StandardPageFactory(parent=private_section, title="内部通知", slug="memo")
    forum = ForumIndexPageFactory(parent=home_page)
    lecture = LecturePageFactory(parent=forum, title="黄河讲座", video=VideoFactory())
    lecture.speakers.create(person=PersonFactory(name="王建华"))
    lecture.save()
    catalogue = CourseIndexPageFactory(parent=home_page)
    CoursePageFactory(parent=catalogue, title="书法课")
    resources = ResourceIndexPageFactory(parent=home_page)
    ResourcePageFactory(parent=resources, title="微课")
    news = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news, title="新闻一则")
    PeopleIndexPageFactory(parent=home_page)
    return {
        "home": home_page,
        "school": school,
        "event": event,
        "draft": draft,
        "private_section": private_section,
        "private_child": private_child,
        "lecture": lecture,
    }


def _titles(client, query=""):
    response = client.get(f"/api/v2/pages/?limit=50{query}")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_pages_lists_only_live_public_content(client, site):
    titles = _titles(client)
    assert {"公开活动", "黄河讲座", "书法课", "微课", "新闻一则", "未来路社区学校"} <= titles
    assert not titles & {"草稿活动", "内部资料", "内部通知"}


def test_private_and_draft_ids_are_not_found(client, site):
    for page in (site["draft"], site["private_section"], site["private_child"]):
        response = client.get(f"/api/v2/pages/{page.pk}/")
        assert response.status_code == 404
        assert "内部" not in response.content.decode()
    assert client.get(f"/api/v2/pages/{site['event'].pk}/").status_code == 200


def test_a_logged_in_user_gets_no_more_than_anyone(client, site):
    user = get_user_model().objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    assert "内部通知" not in _titles(client)
    assert client.get(f"/api/v2/pages/{site['private_child'].pk}/").status_code == 404


def test_event_detail_has_occurrences_and_place(client, site):
    data = client.get(f"/api/v2/pages/{site['event'].pk}/").json()
    assert data["meta"]["type"] == "events.EventPage"
    assert data["occurrences"][0]["start"] == "2026-06-01T09:00:00+08:00"
    assert data["venue"]["id"] == site["school"].pk
    assert data["summary"] == "活动摘要"


def test_lectures_carry_absolute_media_urls_and_speakers(client, site):
    response = client.get(
        "/api/v2/pages/?type=events.LecturePage&fields=video_url,speaker_names,occurrences"
    )
    item = response.json()["items"][0]
    assert item["video_url"].startswith("http://testserver/media/")
    assert item["speaker_names"] == ["王建华"]


def test_schools_carry_coordinates(client, site):
    item = client.get(
        "/api/v2/pages/?type=schools.CommunitySchoolPage&fields=latitude,longitude,address"
    ).json()["items"][0]
    assert (item["latitude"], item["longitude"]) == (34.77, 113.69)


@pytest.mark.parametrize(
    "page_type",
    ["learning_resources.CoursePage", "learning_resources.ResourcePage", "news.NewsPage"],
)
def test_each_content_type_lists_its_public_fields(client, site, page_type):
    response = client.get(f"/api/v2/pages/?type={page_type}&fields=*")
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["summary"]
    assert "tags" in item


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=51", "limit cannot be higher than 50"),
        ("limit=abc", "limit must be a positive integer"),
        ("offset=-1", "offset must be a positive integer"),
        ("fields=password", "unknown fields: password"),
        ("colour=red", "not an operation or a recognised field"),
        ("type=events.Nope", "type doesn't exist"),
        ("type=events.LecturePage&fields=nope", "unknown fields: nope"),
        ("order=nope", "cannot order by 'nope'"),
        ("child_of=abc", "child_of must be a positive integer"),
        ("child_of=999999", "parent page doesn't exist"),
    ],
)
def test_bad_requests_get_a_400_with_a_message(client, site, query, message):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_listing_is_paginated_with_a_total(client, site):
    data = client.get("/api/v2/pages/?limit=2").json()
    assert len(data["items"]) == 2
    assert data["meta"]["total_count"] >= 10


def test_images_and_documents_endpoints(client, site):
    get_image_model().objects.create(title="封面", file=get_test_image_file("cover.png"))
    images = client.get("/api/v2/images/").json()
    assert [item["title"] for item in images["items"]] == ["封面"]
    assert client.get("/api/v2/documents/").status_code == 200
    assert client.get("/api/v2/images/?limit=500").status_code == 400


def test_documents_in_a_restricted_collection_are_not_listed(client, site):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    root = Collection.get_first_root_node()
    restricted = root.add_child(name="内部文件")
    CollectionViewRestriction.objects.create(collection=restricted, restriction_type="login")
    document_model = get_document_model()
    public = document_model(title="公开讲义")
    public.file.save("handout.txt", ContentFile(b"public"), save=True)
    private = document_model(title="内部讲义", collection=restricted)
    private.file.save("memo.txt", ContentFile(b"private"), save=True)
    titles = [item["title"] for item in client.get("/api/v2/documents/").json()["items"]]
    assert titles == ["公开讲义"]
    assert client.get(f"/api/v2/documents/{private.pk}/").status_code == 404


# --- Sitemap and robots.txt ------------------------------------------------------------------------

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_every_public_page_and_no_private_or_draft_one(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = set(
        etree.fromstring(response.content).xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    )
    from wagtail.models import Page

    from home.queries import live_public

    expected = {page.full_url for page in live_public(Page.objects.filter(depth__gt=1)).specific()}
    assert expected <= locations
    for page in (site["draft"], site["private_section"], site["private_child"]):
        assert page.full_url not in locations
    assert "http://testserver/news/" in locations


def test_sitemap_lists_teacher_profiles(client, site):
    response = client.get("/sitemap.xml")
    locations = etree.fromstring(response.content).xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    person = site["lecture"].speakers.first().person
    assert f"http://testserver/teachers/{person.pk}/" in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_search_matches_chinese_like_the_site_search_and_never_private_pages(client, site):
    site["event"].title = "社区太极拳展演"
    site["event"].save_revision().publish()
    site["private_child"].title = "内部太极拳通知"
    site["private_child"].save_revision().publish()
    response = client.get("/api/v2/pages/", {"search": "太极"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["社区太极拳展演"]


@pytest.mark.parametrize("query", ['"', "NEAR(", "\x00abc", "太极 OR *", "a" * 5000])
def test_hostile_search_strings_get_an_answer_not_an_error(client, site, query):
    assert client.get("/api/v2/pages/", {"search": query}).status_code == 200
    assert client.get("/api/v2/documents/", {"search": query}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "type=schools.CommunitySchoolPage&latitude=abc",
        "type=learning_resources.CoursePage&enrolment_deadline=notadate",
        "site=nowhere.example",
    ],
)
def test_unreadable_filter_values_are_a_400_not_a_500(client, site, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400
    assert response.json()["message"]
