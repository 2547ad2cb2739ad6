"""Backups: a consistent copy of the database and the uploaded files, with a manifest.

A backup is a directory:

    manifest.json      format, time, engine, Django/Wagtail versions, row counts, and the size and
                       SHA-256 of every file below
    database.sqlite3   SQLite: a snapshot taken with SQLite's online backup API (consistent while
                       the site keeps serving)
    database.pgdump    PostgreSQL: ``pg_dump --format=custom`` (one transaction snapshot)
    media/             the public uploads (images, renditions, audio and video)
    private-media/     the documents (PRIVATE_MEDIA_ROOT, never served by the web server)

``restore`` checks every checksum first, then rebuilds the database (SQLite's backup API into the
configured file; ``pg_restore --clean --if-exists --no-owner`` into the configured database) and
copies the files into MEDIA_ROOT. Media in an S3 bucket are not copied: back the bucket up with
the object store's own versioning or replication.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = "zzsite-backup/1"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias="default") -> str:
    engine = settings.DATABASES[alias]["ENGINE"]
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库类型：{engine}")


def _pg_env(alias="default") -> tuple[list[str], dict]:
    db = settings.DATABASES[alias]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def counts() -> dict[str, int]:
    # By label, not import: core is the lowest app and imports none of ours.
    from django.apps import apps

    labels = {
        "pages": "wagtailcore.Page",
        "revisions": "wagtailcore.Revision",
        "images": settings.WAGTAILIMAGES_IMAGE_MODEL
        if hasattr(settings, "WAGTAILIMAGES_IMAGE_MODEL")
        else "wagtailimages.Image",
        "documents": "wagtaildocs.Document",
        "media": "wagtailmedia.Media",
        "signups": "signups.Signup",
        "users": settings.AUTH_USER_MODEL,
    }
    found = {}
    for name, label in labels.items():
        try:
            found[name] = apps.get_model(label).objects.count()
        except LookupError:
            continue
    return found


def _media_root() -> Path | None:
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend.endswith("FileSystemStorage"):
        return Path(settings.MEDIA_ROOT)
    return None


def _private_media_root() -> Path | None:
    """Documents (core/storage.py): outside MEDIA_ROOT, backed up beside it as private-media/."""
    return Path(settings.PRIVATE_MEDIA_ROOT) if _media_root() is not None else None


def create_backup(destination: Path, alias: str = "default") -> dict:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"目标目录不是空的：{destination}")
    destination.mkdir(parents=True, exist_ok=True)
    engine = _engine(alias)
    row_counts = counts()
    if engine == "sqlite":
        database_file = destination / "database.sqlite3"
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(database_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        database_file = destination / "database.pgdump"
        args, env = _pg_env(alias)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(database_file), *args],
            env=env,
            check=True,
            capture_output=True,
        )
    media_root = _media_root()
    if media_root and media_root.exists():
        shutil.copytree(media_root, destination / "media", symlinks=False)
    else:
        (destination / "media").mkdir()
    private_root = _private_media_root()
    if private_root and private_root.exists():
        shutil.copytree(private_root, destination / "private-media", symlinks=False)
    files = {}
    for path in sorted(destination.rglob("*")):
        if path.is_file():
            relative = path.relative_to(destination).as_posix()
            files[relative] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "engine": engine,
        "database_file": database_file.name,
        "media_included": media_root is not None,
        "counts": row_counts,
        "files": files,
    }
    (destination / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def verify_backup(source: Path) -> dict:
    source = Path(source)
    manifest_file = source / "manifest.json"
    if not manifest_file.exists():
        raise BackupError(f"找不到 manifest.json：{source}")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    for relative, expected in manifest["files"].items():
        path = source / relative
        if not path.is_file():
            raise BackupError(f"备份缺少文件：{relative}")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"文件校验失败（已损坏或被修改）：{relative}")
    return manifest


def restore_backup(source: Path, alias: str = "default") -> dict:
    source = Path(source)
    manifest = verify_backup(source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"备份来自 {manifest['engine']} 数据库，不能还原到 {engine}；请使用同类数据库。"
        )
    database_file = source / manifest["database_file"]
    connections[alias].close()
    if engine == "sqlite":
        backup = sqlite3.connect(database_file)
        target = sqlite3.connect(settings.DATABASES[alias]["NAME"])
        try:
            backup.backup(target)
        finally:
            backup.close()
            target.close()
    else:
        args, env = _pg_env(alias)
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args,
             str(database_file)],
            env=env,
            check=True,
            capture_output=True,
        )  # fmt: skip
    media_root = _media_root()
    if media_root is not None and (source / "media").exists():
        shutil.copytree(source / "media", media_root, dirs_exist_ok=True)
    private_root = _private_media_root()
    if private_root is not None and (source / "private-media").exists():
        shutil.copytree(source / "private-media", private_root, dirs_exist_ok=True)
    restored = counts()
    if restored != manifest["counts"]:
        raise BackupError(f"还原后的记录数与备份不符：{restored} != {manifest['counts']}")
    return manifest
