"""Failure behaviour, for real: a private redis-server killed mid-run, the SQLite database file
taken away and put back while the demo site is being served by runserver."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.browser_fixtures import copy_demo_site, site_env, start_server, stop_server

PAGES = ["/", "/courses/", "/calendar/", "/schools/", "/search/?q=太极", "/feeds/lectures/rss/"]

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str, dict]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


@pytest.fixture
def redis_server(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def site_copy(demo_site_files, tmp_path):
    return copy_demo_site(demo_site_files, tmp_path / "site")


def test_pages_render_from_the_database_when_redis_dies(site_copy, redis_server):
    redis_process, redis_url = redis_server
    server, url = start_server(site_copy, site_env(site_copy, TEST_REDIS_URL=redis_url))
    try:
        # Warm the page cache in Redis: the second request is a hit.
        for path in PAGES:
            assert fetch(url + _quote(path))[0] == 200
        status, _body, headers = fetch(url + "/courses/")
        assert status == 200 and headers.get("X-Page-Cache") == "hit"

        redis_process.kill()
        redis_process.wait(timeout=10)

        for path in PAGES:
            status, body, headers = fetch(url + _quote(path))
            assert status == 200, (path, body[:500])
            assert headers.get("X-Page-Cache") != "hit"
            assert "Traceback" not in body and "Redis" not in body
        # A sign-up form still answers (its rate limit fails open).
        log = (site_copy / "server.log").read_text()
        assert "Cache unavailable" in log
    finally:
        stop_server(server)


def test_a_missing_database_answers_a_chinese_503_and_the_site_recovers(site_copy):
    server, url = start_server(site_copy, site_env(site_copy))
    database = site_copy / "db.sqlite3"
    aside = site_copy / "db.sqlite3.aside"
    try:
        assert fetch(url + "/courses/")[0] == 200
        # The database disappears: SQLite cannot open a directory in its place.
        database.rename(aside)
        database.mkdir()
        for path in ("/courses/", "/", "/calendar/"):
            status, body, headers = fetch(url + _quote(path))
            assert status == 503, (path, status, body[:300])
            assert "网站正在维护或暂时繁忙" in body
            assert "Traceback" not in body and "OperationalError" not in body
            assert headers.get("Retry-After") == "30"
        # And comes back: the next request reconnects, no restart.
        database.rmdir()
        aside.rename(database)
        for path in ("/courses/", "/"):
            assert fetch(url + _quote(path))[0] == 200
    finally:
        if aside.exists():
            if database.is_dir():
                database.rmdir()
            aside.rename(database)
        stop_server(server)


def test_sign_up_rate_limit_fails_open_when_redis_is_unreachable(settings, rf, caplog):
    from django.core.cache import cache

    from signups.ratelimit import over_limit

    nobody = _free_port()  # nothing listens here
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilience.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{nobody}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SIGNUP_RATE_LIMIT = 1
    request = rf.post("/signup/1/", REMOTE_ADDR="203.0.113.5")
    started = time.monotonic()
    assert [over_limit(request) for _ in range(5)] == [False] * 5
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("anything", 1)
    assert time.monotonic() - started < 5
    assert "Cache unavailable" in caplog.text
