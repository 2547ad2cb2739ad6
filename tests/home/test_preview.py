"""Previews in the admin: the edit panel, a revision, a moderator's view of a submitted page.

Wagtail renders a preview as a fake request to the page's public URL, from the edit form's data
(unsaved child rows and tags held in memory, with no query API) or from a revision. Every page type
of the project must preview, framable by the admin and kept by no cache.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from wagtail.models import Page, TaskState

from learning_resources.models import CoursePage
from tests.admin_forms import edit_form_data
from tests.staff_content import course_in_workers_school

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"home", "schools", "learning_resources", "events", "news", "showcase"}


def project_page_types():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and model is not Page
        and model._meta.app_label in PROJECT_APPS
        and model.is_creatable
    ]


def _assert_framable_private_preview(response, title):
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    assert title in html
    assert "preview_error" not in html and "无法预览" not in html
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("frame-ancestors")[1]
    assert response.get("X-Frame-Options", "SAMEORIGIN") == "SAMEORIGIN"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "X-Page-Cache" not in response


def test_every_page_type_previews_in_the_edit_panel(client, demo):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    missing = []
    for model in project_page_types():
        page = model.objects.order_by("pk").first()
        if page is None:
            missing.append(model.__name__)
            continue
        preview_url = f"/admin/pages/{page.pk}/edit/preview/"
        data = edit_form_data(page, admin)
        data["title"] = f"{page.title}（预览稿）"

        checked = client.post(preview_url, data)

        assert checked.status_code == 200
        assert checked.json() == {"is_valid": True, "is_available": True}, model.__name__
        preview = client.get(preview_url + "?in_preview_panel=true")
        _assert_framable_private_preview(preview, f"{page.title}（预览稿）")
        page.refresh_from_db()
        assert not page.title.endswith("（预览稿）")  # previewing changes nothing
    assert missing == [], f"the demo has no page of these types: {missing}"


def test_a_course_previews_its_edited_lessons(client, demo):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    course = next(course for course in CoursePage.objects.live() if course.lessons.count() >= 2)
    data = edit_form_data(course, admin)
    data["lessons-0-title"] = "第一课（改过的标题）"

    client.post(f"/admin/pages/{course.pk}/edit/preview/", data)
    preview = client.get(f"/admin/pages/{course.pk}/edit/preview/")

    _assert_framable_private_preview(preview, "第一课（改过的标题）")


def test_a_course_revision_can_be_viewed(client, demo):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    course = next(course for course in CoursePage.objects.live() if course.lessons.exists())
    draft = course.get_latest_revision_as_object()
    draft.title = "修改中的课程标题"
    revision = draft.save_revision(user=admin)

    response = client.get(f"/admin/pages/{course.pk}/revisions/{revision.pk}/view/")

    _assert_framable_private_preview(response, "修改中的课程标题")
    assert course.lessons.first().title in response.content.decode()


def test_a_moderator_previews_a_workers_submitted_course(client, demo):
    worker = get_user_model().objects.get(username="jinshui_worker")
    moderator = get_user_model().objects.get(username="jinshui_moderator")
    course = course_in_workers_school("jinshui_worker")
    assert course.permissions_for_user(worker).can_edit()
    assert not course.permissions_for_user(worker).can_publish()
    draft = course.get_latest_revision_as_object()
    draft.title = "社区工作者提交的课程"
    revision = draft.save_revision(user=worker)
    workflow = course.get_workflow()
    assert workflow is not None, "courses in a district go through its moderators"
    workflow.start(course, worker)
    task_state = TaskState.objects.get(revision=revision, status=TaskState.STATUS_IN_PROGRESS)
    client.force_login(moderator)

    response = client.get(f"/admin/pages/workflow/preview/{course.pk}/{task_state.task_id}/")

    _assert_framable_private_preview(response, "社区工作者提交的课程")
    assert course.lessons.first().title in response.content.decode()
