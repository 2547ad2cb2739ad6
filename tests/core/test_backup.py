"""Backup and restore round-trip the demo site: every page, revision, image, document and sign-up."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.browser_fixtures import MANAGE, copy_demo_site, site_env

SUMMARY = r"""
import hashlib, json
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtailmedia.models import Media
from signups.models import Signup

def digest(field):
    if not field:
        return None
    with field.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

out = {
    "pages": [
        [p.pk, p.title, p.url_path, p.live, p.specific.serializable_data()]
        for p in Page.objects.order_by("pk")
    ],
    "revisions": [[r.pk, r.object_id, r.content] for r in Revision.objects.order_by("pk")],
    "images": [
        [i.pk, i.title, i.file.name, digest(i.file), i.width, i.height]
        for i in get_image_model().objects.order_by("pk")
    ],
    "documents": [
        [d.pk, d.title, d.file.name, digest(d.file)] for d in get_document_model().objects.order_by("pk")
    ],
    "media": [[m.pk, m.title, m.file.name, digest(m.file)] for m in Media.objects.order_by("pk")],
    "signups": list(Signup.objects.order_by("pk").values()),
}
print(json.dumps(out, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False))
"""


def manage(env, *args):
    result = subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def summary(env):
    return json.loads(manage(env, "shell", "--no-imports", "-c", SUMMARY))


def test_backup_and_restore_round_trip_the_demo_site(demo_site_files, tmp_path):
    original = copy_demo_site(demo_site_files, tmp_path / "original")
    original_env = site_env(original)
    before = summary(original_env)
    assert before["pages"] and before["revisions"] and before["images"] and before["signups"]
    assert before["documents"]

    backup = tmp_path / "backup"
    printed = manage(original_env, "backup", str(backup))
    assert "备份完成" in printed
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["pages"] == len(before["pages"])
    assert manifest["counts"]["signups"] == len(before["signups"])
    assert "database.sqlite3" in manifest["files"]
    assert any(name.startswith("media/original_images/") for name in manifest["files"])
    assert any(name.startswith("private-media/documents/") for name in manifest["files"])
    assert not any(name.startswith("media/documents/") for name in manifest["files"])

    # A fresh database and an empty media folder.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_env = site_env(fresh)
    assert "还原完成" in manage(fresh_env, "restore", str(backup))
    after = summary(fresh_env)
    for kind in ("pages", "revisions", "images", "documents", "media", "signups"):
        assert after[kind] == before[kind], kind
    # The restored site works.
    check = manage(fresh_env, "shell", "--no-imports", "-c", (
        "from django.test import Client; "
        "print(Client().get('/', HTTP_HOST='localhost').status_code, "
        "Client().get('/courses/', HTTP_HOST='localhost').status_code)"
    ))  # fmt: skip
    assert check.split() == ["200", "200"]


def test_restore_refuses_a_damaged_backup(demo_site_files, tmp_path):
    original = copy_demo_site(demo_site_files, tmp_path / "original")
    env = site_env(original)
    backup = tmp_path / "backup"
    manage(env, "backup", str(backup))
    image = next((backup / "media" / "original_images").iterdir())
    image.write_bytes(image.read_bytes() + b"tampered")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    result = subprocess.run(
        [*MANAGE, "restore", str(backup)], env=site_env(fresh), capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode != 0
    assert "校验失败" in result.stderr
    assert not (fresh / "db.sqlite3").exists() or (fresh / "db.sqlite3").stat().st_size == 0
    assert sys.executable
