"""Starting a complaint history import from the page or the API: recorded as a
``ComplaintImport`` and run in the request for a small file, by the worker for a large one
(``tasks.run_complaint_import``, enqueued in the same transaction as the record)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from plaint.complaints import tasks
from plaint.complaints.models import ComplaintImport
from plaint.complaints.services.importfiles import complaint_import_run, history_upload_get
from plaint.complaints.services.importrows import check_columns
from plaint.complaints.services.imports import require_importer
from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed


def complaint_import_start(
    *,
    actor: Actor,
    upload_id: str,
    source: str,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    file_name: str = "",
    encoding: str = "auto",
) -> ComplaintImport:
    """Record an import of a stored file and run it: at once when the file is small
    (``HISTORY_IMPORT_INLINE_BYTES``), else by the worker (the record shows its progress). The
    mapping is checked against the file's header first, so a bad one is refused here."""
    require_importer(actor)
    upload = history_upload_get(upload_id=upload_id, encoding=encoding)
    columns = dict(columns or upload.guessed)
    check_columns(columns, upload.header)
    source = (source or "").strip().lower()
    if not source or len(source) > 50 or not all(c.isalnum() or c in "-_" for c in source):
        message = _("A short code: letters, digits, - and _ (e.g. cfpb).")
        raise ValidationFailed(message, fields={"source": [message]})
    with transaction.atomic():
        record = ComplaintImport.objects.create(
            created_by=actor.user,
            actor_label=actor.label,
            source=source,
            file_name=file_name[:255],
            upload=upload_id,
            columns=columns,
            values={**(values or {}), "encoding": encoding},
            dry_run=dry_run,
            size=upload.size,
        )
        if upload.size > settings.HISTORY_IMPORT_INLINE_BYTES:
            tasks.run_complaint_import.enqueue(record.pk)
            return record
    return complaint_import_run(import_id=record.pk)
