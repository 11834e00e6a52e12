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


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


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
    payload: dict[str, Any] = {
        "prev": prev_hash,
        "case": [case_type, case_id, seq],
        "at": at_iso,
        "actor": actor_id,
        "action": action,
        "data": data,
    }
    if version >= 2:
        payload.update(label=actor_label, v=version)
    return sha256_hex(canonical(payload))


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
) -> list[tuple[Any, ...]]:
    """A new case's whole chain as column values (``CHAIN_COLUMNS``), for a bulk writer that
    inserts many new cases at once (the complaint history import): the same events
    ``audit_append`` would make one by one, without a model instance each. ``data`` must already
    be what JSON gives back (strings, numbers, booleans, None, lists and dicts of them)."""
    rows: list[tuple[Any, ...]] = []
    prev_hash = GENESIS
    for seq, (action, at, data, personal) in enumerate(entries, start=1):
        at = at.replace(microsecond=(at.microsecond // 1000) * 1000)
        digest = event_hash(
            prev_hash=prev_hash,
            case_type=case_type,
            case_id=case_id,
            seq=seq,
            at_iso=at.astimezone(dt.UTC).isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            data=data,
        )
        rows.append(
            (case_type, case_id, seq, at, actor_id, actor_label, action, data, personal,
             prev_hash, digest, HASH_VERSION)
        )  # fmt: skip
        prev_hash = digest
    return rows
