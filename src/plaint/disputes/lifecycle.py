"""The dispute case's lifecycle as data (ISO 10003 clause 7, operation), one per method.

Every dispute starts at the provider's **notice** (or the complainant's referral the organisation
recorded, which the provider's notice later joins). The organisation sends its **position**; once
the provider has a complete file the sides **exchange** submissions; then the neutral helps them
settle (facilitative), recommends (advisory: the sides then accept or reject the recommendation)
or decides (determinative). An outcome that puts
obligations on the organisation is **implemented** until each is done; then the dispute is
**closed**. A dispute may be **withdrawn** at any open stage, and found **out of scope** by the
provider before its outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.complaints.states import State as ComplaintState
from plaint.disputes.states import Method


class State(models.TextChoices):
    NOTICE = "notice", _("Notice received: the organisation's position is due")
    POSITION = "position", _("Position sent: waiting for a complete file")
    EXCHANGE = "exchange", _("Exchanging submissions")
    RECOMMENDED = "recommended", _("Recommendation made: waiting for the sides' answers")
    IMPLEMENTATION = "implementation", _("Outcome being carried out")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OUT_OF_SCOPE = "out_of_scope", _("Out of the provider's scope")


TERMINAL = frozenset({State.CLOSED, State.WITHDRAWN, State.OUT_OF_SCOPE})
OPEN_STATES = frozenset(set(State) - TERMINAL)


class Outcome(models.TextChoices):
    """What the process ended in. Which outcomes a method may end in: ``OUTCOMES``."""

    SETTLED = "settled", _("Settled: the sides agreed")
    NO_AGREEMENT = "no_agreement", _("No agreement reached")
    RECOMMENDATION = "recommendation", _("Recommendation made")
    UPHELD = "upheld", _("Decided: complaint upheld")
    PARTLY_UPHELD = "partly_upheld", _("Decided: complaint partly upheld")
    NOT_UPHELD = "not_upheld", _("Decided: complaint not upheld")


OUTCOMES: dict[str, frozenset[Outcome]] = {
    Method.FACILITATIVE: frozenset({Outcome.SETTLED, Outcome.NO_AGREEMENT}),
    Method.ADVISORY: frozenset({Outcome.RECOMMENDATION, Outcome.NO_AGREEMENT}),
    Method.DETERMINATIVE: frozenset({Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD}),
}


class Step(models.TextChoices):
    SEND_POSITION = "send_position", _("Record the organisation's position")
    FILE_COMPLETE = "file_complete", _("The provider has a complete file")
    RECORD_OUTCOME = "record_outcome", _("Record the outcome")
    ACCEPT_RECOMMENDATION = "accept_recommendation", _("Both sides accept the recommendation")
    REJECT_RECOMMENDATION = "reject_recommendation", _("A side rejects the recommendation")
    CLOSE = "close", _("Close the dispute")
    WITHDRAW = "withdraw", _("Withdrawn")
    OUT_OF_SCOPE = "out_of_scope", _("Out of the provider's scope")


@dataclass(frozen=True)
class Transition:
    step: Step
    sources: frozenset[State]
    # None: the service decides (an outcome with obligations goes to implementation, one
    # without to closed; a recommendation waits for the sides' answers)
    target: State | None
    methods: frozenset[str]


ALL_METHODS = frozenset(Method.values)
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Step.SEND_POSITION, frozenset({State.NOTICE}), State.POSITION, ALL_METHODS),
    Transition(Step.FILE_COMPLETE, frozenset({State.POSITION}), State.EXCHANGE, ALL_METHODS),
    Transition(Step.RECORD_OUTCOME, frozenset({State.EXCHANGE}), None, ALL_METHODS),
    Transition(
        Step.ACCEPT_RECOMMENDATION,
        frozenset({State.RECOMMENDED}),
        None,
        frozenset({Method.ADVISORY}),
    ),
    Transition(
        Step.REJECT_RECOMMENDATION,
        frozenset({State.RECOMMENDED}),
        State.CLOSED,
        frozenset({Method.ADVISORY}),
    ),
    Transition(Step.CLOSE, frozenset({State.IMPLEMENTATION}), State.CLOSED, ALL_METHODS),
    Transition(Step.WITHDRAW, OPEN_STATES, State.WITHDRAWN, ALL_METHODS),
    Transition(
        Step.OUT_OF_SCOPE,
        frozenset({State.NOTICE, State.POSITION, State.EXCHANGE}),
        State.OUT_OF_SCOPE,
        ALL_METHODS,
    ),
)
_BY_STEP = {t.step: t for t in TRANSITIONS}


def transition(step: str) -> Transition:
    return _BY_STEP[Step(step)]


def allowed_steps(state: str, method: str) -> list[Step]:
    """The steps a dispute in ``state`` under ``method`` may take next, in lifecycle order."""
    return [t.step for t in TRANSITIONS if state in t.sources and method in t.methods]


EVENT_LABELS = {
    "referred": _("Referred, with the complainant's consent"),
    "notice": _("The provider's notice received"),
    "notice_joined": _("The provider's notice joined the referral"),
    "submission": _("Added to the file"),
    "obligation_done": _("Obligation done"),
    "offer_proposed": _("Settlement offer proposed"),
    "offer_approved": _("Settlement offer approved and made"),
    "recorded_on_case": _("Outcome recorded on the complaint"),
    "lessons_recorded": _("Lessons learned recorded"),
    "neutral_assigned": _("Neutral assigned"),
    "neutral_unassigned": _("Neutral taken off the dispute"),
    "neutral_declared": _("The neutral declared on conflicts of interest"),
    "imported": _("Imported from the provider's past outcomes"),
    "bundle_exported": _("Case bundle exported"),
    "obligation_overdue": _("Overdue obligation: the owner and a manager alerted"),
}


def event_label(action: str) -> str:
    """What a dispute's audit event says, in words."""
    if action in Step.values:
        return str(Step(action).label)
    return str(EVENT_LABELS.get(action, action))


# The complaint states from which a referral moves the complaint to "referred to external dispute
# resolution": the decision is sent, or under internal review after the complainant declined it.
REFERRABLE = frozenset({ComplaintState.INTERNAL_REVIEW, ComplaintState.DECISION_COMMUNICATED})
