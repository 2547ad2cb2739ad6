"""Background tasks: with TASKS_BACKEND=database, a publish queues Wagtail's index updates and a
worker process completes them, instead of the editor's request doing the work."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.conftest import publish
from tests.factories.home import StandardPageFactory

# Runs again on PostgreSQL in CI: django-tasks-db claims queued tasks with
# select_for_update(skip_locked=True).
pytestmark = pytest.mark.engine


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def search_finds(query, url):
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200
    return f'href="{url}"' in response.content.decode()


# Transactional (the queue is written on commit); serialized_rollback brings back the root page
# and seeded vocabulary that an earlier transactional test's flush removed.
@pytest.mark.reference_index
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_is_indexed_by_the_worker_not_by_the_request(home_page, database_tasks):
    page = StandardPageFactory(
        parent=home_page, title="黄河文化系列讲座", slug="yellow-river", live=False
    )
    DBTaskResult.objects.all().delete()

    publish(page)

    queued = DBTaskResult.objects.all()
    task_paths = set(queued.values_list("task_path", flat=True))
    assert any(path.endswith("insert_or_update_object_task") for path in task_paths)
    assert any(path.endswith("update_reference_index_task") for path in task_paths)
    assert set(queued.values_list("status", flat=True)) == {TaskResultStatus.READY}
    assert not search_finds("黄河文化", "/yellow-river/")

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert search_finds("黄河文化", "/yellow-river/")


def test_tasks_run_in_the_request_by_default(settings):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
