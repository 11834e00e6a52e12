"""The S3-compatible object store as Django's default storage (``PLAINT_FILE_STORE=s3``), so that
every web host and worker sees the same attachments and kept files (docs/operations.md, "Files").

Loaded only when configured (the STORAGES setting names it): one machine never imports boto3.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from plaint.core.filestore import Download

# Reads that need the whole file (an import's XLSX, a raw mail) are buffered in memory up to this
# size and on disk beyond it; django-storages' default (0) would keep any size in memory.
SPOOL_MEMORY_BYTES = 2 * 1024 * 1024


def _missing(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class ObjectStore(S3Storage):
    """django-storages' S3 backend with Plaint's rules: a name in use is never overwritten (the
    local folder's rule), a missing file is ``FileNotFoundError`` wherever the local folder says
    so, and downloads stream from the store instead of being read whole first."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("file_overwrite", False)
        settings.setdefault("max_memory_size", SPOOL_MEMORY_BYTES)
        super().__init__(**settings)

    def get_modified_time(self, name: str) -> Any:
        try:
            return super().get_modified_time(name)
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(f"File does not exist: {name}") from exc
            raise

    def open_stream(self, name: str) -> Download:
        """The object's bytes as they arrive from the store, with its size."""
        key = self._normalize_name(clean_name(name))
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(f"File does not exist: {name}") from exc
            raise
        return Download(answer["Body"], int(answer["ContentLength"]))
