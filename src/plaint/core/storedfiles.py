"""Files kept in Django's default storage between the steps of an import: named by an
unguessable id in a folder of their own, and removed when nobody finished the import."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.errors import NotFound


def stored_path(folder: str, upload_id: str, suffix: str = "") -> str:
    """The storage path of ``upload_id`` in ``folder``; NotFound for an id that could not be one
    (it never names anything outside the folder)."""
    if not upload_id or not all(c.isalnum() or c in "-_" for c in upload_id):
        raise NotFound(_("This file is no longer on the server; upload it again."))
    return f"{folder}/{upload_id}{suffix}"


def remove_older_than(folder: str, hours: int) -> None:
    """Delete the files directly in ``folder`` last changed more than ``hours`` ago."""
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    limit = timezone.now() - dt.timedelta(hours=hours)
    for name in names:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:  # removed meanwhile by another process
            continue
