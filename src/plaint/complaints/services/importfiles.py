"""The complaint history files of the page and the API: streamed to the server once (never held
in memory), their header and first rows read back for the mapping step, and the run of a recorded
import (``ComplaintImport``) on such a file, its progress kept on the record."""

from __future__ import annotations

import itertools
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import ComplaintImport, ImportStatus
from plaint.complaints.services.importrows import guess_columns
from plaint.complaints.services.imports import complaints_import, require_importer
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError, TooLarge
from plaint.core.storedfiles import remove_older_than, stored_path
from plaint.core.tabular import open_table

FOLDER = "imports/complaints"
KEEP_HOURS = 48
PREVIEW_ROWS = 5
COPY_BLOCK = 1024 * 1024


class Readable(Protocol):
    """A file or a request body: read in blocks."""

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class HistoryUpload:
    """A stored history file as the mapping step shows it."""

    id: str
    kind: str  # csv or xlsx
    encoding: str
    sure: bool
    header: list[str]
    preview: list[list[str]]
    guessed: dict[str, str]  # target → header, from the usual names
    size: int


def too_large_message() -> str:
    limit = settings.HISTORY_IMPORT_MAX_BYTES
    return _("The file is larger than %(mb)s MB; import it with the command line instead.") % {
        "mb": f"{limit / 1_000_000:g}"
    }


def _path(upload_id: str) -> str:
    return stored_path(FOLDER, upload_id)


def _remove_old() -> None:
    """Files of imports nobody finished, older than KEEP_HOURS."""
    remove_older_than(FOLDER, KEEP_HOURS)


def history_upload_store(
    *, actor: Actor, stream: Readable, name: str = "", encoding: str = "auto"
) -> HistoryUpload:
    """Keep an uploaded history file (CSV or XLSX) on the server for the mapping step, copied a
    block at a time; refuses a file over the limit and one that is not a readable table."""
    require_importer(actor)
    limit = settings.HISTORY_IMPORT_MAX_BYTES
    with tempfile.TemporaryFile() as spool:
        size = 0
        while block := stream.read(COPY_BLOCK):
            size += len(block)
            if size > limit:
                message = too_large_message()
                raise TooLarge(message, fields={"file": [message]})
            spool.write(block)
        spool.seek(0)
        upload_id = secrets.token_urlsafe(18)
        preview = _preview(spool, upload_id, name, encoding, size)
        spool.seek(0)
        _remove_old()
        default_storage.save(_path(upload_id), File(spool))
    return preview


def _preview(
    handle: IO[bytes], upload_id: str, name: str, encoding: str, size: int
) -> HistoryUpload:
    table = open_table(handle, name=name, encoding=encoding)
    first = [cells for _line, cells in itertools.islice(table.rows, PREVIEW_ROWS)]
    rows = [[c[i] if i < len(c) else "" for i in range(len(table.header))] for c in first]
    return HistoryUpload(
        upload_id, table.kind, table.encoding, table.sure, table.header, rows,
        guess_columns(table.header), size,
    )  # fmt: skip


def history_upload_get(*, upload_id: str, encoding: str = "auto") -> HistoryUpload:
    """The stored file's header and first rows again (the mapping step)."""
    path = _path(upload_id)
    try:
        with default_storage.open(path, "rb") as handle:
            return _preview(handle, upload_id, "", encoding, default_storage.size(path))
    except FileNotFoundError as exc:
        raise NotFound(_("This file is no longer on the server; upload it again.")) from exc


def history_upload_discard(*, upload_id: str) -> None:
    default_storage.delete(_path(upload_id))


def _actor_of(record: ComplaintImport) -> Actor:
    if record.created_by is not None:
        return Actor.staff(record.created_by)
    return Actor.system(record.actor_label or "system")


def complaint_import_run(*, import_id: int) -> ComplaintImport:
    """Run a recorded import (the worker's job, or the request for a small file). Idempotent: a
    record that is not pending is left as it is. A real import removes the stored file; a dry
    run keeps it for the import that follows."""
    with transaction.atomic():
        record = ComplaintImport.objects.select_for_update().filter(pk=import_id).first()
        if record is None:
            raise NotFound(_("No such import."))
        if record.status != ImportStatus.PENDING:
            return record
        record.status = ImportStatus.RUNNING
        record.save(update_fields=["status"])
    values = dict(record.values)
    encoding = str(values.pop("encoding", "auto"))
    try:
        with default_storage.open(_path(record.upload), "rb") as handle:
            complaints_import(
                actor=_actor_of(record), handle=handle, source=record.source,
                file_name=record.file_name, columns=record.columns, values=values,
                dry_run=record.dry_run, encoding=encoding, record=record,
            )  # fmt: skip
    except (PlaintError, FileNotFoundError) as exc:
        message = exc.message if isinstance(exc, PlaintError) else _("The file is gone.")
        ComplaintImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
        )
    else:
        if not record.dry_run:
            history_upload_discard(upload_id=record.upload)
    record.refresh_from_db()
    return record
