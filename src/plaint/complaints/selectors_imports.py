"""Reads of the complaint history import: an import's record and the saved column mappings."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plaint.complaints.models import ComplaintImport, ImportMapping
from plaint.core.errors import NotFound


def complaint_import_get(*, import_id: int) -> ComplaintImport:
    """A history import's record (its progress and report); the caller checked the right."""
    record = ComplaintImport.objects.filter(pk=import_id).first()
    if record is None:
        raise NotFound(_("No such import."))
    return record


def import_mapping_get(*, name: str) -> ImportMapping:
    mapping = ImportMapping.objects.filter(name=name).first()
    if mapping is None:
        raise NotFound(_("No saved mapping of that name."))
    return mapping


def import_mapping_list() -> list[ImportMapping]:
    return list(ImportMapping.objects.all()[:200])
