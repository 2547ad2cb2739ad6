"""Staff set up roles from the admin (设置 → 社区角色), city editors look after search promotions
and redirects, refused uploads say one thing, and the admin defaults are Chinese and safe."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Workflow

from demo.helpers import DemoReport
from demo.loaders.home import ensure_roles_and_users
from schools.models import SchoolRole
from schools.roles import assign_role, setup_roles
from scripts.compile_translations import catalogs, compiled_bytes
from tests.factories.schools import (
    school_branch,
)

pytestmark = pytest.mark.django_db

ROLES_URL = "/admin/community-roles/"


@pytest.fixture
def community(home_page):
    branch = school_branch(
        home_page,
        slug="jinshui",
        centre={"slug": "jingbalu"},
        school={"title": "育才社区学校", "slug": "yucai"},
    )
    jinshui, school = branch.college, branch.school
    setup_roles()
    ensure_roles_and_users(DemoReport())  # 全站编辑 and the `editor` and `admin` users
    users = get_user_model().objects
    newcomer = users.create_user(username="zhang", password="x", first_name="张", last_name="")
    moderator = users.create_user(username="li", password="x")
    assign_role(moderator, SchoolRole.MODERATOR, jinshui)
    worker = users.create_user(username="wang", password="x")
    assign_role(worker, SchoolRole.WORKER, school)
    return {
        "jinshui": jinshui,
        "school": school,
        "newcomer": newcomer,
        "moderator": moderator,
        "worker": worker,
        "admin": users.get(username="admin"),
        "editor": users.get(username="editor"),
    }


def _login(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_the_admin_gives_a_school_level_worker_role_and_the_worker_sees_my_community(
    client, community
):
    school, newcomer = community["school"], community["newcomer"]
    _login(client, community["admin"])
    screen = client.get(ROLES_URL)
    assert screen.status_code == 200
    assert "分配角色" in screen.content.decode() and "育才社区学校" in screen.content.decode()

    response = client.post(
        ROLES_URL + "assign/",
        {"user": newcomer.pk, "role": SchoolRole.WORKER, "scope": school.pk},
        follow=True,
    )
    assert "已将 张（zhang） 设为“社区工作者·金水区·育才社区学校”" in response.content.decode()
    role = SchoolRole.objects.get(group__user=newcomer)
    assert (role.page_id, role.role) == (school.pk, SchoolRole.WORKER)

    dashboard = _login(client, newcomer).get("/admin/")
    html = dashboard.content.decode()
    assert "我的社区" in html and "育才社区学校" in html
    assert client.get(f"/admin/pages/{school.pk}/edit/").status_code == 200

    _login(client, community["admin"])
    client.post(ROLES_URL + "revoke/", {"user": newcomer.pk, "role": role.pk})
    assert not newcomer.groups.filter(pk=role.group_id).exists()
    assert "我的社区" not in _login(client, newcomer).get("/admin/").content.decode()


def test_a_bad_role_request_is_refused_in_chinese_and_changes_nothing(client, community):
    _login(client, community["admin"])
    before = Group.objects.count(), community["newcomer"].groups.count()
    response = client.post(
        ROLES_URL + "assign/", {"user": community["newcomer"].pk, "role": "boss", "scope": "x"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择列出的角色" in text and "没有这个负责范围" in text
    assert (Group.objects.count(), community["newcomer"].groups.count()) == before
    revoke = client.post(ROLES_URL + "revoke/", {"user": "abc", "role": ""}, follow=True)
    assert "没有找到这个角色" in revoke.content.decode()


@pytest.mark.parametrize("who", ["worker", "moderator", "editor"])
def test_those_who_cannot_manage_users_cannot_open_the_roles_screen(client, community, who):
    _login(client, community[who])
    refused = client.get(ROLES_URL)  # Wagtail sends a refusal back to the dashboard
    assert refused.status_code == 302 and refused.url == "/admin/"
    response = client.post(
        ROLES_URL + "assign/",
        {"user": community[who].pk, "role": SchoolRole.MODERATOR, "scope": community["school"].pk},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert not SchoolRole.objects.filter(group__user=community[who], role="moderator").exclude(
        group__user=community["moderator"]
    )
    assert "社区角色" not in client.get("/admin/").content.decode()


def test_city_editors_manage_search_promotions_and_redirects(client, community):
    _login(client, community["editor"])
    for url in ("/admin/searchpicks/", "/admin/searchpicks/add/", "/admin/redirects/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "没有权限" not in response.content.decode()
    _login(client, community["worker"])
    assert client.get("/admin/redirects/").status_code in (302, 403)


def test_the_admin_defaults_are_chinese_and_offer_no_site_wide_stock_group(client, community):
    assert Collection.get_first_root_node().name == "全部素材"
    assert Page.get_first_root_node().title == "根目录"
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    _login(client, community["admin"])
    new_user = client.get("/admin/users/new/").content.decode()
    assert "Editors" not in new_user and "Moderators" not in new_user
    assert "全站编辑" in new_user
    edit = client.get(f"/admin/pages/{community['school'].pk}/edit/").content.decode()
    assert "Moderators approval" not in edit
    assert "gravatar" not in client.get("/admin/").content.decode()


def test_a_refused_document_gets_one_clear_message(client, community):
    _login(client, community["editor"])
    collection = Collection.get_first_root_node()
    fake_pdf = SimpleUploadedFile("讲义.pdf", b"just some text, not a PDF", "application/pdf")
    response = client.post(
        "/admin/documents/add/", {"title": "讲义", "file": fake_pdf, "collection": collection.pk}
    )
    text = response.content.decode()
    assert "文件内容与扩展名 .pdf 不符" in text
    assert "文件扩展" not in text  # no second, contradictory line about the extension
    assert not get_document_model().objects.filter(title="讲义").exists()

    real_pdf = SimpleUploadedFile("讲义.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    client.post(
        "/admin/documents/add/", {"title": "讲义", "file": real_pdf, "collection": collection.pk}
    )
    assert get_document_model().objects.filter(title="讲义").exists()


def test_the_compiled_catalogs_are_up_to_date():
    """A fresh clone serves the Chinese admin from the committed .mo files: they must match."""
    assert catalogs(), "no catalog under locale/"
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists() and mo_path.read_bytes() == compiled_bytes(po_path), (
            f"{mo_path} is out of date: run .venv/bin/python scripts/compile_translations.py"
        )


def test_the_admin_javascript_strings_are_chinese(client, community):
    _login(client, community["editor"])
    catalog = client.get("/admin/jsi18n/").content.decode()
    for text in ("正在自动保存…", "已自动保存修改。"):
        assert text in catalog or json.dumps(text)[1:-1] in catalog, text
