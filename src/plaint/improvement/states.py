"""The corrective-action lifecycle as data (ISO 9001:2015 clause 10.2): its states, the steps
between them, and who may take each step.

A corrective action is opened, its nonconformity contained, its root cause found, actions planned
and carried out, and then the same indicator that raised it is read again: the action is closed as
effective, or — when the check shows no improvement — the manager either reopens it for a new
round (back to the cause: the cause found was probably not the real one) or closes it as not
effective, with the reason on record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    CAUSE_FOUND = "cause_found", _("Root cause found")
    ACTING = "acting", _("Actions under way")
    AWAITING_CHECK = "awaiting_check", _("Awaiting the effectiveness check")
    NOT_EFFECTIVE = "not_effective", _("Check failed: decide")
    CLOSED_EFFECTIVE = "closed_effective", _("Closed: effective")
    CLOSED_NOT_EFFECTIVE = "closed_not_effective", _("Closed: not effective")
    CANCELLED = "cancelled", _("Cancelled")


TERMINAL = frozenset({State.CLOSED_EFFECTIVE, State.CLOSED_NOT_EFFECTIVE, State.CANCELLED})
OPEN_STATES = frozenset(set(State) - TERMINAL)
# Actions may be planned and carried out until the check is scheduled.
PLANNING = frozenset({State.OPEN, State.CONTAINED, State.CAUSE_FOUND, State.ACTING})


class Step(models.TextChoices):
    RECORD_CONTAINMENT = "record_containment", _("Record the containment")
    RECORD_CAUSE = "record_cause", _("Record the root cause")
    START_ACTIONS = "start_actions", _("Start the actions")
    COMPLETE_ACTIONS = "complete_actions", _("All actions done: schedule the check")
    RUN_CHECK = "run_check", _("Run the effectiveness check")
    REOPEN = "reopen", _("Reopen for a new round")
    CLOSE_NOT_EFFECTIVE = "close_not_effective", _("Close as not effective")
    CANCEL = "cancel", _("Cancel")


MANAGER = "manager"  # managers and admins
SYSTEM = "system"  # the worker: the scheduled check, when it falls due


@dataclass(frozen=True)
class Transition:
    step: Step
    sources: frozenset[State]
    # None: the step keeps the state (a revised cause) or its service decides (the check)
    target: State | None
    actors: frozenset[str]


def _t(step: Step, sources, target: State | None, *actors: str) -> Transition:
    return Transition(step, frozenset(sources), target, frozenset(actors))


TRANSITIONS: dict[Step, Transition] = {
    t.step: t
    for t in [
        _t(Step.RECORD_CONTAINMENT, {State.OPEN, State.CONTAINED}, State.CONTAINED, MANAGER),
        _t(
            Step.RECORD_CAUSE,
            {State.OPEN, State.CONTAINED, State.CAUSE_FOUND},
            State.CAUSE_FOUND,
            MANAGER,
        ),
        _t(Step.START_ACTIONS, {State.CAUSE_FOUND}, State.ACTING, MANAGER),
        # Also taken by the service that marks the last action done (by its owner).
        _t(Step.COMPLETE_ACTIONS, {State.ACTING}, State.AWAITING_CHECK, MANAGER, SYSTEM),
        # The target is CLOSED_EFFECTIVE or NOT_EFFECTIVE, as the indicator says.
        _t(Step.RUN_CHECK, {State.AWAITING_CHECK}, None, MANAGER, SYSTEM),
        _t(Step.REOPEN, {State.NOT_EFFECTIVE}, State.CONTAINED, MANAGER),
        _t(Step.CLOSE_NOT_EFFECTIVE, {State.NOT_EFFECTIVE}, State.CLOSED_NOT_EFFECTIVE, MANAGER),
        _t(Step.CANCEL, OPEN_STATES - {State.NOT_EFFECTIVE}, State.CANCELLED, MANAGER),
    ]
}


# What the timeline shows for each audit verb of a corrective action: the steps by their label,
# the other events by these (stored as codes, translated when shown).
EVENT_LABELS = {
    "opened": _("Corrective action opened"),
    "action_added": _("Action planned"),
    "action_done": _("Action done"),
    "action_reminded": _("Reminder sent"),
    "action_overdue": _("Overdue alert sent"),
    "cause_tree_changed": _("Cause tree changed"),
    "check_reminded": _("Told that the check is due"),
    "check_overdue": _("Told that the check is overdue"),
}


def event_label(action: str) -> str:
    if action in Step.values:
        return str(Step(action).label)
    return str(EVENT_LABELS.get(action, action))


def allowed_steps(state: str, actor_kind: str = MANAGER) -> list[Step]:
    """The steps the workspace offers for an action in ``state``."""
    return [t.step for t in TRANSITIONS.values() if state in t.sources and actor_kind in t.actors]


class Source(models.TextChoices):
    COMPLAINT = "complaint", _("A complaint")
    CLUSTER = "cluster", _("An analysis finding (Pareto or control chart)")
    DISPUTE = "dispute", _("A dispute")
    SURVEY = "survey", _("A survey finding")
    AUDIT = "audit", _("An audit finding")
    MANUAL = "manual", _("Opened by hand")


class Comparison(models.TextChoices):
    AT_LEAST = "ge", _("at least")
    AT_MOST = "le", _("at most")
