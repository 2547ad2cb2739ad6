"""Scale-out, proven: two gunicorn app servers sharing one PostgreSQL, one Redis and one
S3-compatible object store (moto's server on loopback).

An image uploaded through A is served by B; a page published through A is fresh on B's next
request (the page cache is shared and so is its invalidation); a session started on A is valid
on B; a sign-up on A counts against the capacity that B shows.

Needs the services of CI's machine: run with ``RUN_SCALEOUT=1`` (``.ci/run`` does). Without it
these tests are deselected in one line, as the browser tests are without Chromium.
"""

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import psycopg
import pytest
import redis
import requests
from lxml import html as lxml_html
from wagtail.images.tests.utils import get_test_image_file

from demo.loaders.home import DEMO_PASSWORD

pytestmark = pytest.mark.scaleout

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_DB_URL = "redis://127.0.0.1:6379/9"
BUCKET = "zzsite-media"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=30)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def start(command, env, log_path):
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("scaleout")
    database = f"zzsite_scaleout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    redis.Redis.from_url(REDIS_DB_URL).flushdb()
    s3_port, port_a, port_b = free_port(), free_port(), free_port()
    processes = []
    try:
        processes.append(
            start(
                [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                dict(os.environ),
                work / "s3.log",
            )
        )
        s3_endpoint = f"http://127.0.0.1:{s3_port}"
        wait_for(s3_endpoint)
        boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)

        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "S3_", "PAGE_CACHE"))
        }
        env.update(
            DATABASE_URL=f"{POSTGRES}/{database}",
            REDIS_URL=REDIS_DB_URL,
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=s3_endpoint,
            S3_ACCESS_KEY_ID="testing",
            S3_SECRET_ACCESS_KEY="testing",
            S3_REGION="us-east-1",
            MEDIA_ROOT=str(work / "media-never-used"),
            SECRET_KEY="scale-out-test-key-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1",
            # Production refuses a local public address (core.checks); links are not followed here.
            PUBLIC_BASE_URL="https://learning.zhengzhou.example",
            SECURE_SSL_REDIRECT="0",
            PAGE_CACHE_ENABLED="1",
        )
        manage = [str(BIN / "python"), "manage.py"]
        production = {**env, "DJANGO_SETTINGS_MODULE": "zzsite.settings.production"}
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=production, check=True
        )
        # Production serves hashed static files from the manifest, as after a deploy's build.
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=production, check=True
        )
        # The demo loader refuses production settings; the same services through dev settings.
        subprocess.run(
            [*manage, "load_demo"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "zzsite.settings.dev"},
            check=True,
            capture_output=True,
        )
        servers = {}
        for name, port in (("a", port_a), ("b", port_b)):
            processes.append(
                start(
                    [
                        str(BIN / "gunicorn"),
                        "zzsite.wsgi",
                        "--workers",
                        "2",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    production,
                    work / f"gunicorn-{name}.log",
                )
            )
            servers[name] = f"http://127.0.0.1:{port}"
            wait_for(servers[name] + "/admin/login/")
        yield {**servers, "database": f"{POSTGRES}/{database}", "s3": s3_endpoint}
    finally:
        for process in processes:
            stop(process)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_DB_URL).flushdb()


class Browser:
    """A visitor moving between app servers with one set of cookies.

    Production cookies are Secure and TLS ends at the proxy, so this sends what the proxy would:
    ``X-Forwarded-Proto: https``, and the cookies by hand (requests keeps Secure cookies off
    plain http).
    """

    def __init__(self):
        self.cookies = {}

    def request(self, method, url, **kwargs):
        origin = re.match(r"http://[^/]+", url).group(0).replace("http://", "https://")
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + "/",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post_form(self, url, form_url, data, files=None):
        """POST ``data`` with the CSRF token of the form found at ``form_url``."""
        page = self.get(form_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request("POST", url, data={**data, "csrfmiddlewaretoken": token}, files=files)

    def log_in(self, server):
        response = self.post_form(
            f"{server}/admin/login/",
            f"{server}/admin/login/",
            {"username": "admin", "password": DEMO_PASSWORD, "next": "/admin/"},
        )
        assert response.status_code == 302, response.text[:500]


def query(cluster, sql, *params):
    with psycopg.connect(cluster["database"]) as connection:
        return connection.execute(sql, params).fetchall()


def test_a_session_started_on_a_is_valid_on_b(cluster):
    editor = Browser()
    editor.log_in(cluster["a"])

    dashboard = editor.get(f"{cluster['b']}/admin/")

    assert dashboard.status_code == 200
    assert "admin" in dashboard.text


def test_an_image_uploaded_through_a_is_served_by_b(cluster):
    editor = Browser()
    editor.log_in(cluster["a"])
    upload = get_test_image_file(filename="erqi-tower.png", colour="red", size=(640, 480))

    response = editor.post_form(
        f"{cluster['a']}/admin/images/add/",
        f"{cluster['a']}/admin/images/add/",
        {"title": "二七塔夜景", "collection": "1"},
        files={"file": ("erqi-tower.png", upload.file.getvalue(), "image/png")},
    )
    assert response.status_code == 302, response.text[:800]
    (image_id,) = query(
        cluster, "SELECT id FROM wagtailimages_image WHERE title = %s", "二七塔夜景"
    )[0]

    # B makes a preview rendition from the original in the shared bucket and links it.
    edit_page = editor.get(f"{cluster['b']}/admin/images/{image_id}/")
    assert edit_page.status_code == 200
    tree = lxml_html.fromstring(edit_page.text)
    sources = [src for src in tree.xpath("//img/@src") if "erqi-tower" in src]
    assert sources, "B shows no rendition of the image"
    picture = requests.get(sources[0], timeout=30)
    assert picture.status_code == 200
    assert picture.headers["Content-Type"].startswith("image/")
    assert sources[0].startswith(cluster["s3"])


def test_a_page_unpublished_and_published_through_a_is_fresh_on_b(cluster):
    (page_id,) = query(
        cluster, "SELECT id FROM wagtailcore_page WHERE url_path LIKE %s", "%/about/"
    )[0]
    about = f"{cluster['b']}/about/"
    requests.get(about, timeout=30)
    assert requests.get(about, timeout=30).headers["X-Page-Cache"] == "hit"
    editor = Browser()
    editor.log_in(cluster["a"])

    unpublish = f"{cluster['a']}/admin/pages/{page_id}/unpublish/"
    assert editor.post_form(unpublish, unpublish, {}).status_code == 302
    assert requests.get(about, timeout=30).status_code == 404

    publish = f"{cluster['a']}/admin/bulk/wagtailcore/page/publish/?id={page_id}"
    assert editor.post_form(publish, publish, {}).status_code == 302
    fresh = requests.get(about, timeout=30)
    assert fresh.status_code == 200
    assert fresh.headers["X-Page-Cache"] == "miss"


def free_seats(page_text):
    match = re.search(r"还剩 <strong>(\d+)</strong> 个", page_text)
    return int(match.group(1)) if match else 0


def test_a_sign_up_on_a_counts_against_capacity_on_b(cluster):
    rows = query(
        cluster,
        "SELECT o.id FROM home_occurrence o WHERE o.signup_mode = 'first_come' "
        "AND o.start > now() AND NOT o.cancelled ORDER BY o.capacity DESC",
    )
    occurrence_id = rows[0][0]
    resident = Browser()
    before = free_seats(resident.get(f"{cluster['b']}/signup/{occurrence_id}/").text)
    assert before > 0

    signed = resident.post_form(
        f"{cluster['a']}/signup/{occurrence_id}/",
        f"{cluster['a']}/signup/{occurrence_id}/",
        {"name": "李秀英", "phone": "13800099001", "age_group": "elder", "consent": "on"},
    )
    assert signed.status_code == 303, signed.text[:800]  # on to the private status page

    after = free_seats(resident.get(f"{cluster['b']}/signup/{occurrence_id}/").text)
    assert after == before - 1
