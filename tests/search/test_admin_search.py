"""The admin's search and every chooser find Chinese words inside titles, and pinyin, as the
public search does (the project's search backend reads typed strings with ``parse_query``)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import Category, Person
from tests.factories.home import StandardPageFactory
from tests.factories.learning_resources import VideoFactory
from tests.factories.schools import (
    school_branch,
)

# Runs again on PostgreSQL in CI: the admin searches through the database's full-text backend.
pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def admin_client(client, home_page):
    user = get_user_model().objects.create_superuser("admin", "admin@example.cn", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def content(home_page):
    sunshine = school_branch(
        home_page,
        centre={"title": "经八路街道社区教育中心"},
        school={"title": "阳光社区学校", "slug": "sunshine"},
    ).school
    taiji = StandardPageFactory(parent=home_page, title="太极拳入门讲座", slug="taiji")
    StandardPageFactory(parent=home_page, title="手机摄影", slug="photo")
    image_model, document_model = get_image_model(), get_document_model()
    image_model.objects.create(title="阳光社区学校门口", file=get_test_image_file())
    image_model.objects.create(title="书法展", file=get_test_image_file())
    document_model.objects.create(title="太极拳讲义", file=ContentFile(b"%PDF-1.4", "taiji.pdf"))
    document_model.objects.create(title="报名须知", file=ContentFile(b"%PDF-1.4", "notice.pdf"))
    VideoFactory(title="太极拳教学视频")
    VideoFactory(title="手机课堂")
    Category.objects.create(name="太极养生", slug="taiji")
    Category.objects.create(name="书画", slug="shuhua")
    Person.objects.create(name="王太极", title="社区学校教师")
    Person.objects.create(name="李明")
    return {"sunshine": sunshine, "taiji": taiji}


def _html(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200, response.content.decode()[:1000]
    return response.content.decode()


@pytest.mark.parametrize("query", ["社区学校", "阳光", "阳光社区学校"])
def test_admin_page_search_finds_a_word_inside_a_title(admin_client, content, query):
    html = _html(admin_client, "/admin/pages/search/", query)
    assert "阳光社区学校" in html
    assert "手机摄影" not in html


@pytest.mark.parametrize("query", ["太极", "taiji", "太极拳"])
def test_admin_page_search_finds_taiji(admin_client, content, query):
    html = _html(admin_client, "/admin/pages/search/", query)
    assert "太极拳入门讲座" in html
    assert "阳光社区学校" not in html


@pytest.mark.parametrize(
    ("query", "found"), [("社区学校", "阳光社区学校"), ("taiji", "太极拳入门讲座")]
)
def test_page_chooser_search(admin_client, content, query, found):
    html = _html(admin_client, "/admin/choose-page/search/", query)
    assert found in html
    assert "手机摄影" not in html


@pytest.mark.parametrize("query", ["阳光", "社区学校"])
def test_image_chooser_search(admin_client, content, query):
    html = _html(admin_client, "/admin/images/chooser/results/", query)
    assert "阳光社区学校门口" in html and "书法展" not in html


@pytest.mark.parametrize("query", ["太极", "taiji"])
def test_document_chooser_search(admin_client, content, query):
    html = _html(admin_client, "/admin/documents/chooser/results/", query)
    assert "太极拳讲义" in html and "报名须知" not in html


@pytest.mark.parametrize("query", ["太极", "taiji"])
def test_media_chooser_search(admin_client, content, query):
    html = _html(admin_client, "/admin/media/chooser/video/", query)
    assert "太极拳教学视频" in html and "手机课堂" not in html


@pytest.mark.parametrize("query", ["太极", "taiji"])
def test_snippet_choosers_search(admin_client, content, query):
    categories = _html(admin_client, "/admin/snippets/choose/home/category/results/", query)
    assert "太极养生" in categories and "书画" not in categories
    people = _html(admin_client, "/admin/snippets/choose/home/person/results/", query)
    assert "王太极" in people and "李明" not in people


def test_a_latin_word_still_matches_as_you_type(admin_client, content):
    StandardPageFactory(parent=content["taiji"].get_parent(), title="Python 编程", slug="py")
    assert "Python 编程" in _html(admin_client, "/admin/pages/search/", "pyth")
