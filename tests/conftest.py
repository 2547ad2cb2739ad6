import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.factories.home import HomePageFactory

pytest_plugins = ["tests.browser_fixtures", "tests.database_fixtures"]


def pytest_collection_modifyitems(config, items):
    """The scale-out tests need PostgreSQL, Redis and an S3 endpoint: only with RUN_SCALEOUT=1."""
    if os.environ.get("RUN_SCALEOUT") == "1":
        return
    scaleout = [item for item in items if item.get_closest_marker("scaleout")]
    if scaleout:
        config.hook.pytest_deselected(items=scaleout)
        items[:] = [item for item in items if not item.get_closest_marker("scaleout")]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as its database starts empty: rolled-back rows must
    not live on in cached lists (restricted paths, page-cache generations, fragments)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def reference_index_off(request):
    """Wagtail's reference index is not kept up as tests build pages: updating it on every save
    was a tenth of the time of the tests that build sites with factories. Its readers are the
    admin (使用情况, delete warnings) and the page cache's invalidation, which finds the pages
    that show an edited image, speaker or venue through it: tests of those say
    ``@pytest.mark.reference_index`` (all of tests/core/test_page_cache.py). The demo site and
    the live servers keep their index as production does."""
    if request.node.get_closest_marker("reference_index"):
        yield
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        yield


@pytest.fixture
def home_page(db):
    """A fresh site: the home page under the root, serving as the default site's root."""
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()  # Wagtail's "Welcome" page (its Site goes with it)
    home = HomePageFactory(parent=root)
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="郑州终身学习网",
    )
    return home


def publish(page):
    """Save a revision and publish it, as an editor pressing 发布 would."""
    page.save_revision().publish()
    return page


@dataclass
class PageQueries:
    """The SQL one view of a page ran; ``len()`` is the query count."""

    response: HttpResponse
    sql: list[str]

    def __len__(self) -> int:
        return len(self.sql)


def queries_for(client, url: str) -> PageQueries:
    """The queries of a second view of ``url``, which must answer 200.

    The first view warms what a running server has warm (content types, site root paths,
    renditions generated on first sight), so budgets count what every later visitor costs.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return PageQueries(response, [query["sql"] for query in captured.captured_queries])
