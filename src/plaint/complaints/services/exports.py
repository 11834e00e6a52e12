"""The evidence of complaint-register exports: every export is recorded (who, when, which
filters, which format), and one that carried the complainants' personal data says so."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from plaint.accounts.access import can_export_personal_data
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import NotAllowed

# One chain per person who exports (their exports never wait on anybody else's).
EXPORT_CASE_TYPE = "register_export"


@transaction.atomic
def register_export_personal_record(*, actor: Actor, query: str, file_format: str) -> None:
    """Check that ``actor`` may export personal data and record that they did: who, when, in
    which format and with which of the queue's filters (the file itself is not kept)."""
    if actor.kind != "staff" or not can_export_personal_data(actor.user):
        raise NotAllowed(_("Only managers and admins may export complainants' personal data."))
    data, personal = _split_search(query)
    audit_append(
        case_type=EXPORT_CASE_TYPE,
        case_id=actor.user_id or 0,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="register_exported_with_personal_data",
        data={**data, "format": file_format},
        personal=personal,
    )


@transaction.atomic
def register_export_record(*, actor: Actor, query: str, file_format: str) -> None:
    """Record an export of the register without personal data (any member of staff may make
    one): on the exporter's chain, like those with personal data."""
    data, personal = _split_search(query)
    audit_append(
        case_type=EXPORT_CASE_TYPE,
        case_id=actor.user_id or 0,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="register_exported",
        data={**data, "format": file_format},
        personal=personal,
    )


def _split_search(query: str) -> tuple[dict[str, str], dict[str, str]]:
    """The filters for the hashed part of the event, and the search text (which may be a
    person's name or address) for its unhashed part: the hash covers a salted digest of the
    search, so erasing the person clears the text and the salt and the chain still verifies."""
    pairs = parse_qsl(query, keep_blank_values=True)
    search = " ".join(value for key, value in pairs if key == "q" and value)
    data = {"filters": urlencode([(k, v) for k, v in pairs if k != "q"])}
    if not search:
        return data, {}
    salt = secrets.token_hex(16)
    data["search_digest"] = sha256_hex(f"{salt}:{search}")
    return data, {"search": search, "salt": salt}
