"""Security headers, security.txt and admin login abuse."""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from core.security import ELDER_MODE_SCRIPT_HASH, script_hash

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-9"

pytestmark = pytest.mark.django_db


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_inline_head_script_matches_its_hash_in_the_policy():
    """Editing base.html's inline script without updating ELDER_MODE_SCRIPT_HASH fails here."""
    template = (PROJECT_ROOT / "zzsite" / "templates" / "base.html").read_text()
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>(.*?)</script>", template, re.S
    )
    assert len(inline) == 1, "base.html should have exactly one inline script"
    assert script_hash(inline[0]) == ELDER_MODE_SCRIPT_HASH


def test_public_pages_carry_a_strict_policy_and_the_other_headers(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", f"'{ELDER_MODE_SCRIPT_HASH}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["img-src"][0] == "'self'"
    assert policy["media-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions and "microphone=()" in permissions
    # Error pages too.
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "frame-ancestors 'none'" in missing["Content-Security-Policy"]


def test_images_may_come_from_the_s3_domain_when_uploads_live_there(settings):
    from core.security import public_policy

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "zz",
                "endpoint_url": "https://oss.example.cn:9000/",
                "custom_domain": "media.zzlearning.example",
            },
        },
    }
    policy = csp_directives(public_policy())
    assert "https://media.zzlearning.example" in policy["img-src"]
    assert "https://oss.example.cn:9000" in policy["img-src"]
    assert "https://media.zzlearning.example" in policy["media-src"]


def test_the_admin_still_works_under_its_own_policy(client, home_page):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = csp_directives(response["Content-Security-Policy"])
    # Wagtail's admin frames its own previews and uses inline styles.
    assert policy["frame-ancestors"] == ["'self'"]
    edit = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert edit.status_code == 200


def test_documents_are_served_as_attachments_with_nosniff_and_a_sandbox(client, home_page):
    document = get_document_model().objects.create(
        title="报名须知", file=ContentFile(b"Hello, plain text.\n", name="notice.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    document.file.delete(save=False)


def test_security_txt_follows_rfc_9116(client):
    with time_machine.travel(datetime.datetime(2031, 5, 1, tzinfo=datetime.UTC), tick=False):
        response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)
    assert fields["Contact"].startswith(("mailto:", "https://"))
    assert fields["Preferred-Languages"] == "zh, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    now = datetime.datetime(2031, 5, 1, tzinfo=datetime.UTC)
    assert now < expires <= now + datetime.timedelta(days=365)


# --- admin login abuse -----------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.com", PASSWORD, is_staff=True, is_superuser=True
    )


def _login(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failed_logins_are_slowed_then_refused_for_a_while_and_logged(
    client, editor, home_page, caplog, settings
):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "SLOW_AFTER": 3, "LOCK_AFTER": 6}
    start = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)
    caplog.set_level(logging.WARNING, logger="core.login_throttle")
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            response = _login(client, "editor", "wrong")
            assert response.status_code == 200  # the ordinary "wrong password" form
        # Slowed: the next attempt must wait a couple of seconds, and says so in Chinese.
        refused = _login(client, "editor", PASSWORD)
        assert refused.status_code == 429
        assert "登录失败次数过多" in refused.content.decode()
        assert int(refused["Retry-After"]) >= 1
        assert not refused.wsgi_request.user.is_authenticated
        # Waiting lets the next attempt through; more failures double the wait, then lock.
        for _ in range(3):
            clock.shift(61)
            assert _login(client, "editor", "wrong").status_code == 200
        clock.shift(61)
        locked = _login(client, "editor", PASSWORD)
        assert locked.status_code == 429
        assert "分钟" in locked.content.decode()
        assert int(locked["Retry-After"]) > 60
        # Also from another address: the account itself is locked.
        assert _login(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429
        # Never forever: after the lock period the real password works and resets the count.
        clock.shift(settings.LOGIN_THROTTLE["LOCK_SECONDS"] + 1)
        ok = _login(client, "editor", PASSWORD)
        assert ok.status_code == 302
        client.logout()
        assert _login(client, "editor", "wrong").status_code == 200
        assert _login(client, "editor", PASSWORD).status_code == 302
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "locked" in messages and "slowed" in messages and "refused" in messages
    assert PASSWORD not in messages


def test_one_address_trying_many_accounts_is_refused(client, editor, home_page, settings):
    settings.LOGIN_THROTTLE = {
        **settings.LOGIN_THROTTLE,
        "SLOW_AFTER": 100,
        "ADDRESS_LOCK_AFTER": 5,
    }
    for number in range(5):
        assert _login(client, f"guess{number}", "wrong").status_code == 200
    assert _login(client, "editor", PASSWORD).status_code == 429
    # Another address is not affected.
    assert _login(client, "editor", PASSWORD, address="198.51.100.20").status_code == 302
