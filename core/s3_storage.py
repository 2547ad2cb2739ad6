"""The S3 storage for uploads when ``S3_BUCKET`` is set: documents under their private prefix
(core/storage.py says why). Its own module, named only by the ``STORAGES`` setting, so a site
on local media never imports boto3 and botocore (about 30 MB of every worker's memory)."""

from __future__ import annotations

from storages.backends.s3 import S3Storage
from storages.utils import safe_join as s3_safe_join

from core.storage import is_private_name


class PrivateDocumentsS3Storage(S3Storage):
    """The bucket's public ``location`` for public uploads, ``private_location`` for documents."""

    def __init__(self, *, private_location="private", **options):
        self.private_location = private_location.strip("/")
        super().__init__(**options)

    def _normalize_name(self, name):
        if is_private_name(name):
            return s3_safe_join(self.private_location, name)
        return super()._normalize_name(name)

    def url(self, name, *args, **kwargs):
        if is_private_name(name):
            raise NotImplementedError("documents are served by Wagtail's serve view only")
        return super().url(name, *args, **kwargs)
