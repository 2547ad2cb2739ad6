"""`load_demo` builds a working site, is idempotent, and its demo users can use the Chinese admin.

Loading the demo takes seconds, so one test covers the whole demo site and its idempotence.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.images import get_image_model
from wagtail.models import Page

from demo.helpers import DemoReport
from demo.loaders.home import DEMO_PASSWORD, ensure_roles_and_users
from home.models import Audience, Category, HomePage, Occurrence, Person, SiteSettings
from learning_resources.models import CourseMode, CoursePage
from schools.models import CommunityCollegePage, CommunitySchoolPage, SchoolPage

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
        "courses": CoursePage.objects.count(),
        "sessions": Occurrence.objects.count(),
    }


def test_load_demo_builds_the_site_once_and_a_second_run_changes_nothing(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "演示内容已加载" in printed
    for username in (
        "admin",
        "editor",
        "jinshui_worker",
        "erqi_worker",
        "jinshui_moderator",
        "erqi_moderator",
    ):
        assert f"用户名 {username}" in printed
    assert DEMO_PASSWORD in printed

    # Home, about and policy pages
    assert HomePage.objects.count() == 1
    assert SiteSettings.objects.get().organizer == "郑州市教育局"
    assert "人人皆学" in client.get("/").content.decode()
    about = client.get("/about/")
    assert about.status_code == 200 and "郑州市社区教育指导服务中心" in about.content.decode()
    policy = client.get("/policies/community-education-2013/")
    assert policy.status_code == 200 and "郑政办文〔2013〕13号" in policy.content.decode()

    # The school directory: all sixteen districts, about 150 schools with full details
    districts = set(CommunityCollegePage.objects.values_list("district_name", flat=True))
    assert len(districts) == 16 and {"金水区", "巩义市", "郑州航空港经济综合实验区"} <= districts
    assert 140 <= CommunitySchoolPage.objects.live().count() <= 160
    for school in CommunitySchoolPage.objects.all():
        assert school.has_position and school.address and school.phone and school.opening_hours
        school.full_clean()  # coordinates inside Zhengzhou, every required field set
    assert "郑州航空港经济综合实验区" in client.get("/schools/").content.decode()
    nearest = client.get("/schools/near/", {"district": "jinshui"}).content.decode()
    assert "离金水区社区学院最近的 10 所" in nearest

    # Community roles: the worker can add and edit at their learning point, only the moderator publishes
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    point = CommunitySchoolPage.objects.get(slug="jingbalu-3")
    worker_rights = point.permissions_for_user(users.get(username="jinshui_worker"))
    assert worker_rights.can_edit() and not worker_rights.can_publish()
    assert point.permissions_for_user(users.get(username="jinshui_moderator")).can_publish()
    assert not point.permissions_for_user(users.get(username="erqi_moderator")).can_publish()

    # The course catalogue: ten courses, online ones stepping through demo resources, classes
    # under the demo schools in every state
    courses = list(CoursePage.objects.live().specific())
    assert len(courses) == 10
    statuses = {course.status_label for course in courses}
    assert statuses == {"即将开课", "随时可学", "进行中", "已结束"}
    online = [course for course in courses if course.mode == CourseMode.ONLINE]
    assert online and all(4 <= course.lessons.count() <= 6 for course in online)
    classes = [course for course in courses if course.mode != CourseMode.ONLINE]
    assert all(isinstance(course.get_parent().specific, SchoolPage) for course in classes)
    catalogue = client.get("/courses/")
    assert catalogue.status_code == 200
    html = catalogue.content.decode()
    assert "（共 10 门）" in html and "太极拳初级班" in html and "金水区" in html
    assert 'href="/courses/"' in client.get("/").content.decode()  # in the menu
    first_lesson = client.get(f"{online[0].url}lessons/1/")
    assert first_lesson.status_code == 200 and "<track" in first_lesson.content.decode()

    # Idempotent
    before = _counts()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert _counts() == before
    assert "未做任何改动" in again.getvalue()


def test_load_demo_refused_when_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not HomePage.objects.exists()


@pytest.fixture
def demo_users(home_page):
    ensure_roles_and_users(DemoReport())


def test_editor_logs_in_and_sees_the_chinese_admin(client, home_page, demo_users):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.wsgi_request.user.username == "editor"
    assert 'lang="zh-hans"' in html
    assert "控制面板" in html
    explorer = client.get(f"/admin/pages/{home_page.pk}/")
    assert explorer.status_code == 200
    add_child = client.get(f"/admin/pages/{home_page.pk}/add_subpage/")
    assert add_child.status_code == 200
    assert "普通页面" in add_child.content.decode()


def test_wrong_password_is_refused_in_chinese(client, demo_users):
    response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "密码不匹配" in response.content.decode()
