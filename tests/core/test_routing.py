"""Routing in two queries (core.routing.route_in_one_query) keeps Wagtail's answers.

Every URL is routed from one query for the page chain; sub-routes of routable pages, drafts,
unknown slugs and view restrictions must behave as Wagtail's level-by-level routing does.
"""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from tests.factories.home import StandardPageFactory
from tests.factories.learning_resources import CoursePageFactory, add_lesson
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    school_branch,
)


@pytest.fixture
def tree(home_page):
    branch = school_branch(
        home_page,
        slug="jinshui",
        centre={"slug": "wenhua", "title": "文化路街道社区教育中心"},
        school={"slug": "dongfeng", "title": "东风社区学校"},
    )
    university, college, centre, school = (
        branch.university,
        branch.college,
        branch.centre,
        branch.school,
    )
    course = CoursePageFactory(parent=school, slug="taiji", title="太极拳入门", mode="online")
    add_lesson(course, "起势")
    add_lesson(course, "野马分鬃")
    return {
        "university": university,
        "college": college,
        "centre": centre,
        "school": school,
        "course": course,
    }


def test_a_deep_url_serves_its_page(client, tree):
    response = client.get("/schools/jinshui/wenhua/dongfeng/taiji/")

    assert response.status_code == 200
    assert response.context["page"].pk == tree["course"].pk
    html = response.content.decode()
    # The breadcrumbs come from the routed chain.
    for title in ("首页", "金水区", "文化路街道社区教育中心", "东风社区学校"):
        assert title in html


def test_sub_routes_of_routable_pages_still_answer(client, tree):
    assert client.get("/schools/near/?district=jinshui").status_code == 200
    assert client.get("/schools/geojson/")["Content-Type"].startswith("application/")
    lesson = client.get("/schools/jinshui/wenhua/dongfeng/taiji/lessons/2/")
    assert lesson.status_code == 200
    assert "野马分鬃" in lesson.content.decode()
    assert client.get("/schools/jinshui/wenhua/dongfeng/taiji/lessons/3/").status_code == 404


def test_a_sub_route_wins_over_a_child_of_the_same_slug_as_in_wagtail(client, tree):
    child = CommunityCollegePageFactory(parent=tree["university"], slug="geojson")
    CommunityCentrePageFactory(parent=child, slug="below", title="同名子页面下的中心")

    # The university's geojson/ route answers before its child is looked at…
    assert client.get("/schools/geojson/")["Content-Type"].startswith("application/")
    # …but a longer path that the route does not match goes on to the child.
    below = client.get("/schools/geojson/below/")
    assert below.status_code == 200
    assert "同名子页面下的中心" in below.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/schools/nowhere/",
        "/schools/jinshui/nowhere/",
        "/schools/jinshui/wenhua/dongfeng/nowhere/",
        "/schools/jinshui/wenhua/dongfeng/taiji/nowhere/",
        "/schools/jinshui/nowhere/dongfeng/",
    ],
)
def test_an_unknown_slug_anywhere_in_the_path_is_a_404(client, tree, url):
    assert client.get(url).status_code == 404


def test_a_draft_page_is_not_served(client, tree):
    tree["school"].unpublish()

    assert client.get("/schools/jinshui/wenhua/dongfeng/").status_code == 404


def test_a_live_page_under_a_draft_parent_is_served_as_wagtail_does(client, tree):
    tree["centre"].unpublish()

    assert client.get("/schools/jinshui/wenhua/").status_code == 404
    assert client.get("/schools/jinshui/wenhua/dongfeng/").status_code == 200


def test_a_login_restriction_applies_to_the_page_and_everything_below(client, tree):
    PageViewRestriction.objects.create(page=tree["centre"], restriction_type="login")

    for url in ("/schools/jinshui/wenhua/", "/schools/jinshui/wenhua/dongfeng/taiji/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert client.get("/schools/jinshui/").status_code == 200

    user = get_user_model().objects.create_user("resident", password="pw-123456")
    client.force_login(user)
    assert client.get("/schools/jinshui/wenhua/dongfeng/taiji/").status_code == 200


def test_a_password_restriction_asks_for_the_password(client, home_page):
    members = StandardPageFactory(parent=home_page, slug="members", title="内部资料")
    StandardPageFactory(parent=members, slug="notice", title="内部通知")
    restriction = PageViewRestriction.objects.create(
        page=members, restriction_type="password", password="open-sesame"
    )

    response = client.get("/members/notice/")
    assert response.status_code == 200
    assert "内部通知" not in response.content.decode()
    assert "password" in response.content.decode()

    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{members.pk}/",
        {"password": "open-sesame", "return_url": "/members/notice/"},
    )
    assert "内部通知" in client.get("/members/notice/").content.decode()
