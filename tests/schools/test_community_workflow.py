"""Community workers post in their own subtree and never publish alone; district moderators approve.

The permission matrix goes through the real Wagtail admin views with the test client.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from demo.helpers import DemoReport
from demo.loaders.home import ensure_roles_and_users
from events.models import EventPage
from schools.models import SchoolRole
from schools.roles import assign_role, district_collection, setup_roles
from tests.factories.events import EventIndexPageFactory, EventPageFactory, local
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _user(username, *, role=None, scope=None, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.cn", is_superuser=superuser
    )
    if role:
        assign_role(user, role, scope)
    return user


@pytest.fixture
def community(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(parent=university, district_name="金水区", slug="jinshui")
    erqi = CommunityCollegePageFactory(parent=university, district_name="二七区", slug="erqi")
    jinshui_centre = CommunityCentrePageFactory(parent=jinshui, slug="jingbalu")
    erqi_centre = CommunityCentrePageFactory(parent=erqi, slug="wulibao")
    point = CommunitySchoolPageFactory(
        parent=jinshui_centre, title="育才学习点", slug="yucai", kind="point"
    )
    neighbour = CommunitySchoolPageFactory(
        parent=jinshui_centre, title="邻近社区学校", slug="linjin"
    )
    erqi_school = CommunitySchoolPageFactory(
        parent=erqi_centre, title="二七社区学校", slug="erqi-school"
    )
    calendar = EventIndexPageFactory(parent=home_page)
    setup_roles()
    ensure_roles_and_users(DemoReport())  # 全站编辑 group and the `editor` user
    erqi_event = EventPageFactory(parent=erqi_school, title="二七区的活动")
    return {
        "home": home_page,
        "university": university,
        "jinshui": jinshui,
        "erqi": erqi,
        "point": point,
        "neighbour": neighbour,
        "erqi_school": erqi_school,
        "erqi_event": erqi_event,
        "calendar": calendar,
        "worker": _user("worker", role=SchoolRole.WORKER, scope=point),
        "jinshui_moderator": _user("jinshui_mod", role=SchoolRole.MODERATOR, scope=jinshui),
        "erqi_moderator": _user("erqi_mod", role=SchoolRole.MODERATOR, scope=erqi),
        "editor": get_user_model().objects.get(username="editor"),
    }


def _login(client, user):
    """Log ``user`` in on a fresh session, so no flash message of the previous user leaks over."""
    client.logout()
    client.cookies.clear()
    client.force_login(user)
    return client


def _event_form(title, slug, action=None, start=None):
    # Next week at nine: the calendar lists coming events only, whatever day the suite runs.
    soon = timezone.localdate() + datetime.timedelta(days=7)
    start = start or local(soon.year, soon.month, soon.day, 9)
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "社区居民一起学太极",
            "status": "scheduled",
            "cost": "免费",
            "body": streamfield([]),
            "occurrences": inline_formset(
                [
                    {
                        "start": start.strftime("%Y-%m-%d %H:%M"),
                        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
                        "note": "",
                        "cancelled": "",
                    }
                ]
            ),
            "tags": "",
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = "1"
    return data


def _create_event(client, parent, title="学习点太极课", slug="taiji", action=None):
    return client.post(
        f"/admin/pages/add/events/eventpage/{parent.pk}/", _event_form(title, slug, action)
    )


def _submit_for_review(client, community):
    _login(client, community["worker"])
    response = _create_event(client, community["point"], action="action-submit")
    assert response.status_code == 302
    page = EventPage.objects.get(slug="taiji")
    return page


def _workflow_action(client, page, action, comment=""):
    state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    data = {"comment": comment} if comment else {}
    return client.post(f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/", data)


# --- The worker ---------------------------------------------------------------------------------


def test_worker_creates_a_draft_event_under_their_school(client, community):
    _login(client, community["worker"])
    response = _create_event(client, community["point"])
    assert response.status_code == 302
    page = EventPage.objects.get(slug="taiji")
    assert not page.live
    assert page.get_parent().pk == community["point"].pk
    assert page.owner == community["worker"]


def test_worker_cannot_publish_from_the_form(client, community):
    _login(client, community["worker"])
    _create_event(client, community["point"], action="action-publish")
    page = EventPage.objects.filter(slug="taiji").first()
    assert page is None or not page.live
    assert "学习点太极课" not in client.get("/calendar/").content.decode()


def test_worker_cannot_publish_an_existing_draft_by_posting_publish(client, community):
    _login(client, community["worker"])
    _create_event(client, community["point"])
    page = EventPage.objects.get(slug="taiji")
    client.post(
        f"/admin/pages/{page.pk}/edit/", _event_form("学习点太极课", "taiji", "action-publish")
    )
    page.refresh_from_db()
    assert not page.live
    # The bulk publish action is refused too.
    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}", {"include_descendants": ""})
    page.refresh_from_db()
    assert not page.live


def test_worker_submission_goes_to_their_district_moderators(client, community):
    mail.outbox.clear()
    page = _submit_for_review(client, community)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "社区内容审核"
    recipients = {address for message in mail.outbox for address in message.to}
    assert "jinshui_mod@example.cn" in recipients
    assert "erqi_mod@example.cn" not in recipients
    assert "worker@example.cn" not in recipients


@pytest.mark.parametrize("target", ["erqi_school", "erqi_event", "home", "calendar", "jinshui"])
def test_worker_cannot_edit_pages_outside_their_subtree(client, community, target):
    page = community[target]
    _login(client, community["worker"])
    original_title = Page.objects.get(pk=page.pk).title
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code in (302, 403)
    client.post(f"/admin/pages/{page.pk}/edit/", {"title": "被篡改的标题", "slug": page.slug})
    assert Page.objects.get(pk=page.pk).title == original_title


def test_worker_cannot_add_under_another_district(client, community):
    _login(client, community["worker"])
    response = _create_event(client, community["erqi_school"], slug="intruder")
    assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(slug="intruder").exists()


def test_worker_cannot_delete_or_submit_pages_elsewhere(client, community):
    _login(client, community["worker"])
    event = community["erqi_event"]
    client.post(f"/admin/pages/{event.pk}/delete/")
    assert Page.objects.filter(pk=event.pk).exists()
    client.post(
        f"/admin/pages/{event.pk}/edit/", _event_form("二七区的活动", event.slug, "action-submit")
    )
    assert not WorkflowState.objects.filter(object_id=str(event.pk)).exists()


def test_worker_cannot_move_a_page_out_of_their_subtree(client, community):
    _login(client, community["worker"])
    _create_event(client, community["point"])
    page = EventPage.objects.get(slug="taiji")
    response = client.post(f"/admin/pages/{page.pk}/move/{community['erqi_school'].pk}/confirm/")
    assert response.status_code in (302, 403)
    assert page.get_parent().pk == community["point"].pk
    response = client.post(f"/admin/pages/{page.pk}/move/{community['neighbour'].pk}/confirm/")
    assert EventPage.objects.get(pk=page.pk).get_parent().pk == community["point"].pk


def test_worker_dashboard_shows_my_community_and_shortcuts(client, community):
    _login(client, community["worker"])
    _create_event(client, community["point"])
    html = client.get("/admin/").content.decode()
    assert "我的社区" in html and "育才学习点" in html
    add_url = f"/admin/pages/add/events/eventpage/{community['point'].pk}/"
    assert f'href="{add_url}"' in html and "发布活动" in html
    assert "学习点太极课" in html and "草稿" in html
    assert client.get(add_url).status_code == 200


# --- Moderators and editors ---------------------------------------------------------------------


def test_district_moderator_sees_the_task_and_approving_publishes(client, community):
    page = _submit_for_review(client, community)
    _login(client, community["jinshui_moderator"])
    assert "学习点太极课" in client.get("/admin/").content.decode()
    response = _workflow_action(client, page, "approve")
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert "学习点太极课" in client.get("/calendar/").content.decode()


def test_moderator_requests_changes_and_the_worker_sees_the_comment(client, community):
    page = _submit_for_review(client, community)
    mail.outbox.clear()
    _login(client, community["jinshui_moderator"])
    _workflow_action(client, page, "reject", comment="请补充活动地点的楼层")
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert any("worker@example.cn" in message.to for message in mail.outbox)
    _login(client, community["worker"])
    dashboard = client.get("/admin/").content.decode()
    assert "需修改" in dashboard and "请补充活动地点的楼层" in dashboard
    # The worker can edit again and resubmit.
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_moderator_of_another_district_cannot_approve(client, community):
    page = _submit_for_review(client, community)
    _login(client, community["erqi_moderator"])
    assert "学习点太极课" not in client.get("/admin/").content.decode()
    response = _workflow_action(client, page, "approve")
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    assert (
        WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    )


def test_city_editor_can_approve(client, community):
    page = _submit_for_review(client, community)
    _login(client, community["editor"])
    _workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.live


def test_moderator_can_publish_directly_in_their_district_only(client, community):
    _login(client, community["jinshui_moderator"])
    _create_event(
        client, community["point"], title="审核员发布", slug="mod-event", action="action-publish"
    )
    assert EventPage.objects.get(slug="mod-event").live
    response = _create_event(
        client, community["erqi_school"], slug="mod-elsewhere", action="action-publish"
    )
    assert response.status_code in (302, 403)
    assert not EventPage.objects.filter(slug="mod-elsewhere").exists()


# --- Collections ---------------------------------------------------------------------------------


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_worker_uploads_into_their_district_collection_only(client, community):
    _login(client, community["worker"])
    own = district_collection(community["jinshui"])
    other = district_collection(community["erqi"])
    client.post("/admin/images/add/", {"title": "本社区照片", "file": _png(), "collection": own.pk})
    assert get_image_model().objects.filter(title="本社区照片", collection=own).exists()
    client.post(
        "/admin/images/add/", {"title": "别的区的照片", "file": _png(), "collection": other.pk}
    )
    # Wagtail only offers (and only accepts) collections the worker may add to.
    assert not get_image_model().objects.filter(collection=other).exists()
    assert set(
        get_image_model()
        .objects.filter(title__in=["本社区照片", "别的区的照片"])
        .values_list("collection", flat=True)
    ) <= {own.pk}


# --- The tree -------------------------------------------------------------------------------------


def test_a_new_district_page_gets_its_groups_and_collection(client, community):
    _login(client, community["editor"])
    from wagtail.test.utils.form_data import nested_form_data as form

    data = form(
        {
            "title": "上街区社区学院",
            "slug": "shangjie",
            "district_name": "上街区",
            "intro": "",
            "address": "",
            "latitude": "34.80",
            "longitude": "113.30",
            "public_transport": "",
            "contact_person": "",
            "phone": "",
            "email": "",
            "opening_hours": streamfield([]),
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(
        f"/admin/pages/add/schools/communitycollegepage/{community['university'].pk}/", data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Group.objects.filter(name="区县审核员·上街区").exists()
    assert Group.objects.filter(name="社区工作者·上街区").exists()
    assert Collection.objects.filter(name="上街区").exists()


def test_assign_role_command(community):
    from io import StringIO

    from django.core.management import call_command

    user = get_user_model().objects.create_user(username="newcomer", password=PASSWORD)
    out = StringIO()
    call_command("assign_role", "newcomer", "worker", "/schools/erqi/wulibao/", stdout=out)
    assert "社区工作者·二七区" in out.getvalue()
    assert community["erqi_school"].permissions_for_user(user).can_edit()
    assert not community["erqi_school"].permissions_for_user(user).can_publish()
    assert not community["point"].permissions_for_user(user).can_edit()


def test_worker_previews_their_draft(client, community):
    _login(client, community["worker"])
    _create_event(client, community["point"])
    page = EventPage.objects.get(slug="taiji")
    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    form = _event_form("学习点太极课（预览）", "taiji")
    response = client.post(preview_url, form)
    assert response.status_code == 200 and response.json()["is_valid"] is True
    preview = client.get(preview_url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "学习点太极课（预览）" in html and "社区居民一起学太极" in html
    page.refresh_from_db()
    assert page.title == "学习点太极课" and not page.live  # previewing changes nothing
