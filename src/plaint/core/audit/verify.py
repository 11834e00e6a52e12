"""``audit_verify``: recompute every chain and hold it against the trusted seals.

What it reports, each at the exact event or seal: an event whose content does not match its hash,
a broken link or a gap in a chain; an event whose hash differs from what a seal recorded (the chain
was rewritten and rehashed); a sealed head that is gone (events deleted from a chain's end); a
sealed chain that is gone whole; seals missing, altered, forged or out of sequence (``checks``); no
seal at all, or a latest seal older than allowed while newer events wait.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from plaint.core.audit import keys, seallog
from plaint.core.audit.chains import GENESIS, HASH_VERSIONS, hash_of
from plaint.core.audit.checks import SealProblem, TrustedSeal, check_seals
from plaint.core.audit.seals import split_chain_key
from plaint.core.models import AuditEvent, AuditSealedHead

Chain = tuple[str, int]
# For each sealed chain, each sealed seq: the hash the seal recorded and the seal's number.
Points = dict[Chain, dict[int, tuple[str, int]]]


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None  # None: the event is missing
    case_type: str
    case_id: int
    seq: int
    reason: str

    def __str__(self) -> str:
        which = f"id {self.event_id}" if self.event_id is not None else "missing"
        return f"{self.case_type} {self.case_id} event #{self.seq} ({which}): {self.reason}"


@dataclass
class VerifyReport:
    chains: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    seal_problems: list[SealProblem] = field(default_factory=list)
    seals: int = 0  # trusted seals the chains were held against
    legacy_events: int = 0  # hash version 1: the actor's label is not covered

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.seal_problems


def _events_in_order(batch: int = 5000) -> Iterator[AuditEvent]:
    """Stream every event in chain order without holding the whole log in memory."""
    return AuditEvent.objects.order_by("case_type", "case_id", "seq").iterator(chunk_size=batch)


def _points(seals: list[TrustedSeal]) -> Points:
    points: Points = {}
    for seal in seals:  # oldest first: a later seal never overrides what an earlier one sealed
        for key, head in seal.heads.items():
            chain = split_chain_key(key)
            if chain is None or not isinstance(head, list) or len(head) != 2:
                continue
            points.setdefault(chain, {}).setdefault(int(head[0]), (str(head[1]), seal.number))
    return points


class _ChainWalk:
    """One chain, event by event: links, hashes, and the seal's record of it."""

    def __init__(self, chain: Chain, points: dict[int, tuple[str, int]]) -> None:
        self.chain = chain
        self.points = points
        self.prev, self.seq, self.version = GENESIS, 1, 1
        self.broken = self.diverged = False
        self.last_match: int | None = None
        self.breaks: list[ChainBreak] = []

    def _break(self, ev: AuditEvent | None, seq: int, reason: str) -> None:
        pk = ev.pk if ev is not None else None
        self.breaks.append(ChainBreak(pk, self.chain[0], self.chain[1], seq, reason))

    def feed(self, ev: AuditEvent) -> None:
        if not self.broken:
            reason = None
            if ev.seq != self.seq:
                reason = f"sequence gap: expected #{self.seq}, found #{ev.seq}"
            elif ev.prev_hash != self.prev:
                reason = "previous-hash link does not match the event before it"
            elif ev.hash_version not in HASH_VERSIONS or ev.hash_version < self.version:
                reason = f"hash version {ev.hash_version} after version {self.version} (altered)"
            elif hash_of(ev) != ev.hash:
                reason = "content does not match its hash (event was altered)"
            if reason:
                self._break(ev, ev.seq, reason)
                self.broken = True
            self.prev, self.seq, self.version = ev.hash, ev.seq + 1, ev.hash_version
        sealed = self.points.get(ev.seq)
        if sealed is not None and not self.diverged:
            if sealed[0] == ev.hash:
                self.last_match = ev.seq
            else:
                still = f"; #{self.last_match} still matches its seal" if self.last_match else ""
                self._break(
                    ev,
                    ev.seq,
                    f"hash differs from seal #{sealed[1]}: rewritten after it was sealed{still}",
                )
                self.diverged = True

    def finish(self, last_seq: int) -> list[ChainBreak]:
        beyond = sorted(seq for seq in self.points if seq > last_seq)
        if beyond and not self.diverged:
            seq = beyond[-1]
            self._break(
                None,
                seq,
                f"sealed by seal #{self.points[seq][1]} but missing: the chain now ends at "
                f"#{last_seq} (events were deleted from its end)",
            )
        return self.breaks


def _walk_chains(report: VerifyReport, points: Points) -> None:
    walk: _ChainWalk | None = None
    last_seq = 0
    for ev in _events_in_order():
        chain = (ev.case_type, ev.case_id)
        if walk is None or chain != walk.chain:
            if walk is not None:
                report.breaks += walk.finish(last_seq)
            walk = _ChainWalk(chain, points.pop(chain, {}))
            report.chains += 1
        report.events += 1
        report.legacy_events += ev.hash_version == 1
        walk.feed(ev)
        last_seq = ev.seq
    if walk is not None:
        report.breaks += walk.finish(last_seq)
    for (case_type, case_id), sealed in sorted(points.items()):  # chains with no event left
        seq = max(sealed)
        report.breaks.append(
            ChainBreak(
                None,
                case_type,
                case_id,
                seq,
                f"the whole chain is missing: seal #{sealed[seq][1]} sealed it up to #{seq}",
            )
        )


def _freshness(seals: list[TrustedSeal], now: dt.datetime) -> list[SealProblem]:
    """Events must not wait unsealed for longer than the sealing interval plus a margin, and the
    events a seal counted must all still be there."""
    latest = max(seals, key=lambda s: s.number, default=None)
    if latest is None:
        waiting = AuditEvent.objects.count()
        return (
            [SealProblem(f"no seal covers the {waiting} events (never sealed)")] if waiting else []
        )
    problems = []
    max_age = dt.timedelta(seconds=settings.AUDIT_SEAL_MAX_AGE_SECONDS)
    age = now - latest.at
    waiting = AuditEvent.objects.filter(id__gt=latest.upto).count()
    if waiting and age > max_age:
        problems.append(
            SealProblem(
                f"the latest seal, made {age.total_seconds() / 60:.0f} min ago (at most "
                f"{max_age.total_seconds() / 60:.0f} allowed), is stale: {waiting} events were "
                "written after it (the worker stopped sealing, or newer seals were deleted)",
                latest.number,
            )
        )
    left = AuditEvent.objects.filter(id__lte=latest.upto).count()
    if left < latest.events:
        problems.append(
            SealProblem(
                f"counted {latest.events} events up to id {latest.upto}; {left} are left "
                "(events were deleted)",
                latest.number,
            )
        )
    return problems


SHOWN_NOTES = 20  # beyond this many altered notes, one line counts the rest


def _sealer_notes(points: Points) -> list[SealProblem]:
    """The sealer's notes of how far each chain is sealed must say what the seals say: a note
    moved ahead would keep the next events of its chain from ever being sealed."""
    wrong = []
    notes = AuditSealedHead.objects.values_list("case_type", "case_id", "seq", "hash")
    for case_type, case_id, seq, digest in notes.iterator(chunk_size=5000):
        sealed = points.get((case_type, case_id), {})
        last = max(sealed, default=None)
        if last is None or (last, sealed[last][0]) != (seq, digest):
            said = f"the seals say #{last}" if last is not None else "no seal has it"
            wrong.append(f"{case_type}:{case_id} sealed up to #{seq}, but {said}")
    problems = [
        SealProblem(
            f"the sealer's note for {note} (altered: later events of the chain would go unsealed)"
        )
        for note in wrong[:SHOWN_NOTES]
    ]
    if len(wrong) > SHOWN_NOTES:
        problems.append(SealProblem(f"… and {len(wrong) - SHOWN_NOTES} more altered sealer notes"))
    return problems


def audit_verify(
    *, now: dt.datetime | None = None, seal_logs: list[Path] | None = None
) -> VerifyReport:
    """Check every chain and every seal; raise ``AuditKeyProblem`` when seals exist but no key
    to check them is configured."""
    ring = keys.load_keys()
    sealing = check_seals(ring, seal_logs or [seallog.seal_log_path()])
    report = VerifyReport(seal_problems=sealing.problems, seals=len(sealing.trusted))
    points = _points(sealing.trusted)
    report.seal_problems += _sealer_notes(points)
    _walk_chains(report, points)
    report.seal_problems += _freshness(sealing.trusted, now or timezone.now())
    return report
