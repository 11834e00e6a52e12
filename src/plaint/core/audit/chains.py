"""The hash chains: one per case, appended inside the case's transaction.

Each event's hash covers the previous event's hash and every field of the event a page shows (the
time, the actor and its label, the action, the seq) plus its non-personal data, so editing,
deleting or reordering an event breaks the chain from there on. Chains are per case, so writes to
two different cases never wait on each other; the caller holds the case's row lock, which orders
appends.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from plaint.core.digest import sha256_hex
from plaint.core.models import AuditEvent

GENESIS = "0" * 64
# What an event's hash covers. 1: prev, case, seq, time, actor id, action, data (events written
# before core 0008). 2: the same plus the actor's label (the name the case page shows) and the
# version itself, so an event cannot be passed off under the other version's rules.
HASH_VERSION = 2
HASH_VERSIONS = (1, 2)


# One encoder each, made once: ``json.dumps`` with options builds a new encoder on every call,
# which cost a bulk writer (the complaint import: 8 texts a case) more than the encoding itself.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
)
_TEXT = json.JSONEncoder(ensure_ascii=False)


def canonical(value: Any) -> str:
    return _CANONICAL.encode(value)


def event_hash(
    *,
    prev_hash: str,
    case_type: str,
    case_id: int,
    seq: int,
    at_iso: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    data: dict[str, Any],
    version: int = HASH_VERSION,
) -> str:
    if version >= 2:
        return sha256_hex(
            payload_text(
                prev_hash=prev_hash, case_type=case_type, case_id=case_id, seq=seq,
                at_iso=at_iso, actor_id=actor_id, actor_label=actor_label, action=action,
                data_text=canonical(data), version=version,
            )
        )  # fmt: skip
    payload: dict[str, Any] = {
        "prev": prev_hash,
        "case": [case_type, case_id, seq],
        "at": at_iso,
        "actor": actor_id,
        "action": action,
        "data": data,
    }
    return sha256_hex(canonical(payload))


def payload_text(
    *,
    prev_hash: str,
    case_type: str,
    case_id: int,
    seq: int,
    at_iso: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    data_text: str,
    version: int,
) -> str:
    """The canonical JSON of a version-2 event's hashed payload, written out key by key with the
    event's data already in its canonical text: the same text ``canonical`` gives the payload as
    a dict (keys sorted, no spaces; ``tests/core/test_audit.py`` holds the two equal), without
    encoding the data twice when a bulk writer also stores that text (``chain_values``)."""
    text = _TEXT.encode  # a string alone: the same text with any separators or order
    # the previous hash (hex) and the ISO time are ASCII with nothing to escape: quoted as they are
    actor = "null" if actor_id is None else int(actor_id)
    return (
        f'{{"action":{text(action)},"actor":{actor},"at":"{at_iso}",'
        f'"case":[{text(case_type)},{int(case_id)},{int(seq)}],"data":{data_text},'
        f'"label":{text(actor_label)},"prev":"{prev_hash}","v":{int(version)}}}'
    )


def hash_of(event: AuditEvent) -> str:
    """The hash an event's stored fields give under the event's own hash version."""
    return event_hash(
        prev_hash=event.prev_hash,
        case_type=event.case_type,
        case_id=event.case_id,
        seq=event.seq,
        at_iso=event.at.astimezone(dt.UTC).isoformat(),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        data=event.data,
        version=event.hash_version,
    )


def audit_append(
    *,
    case_type: str,
    case_id: int,
    actor_id: int | None,
    actor_label: str,
    action: str,
    data: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
    at=None,
    after: AuditEvent | str | None = "lookup",
    save: bool = True,
) -> AuditEvent:
    """Append an event to a case's chain. Call inside the transaction that holds the case's row lock.

    ``after`` may name the chain's current head (or None for a new chain) when the caller knows it.
    With ``save=False`` the event is built but not written (the caller inserts it with the new
    case's other rows: ``core.db.insert_together``).
    """
    data = json.loads(canonical(data or {}))
    at = at or timezone.now()
    if after == "lookup":
        last = (
            AuditEvent.objects.filter(case_type=case_type, case_id=case_id)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
    else:
        # The caller knows the chain's head (a case created in this transaction): skip the query.
        last = (after.seq, after.hash) if isinstance(after, AuditEvent) else None
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = at.replace(microsecond=(at.microsecond // 1000) * 1000)  # same precision on every database
    event = AuditEvent(
        case_type=case_type,
        case_id=case_id,
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        data=data,
        personal=personal or {},
        prev_hash=prev_hash,
        hash_version=HASH_VERSION,
    )
    event.hash = hash_of(event)
    if save:
        event.save()
    return event


# The columns of ``chain_values``' tuples, in order (every column of ``AuditEvent`` but its id).
CHAIN_COLUMNS = (
    "case_type",
    "case_id",
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "data",
    "personal",
    "prev_hash",
    "hash",
    "hash_version",
)
# (action, time, data, personal) of one event of ``chain_values``
ChainEntry = tuple[str, dt.datetime, dict[str, Any], dict[str, Any]]


def chain_values(
    *,
    case_type: str,
    case_id: int,
    actor_id: int | None,
    actor_label: str,
    entries: list[ChainEntry],
    json_text: bool = False,
) -> list[tuple[Any, ...]]:
    """A new case's whole chain as column values (``CHAIN_COLUMNS``), for a bulk writer that
    inserts many new cases at once (the complaint history import): the same events
    ``audit_append`` would make one by one, without a model instance each. ``data`` must already
    be what JSON gives back (strings, numbers, booleans, None, lists and dicts of them). With
    ``json_text`` the data and personal columns are their JSON text (for PostgreSQL's COPY)."""
    rows: list[tuple[Any, ...]] = []
    prev_hash = GENESIS
    for seq, (action, at, data, personal) in enumerate(entries, start=1):
        at = at.replace(microsecond=(at.microsecond // 1000) * 1000)
        data_text = canonical(data)
        digest = sha256_hex(
            payload_text(
                prev_hash=prev_hash, case_type=case_type, case_id=case_id, seq=seq,
                at_iso=at.astimezone(dt.UTC).isoformat(), actor_id=actor_id,
                actor_label=actor_label, action=action, data_text=data_text, version=HASH_VERSION,
            )
        )  # fmt: skip
        stored = (
            (data_text, canonical(personal) if personal else "{}")
            if json_text
            else (data, personal)
        )
        rows.append(
            (case_type, case_id, seq, at, actor_id, actor_label, action, *stored,
             prev_hash, digest, HASH_VERSION)
        )  # fmt: skip
        prev_hash = digest
    return rows
