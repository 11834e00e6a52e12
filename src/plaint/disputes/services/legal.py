"""Referral of a complaint to a legal or regulatory authority (ISO 10003 asks that a case beyond
dispute resolution is recognised as such): staff record it with the authority and the reason; a
manager approves it or returns it with a note. Each step is audited (``legal_referral``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import Conflict, InvalidTransition, NotFound
from plaint.disputes.models import LegalReferral, LegalReferralState
from plaint.disputes.services.cases import require_worker
from plaint.disputes.services.common import invalid, require_manager, text

LEGAL_CASE_TYPE = "legal_referral"
DECISIONS = {"approve": LegalReferralState.APPROVED, "return": LegalReferralState.RETURNED}


def _audit(referral: LegalReferral, actor: Actor, action: str, data: dict[str, Any]) -> None:
    audit_append(
        case_type=LEGAL_CASE_TYPE,
        case_id=referral.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        at=referral.reviewed_at or referral.recorded_at,
    )


@transaction.atomic
def legal_referral_record(
    *, actor: Actor, complaint_id: int, authority: str, reason: str, now: dt.datetime | None = None
) -> LegalReferral:
    """Record that a complaint needs referral to ``authority``, for ``reason``; a manager
    reviews it next. The same authority twice while the first waits is refused."""
    require_worker(actor)
    complaint = visible_complaints(actor.user).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    name = text(authority, "authority", required=True, limit=200)
    why = text(reason, "reason", required=True, limit=5000)
    if LegalReferral.objects.filter(
        complaint=complaint, authority__iexact=name, state=LegalReferralState.PROPOSED
    ).exists():
        raise Conflict(_("A referral to this authority already waits for review."))
    referral = LegalReferral.objects.create(
        complaint=complaint,
        authority=name,
        reason=why,
        recorded_by=actor.user,
        recorded_at=now or timezone.now(),
    )
    _audit(referral, actor, "legal_referral_recorded", {"complaint": complaint.reference})
    return referral


@transaction.atomic
def legal_referral_review(
    *,
    actor: Actor,
    referral_id: int,
    decision: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> LegalReferral:
    """A manager approves the referral or returns it with a note saying why. Not the person who
    recorded it."""
    require_manager(actor)
    referral = (
        LegalReferral.objects.select_for_update()
        .filter(pk=referral_id, complaint__in=visible_complaints(actor.user).values("pk"))
        .first()
    )
    if referral is None:
        raise NotFound(_("No such referral."))
    if referral.state != LegalReferralState.PROPOSED:
        raise InvalidTransition(_("This referral has been reviewed already."))
    if decision not in DECISIONS:
        raise invalid("decision", _("Approve the referral or return it."))
    note = text(note, "note", required=decision == "return", limit=5000)
    if referral.recorded_by_id == actor.user_id:
        raise invalid("decision", _("Another manager reviews a referral you recorded."))
    referral.state = DECISIONS[decision]
    referral.review_note = note
    referral.reviewed_by = actor.user
    referral.reviewed_at = now or timezone.now()
    referral.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
    _audit(referral, actor, f"legal_referral_{referral.state}", {"state": referral.state})
    return referral
