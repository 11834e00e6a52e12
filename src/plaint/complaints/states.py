"""The complaint lifecycle as data: states, the steps between them, and who may take each step.

ISO 10002:2018 clause 7: receipt (7.3), tracking (7.4), acknowledgement (7.5), initial assessment
(7.6), investigation (7.7), response (7.8), communicating the decision (7.9), closing (7.10).
"Not satisfied" opens an internal review by another person; a case may end at external dispute
resolution (ISO 10003).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSESSED = "assessed", _("Assessed")
    INVESTIGATING = "investigating", _("Under investigation")
    RESPONSE_PROPOSED = "response_proposed", _("Response proposed")
    DECISION_COMMUNICATED = "decision_communicated", _("Decision communicated")
    ACCEPTED = "accepted", _("Decision accepted")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    CLOSED = "closed", _("Closed")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    REFERRED_EXTERNAL = "referred_external", _("Referred to external dispute resolution")
    WAITING_ON_COMPLAINANT = "waiting_on_complainant", _("Waiting on the complainant")


TERMINAL = frozenset({State.CLOSED, State.OUT_OF_SCOPE, State.REFERRED_EXTERNAL})
OPEN = frozenset(set(State) - TERMINAL)

# The order the public page shows the stages in.
PUBLIC_STAGES = [
    State.RECEIVED,
    State.ACKNOWLEDGED,
    State.ASSESSED,
    State.INVESTIGATING,
    State.DECISION_COMMUNICATED,
    State.CLOSED,
]

# What the complainant reads for each state (tracking page, how-to page): public words, never the
# internal names. A proposal not yet sent and an internal review are both "Under review".
PUBLIC_LABELS: dict[State, Promise] = {
    State.RECEIVED: _("Received"),
    State.ACKNOWLEDGED: _("Acknowledged"),
    State.ASSESSED: _("Assessed"),
    State.INVESTIGATING: _("Under investigation"),
    State.RESPONSE_PROPOSED: _("Under review"),
    State.DECISION_COMMUNICATED: _("Decision sent"),
    State.ACCEPTED: _("Decision accepted"),
    State.INTERNAL_REVIEW: _("Under review"),
    State.CLOSED: _("Closed"),
    State.OUT_OF_SCOPE: _("Closed: outside our complaints process"),
    State.REFERRED_EXTERNAL: _("Referred to an independent dispute-resolution provider"),
    State.WAITING_ON_COMPLAINANT: _("Waiting for your answer"),
}


def public_label(state: str) -> str:
    """The state as the complainant reads it, in the active language."""
    return str(PUBLIC_LABELS[State(state)])


class Step(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ASSESS = "assess", _("Initial assessment: in scope")
    REJECT_OUT_OF_SCOPE = "reject_out_of_scope", _("Initial assessment: out of scope")
    START_INVESTIGATION = "start_investigation", _("Start investigation")
    RECORD_FINDINGS = "record_findings", _("Record findings and root cause")
    PROPOSE_RESPONSE = "propose_response", _("Propose response and remedy")
    COMMUNICATE_DECISION = "communicate_decision", _("Communicate the decision")
    ACCEPT_DECISION = "accept_decision", _("Complainant accepts the decision")
    DECLINE_DECISION = "decline_decision", _("Complainant is not satisfied")
    CLOSE = "close", _("Close")
    WITHDRAW = "withdraw", _("Withdrawn by the complainant")
    REFER_EXTERNAL = "refer_external", _("Refer to external dispute resolution")
    REQUEST_INFORMATION = "request_information", _("Ask the complainant for information")
    RESUME = "resume", _("Resume handling")
    RECORD_REMEDY_DELIVERED = "record_remedy_delivered", _("Record the remedy as delivered")
    RECORD_DISPUTE_OUTCOME = "record_dispute_outcome", _("Record the external dispute's outcome")
    REOPEN = "reopen", _("Reopen the case")


# Audit verbs that earlier versions wrote for what is now a step's verb ("acknowledged" for the
# automatic acknowledgement at intake). Stored events keep them (they are hashed into the audit
# chain); they are labelled as the step.
FORMER_STEP_VERBS: dict[str, Step] = {"acknowledged": Step.ACKNOWLEDGE}


# Every audit verb that names a step, to its step: ``Step.values`` builds a new list on every
# access, and the case page asks once per timeline entry.
_STEP_OF_ACTION: dict[str, Step] = {**FORMER_STEP_VERBS, **{step.value: step for step in Step}}


def action_step(action: str) -> Step | None:
    """The lifecycle step an audit action records, or None for other actions."""
    return _STEP_OF_ACTION.get(action)


# States from which a case may wait on the complainant; resuming returns to the state it left.
WAITABLE = frozenset(
    {State.ACKNOWLEDGED, State.ASSESSED, State.INVESTIGATING, State.INTERNAL_REVIEW}
)

STAFF = "staff"  # a working staff role: admin, manager or handler
COMPLAINANT = "complainant"  # the holder of the tracking token


@dataclass(frozen=True)
class Transition:
    step: Step
    sources: frozenset[State]
    target: State | None  # None: the step records something and keeps the state
    actors: frozenset[str]


def _t(step: Step, sources, target: State | None, *actors: str) -> Transition:
    return Transition(step, frozenset(sources), target, frozenset(actors))


TRANSITIONS: dict[Step, Transition] = {
    t.step: t
    for t in [
        _t(Step.ACKNOWLEDGE, {State.RECEIVED}, State.ACKNOWLEDGED, STAFF),
        _t(Step.ASSESS, {State.ACKNOWLEDGED}, State.ASSESSED, STAFF),
        _t(Step.REJECT_OUT_OF_SCOPE, {State.ACKNOWLEDGED}, State.OUT_OF_SCOPE, STAFF),
        _t(Step.START_INVESTIGATION, {State.ASSESSED}, State.INVESTIGATING, STAFF),
        _t(Step.RECORD_FINDINGS, {State.INVESTIGATING, State.INTERNAL_REVIEW}, None, STAFF),
        _t(
            Step.PROPOSE_RESPONSE,
            {State.INVESTIGATING, State.INTERNAL_REVIEW, State.RESPONSE_PROPOSED},
            State.RESPONSE_PROPOSED,
            STAFF,
        ),
        _t(
            Step.COMMUNICATE_DECISION, {State.RESPONSE_PROPOSED}, State.DECISION_COMMUNICATED, STAFF
        ),
        _t(Step.ACCEPT_DECISION, {State.DECISION_COMMUNICATED}, State.ACCEPTED, COMPLAINANT, STAFF),
        _t(
            Step.DECLINE_DECISION,
            {State.DECISION_COMMUNICATED},
            State.INTERNAL_REVIEW,
            COMPLAINANT,
            STAFF,
        ),
        _t(Step.CLOSE, {State.ACCEPTED, State.DECISION_COMMUNICATED}, State.CLOSED, STAFF),
        _t(Step.WITHDRAW, OPEN, State.CLOSED, COMPLAINANT, STAFF),
        _t(
            Step.REFER_EXTERNAL,
            {State.INTERNAL_REVIEW, State.DECISION_COMMUNICATED},
            State.REFERRED_EXTERNAL,
            STAFF,
        ),
        _t(Step.REQUEST_INFORMATION, WAITABLE, State.WAITING_ON_COMPLAINANT, STAFF),
        # The target is the remembered state (``Complaint.resume_state``), set by the service.
        _t(Step.RESUME, {State.WAITING_ON_COMPLAINANT}, None, STAFF),
        _t(
            Step.RECORD_REMEDY_DELIVERED,
            {State.DECISION_COMMUNICATED, State.ACCEPTED},  # carried out, then closed
            None,
            STAFF,
        ),
        # The external provider's result (ISO 10003), recorded once; the case stays referred.
        _t(Step.RECORD_DISPUTE_OUTCOME, {State.REFERRED_EXTERNAL}, None, STAFF),
        # a closed case handled again (staff, or e-mail intake for a reply that came after it)
        _t(Step.REOPEN, {State.CLOSED}, State.INVESTIGATING, STAFF),
    ]
}


# The steps that end a case (its target is terminal): the pages show them as destructive and ask
# for a confirmation before the service is called.
CASE_ENDING_STEPS = frozenset(t.step for t in TRANSITIONS.values() if t.target in TERMINAL)


def allowed_steps(state: str, actor_kind: str) -> list[Step]:
    """The steps the UI offers for a case in ``state`` to an actor of ``actor_kind``."""
    return [t.step for t in TRANSITIONS.values() if state in t.sources and actor_kind in t.actors]


def case_steps(complaint, actor_kind: str) -> list[Step]:
    """``allowed_steps`` for this case, without the steps it has already recorded once."""
    steps = allowed_steps(complaint.state, actor_kind)
    if complaint.dispute_outcome:
        steps = [s for s in steps if s != Step.RECORD_DISPUTE_OUTCOME]
    return steps


class ClosureReason(models.TextChoices):
    ACCEPTED = "accepted", _("Decision accepted")
    NO_ANSWER = "no_answer", _("No answer from the complainant")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DisputeOutcome(models.TextChoices):
    """How an external dispute resolution (ISO 10003) ended."""

    FOR_COMPLAINANT = "resolved_in_favour_of_complainant", _("Resolved in the complainant's favour")
    FOR_ORGANISATION = (
        "resolved_in_favour_of_organisation",
        _("Resolved in the organisation's favour"),
    )
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ACCEPTED = "not_accepted_by_provider", _("Not accepted by the provider")
