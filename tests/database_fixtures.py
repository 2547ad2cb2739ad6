"""The test databases: built once per run and copied, on SQLite and on PostgreSQL.

Migrating takes ~300 migrations and loading the demo about 20 s of CPU, so neither is done per
worker or per test. Once per run for all xdist workers, ``tests.browser_fixtures.shared_build``
builds a migrated database and ``start_shared_build`` the demo site (in the background from the
moment the migrated database exists, while the workers run tests that do not need it); every
worker's test database is a copy of the first (SQLite's backup API; PostgreSQL's ``CREATE
DATABASE … TEMPLATE``) and the ``demo`` fixture copies the rows of the second into the test's
transaction (``INSERT … SELECT`` from an attached file on SQLite, ``COPY`` on PostgreSQL), which
the test's rollback undoes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.parse

import pytest
from django.db import connection

from tests.browser_fixtures import (
    MANAGE,
    exclusive,
    manage_in,
    session_uses,
    shared_build,
    shared_folder,
    site_env,
    start_shared_build,
    wait_for_shared_build,
)

# The default engine; with DATABASE_URL=postgres://… CI runs the engine-dependent tests there.
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite")
ON_SQLITE = DATABASE_URL.startswith("sqlite")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Each file runs whole on one xdist worker (``--dist=loadgroup``, one group per file: its
    browser and servers start once), except tests in real transactions: they flush the database
    when they end, so, as in Django's own runner, they must come after every other test.
    pytest-django orders them last; left ungrouped, each is sent to a worker only after all the
    groups before it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            continue
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


# --- SQLite --------------------------------------------------------------------------------------


def _copy_sqlite_into_test_database(migrated_database) -> None:
    from django.conf import settings
    from django.db import connections

    database = connections["default"]
    test_name = database.creation._get_test_db_name()
    database.close()
    database.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = test_name
    database.ensure_connection()
    source = sqlite3.connect(migrated_database)
    try:
        source.backup(database.connection)
    finally:
        source.close()


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_url(name: str) -> str:
    """DATABASE_URL with another database name (same server and user)."""
    return urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()


def postgres_name(suffix: str) -> str:
    return f"{urllib.parse.urlsplit(DATABASE_URL).path.lstrip('/') or 'zzsite'}_{suffix}"


def _postgres_server(*statements: str) -> None:
    """Run statements on the server's maintenance database (outside any transaction)."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as server:
        for statement in statements:
            server.execute(statement)


def _postgres_from_template(name: str, template: str, tmp_path_factory) -> None:
    # One copy of a template at a time: PostgreSQL refuses while another session uses it.
    with exclusive(tmp_path_factory, "postgres-template"):
        _postgres_server(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        )


@pytest.fixture(scope="session")
def postgres_migrated(request, tmp_path_factory) -> str:
    """A PostgreSQL database migrated once per run: the template of each worker's test database.
    If the run has demo tests, the demo database starts loading from it in the background."""
    name = postgres_name("migrated")

    def build(root):
        _postgres_server(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        manage_in(root, "migrate", "--noinput", "--run-syncdb", DATABASE_URL=postgres_url(name))

    shared_build(tmp_path_factory, "postgres-migrated", build)
    if session_uses(request, "demo", "postgres_demo"):
        _start_postgres_demo(tmp_path_factory, name)
    return name


def _start_postgres_demo(tmp_path_factory, template: str) -> None:
    name = postgres_name("demo")
    start_shared_build(
        tmp_path_factory,
        "postgres-demo",
        lambda root: _postgres_from_template(name, template, tmp_path_factory),
        [*MANAGE, "load_demo"],
        site_env(
            shared_folder(tmp_path_factory) / "postgres-demo", DATABASE_URL=postgres_url(name)
        ),
    )


@pytest.fixture(scope="session")
def postgres_demo(tmp_path_factory, postgres_migrated):
    """The demo site loaded once per run into its own PostgreSQL database; its media in a folder."""
    _start_postgres_demo(tmp_path_factory, postgres_migrated)  # nothing if already under way
    return postgres_name("demo"), wait_for_shared_build(tmp_path_factory, "postgres-demo")


def copy_postgres_rows(database, source_name: str) -> None:
    """Replace every row of the test database with those of ``source_name``, inside the open
    transaction (TRUNCATE is transactional on PostgreSQL; foreign keys are checked at commit,
    which never comes: the test rolls back)."""
    import psycopg
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style

    columns_sql = """
        SELECT c.table_name, string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position)
        FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
        GROUP BY c.table_name
    """
    with psycopg.connect(postgres_url(source_name)) as source, database.cursor() as cursor:
        cursor.execute(columns_sql)
        tables = dict(cursor.fetchall())
        source_tables = dict(source.execute(columns_sql).fetchall())
        if tables != source_tables:
            raise RuntimeError(
                "demo database differs from the test database: "
                f"{sorted(set(tables.items()) ^ set(source_tables.items()))[:5]}"
            )
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))
        for table, columns in tables.items():
            with (
                source.cursor().copy(
                    f'COPY "{table}" ({columns}) TO STDOUT (FORMAT BINARY)'
                ) as rows,
                cursor.cursor.copy(
                    f'COPY "{table}" ({columns}) FROM STDIN (FORMAT BINARY)'
                ) as target,
            ):
                for block in rows:
                    target.write(block)
        for statement in database.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        ):
            cursor.execute(statement)
    ContentType.objects.clear_cache()


# --- Both ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Each worker's test database, a copy of the database migrated once for this run."""
    from django.conf import settings
    from django.db import connections

    database = connections["default"]
    original_name = database.settings_dict["NAME"]
    with django_db_blocker.unblock():
        if ON_SQLITE:
            _copy_sqlite_into_test_database(request.getfixturevalue("migrated_database"))
        else:
            test_name = database.creation._get_test_db_name()
            template = request.getfixturevalue("postgres_migrated")
            database.close()
            _postgres_from_template(
                test_name, template, request.getfixturevalue("tmp_path_factory")
            )
            database.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = test_name
        # As Django's create_test_db(serialize=True): what the migrations wrote (root page, default
        # site, groups), restored after each test marked serialized_rollback (it flushes).
        database._test_serialized_contents = database.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        database.close()  # the last connection to an in-memory SQLite database drops it
        if not ON_SQLITE:
            _postgres_server(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
        database.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = original_name


def _copy_media(folder) -> None:
    from django.conf import settings

    for name, target in (
        ("media", settings.MEDIA_ROOT),
        ("private-media", settings.PRIVATE_MEDIA_ROOT),
    ):
        if (folder / name).exists():
            shutil.copytree(folder / name, target, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def demo_media(demo_site_files):
    """The demo's uploads, copied once into this process's media folders (the rows name them)."""
    _copy_media(demo_site_files)
    return demo_site_files


@pytest.fixture
def demo(request, db):
    """The demo site as `load_demo` builds it, inside this test's transaction (rolled back after):
    the rows of the demo database built once per run, copied in (see the module docstring)."""
    if connection.vendor == "sqlite":
        site_files = request.getfixturevalue("demo_media")
        copy_sqlite_rows(connection, site_files / "db.sqlite3")
    else:
        name, folder = request.getfixturevalue("postgres_demo")
        _copy_media(folder)
        copy_postgres_rows(connection, name)


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
