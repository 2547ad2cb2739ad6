"""`load_demo` builds a working site, is idempotent, and its demo users can use the Chinese admin."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from home.demo_content import DEMO_PASSWORD
from home.models import Audience, Category, HomePage, Person, SiteSettings

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "pages": Page.objects.count(),
        "audiences": Audience.objects.count(),
        "categories": Category.objects.count(),
        "people": Person.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
    }


@pytest.fixture
def demo_site(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_builds_the_site_and_prints_logins(client, demo_site):
    assert "演示内容已加载" in demo_site
    for username in ("admin", "editor", "moderator", "worker"):
        assert username in demo_site
    assert DEMO_PASSWORD in demo_site

    home = client.get("/")
    assert home.status_code == 200
    assert "人人皆学" in home.content.decode()
    about = client.get("/about/")
    assert about.status_code == 200 and "郑州市社区教育指导服务中心" in about.content.decode()
    policy = client.get("/policies/community-education-2013/")
    assert policy.status_code == 200 and "郑政办文〔2013〕13号" in policy.content.decode()
    assert HomePage.objects.count() == 1
    assert SiteSettings.objects.get().organizer == "郑州市教育局"


def test_load_demo_twice_changes_nothing(demo_site):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "未做任何改动" in out.getvalue()


def test_load_demo_refused_when_not_allowed(settings):
    from django.core.management.base import CommandError

    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not HomePage.objects.exists()


def test_editor_logs_in_and_sees_the_chinese_admin(client, demo_site):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.wsgi_request.user.username == "editor"
    assert 'lang="zh-hans"' in html
    assert "控制面板" in html or "仪表板" in html
    pages = client.get(f"/admin/pages/{HomePage.objects.get().pk}/")
    assert pages.status_code == 200
    assert "关于我们" in pages.content.decode()


def test_wrong_password_is_refused_in_chinese(client, demo_site):
    response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "密码不匹配" in response.content.decode()
