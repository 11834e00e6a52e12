"""The proposed response with its remedies (ISO 10002 7.8), and their delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import MONEY_REMEDIES, Complaint, Remedy, RemedyKind
from plaint.complaints.services.base import CASE_TYPE
from plaint.complaints.services.lifecycle import begin, finish
from plaint.complaints.states import State, Step
from plaint.core.actors import Actor
from plaint.core.bounds import check_past_moment
from plaint.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent


@dataclass
class RemedyInput:
    kind: str
    description: str = ""
    amount: Decimal | None = None
    currency: str = ""


def _check_remedies(remedies: list[RemedyInput]) -> None:
    errors: list[str] = []
    for i, r in enumerate(remedies, start=1):
        if r.kind not in RemedyKind.values:
            errors.append(
                _("Remedy %(number)s: choose one of %(choices)s.")
                % {"number": i, "choices": ", ".join(RemedyKind.values)}
            )
        elif r.kind in MONEY_REMEDIES:
            if r.amount is None or r.amount < 0:
                errors.append(
                    _("Remedy %(number)s: a %(kind)s needs an amount of zero or more.")
                    % {"number": i, "kind": r.kind}
                )
            if not (r.currency and len(r.currency) == 3 and r.currency.isalpha()):
                errors.append(
                    _("Remedy %(number)s: give the currency as a three-letter code, e.g. EUR.")
                    % {"number": i}
                )
        elif r.amount is not None and r.amount < 0:
            errors.append(_("Remedy %(number)s: the amount cannot be negative.") % {"number": i})
    if errors:
        raise ValidationFailed(_("Please correct the remedies."), fields={"remedies": errors})


def _proposal_number(complaint: Complaint) -> int:
    """The number of the proposal being made: one more than the case's proposals so far, as
    its audit trail records them (a proposal without remedies counts too)."""
    earlier = AuditEvent.objects.filter(
        case_type=CASE_TYPE, case_id=complaint.pk, action=Step.PROPOSE_RESPONSE.value
    ).count()
    return earlier + 1


def complaint_propose_response(
    *,
    complaint_id: int,
    actor: Actor,
    decision: str,
    remedies: list[RemedyInput],
    expected_version: int | None = None,
) -> Complaint:
    """Propose the response and remedies (ISO 10002 7.8). In internal review the reviewer must be
    someone other than the person who made the decision under review. The remedies proposed
    before are superseded: the latest proposal is the one shown and communicated."""
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(
            _("Write the proposed decision."), fields={"decision": [_("This field is required.")]}
        )
    _check_remedies(remedies)
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.PROPOSE_RESPONSE, actor, expected_version)
        if before == State.INTERNAL_REVIEW and complaint.decided_by_id == actor.user_id:
            raise NotAllowed(
                _(
                    "An internal review must be done by someone other than the person who made the decision."
                )
            )
        now = timezone.now()
        proposal = _proposal_number(complaint)
        # A new proposal (a revision, or the answer of an internal review) replaces the remedies
        # offered so far; they stay stored, superseded, for the case's history.
        complaint.remedies.current().update(superseded_at=now)
        for r in remedies:
            Remedy.objects.create(
                complaint=complaint,
                proposal=proposal,
                kind=r.kind,
                description=(r.description or "").strip(),
                amount=r.amount,
                currency=(r.currency or "").upper(),
                proposed_at=now,
                proposed_by=actor.user,
            )
        return finish(
            complaint,
            Step.PROPOSE_RESPONSE,
            actor,
            before,
            {"decision": decision},
            audit_extra={
                "proposal": proposal,
                "remedies": [
                    {
                        "kind": r.kind,
                        "amount": str(r.amount) if r.amount is not None else None,
                        "currency": (r.currency or "").upper(),
                    }
                    for r in remedies
                ],
                "review": before == State.INTERNAL_REVIEW,
            },
        )


def complaint_record_remedy_delivered(
    *,
    complaint_id: int,
    actor: Actor,
    delivered_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record that the remedy was delivered (refund paid, replacement sent): stops the promise
    clock from decision to remedy."""
    now = timezone.now()
    delivered_at = delivered_at or now
    check_past_moment(delivered_at, field="delivered_at")
    with transaction.atomic():
        complaint, before = begin(
            complaint_id, Step.RECORD_REMEDY_DELIVERED, actor, expected_version
        )
        if complaint.remedy_delivered_at is not None:
            raise InvalidTransition(_("The remedy delivery is already recorded."))
        if complaint.decision_at and delivered_at < complaint.decision_at:
            raise ValidationFailed(
                _("The remedy cannot be delivered before the decision."),
                fields={"delivered_at": [_("Before the decision.")]},
            )
        return finish(
            complaint,
            Step.RECORD_REMEDY_DELIVERED,
            actor,
            before,
            {"remedy_delivered_at": delivered_at},
        )
