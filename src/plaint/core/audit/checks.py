"""Checking the seals themselves: each seal log line and each keyed ``AuditDigest`` row must carry
a valid MAC, the two must agree seal for seal, the numbers must run without gaps and each seal
must link to the one before. What survives is the list of trusted seals ``verify`` holds the
chains against."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaint.core.audit import keys, seallog
from plaint.core.audit.chains import GENESIS, canonical
from plaint.core.audit.seals import BODY_FIELDS, body_of
from plaint.core.models import AuditDigest


@dataclass(frozen=True)
class SealProblem:
    reason: str
    seal: int | None = None

    def __str__(self) -> str:
        return f"seal #{self.seal}: {self.reason}" if self.seal is not None else self.reason


@dataclass(frozen=True)
class TrustedSeal:
    """A seal whose MAC verified: from the log, or from the database."""

    number: int
    at: dt.datetime
    upto: int
    events: int
    heads: dict[str, Any]
    prev: str
    mac: str


@dataclass
class SealCheck:
    trusted: list[TrustedSeal]
    problems: list[SealProblem]
    log_seals: int
    db_seals: int


class _Authenticator:
    """Checks each seal's MAC; a key that is not configured is reported once, with its seals."""

    def __init__(self, ring: keys.KeyRing) -> None:
        self.ring = ring
        self.problems: list[SealProblem] = []
        self.unknown: dict[str, set[int]] = defaultdict(set)

    def check(self, body: dict[str, Any], mac: Any, where: str) -> TrustedSeal | None:
        number = body.get("n") if isinstance(body.get("n"), int) else None
        verdict = self.ring.verifies(str(body.get("key")), canonical(body), str(mac))
        if verdict is None:
            self.unknown[str(body.get("key"))].add(number or 0)
            return None
        if not verdict:
            reason = f"{where}: the signature does not match the content (altered)"
            self.problems.append(SealProblem(reason, number))
            return None
        try:
            at = dt.datetime.fromisoformat(body["at"])
            return TrustedSeal(
                body["n"], at, body["upto"], body["events"], body["heads"], body["prev"], str(mac)
            )
        except (TypeError, ValueError):
            self.problems.append(SealProblem(f"{where}: a signed seal that cannot be read", number))
            return None

    def log(self, lines: list[seallog.LogLine]) -> list[TrustedSeal]:
        trusted = []
        for line in lines:
            record = line.record
            if record is None or any(name not in record for name in (*BODY_FIELDS, "mac")):
                self.problems.append(SealProblem(f"seal log line {line.where} is not a seal"))
                continue
            body = {name: record[name] for name in BODY_FIELDS}
            seal = self.check(body, record["mac"], f"seal log line {line.where}")
            if seal is not None:
                trusted.append(seal)
        return trusted

    def database(self, rows: list[AuditDigest]) -> list[TrustedSeal]:
        checked = (self.check(body_of(row), row.mac, "in the database") for row in rows)
        return [seal for seal in checked if seal is not None]

    def unknown_keys(self) -> list[SealProblem]:
        return [
            SealProblem(
                f"{len(numbers)} seals (#{min(numbers)} to #{max(numbers)}) are signed with key "
                f"{key_id!r}, which is not configured (add it to PLAINT_AUDIT_KEY_FALLBACKS or "
                "to the key file)"
            )
            for key_id, numbers in sorted(self.unknown.items())
        ]


def _compare(
    logged: list[TrustedSeal], stored: list[TrustedSeal], rows: list[AuditDigest]
) -> list[SealProblem]:
    """Seal for seal: what the log has and the database lost, and the reverse."""
    problems = []
    in_log: dict[int, set[str]] = defaultdict(set)
    for seal in logged:
        in_log[seal.number].add(seal.mac)
    in_db = {row.number: row for row in rows if row.number is not None}
    trusted_db = {seal.number: seal for seal in stored}
    for number, macs in sorted(in_log.items()):
        row = in_db.get(number)
        if row is None:
            at = min(s.at for s in logged if s.number == number)
            problems.append(
                SealProblem(
                    f"made at {at:%Y-%m-%d %H:%M:%S} UTC, missing from the database", number
                )
            )
        elif number in trusted_db and row.mac not in macs:
            problems.append(SealProblem("the database's copy differs from the seal log", number))
        if len(macs) > 1:
            problems.append(
                SealProblem(f"written {len(macs)} times with different content (resealed)", number)
            )
    for number in sorted(trusted_db):
        if number not in in_log:
            problems.append(
                SealProblem(
                    "in the database but not in the seal log (forged, or another log)", number
                )
            )
    return problems


def _sequence(seals: list[TrustedSeal], where: str) -> list[SealProblem]:
    """Numbers run 1, 2, 3 … and each seal links to the MAC of the one before."""
    problems = []
    macs: dict[int, set[str]] = defaultdict(set)
    for seal in seals:
        macs[seal.number].add(seal.mac)
    expected = 1
    for number in sorted(macs):
        if number > expected:
            gap = f"#{expected}" if number == expected + 1 else f"#{expected} to #{number - 1}"
            problems.append(SealProblem(f"seal {gap} missing from {where}", None))
        expected = number + 1
    for seal in seals:
        allowed = {GENESIS} if seal.number == 1 else macs.get(seal.number - 1, set())
        if allowed and seal.prev not in allowed:
            problems.append(
                SealProblem(f"does not link to seal #{seal.number - 1} ({where})", seal.number)
            )
    return problems


def check_seals(ring: keys.KeyRing, logs: list[Path]) -> SealCheck:
    """Authenticate every seal of the logs and of the database and compare them."""
    lines, missing = seallog.read(logs)
    rows = list(AuditDigest.objects.filter(number__isnull=False).order_by("number", "pk"))
    if (lines or rows) and not ring.keys:
        raise keys.AuditKeyProblem(keys.missing_key_message())
    authenticator = _Authenticator(ring)
    logged = authenticator.log(lines)
    stored = authenticator.database(rows)
    problems = authenticator.problems + authenticator.unknown_keys()
    if len(missing) < len(logs):  # a log to compare with (even an empty one)
        problems += _compare(logged, stored, rows)
        problems += _sequence(logged, "the seal log")
    elif rows:
        shown = ", ".join(str(path) for path in missing)
        problems.append(
            SealProblem(f"the seal log {shown} is missing; the database has {len(rows)} seals")
        )
        problems += _sequence(stored, "the database")
    trusted = {seal.mac: seal for seal in [*logged, *stored]}
    return SealCheck(
        sorted(trusted.values(), key=lambda s: s.number), problems, len(lines), len(rows)
    )
