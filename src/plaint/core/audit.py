"""The tamper-evident audit trail: one hash chain per case, appended inside the case's transaction.

Each event's hash covers the previous event's hash and the event's non-personal fields, so editing,
deleting or reordering an event breaks the chain from there on. Chains are per case, so writes to two
different cases never wait on each other; the caller holds the case's row lock, which orders appends.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from plaint.core.digest import sha256_hex
from plaint.core.models import AuditDigest, AuditEvent

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    *,
    prev_hash: str,
    case_type: str,
    case_id: int,
    seq: int,
    at_iso: str,
    actor_id: int | None,
    action: str,
    data: dict[str, Any],
) -> str:
    payload = _canonical(
        {
            "prev": prev_hash,
            "case": [case_type, case_id, seq],
            "at": at_iso,
            "actor": actor_id,
            "action": action,
            "data": data,
        }
    )
    return sha256_hex(payload)


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
    data = json.loads(_canonical(data or {}))
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
    digest = event_hash(
        prev_hash=prev_hash,
        case_type=case_type,
        case_id=case_id,
        seq=seq,
        at_iso=at.astimezone(dt.UTC).isoformat(),
        actor_id=actor_id,
        action=action,
        data=data,
    )
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
        hash=digest,
    )
    if save:
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    case_type: str
    case_id: int
    seq: int
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.case_type} {self.case_id} event #{self.seq} (id {self.event_id}): {self.reason}"
        )


@dataclass
class VerifyReport:
    chains: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _events_in_order(batch: int = 5000) -> Iterator[AuditEvent]:
    """Stream every event in chain order without holding the whole log in memory."""
    return AuditEvent.objects.order_by("case_type", "case_id", "seq").iterator(chunk_size=batch)


def audit_verify() -> VerifyReport:
    """Recompute every chain; report the first broken event of each broken chain."""
    report = VerifyReport(breaks=[])
    current: tuple[str, int] | None = None
    expected_prev = GENESIS
    expected_seq = 1
    broken_chain = False
    for ev in _events_in_order():
        key = (ev.case_type, ev.case_id)
        if key != current:
            current, expected_prev, expected_seq, broken_chain = key, GENESIS, 1, False
            report.chains += 1
        report.events += 1
        if broken_chain:
            continue
        reason = None
        if ev.seq != expected_seq:
            reason = f"sequence gap: expected #{expected_seq}, found #{ev.seq}"
        elif ev.prev_hash != expected_prev:
            reason = "previous-hash link does not match the event before it"
        else:
            recomputed = event_hash(
                prev_hash=ev.prev_hash,
                case_type=ev.case_type,
                case_id=ev.case_id,
                seq=ev.seq,
                at_iso=ev.at.astimezone(dt.UTC).isoformat(),
                actor_id=ev.actor_id,
                action=ev.action,
                data=ev.data,
            )
            if recomputed != ev.hash:
                reason = "content does not match its hash (event was altered)"
        if reason:
            report.breaks.append(ChainBreak(ev.pk, ev.case_type, ev.case_id, ev.seq, reason))
            broken_chain = True
        expected_prev, expected_seq = ev.hash, ev.seq + 1
    return report


def chain_heads() -> dict[str, str]:
    heads = (
        AuditEvent.objects.values("case_type", "case_id")
        .annotate(last=Max("seq"))
        .order_by("case_type", "case_id")
    )
    wanted = {(h["case_type"], h["case_id"], h["last"]) for h in heads}
    result: dict[str, str] = {}
    for ev in AuditEvent.objects.filter(seq__in={w[2] for w in wanted}).values_list(
        "case_type", "case_id", "seq", "hash"
    ):
        if (ev[0], ev[1], ev[2]) in wanted:
            result[f"{ev[0]}:{ev[1]}"] = ev[3]
    return result


def audit_seal() -> AuditDigest:
    """Seal the current head of every chain into one digest row (run periodically by the worker)."""
    heads = chain_heads()
    digest = sha256_hex(_canonical(heads))
    return AuditDigest.objects.create(chains=len(heads), digest=digest, heads=heads)


def audit_check_digests() -> list[str]:
    """Every chain sealed in the latest digest must still exist and still contain the sealed head."""
    latest = AuditDigest.objects.order_by("-created_at", "-pk").first()
    if latest is None:
        return []
    problems = []
    if sha256_hex(_canonical(latest.heads)) != latest.digest:
        problems.append(f"digest {latest.pk} does not match its own list of heads")
    present = set(
        AuditEvent.objects.values_list("hash", flat=True).filter(hash__in=latest.heads.values())
    )
    for chain, head in latest.heads.items():
        if head not in present:
            problems.append(f"chain {chain}: sealed head {head[:12]}… is missing")
    return problems
