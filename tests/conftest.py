import os
import shutil
import sqlite3
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.factories.home import HomePageFactory

pytest_plugins = ["tests.browser_fixtures"]


def pytest_collection_modifyitems(config, items):
    """The scale-out tests need PostgreSQL, Redis and an S3 endpoint: only with RUN_SCALEOUT=1."""
    if os.environ.get("RUN_SCALEOUT") == "1":
        return
    scaleout = [item for item in items if item.get_closest_marker("scaleout")]
    if scaleout:
        config.hook.pytest_deselected(items=scaleout)
        items[:] = [item for item in items if not item.get_closest_marker("scaleout")]


# The default engine; with DATABASE_URL=postgres://… CI runs the engine-dependent tests there.
ON_SQLITE = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")


if ON_SQLITE:

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker, migrated_database):
        """Each worker's in-memory test database, copied from one database migrated per run.

        What Django's test runner does (name the in-memory database, migrate it), except that the
        migrating is done once, by ``manage.py migrate`` (tests.browser_fixtures), and copied with
        SQLite's backup API: a fraction of a second instead of every worker running ~300
        migrations. PostgreSQL keeps pytest-django's own setup (``migrate`` on test_zzsite).
        """
        from django.conf import settings
        from django.db import connections

        with django_db_blocker.unblock():
            database = connections["default"]
            original_name = database.settings_dict["NAME"]
            test_name = database.creation._get_test_db_name()
            database.close()
            database.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = test_name
            database.ensure_connection()
            source = sqlite3.connect(migrated_database)
            try:
                source.backup(database.connection)
            finally:
                source.close()
        yield
        with django_db_blocker.unblock():
            database.close()  # the last connection to an in-memory database drops it
            database.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = original_name


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as its database starts empty: rolled-back rows must
    not live on in cached lists (restricted paths, page-cache generations, fragments)."""
    cache.clear()
    yield
    cache.clear()


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


# --- The demo site, built once per session -------------------------------------------------------


@pytest.fixture(scope="session")
def demo_media(demo_site_files):
    """The demo's uploads, copied once into this process's media folders (the rows name them)."""
    from django.conf import settings

    for folder, target in (
        ("media", settings.MEDIA_ROOT),
        ("private-media", settings.PRIVATE_MEDIA_ROOT),
    ):
        if (demo_site_files / folder).exists():
            shutil.copytree(demo_site_files / folder, target, dirs_exist_ok=True)
    return demo_site_files


@pytest.fixture
def demo(request, db):
    """The demo site as `load_demo` builds it, inside this test's transaction (rolled back after).

    On SQLite the rows are copied from the demo database the browser tests use, built once per
    session by `migrate` and `load_demo` from this code (tests.browser_fixtures.demo_site_files):
    a fraction of a second instead of a whole demo load per test. Other engines load the demo in
    the test, as before.
    """
    if connection.vendor != "sqlite":
        from django.core.management import call_command

        call_command("load_demo", stdout=StringIO())
        return
    site_files = request.getfixturevalue("demo_media")
    copy_sqlite_rows(connection, site_files / "db.sqlite3")


def copy_sqlite_rows(database, source) -> None:
    """Replace every row of the test database with ``source``'s, inside the open transaction.

    Both databases were migrated by the same code, so their tables and columns are the same; a
    table missing on either side fails loudly rather than leaving a half-copied site. Full-text
    tables are left to the triggers that fill them from wagtailsearch_indexentry.
    """
    from django.contrib.contenttypes.models import ContentType

    with database.cursor() as cursor:
        # Attached once per connection and left attached: inside the test's transaction the source
        # stays read-locked until the rollback, so it could not be detached here.
        cursor.execute("PRAGMA database_list")
        if "demo_source" not in {row[1] for row in cursor.fetchall()}:
            cursor.execute("ATTACH DATABASE %s AS demo_source", [f"file:{source}?mode=ro"])
        tables = _sqlite_tables(cursor, "main")
        source_tables = _sqlite_tables(cursor, "demo_source")
        if set(tables) != set(source_tables):
            raise RuntimeError(
                "demo database differs from the test database: "
                f"{sorted(set(tables) ^ set(source_tables))}"
            )
        # sqlite_sequence last: the inserts above it move its counters on their own.
        for table in sorted(tables, key=lambda name: name == "sqlite_sequence"):
            names = ", ".join(f'"{column}"' for column in tables[table])
            cursor.execute(f'DELETE FROM main."{table}"')
            cursor.execute(
                f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM demo_source."{table}"'
            )
    ContentType.objects.clear_cache()


def _sqlite_tables(cursor, schema) -> dict[str, list[str]]:
    cursor.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'")
    rows = cursor.fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    tables = {}
    for name, _sql in rows:
        if name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue  # a full-text index and its shadow tables
        cursor.execute(f'PRAGMA {schema}.table_info("{name}")')
        tables[name] = [row[1] for row in cursor.fetchall()]
    return tables
