"""Overdue obligations of dispute outcomes (ISO 10003 clause 7.9: carrying the outcome out): the
periodic sweep asks ``overdue_unalerted`` what is due and alerts per obligation. The owner and a
manager get a mail through the outbox and a notification in the app, written in the
obligation's transaction; the obligation is marked, so a second sweep (or a second worker) tells
nobody again in the same overdue episode."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.disputes.models import Dispute, Obligation
from plaint.disputes.selectors_overdue import (
    alert_recipients,
    alerted_this_episode,
    is_overdue,
    overdue_unalerted,
)
from plaint.disputes.services.cases import DISPUTE_CASE_TYPE, audit
from plaint.disputes.states import ObligationKind
from plaint.notifications.models import Kind
from plaint.notifications.services import SubjectTell, subject_notifications_send

SWEEP = Actor.system("obligation sweep")
MAIL_KIND = "dispute_obligation_overdue"


def _mail(person: User, dispute: Dispute, obligation: Obligation, path: str) -> None:
    if not person.email:
        return
    email_enqueue(
        to=person.email,
        kind=MAIL_KIND,
        language=person.language,
        context={
            "reference": dispute.reference,
            "complaint": dispute.complaint.reference,
            "provider": dispute.provider.name,
            "kind": ObligationKind(obligation.kind).label,  # lazy: in the mail's language
            "description": obligation.description,
            # written in the mail's language when it is sent (the ``money`` filter)
            "amount": "" if obligation.amount is None else str(obligation.amount),
            "currency": obligation.currency,
            "due_on": obligation.due_on,  # written in the mail's language
            "owner": obligation.owner.get_username(),
            "url": f"{settings.BASE_URL}{path}",
        },
    )


@transaction.atomic
def obligation_overdue_alert(*, obligation_id: int, today: dt.date) -> bool:
    """Tell the owner and a manager that an obligation is overdue, once per overdue episode.
    True when told (False: done meanwhile, not overdue, or already told)."""
    obligation = (
        Obligation.objects.select_for_update()
        .select_related("owner")
        .filter(pk=obligation_id)
        .first()
    )
    if obligation is None or not is_overdue(obligation, today):
        return False
    if alerted_this_episode(obligation):
        return False
    dispute = (
        Dispute.objects.select_for_update()
        .select_related("complaint", "provider")
        .get(pk=obligation.dispute_id)
    )
    obligation.dispute = dispute
    now = timezone.now()
    obligation.overdue_alerted_at = now
    obligation.save(update_fields=["overdue_alerted_at"])
    people = alert_recipients(obligation)
    path = reverse("disputes:dispute", kwargs={"dispute_id": dispute.pk})
    for person in people:
        _mail(person, dispute, obligation, path)
    title = obligation.description  # the person's words: the same in every language
    told = subject_notifications_send(
        kind=Kind.DISPUTE_OBLIGATION_OVERDUE,
        tells=[
            SubjectTell(p, DISPUTE_CASE_TYPE, dispute.pk, dispute.reference, title, path)
            for p in people
        ],
        now=now,
    )
    data = {"obligation": obligation.pk, "due_on": obligation.due_on.isoformat(), "told": told}
    audit(dispute, SWEEP, "obligation_overdue", data, now)
    return True


def obligations_overdue_sweep() -> int:
    """One pass of the periodic duty: alert each overdue obligation not yet alerted in this
    episode; "today" is the organisation's. Returns how many were alerted."""
    zone = zoneinfo.ZoneInfo(organisation_get().timezone)
    with timezone.override(zone):
        today = timezone.localdate()
        ids = list(overdue_unalerted(today=today).values_list("pk", flat=True)[:1000])
        return sum(obligation_overdue_alert(obligation_id=pk, today=today) for pk in ids)
