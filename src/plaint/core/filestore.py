"""Reading stored files for a download: from the local folder as Django opens them, from the
object store (core/objectstore.py) as a stream, so a large file is never read whole first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class Download:
    """An open stored file to send: ``file`` is read in blocks and closed by whoever sends it;
    ``size`` is known for a stream (the local folder's file tells its own)."""

    file: IO[bytes]
    size: int | None = None


def open_download(stored: FieldFile) -> Download:
    """Open a stored file for sending; ``FileNotFoundError`` when it is gone."""
    opener = getattr(stored.storage, "open_stream", None)
    if callable(opener):
        download: Download = opener(stored.name)
        return download
    return Download(stored.open("rb"))
