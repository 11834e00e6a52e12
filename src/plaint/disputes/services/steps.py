"""The steps of a dispute after it opens (``plaint.disputes.lifecycle``): the organisation's
position, the complete file, the exchange of submissions, the outcome with its obligations, the
sides' answers to a recommendation, carrying the outcome out, and the exits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound
from plaint.core.models import Attachment
from plaint.core.selectors import organisation_today
from plaint.disputes.lifecycle import OUTCOMES, TERMINAL, Outcome, State, Step, transition
from plaint.disputes.models import Dispute, Obligation, Submission
from plaint.disputes.selectors import due_after
from plaint.disputes.services.cases import (
    audit,
    file_attachment,
    locked,
    locked_open,
    locked_visible,
    move,
    require_worker,
)
from plaint.disputes.services.common import amount, currency, invalid, text
from plaint.disputes.services.neutral import (
    NEUTRAL,
    obligation_owner,
    outcome_gate,
    require_no_conflict,
)

SIDES = ("organisation", "complainant", "provider")
SUBMISSION_KINDS = ("submission", "request", "answer")
OBLIGATION_KINDS = ("refund", "apology", "repair", "replacement", "compensation", "other")
# Outcomes that put nothing on the organisation: the dispute closes when they are recorded.
NOTHING_OWED = {Outcome.NO_AGREEMENT, Outcome.NOT_UPHELD}


def _submit(
    dispute: Dispute,
    actor: Actor,
    side: str,
    kind: str,
    body: str,
    now: dt.datetime,
    attachment: Attachment | None = None,
) -> Submission:
    return Submission.objects.create(
        dispute=dispute,
        side=side,
        kind=kind,
        text=body,
        at=now,
        by=actor.user,
        attachment=attachment,
    )


@transaction.atomic
def dispute_position_send(
    *,
    actor: Actor,
    dispute_id: int,
    position: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """Record the organisation's position as sent to the provider."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked(dispute_id, actor, Step.SEND_POSITION, expected_version)
    body = text(position, "position", required=True)
    _submit(dispute, actor, "organisation", "position", body, now)
    dispute.position_sent_at = now
    late = bool(dispute.position_due and now > dispute.position_due)
    return move(
        dispute,
        actor,
        Step.SEND_POSITION,
        State.POSITION,
        {"late": late},
        now,
        ["position_sent_at"],
    )


@transaction.atomic
def dispute_file_complete(
    *,
    actor: Actor,
    dispute_id: int,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """The provider says its file is complete: the exchange begins and its clock for the outcome
    starts (the provider's time to decide, by the deadline engine)."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked(dispute_id, actor, Step.FILE_COMPLETE, expected_version)
    provider = dispute.provider
    dispute.file_complete_at = now
    dispute.outcome_due = due_after(now, provider.decide_within, provider.decide_within_unit)
    due = dispute.outcome_due.isoformat() if dispute.outcome_due else None
    return move(
        dispute,
        actor,
        Step.FILE_COMPLETE,
        State.EXCHANGE,
        {"outcome_due": due},
        now,
        ["file_complete_at", "outcome_due"],
    )


@transaction.atomic
def dispute_submission_add(
    *,
    actor: Actor,
    dispute_id: int,
    side: str,
    kind: str,
    body: str,
    upload: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Add a submission, a request for information or an answer to an open dispute's file, with
    at most one file (``upload``: the organisation's evidence, or a document a side sent by post
    or e-mail), checked like every upload; the case bundle's ZIP carries it to the provider."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked_open(dispute_id, actor)
    if side not in SIDES:
        raise invalid("side", _("Choose the organisation, the complainant or the provider."))
    if kind not in SUBMISSION_KINDS:
        raise invalid("kind", _("Choose a submission, a request or an answer."))
    body = text(body, "body", required=True)
    attachment = None if upload is None else file_attachment(dispute.complaint_id, upload)
    submission = _submit(dispute, actor, side, kind, body, now, attachment)
    data: dict[str, Any] = {"side": side, "kind": kind, "submission": submission.pk}
    if attachment is not None:
        data["attachment"] = attachment.sha256
    audit(dispute, actor, "submission", data, now)
    return submission


@dataclass(frozen=True)
class ObligationInput:
    kind: str
    description: str
    due_on: dt.date
    owner_id: int
    amount: Any = None
    currency: str = ""


def _obligation(dispute: Dispute, index: int, item: ObligationInput, today: dt.date) -> Obligation:
    field = f"obligations.{index}"
    if item.kind not in OBLIGATION_KINDS:
        raise invalid(field, _("Choose the kind of obligation."))
    if not isinstance(item.due_on, dt.date) or item.due_on < today:
        raise invalid(field, _("The due date cannot be in the past."))
    owner = User.objects.filter(pk=item.owner_id, is_active=True).first()
    if owner is None or not can_work_complaints(owner):
        raise invalid(field, _("Choose an active handler, manager or admin."))
    value = amount(item.amount, field)
    if item.kind in {"refund", "compensation"} and value is None:
        raise invalid(field, _("A refund or compensation needs its amount."))
    return Obligation(
        dispute=dispute,
        kind=item.kind,
        description=text(item.description, field, required=True),
        amount=value,
        currency=currency(item.currency, field, required=value is not None),
        due_on=item.due_on,
        owner=owner,
    )


@transaction.atomic
def dispute_outcome_record(
    *,
    actor: Actor,
    dispute_id: int,
    outcome: str,
    reasons: str,
    neutral: str = "",
    obligations: list[ObligationInput] | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """Record the settlement, recommendation or decision with the neutral's reasons, and what it
    asks of the organisation. Nothing owed: the dispute closes; a recommendation waits for the
    sides' answers; otherwise the obligations are carried out. Staff who work disputes record
    it, or the neutral assigned to the dispute; either way, a dispute with a neutral's account
    assigned needs that neutral's declaration of no conflict of interest first."""
    outcome_gate(actor, dispute_id)
    now = now or timezone.now()
    dispute = locked(dispute_id, actor, Step.RECORD_OUTCOME, expected_version)
    require_no_conflict(dispute)
    if actor.kind == NEUTRAL:  # the neutral names no one at the organisation
        owner = obligation_owner(dispute)
        obligations = [replace(item, owner_id=owner) for item in obligations or []]
        neutral = ""
    if outcome not in OUTCOMES[dispute.method]:
        allowed = ", ".join(sorted(OUTCOMES[dispute.method]))
        raise invalid(
            "outcome", _("This method ends in one of: %(allowed)s.") % {"allowed": allowed}
        )
    items = obligations or []
    if outcome in NOTHING_OWED and items:
        raise invalid("obligations", _("This outcome asks nothing of the organisation."))
    today = organisation_today(now)
    rows = [_obligation(dispute, i, item, today) for i, item in enumerate(items)]
    Obligation.objects.bulk_create(rows)
    dispute.outcome, dispute.outcome_at = outcome, now
    dispute.reasons = text(reasons, "reasons", required=True)
    dispute.neutral = text(neutral, "neutral", limit=200) or dispute.neutral
    target = _after_outcome(outcome, bool(rows))
    data = {"outcome": outcome, "obligations": len(rows), "neutral": dispute.neutral}
    return move(
        dispute,
        actor,
        Step.RECORD_OUTCOME,
        target,
        data,
        now,
        ["outcome", "outcome_at", "reasons", "neutral"],
    )


def _after_outcome(outcome: str, owes: bool) -> State:
    if outcome == Outcome.RECOMMENDATION:
        return State.RECOMMENDED
    return State.IMPLEMENTATION if owes else State.CLOSED


@transaction.atomic
def dispute_recommendation_answer(
    *,
    actor: Actor,
    dispute_id: int,
    accepted: bool,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """Both sides accepted the recommendation (its obligations are carried out), or a side
    rejected it (the dispute closes with the recommendation on record)."""
    require_worker(actor)
    now = now or timezone.now()
    step = Step.ACCEPT_RECOMMENDATION if accepted else Step.REJECT_RECOMMENDATION
    dispute = locked(dispute_id, actor, step, expected_version)
    owes = dispute.obligations.exists()
    target = (State.IMPLEMENTATION if owes else State.CLOSED) if accepted else State.CLOSED
    return move(dispute, actor, step, target, {"note": text(note, "note")}, now, [])


@transaction.atomic
def obligation_done(
    *, actor: Actor, obligation_id: int, evidence: str, now: dt.datetime | None = None
) -> Obligation:
    """The organisation carried an obligation out; the evidence says how (a payment reference,
    the apology's date)."""
    require_worker(actor)
    now = now or timezone.now()
    obligation = Obligation.objects.select_for_update().filter(pk=obligation_id).first()
    if obligation is None:
        raise NotFound(_("No such obligation."))
    dispute = locked(obligation.dispute_id, actor, Step.CLOSE, None)
    if obligation.done_at is not None:
        raise InvalidTransition(_("This obligation is already done."))
    obligation.evidence = text(evidence, "evidence", required=True)
    obligation.done_at = now
    obligation.save(update_fields=["evidence", "done_at"])
    on_time = organisation_today(now) <= obligation.due_on
    audit(dispute, actor, "obligation_done", {"obligation": obligation.pk, "on_time": on_time}, now)
    return obligation


@transaction.atomic
def dispute_close(
    *,
    actor: Actor,
    dispute_id: int,
    lessons: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """Close a dispute whose obligations are all done, with what the organisation learned."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked(dispute_id, actor, Step.CLOSE, expected_version)
    if dispute.obligations.filter(done_at=None).exists():
        raise InvalidTransition(_("Some obligations are not done yet."))
    dispute.lessons = text(lessons, "lessons", required=True)
    return move(dispute, actor, Step.CLOSE, State.CLOSED, {}, now, ["lessons"])


@transaction.atomic
def dispute_exit(
    *,
    actor: Actor,
    dispute_id: int,
    step: str,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """Withdrawn (by the complainant) or out of the provider's scope, with the reason."""
    require_worker(actor)
    if step not in {Step.WITHDRAW, Step.OUT_OF_SCOPE}:
        raise invalid("step", _("Choose withdrawn or out of scope."))
    now = now or timezone.now()
    dispute = locked(dispute_id, actor, step, expected_version)
    target = transition(step).target
    assert target is not None
    return move(
        dispute, actor, step, target, {"reason": text(reason, "reason", required=True)}, now, []
    )


@transaction.atomic
def dispute_lessons_record(
    *, actor: Actor, dispute_id: int, lessons: str, now: dt.datetime | None = None
) -> Dispute:
    """What the organisation learned from a dispute that ended without the close step (an
    outcome that asked nothing of it, a withdrawal, out of scope); audited."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked_visible(dispute_id, actor)
    if dispute.state not in TERMINAL:
        raise InvalidTransition(_("Lessons are recorded when the dispute has ended."))
    dispute.lessons = text(lessons, "lessons", required=True)
    dispute.version += 1
    dispute.save(update_fields=["lessons", "version"])
    audit(dispute, actor, "lessons_recorded", {}, now)
    return dispute
