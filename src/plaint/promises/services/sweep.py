"""The periodic sweep (the worker's housekeeping): breach the checks whose due time passed and
notify the people responsible of at-risk and breached checks, once each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from plaint.accounts.models import Role, User
from plaint.complaints.visibility import readable_case_ids, visibility_narrows
from plaint.core.events import publish
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.promises.events import AtRiskCase, BreachedCheck, PromisesAtRisk, PromisesBreached
from plaint.promises.models import PromiseCheck
from plaint.promises.services.common import language_or_english
from plaint.promises.states import CheckStatus

NOTIFY_BATCH = 5000
MAIL_LIST_LIMIT = 50

# (check id, due time, complaint reference, assignee id, promise key, code slug, complaint id)
NotifyRow = tuple[int, dt.datetime | None, str | None, int | None, str, str, int]


@dataclass
class SweepResult:
    breached: int = 0
    at_risk_notified: int = 0
    breach_notified: int = 0
    mails: int = 0


def promise_checks_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Breach pending checks whose due time passed and notify at-risk and breached checks once.

    Touches only rows whose status can change, through partial indexes: pending checks due by
    ``now``, pending checks at risk and not yet notified, breached checks not yet notified. Each
    recipient (the assignee, every manager) gets at most one mail per kind per sweep, listing the
    checks."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        result.breached = PromiseCheck.objects.filter(
            status=CheckStatus.PENDING, due_at__lte=now
        ).update(status=CheckStatus.BREACHED, breached_at=models.F("due_at"), updated_at=now)
    for kind in ("at_risk", "breached"):
        while True:
            with transaction.atomic():
                sent, mails = _notify_batch(kind, now)
            if kind == "at_risk":
                result.at_risk_notified += sent
            else:
                result.breach_notified += sent
            result.mails += mails
            if sent < NOTIFY_BATCH:
                break
    return result


def _notify_batch(kind: str, now: dt.datetime) -> tuple[int, int]:
    """Claim one batch of checks to notify of (stamped, so never twice) and enqueue the mails:
    (checks notified, mails)."""
    if kind == "at_risk":
        pending = PromiseCheck.objects.filter(
            status=CheckStatus.PENDING,
            notifies=True,
            at_risk_at__lte=now,
            notified_at_risk_at__isnull=True,
        )
        stamp = "notified_at_risk_at"
    else:
        pending = PromiseCheck.objects.filter(
            status=CheckStatus.BREACHED, notifies=True, notified_breach_at__isnull=True
        )
        stamp = "notified_breach_at"
    rows: list[NotifyRow] = list(
        pending.select_for_update(skip_locked=True, of=("self",))
        .order_by("id")
        .values_list(
            "id",
            "due_at",
            "complaint__reference",
            "complaint__assignee_id",
            "promise__key",
            "promise__code__slug",
            "complaint_id",
        )[:NOTIFY_BATCH]
    )
    if not rows:
        return 0, 0
    ids = [r[0] for r in rows]
    for i in range(0, len(ids), 1000):
        PromiseCheck.objects.filter(pk__in=ids[i : i + 1000]).update(**{stamp: now})
    told = _announce_at_risk(rows) if kind == "at_risk" else _announce_breached(rows)
    per_recipient = _recipients(rows, told)
    organisation = organisation_get()
    for email, (language, items) in per_recipient.items():
        email_enqueue(
            to=email,
            kind=f"promise_{kind}",
            language=language,
            context={
                "organisation": organisation,
                "count": len(items),
                "items": [
                    {"reference": r[2], "promise": f"{r[5]}/{r[4]}", "due_at": r[1]}
                    for r in items[:MAIL_LIST_LIMIT]
                ],
                "more": max(len(items) - MAIL_LIST_LIMIT, 0),
                "base_url": settings.BASE_URL,
            },
        )
    return len(rows), len(per_recipient)


def _announce_at_risk(rows: list[NotifyRow]) -> set[int]:
    """Publish ``PromisesAtRisk``: the ids of the assignees a higher app told itself."""
    event = PromisesAtRisk(
        cases=[
            AtRiskCase(
                complaint_id=r[6], reference=r[2] or "", assignee_id=r[3], promise=f"{r[5]}/{r[4]}"
            )
            for r in rows
        ]
    )
    publish(event)
    return event.told


def _announce_breached(rows: list[NotifyRow]) -> set[int]:
    """Publish ``PromisesBreached`` (nobody is told by it in place of the mails: no ids)."""
    checks = [
        BreachedCheck(
            check_id=r[0],
            complaint_id=r[6],
            reference=r[2] or "",
            promise=f"{r[5]}/{r[4]}",
            due_at=r[1],
        )
        for r in rows
    ]
    publish(PromisesBreached(checks=checks))
    return set()


def _recipients(rows: list[NotifyRow], told: set[int]) -> dict[str, tuple[str, list[NotifyRow]]]:
    """{e-mail: (language, rows)}: every manager gets every row, an assignee the rows of their
    cases (once, when they are not also a manager), unless a higher app ``told`` them already;
    each only the cases they may read (``complaints.visibility``: a restricted category's cases
    go to its named readers only). The readable cases are asked only when the rule narrows
    anything: one statement, then one per recipient."""
    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email=""))
    assignee_ids = {r[3] for r in rows if r[3] is not None} - told
    assignees = {
        user.pk: user
        for user in User.objects.filter(pk__in=assignee_ids, is_active=True).exclude(email="")
    }
    narrows = visibility_narrows()
    case_ids = {r[6] for r in rows}

    def readable(user: User) -> set[int]:
        return readable_case_ids(user, case_ids) if narrows else case_ids

    per_recipient: dict[str, tuple[str, list[NotifyRow]]] = {}
    for manager in managers:
        theirs = readable(manager)
        per_recipient[manager.email] = (
            language_or_english(manager.language),
            [row for row in rows if row[6] in theirs],
        )
    assignee_reads = {pk: readable(user) for pk, user in assignees.items()}
    for row in rows:
        target = assignees.get(row[3]) if row[3] is not None else None
        if target is None or row[6] not in assignee_reads[target.pk]:
            continue
        if target.email in per_recipient and target.role == Role.MANAGER:
            continue  # a manager who is also the assignee already gets their full list
        per_recipient.setdefault(target.email, (language_or_english(target.language), []))[
            1
        ].append(row)
    return {email: entry for email, entry in per_recipient.items() if entry[1]}
