"""Telling people in the app about a record of a higher app (a corrective action's step due, its
effectiveness check overdue …): this app stores what the list shows of it and where it opens,
given by the app that tells; it never imports that app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from plaint.accounts.access import can_read_complaints
from plaint.accounts.models import User
from plaint.notifications.models import IN_APP_ONLY, Kind, Notification
from plaint.notifications.selectors import preferences_of


@dataclass(frozen=True)
class SubjectTell:
    """Tell ``recipient`` about ``subject_type`` ``subject_id``: its reference and title as the
    list shows them, and the staff page (a path on this site) it opens."""

    recipient: User
    subject_type: str
    subject_id: int
    reference: str
    title: str
    path: str


@transaction.atomic
def subject_notifications_send(
    *, kind: Kind, tells: Iterable[SubjectTell], now: dt.datetime | None = None
) -> int:
    """Write one notification per person and subject of ``kind`` (an in-app-only kind), in the
    caller's transaction, to the active staff members among the recipients who keep that kind
    in the app. The caller tells once (it marks what it told); returns how many were written."""
    if kind not in IN_APP_ONLY:
        raise ValueError(f"{kind} is about complaints: use notifications_send")
    seen: set[tuple[int, str, int]] = set()
    kept = []
    for tell in tells:
        key = (tell.recipient.pk, tell.subject_type, tell.subject_id)
        person = tell.recipient
        if key in seen or not person.is_active or not can_read_complaints(person):
            continue
        if not tell.path.startswith("/") or tell.path.startswith("//"):
            raise ValueError("a notification opens a page of this site")
        seen.add(key)
        kept.append(tell)
    if not kept:
        return 0
    wants = preferences_of(user_ids={t.recipient.pk for t in kept}, kind=kind)
    rows = [
        Notification(
            recipient=t.recipient,
            kind=kind,
            subject_type=t.subject_type,
            subject_id=t.subject_id,
            subject_ref=t.reference[:32],
            subject_title=t.title[:200],
            subject_path=t.path[:200],
            created_at=now or timezone.now(),
        )
        for t in kept
        if wants[t.recipient.pk][0]
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
