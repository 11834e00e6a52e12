"""Telling people: one notification per person and case in the app, one mail per person through
the outbox, each as the person chose (``Preference``, else ``DEFAULTS``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plaint.accounts.access import can_read_complaints
from plaint.accounts.models import User
from plaint.complaints.visibility import readable_case_ids, visibility_narrows
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.notifications.models import Kind, Notification
from plaint.notifications.selectors import preferences_of

MAIL_LIST_LIMIT = 50


@dataclass(frozen=True)
class Tell:
    """Tell ``recipient`` about the case ``complaint_id`` (its reference and subject for the mail)."""

    recipient: User
    complaint_id: int
    reference: str
    subject: str


def _allowed(tells: Iterable[Tell], actor_id: int | None) -> list[Tell]:
    """Never the person who caused it, never someone who may not read the case (the cases each
    may read: ``complaints.visibility``); once per pair."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for tell in tells:
        key = (tell.recipient.pk, tell.complaint_id)
        if tell.recipient.pk == actor_id or key in seen or not can_read_complaints(tell.recipient):
            continue
        seen.add(key)
        kept.append(tell)
    return _readable(kept)


def _readable(tells: list[Tell]) -> list[Tell]:
    """The tells whose recipient may read the case. One statement when the visibility rule
    narrows nothing (the organisation's default), else one more per recipient."""
    if not tells or not visibility_narrows():
        return tells
    cases_of: dict[int, set[int]] = {}
    for tell in tells:
        cases_of.setdefault(tell.recipient.pk, set()).add(tell.complaint_id)
    people = {tell.recipient.pk: tell.recipient for tell in tells}
    readable = {pk: readable_case_ids(people[pk], ids) for pk, ids in cases_of.items()}
    return [tell for tell in tells if tell.complaint_id in readable[tell.recipient.pk]]


@transaction.atomic
def notifications_send(
    *,
    kind: Kind,
    tells: Iterable[Tell],
    actor_id: int | None,
    now: dt.datetime | None = None,
    app: bool = True,
    mail: bool = True,
) -> tuple[int, int]:
    """Tell each recipient about their cases of ``kind``, in the caller's transaction:
    (notifications written, mails enqueued). ``app=False`` / ``mail=False`` leave that channel
    out (a bulk assignment tells each case in the app and mails once for all). Statements: one
    for the preferences, one insert for the notifications, one insert per mail."""
    kept = _allowed(tells, actor_id)
    if not kept:
        return 0, 0
    now = now or timezone.now()
    wants = preferences_of(user_ids={t.recipient.pk for t in kept}, kind=kind)
    rows = [
        Notification(recipient=t.recipient, kind=kind, complaint_id=t.complaint_id, created_at=now)
        for t in kept
        if app and wants[t.recipient.pk][0]
    ]
    # A new case is told once per person (a constraint); a repeated pass adds nothing.
    Notification.objects.bulk_create(rows, ignore_conflicts=kind == Kind.NEW_CASE)
    by_person: dict[int, list[Tell]] = {}
    for tell in kept:
        if mail and wants[tell.recipient.pk][1] and tell.recipient.email:
            by_person.setdefault(tell.recipient.pk, []).append(tell)
    organisation = organisation_get() if by_person else None
    for items in by_person.values():
        person = items[0].recipient
        email_enqueue(
            to=person.email,
            kind="staff_notification",
            language=person.language,
            context={
                "organisation": organisation,
                "kind": str(kind),
                "count": len(items),
                "items": [
                    {"reference": t.reference, "subject": t.subject}
                    for t in items[:MAIL_LIST_LIMIT]
                ],
                "more": max(len(items) - MAIL_LIST_LIMIT, 0),
                "base_url": settings.BASE_URL,
            },
        )
    return len(rows), len(by_person)
