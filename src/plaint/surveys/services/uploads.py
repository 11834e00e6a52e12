"""A responses file kept on the server between the import's two steps (read it, then map its
columns), so the file travels once: the mapping step and the import name it by an unguessable id
instead of posting the whole text again.

The text is stored decoded (UTF-8) through Django's default storage under ``imports/``, so the
place is the attachments' place (the data folder, or a shared store when one is configured).
A stored file is removed by its import, and any left behind (a person who never finished) after
``KEEP_HOURS``, checked whenever a new one is stored.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.storedfiles import remove_older_than, stored_path
from plaint.surveys.services.base import require_manager
from plaint.surveys.services.imports import decode_upload, iter_csv

FOLDER = "imports"
KEEP_HOURS = 24
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class StoredUpload:
    id: str
    encoding: str
    sure: bool  # False: the encoding was guessed, the person should look at the preview
    header: list[str]
    preview: list[list[str]]  # the first PREVIEW_ROWS rows as read, cells in header order
    row_count: int
    size: int  # bytes of the file as uploaded


def read_preview(text: str) -> tuple[list[str], list[list[str]], int]:
    """A file's header, its first PREVIEW_ROWS rows as read (cells in header order) and how many
    rows it has: parsed through, never held whole."""
    header, rows = iter_csv(text)
    first = list(itertools.islice(rows, PREVIEW_ROWS))
    count = len(first) + sum(1 for _row in rows)
    cells = [[row.get(h, "") for h in header] for _line, row in first if "__error__" not in row]
    return header, cells, count


def import_max_bytes() -> int:
    """The one size limit of an imported file, on the page and in the API alike."""
    return int(settings.IMPORT_MAX_BYTES)


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB; split it and import the parts.") % {
        "mb": f"{import_max_bytes() / 1_000_000:g}"
    }


def _path(upload_id: str) -> str:
    return stored_path(FOLDER, upload_id, ".csv")


def _remove_old() -> None:
    """Files of imports nobody finished, older than KEEP_HOURS."""
    remove_older_than(FOLDER, KEEP_HOURS)


def import_upload_store(*, actor: Actor, data: bytes, encoding: str = "auto") -> StoredUpload:
    """Read an uploaded responses file (encoding detected or chosen, dialect decided) and keep
    its text on the server for the mapping step. Refuses a file over the limit, one that is not
    text in the encoding, and one without a header."""
    require_manager(actor, _("import responses"))
    if len(data) > import_max_bytes():
        message = too_large_message()
        raise ValidationFailed(message, fields={"file": [message]})
    decoded = decode_upload(data, encoding)
    header, preview, row_count = read_preview(decoded.text)
    _remove_old()
    upload_id = secrets.token_urlsafe(18)
    default_storage.save(_path(upload_id), ContentFile(decoded.text.encode("utf-8")))
    return StoredUpload(
        upload_id, decoded.encoding, decoded.sure, header, preview, row_count, len(data)
    )


def import_upload_text(*, upload_id: str) -> str:
    """The stored text of an upload (NotFound when it was imported or removed meanwhile)."""
    path = _path(upload_id)
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except FileNotFoundError as exc:
        raise NotFound(_("This file is no longer on the server; upload it again.")) from exc


def import_upload_discard(*, upload_id: str) -> None:
    default_storage.delete(_path(upload_id))
