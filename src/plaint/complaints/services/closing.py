"""How a case ends: closed (ISO 10002 7.10), withdrawn, or referred to external dispute
resolution (ISO 10003) with its outcome recorded later."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaint.complaints.events import DisputeOutcomeRecorded
from plaint.complaints.models import Complaint, Message
from plaint.complaints.services.base import notify_complainant
from plaint.complaints.services.lifecycle import begin, finish
from plaint.complaints.services.messages import post_message
from plaint.complaints.states import ClosureReason, DisputeOutcome, State, Step
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, ValidationFailed, choose_one_of
from plaint.core.events import publish
from plaint.core.limits import max_length
from plaint.core.selectors import organisation_get


def complaint_close(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Close (ISO 10002 7.10): after acceptance, or after the no-answer period since the decision.
    The complainant is mailed that (and why) the case is closed, with a link to it."""
    if reason not in {ClosureReason.ACCEPTED, ClosureReason.NO_ANSWER}:
        raise ValidationFailed(
            _("Close as “accepted” or “no answer”; a withdrawal has its own step."),
            fields={"reason": [_("Choose accepted or no_answer.")]},
        )
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.CLOSE, actor, expected_version)
        if reason == ClosureReason.ACCEPTED and before != State.ACCEPTED:
            raise InvalidTransition(_("The complainant has not accepted the decision yet."))
        if reason == ClosureReason.NO_ANSWER:
            if before != State.DECISION_COMMUNICATED:
                raise InvalidTransition(
                    _("“No answer” applies only while waiting for the complainant.")
                )
            days = organisation_get().no_answer_close_days
            if complaint.decision_at is None:  # set with the state; an older row may lack it
                raise InvalidTransition(
                    _("The decision has no recorded time, so the answer period cannot be counted.")
                )
            waited = timezone.now() - complaint.decision_at
            if waited < dt.timedelta(days=days):
                remaining = dt.timedelta(days=days) - waited
                left = max(1, remaining.days + (1 if remaining.seconds else 0))
                raise InvalidTransition(
                    ngettext(
                        "The complainant has %(days)d day to answer.",
                        "The complainant has %(days)d days to answer.",
                        days,
                    )
                    % {"days": days}
                    + " "
                    + ngettext("%(left)d day remains.", "%(left)d days remain.", left)
                    % {"left": left}
                )
        complaint = finish(
            complaint,
            Step.CLOSE,
            actor,
            before,
            {"closed_at": timezone.now(), "closure_reason": reason},
        )
        notify_complainant(complaint, "closed")  # says why, with the link to the closed case
        return complaint


def complaint_withdraw(
    *, complaint_id: int, actor: Actor, comment: str = "", expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.WITHDRAW, actor, expected_version)
        complaint = finish(
            complaint,
            Step.WITHDRAW,
            actor,
            before,
            {"closed_at": timezone.now(), "closure_reason": ClosureReason.WITHDRAWN},
        )
        if comment.strip():
            direction = (
                Message.Direction.INBOUND
                if actor.kind == "complainant"
                else Message.Direction.INTERNAL
            )
            post_message(complaint, direction, comment.strip(), actor)
        return complaint


def complaint_refer_external(
    *, complaint_id: int, actor: Actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    """End the internal process: the case goes to external dispute resolution (ISO 10003)."""
    with transaction.atomic():
        complaint, before = begin(complaint_id, Step.REFER_EXTERNAL, actor, expected_version)
        complaint = finish(
            complaint, Step.REFER_EXTERNAL, actor, before, {"closed_at": timezone.now()}
        )
        if note.strip():
            post_message(complaint, Message.Direction.INTERNAL, note.strip(), actor)
        notify_complainant(complaint, "referred_external", {"note": note.strip()})
        return complaint


def _check_dispute_outcome(
    provider: str, outcome: str, closed_on: dt.date, office: ZoneInfo
) -> None:
    errors: dict[str, list[str]] = {}
    if not provider:
        errors["provider"] = [_("Name the dispute resolution provider.")]
    elif len(provider) > (limit := max_length(Complaint, "dispute_provider")):
        errors["provider"] = [_("At most %(limit)s characters.") % {"limit": limit}]
    if outcome not in DisputeOutcome.values:
        errors["outcome"] = [choose_one_of(DisputeOutcome.values)]
    if closed_on > timezone.localdate(timezone=office):
        errors["closed_on"] = [_("The dispute cannot have closed in the future.")]
    if errors:
        raise ValidationFailed(_("The dispute outcome is not complete."), fields=errors)


def complaint_record_dispute_outcome(
    *,
    complaint_id: int,
    actor: Actor,
    provider: str,
    outcome: str,
    closed_on: dt.date,
    binding: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record how the external dispute resolution ended (ISO 10003), once. Higher apps hear of it
    (``DisputeOutcomeRecorded``): surveys invites the complainant to the dispute-closed survey."""
    provider = (provider or "").strip()
    # Dates are the organisation's: "today" and the referral day where its office is.
    office = ZoneInfo(organisation_get().timezone)
    _check_dispute_outcome(provider, outcome, closed_on, office)
    with transaction.atomic():
        complaint, before = begin(
            complaint_id, Step.RECORD_DISPUTE_OUTCOME, actor, expected_version
        )
        if complaint.dispute_outcome:
            raise InvalidTransition(_("The dispute's outcome is already recorded."))
        if complaint.closed_at and closed_on < timezone.localdate(complaint.closed_at, office):
            raise ValidationFailed(
                _("The dispute cannot have closed before the complaint was referred."),
                fields={"closed_on": [_("Before the referral.")]},
            )
        outcome = DisputeOutcome(outcome).value
        complaint = finish(
            complaint,
            Step.RECORD_DISPUTE_OUTCOME,
            actor,
            before,
            {
                "dispute_provider": provider,
                "dispute_outcome": outcome,
                "dispute_closed_on": closed_on,
                "dispute_binding": bool(binding),
                "dispute_note": note.strip(),
            },
            audit_extra={
                "dispute": {
                    "provider": provider,
                    "outcome": outcome,
                    "closed_on": closed_on.isoformat(),
                    "binding": bool(binding),
                }
            },
        )
        publish(DisputeOutcomeRecorded(complaint=complaint))
        return complaint
