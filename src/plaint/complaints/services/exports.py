"""The evidence of a complaint-register export that carried the complainants' personal data."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from plaint.accounts.access import can_export_personal_data
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed

# One chain per person who exports (their exports never wait on anybody else's).
EXPORT_CASE_TYPE = "register_export"


@transaction.atomic
def register_export_personal_record(*, actor: Actor, query: str, file_format: str) -> None:
    """Check that ``actor`` may export personal data and record that they did: who, when, in
    which format and with which of the queue's filters (the file itself is not kept)."""
    if actor.kind != "staff" or not can_export_personal_data(actor.user):
        raise NotAllowed(_("Only managers and admins may export complainants' personal data."))
    audit_append(
        case_type=EXPORT_CASE_TYPE,
        case_id=actor.user_id or 0,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="register_exported_with_personal_data",
        data={"filters": query, "format": file_format},
    )
