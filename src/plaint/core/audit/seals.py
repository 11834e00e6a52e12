"""Seals: the chain heads that moved since the last seal, signed with a key outside the database
(``keys``) and written both to ``AuditDigest`` and as a line of the seal log (``seallog``).

A seal's body is ``n`` (its number: 1, 2, 3 …), ``at``, ``key`` (the id of the key that signed it),
``prev`` (the previous seal's MAC: deleting a seal leaves a broken link), ``upto`` (the highest
event id it saw), ``chains`` (chains sealed so far), ``events`` (events up to ``upto``) and
``heads`` (``{"complaint:42": [seq, hash]}`` for each chain that grew). The MAC is HMAC-SHA256 of
the body's canonical JSON. The worker seals in its housekeeping (``core.worker``), every five
minutes; ``plaint audit seal`` does it on demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from plaint.core.audit import keys, seallog
from plaint.core.audit.chains import GENESIS, canonical
from plaint.core.digest import sha256_hex
from plaint.core.models import AuditDigest, AuditEvent, AuditSealedHead

BODY_FIELDS = ("n", "at", "key", "prev", "upto", "chains", "events", "heads")
_SEAL_LOCK = 0x504C5345414C  # "PLSEAL": one sealer at a time on PostgreSQL


def chain_key(case_type: str, case_id: int) -> str:
    return f"{case_type}:{case_id}"


def split_chain_key(key: str) -> tuple[str, int] | None:
    case_type, _, case_id = key.rpartition(":")
    return (case_type, int(case_id)) if case_type and case_id.isdigit() else None


@dataclass(frozen=True)
class SealedHead:
    seq: int
    hash: str
    event_id: int


def body_of(digest: AuditDigest) -> dict[str, Any]:
    """The signed body of a keyed ``AuditDigest`` row, as its seal log line carries it."""
    return {
        "n": digest.number,
        "at": digest.created_at.astimezone(dt.UTC).isoformat(),
        "key": digest.key_id,
        "prev": digest.prev_mac,
        "upto": digest.upto,
        "chains": digest.chains,
        "events": digest.events,
        "heads": digest.heads,
    }


def _moved_heads() -> dict[str, SealedHead]:
    """The last event of every chain that grew past its sealed head (or was never sealed).

    Only growth is sealed: a chain whose head went back or changed in place keeps its seal, so
    ``plaint audit verify`` still finds the truncation or the rewrite against it."""
    sealed = AuditSealedHead.objects.filter(
        case_type=OuterRef("case_type"), case_id=OuterRef("case_id")
    )
    later = AuditEvent.objects.filter(
        case_type=OuterRef("case_type"), case_id=OuterRef("case_id"), seq__gt=OuterRef("seq")
    )
    rows = (
        AuditEvent.objects.annotate(sealed_seq=Subquery(sealed.values("seq")[:1]))
        .filter(~Exists(later))
        .filter(Q(sealed_seq__isnull=True) | Q(seq__gt=F("sealed_seq")))
        .values_list("case_type", "case_id", "seq", "hash", "id")
    )
    return {chain_key(t, c): SealedHead(seq, h, pk) for t, c, seq, h, pk in rows}


def _signing_key(previous: AuditDigest | None) -> keys.AuditKey:
    """The key that signs; the key file is created only for the very first seal, so a lost key
    file is reported instead of silently replaced."""
    ring = keys.load_keys()
    if ring.current is None and previous is None and not seallog.has_seals():
        keys.create_key_file()
        ring = keys.load_keys()
    if ring.current is None:
        raise keys.AuditKeyProblem(keys.missing_key_message())
    return ring.current


def _lock() -> None:
    """One sealer at a time: numbers and links follow each other. SQLite's write transaction
    (IMMEDIATE, settings) already excludes other writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])


def audit_seal(*, now: dt.datetime | None = None) -> AuditDigest | None:
    """Seal the heads that moved since the last seal; None when no chain moved."""
    with transaction.atomic():
        _lock()
        previous = AuditDigest.objects.filter(number__isnull=False).order_by("-number").first()
        key = _signing_key(previous)
        moved = _moved_heads()
        if not moved:
            return None
        last_id = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
        upto = max(last_id, *(head.event_id for head in moved.values()))
        at = now or timezone.now()
        digest = AuditDigest(
            created_at=at.replace(microsecond=(at.microsecond // 1000) * 1000),
            number=(previous.number or 0) + 1 if previous else 1,
            key_id=key.key_id,
            prev_mac=previous.mac if previous else GENESIS,
            upto=upto,
            events=AuditEvent.objects.filter(id__lte=upto).count(),
            heads={chain: [head.seq, head.hash] for chain, head in sorted(moved.items())},
        )
        digest.chains = _record_sealed_heads(moved, digest)
        body = body_of(digest)
        digest.digest = sha256_hex(canonical(body))
        digest.mac = key.sign(canonical(body))
        digest.save()
        # Last, so a failed write rolls the seal back; the line is on disk before the commit.
        seallog.append({**body, "mac": digest.mac})
    return digest


def _record_sealed_heads(moved: dict[str, SealedHead], digest: AuditDigest) -> int:
    """Note how far each moved chain is sealed; return how many chains are sealed in all."""
    rows = []
    for chain, head in moved.items():
        parts = split_chain_key(chain)
        assert parts is not None  # built by chain_key
        case_type, case_id = parts
        rows.append(
            AuditSealedHead(
                case_type=case_type,
                case_id=case_id,
                seq=head.seq,
                hash=head.hash,
                seal=digest.number or 0,
            )
        )
    AuditSealedHead.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["case_type", "case_id"],
        update_fields=["seq", "hash", "seal"],
    )
    return AuditSealedHead.objects.count()
