"""Where uploaded files live: images and audio/video in public media, documents never there.

A document may sit in a collection with a view restriction (or get one later); Wagtail's serve
view (``/documents/<id>/<name>``) checks that before sending a byte. A copy under the public
media location (``MEDIA_ROOT`` served by the web server at ``/media/``, or a public bucket)
would bypass it. So every Wagtail document (its file name starts with ``documents/``, the
``upload_to`` of ``AbstractDocument.file``) is stored in a private place no web server serves:

- on disk, ``PRIVATE_MEDIA_ROOT``, a folder outside ``MEDIA_ROOT``;
- in S3, the prefix ``S3_PRIVATE_LOCATION`` (default ``private``) beside the public
  ``S3_LOCATION`` (default ``media``), which a public-read bucket policy must not cover.

Both storages stay Django's default storage (the field's storage is unchanged, so no Wagtail
migration), and give documents no URL: they are always streamed by the serve view
(``WAGTAILDOCS_SERVE_METHOD = "serve_view"``). Restrictions added or lifted later need no file
move, because no document is ever public by location.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

logger = logging.getLogger(__name__)

PRIVATE_PREFIX = "documents/"


def is_private_name(name: str) -> bool:
    return str(name).replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIX)


class PrivateDocumentsFileSystemStorage(FileSystemStorage):
    """``MEDIA_ROOT`` for public uploads, ``PRIVATE_MEDIA_ROOT`` for documents."""

    def _private(self) -> FileSystemStorage:
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def _save(self, name, content):
        if is_private_name(name):
            return self._private()._save(name, content)
        return super()._save(name, content)

    def path(self, name):
        if is_private_name(name):
            return safe_join(settings.PRIVATE_MEDIA_ROOT, name)
        return super().path(name)

    def url(self, name):
        if is_private_name(name):
            raise NotImplementedError("documents are served by Wagtail's serve view only")
        return super().url(name)


def move_documents_out_of_public_media(names) -> int:
    """Move these document files, stored by an earlier release under the public location, to
    the private one (a data migration calls this); idempotent. Returns how many were moved."""
    from django.core.files.storage import storages

    moved = 0
    storage = storages["default"]
    for name in names:
        if not is_private_name(name):
            continue
        if isinstance(storage, PrivateDocumentsFileSystemStorage):
            public = Path(safe_join(settings.MEDIA_ROOT, name))
            private = Path(storage.path(name))
            if public.is_file() and not private.exists():
                private.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(public, private)
                moved += 1
        elif hasattr(storage, "private_location"):
            from botocore.exceptions import ClientError
            from storages.utils import safe_join as s3_safe_join

            public_key = s3_safe_join(storage.location, name)
            private_key = storage._normalize_name(name)
            bucket = storage.bucket
            try:
                bucket.Object(public_key).load()
            except ClientError:  # not there (already moved, or never uploaded)
                continue
            bucket.Object(private_key).copy_from(
                CopySource={"Bucket": bucket.name, "Key": public_key}
            )
            bucket.Object(public_key).delete()
            moved += 1
    if moved:
        logger.warning("Moved %d document files out of the public media location", moved)
    return moved
