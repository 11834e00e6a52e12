"""Corrective actions (ISO 9001:2015 10.2): each write one transaction that locks the action,
checks its state against ``states.TRANSITIONS`` and the actor, saves and appends its audit event
to the action's own hash chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from plaint.improvement import causetree, indicators
from plaint.improvement.models import CorrectiveAction, PlannedAction
from plaint.improvement.services.common import (
    CA_CASE_TYPE,
    audit,
    mail_person,
    owner_clean,
    require_manager,
    target_clean,
    text_clean,
)
from plaint.improvement.states import (
    MANAGER,
    PLANNING,
    SYSTEM,
    TERMINAL,
    TRANSITIONS,
    Source,
    State,
    Step,
)
from plaint.insights.selectors.filters import add_months, month_of

MAX_WHYS = 7
MAX_COMPLAINTS = 200


def _lock(ca_id: int) -> CorrectiveAction:
    ca = CorrectiveAction.objects.select_for_update().filter(pk=ca_id).first()
    if ca is None:
        raise NotFound(_("No such corrective action."))
    return ca


def _actor_kind(actor: Actor) -> str:
    if actor.kind == "system":
        return SYSTEM
    if actor.kind == "staff" and can_configure(actor.user):
        return MANAGER
    raise NotAllowed(_("Your role may not change corrective actions."))


def _gate(ca: CorrectiveAction, actor: Actor, step: Step, as_kind: str | None = None) -> None:
    """Refuse ``step`` unless the actor may take it and the action is in one of its states."""
    transition = TRANSITIONS[step]
    kind = as_kind or _actor_kind(actor)
    if kind not in transition.actors:
        raise NotAllowed(_("Your role may not take this step."))
    if ca.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the corrective action is “%(state)s”.")
            % {"step": step.label, "state": State(ca.state).label}
        )


def _move(
    ca: CorrectiveAction,
    actor: Actor,
    step: Step,
    *,
    target: State | None = None,
    data: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
    as_kind: str | None = None,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """Take ``step`` on a locked action: check the table, set the state, save, audit."""
    _gate(ca, actor, step, as_kind)
    before = ca.state
    ca.state = target or TRANSITIONS[step].target or ca.state
    now = now or timezone.now()
    ca.updated_at = now
    changed = {"state", "updated_at", *fields}
    if ca.state in TERMINAL:
        ca.closed_at = now
        changed.add("closed_at")
    ca.save(update_fields=sorted(changed))
    audit(
        CA_CASE_TYPE,
        ca.pk,
        actor,
        step.value,
        {"from": before, "to": ca.state, **(data or {})},
        at=now,
    )
    return ca


def baseline_period(opened: dt.datetime, window: int) -> tuple[dt.date, dt.date]:
    """The ``window`` whole months before the month of opening."""
    end = add_months(month_of(opened), -1)
    return add_months(end, -(window - 1)), end


def check_period(done: dt.datetime, window: int) -> tuple[dt.date, dt.date, dt.date]:
    """(first month, last month, due day) of the check: the ``window`` whole months after the
    month the actions were completed in; due the day after the last of them."""
    start = add_months(month_of(done), 1)
    end = add_months(start, window - 1)
    return start, end, add_months(end, 1)


def _window_clean(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"window_months": [_("From 1 to 12.")]}
        )
    return value


def _source_clean(source: str) -> None:
    if source not in Source.values:
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"source": [_("Unknown source.")]}
        )


def _complaints_clean(complaint_ids: Iterable[int]) -> list[Complaint]:
    ids = sorted(set(complaint_ids))
    if len(ids) > MAX_COMPLAINTS:
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"complaints": [_("At most 200.")]}
        )
    complaints = list(Complaint.objects.filter(pk__in=ids).only("pk", "reference"))
    if len(complaints) != len(ids):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"complaints": [_("No such complaint.")]}
        )
    return complaints


@transaction.atomic
def corrective_action_open(
    *,
    actor: Actor,
    title: str,
    problem: str,
    source: str,
    owner_id: int,
    indicator: dict[str, Any],
    comparison: str,
    target: float,
    window_months: int = 3,
    source_ref: str = "",
    complaint_ids: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """Open a corrective action and read its indicator's baseline over the months before.
    ``now``: when it was opened, if earlier (a record brought in from paper, the demo)."""
    # Long: one create with its audit event; the cleaning is already in helpers.
    require_manager(actor)
    _source_clean(source)
    spec = indicators.spec_clean(indicator)
    comparison, target = target_clean(comparison, target)
    window = _window_clean(window_months)
    complaints = _complaints_clean(complaint_ids)
    now = now or timezone.now()
    start, end = baseline_period(now, window)
    reading = indicators.indicator_value(spec=spec, start=start, end=end)
    ca = CorrectiveAction.objects.create(
        title=text_clean(title, "title", limit=200),
        problem=text_clean(problem, "problem"),
        source=source,
        source_ref=text_clean(source_ref, "source_ref", required=False, limit=300),
        owner=owner_clean(owner_id),
        indicator=spec,
        comparison=comparison,
        target=target,
        window_months=window,
        baseline_start=start,
        baseline_end=end,
        baseline=reading.as_dict(),
        opened_at=now,
        updated_at=now,
    )
    ca.complaints.set(complaints)
    audit(
        CA_CASE_TYPE,
        ca.pk,
        actor,
        "opened",
        {
            "title": ca.title,
            "source": source,
            "source_ref": ca.source_ref,
            "complaints": [c.reference for c in complaints],
            "owner": ca.owner.get_username(),
            "indicator": spec,
            "criterion": [comparison, target],
            "baseline_period": [f"{start:%Y-%m}", f"{end:%Y-%m}"],
            "baseline": reading.as_dict(),
        },
        at=now,
    )
    return ca


@transaction.atomic
def corrective_action_containment_record(
    *, actor: Actor, ca_id: int, containment: str, now: dt.datetime | None = None
) -> CorrectiveAction:
    ca = _lock(ca_id)
    _actor_kind(actor)
    ca.containment = text_clean(containment, "containment")
    return _move(
        ca,
        actor,
        Step.RECORD_CONTAINMENT,
        data={"containment": ca.containment},
        fields=["containment"],
        now=now,
    )


@transaction.atomic
def corrective_action_cause_record(
    *,
    actor: Actor,
    ca_id: int,
    whys: list[str],
    root_cause: str,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """The 5-whys (each answer to "why?" in order, blanks dropped) and the final root cause."""
    ca = _lock(ca_id)
    _actor_kind(actor)
    if not isinstance(whys, list) or not all(isinstance(w, str) for w in whys):
        raise ValidationFailed(_("Check the highlighted fields."), fields={"whys": [_("A list.")]})
    answers = [text_clean(w, "whys", limit=1000) for w in whys if w.strip()]
    # A root cause marked in the cause tree stands for the whys; without it, one "why?" at least.
    if len(answers) > MAX_WHYS or not (answers or causetree.root_of(ca.cause_tree)):
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={
                "whys": [
                    _(
                        "Answer “why?” from one to seven times, or mark the root cause in the "
                        "cause tree."
                    )
                ]
            },
        )
    ca.whys = answers
    ca.root_cause = text_clean(root_cause, "root_cause")
    return _move(
        ca,
        actor,
        Step.RECORD_CAUSE,
        data={"whys": answers, "root_cause": ca.root_cause},
        fields=["whys", "root_cause"],
        now=now,
    )


def _round_actions(ca: CorrectiveAction) -> list[PlannedAction]:
    return list(PlannedAction.objects.filter(corrective_action=ca, round=ca.round))


@transaction.atomic
def corrective_action_actions_start(
    *, actor: Actor, ca_id: int, now: dt.datetime | None = None
) -> CorrectiveAction:
    ca = _lock(ca_id)
    _gate(ca, actor, Step.START_ACTIONS)
    if not _round_actions(ca):
        raise Conflict(_("Plan at least one action first."))
    return _move(ca, actor, Step.START_ACTIONS, now=now)


def _complete(
    ca: CorrectiveAction, actor: Actor, *, as_kind: str | None, now: dt.datetime | None = None
) -> CorrectiveAction:
    _gate(ca, actor, Step.COMPLETE_ACTIONS, as_kind)
    actions = _round_actions(ca)
    if not actions or any(a.done_at is None for a in actions):
        raise Conflict(_("Every action of this round must be done first."))
    done = max(a.done_at for a in actions if a.done_at is not None)
    ca.check_start, ca.check_end, ca.check_due_on = check_period(done, ca.window_months)
    return _move(
        ca,
        actor,
        Step.COMPLETE_ACTIONS,
        data={
            "check_period": [f"{ca.check_start:%Y-%m}", f"{ca.check_end:%Y-%m}"],
            "check_due_on": ca.check_due_on.isoformat(),
        },
        fields=["check_start", "check_end", "check_due_on"],
        as_kind=as_kind,
        now=now,
    )


@transaction.atomic
def corrective_action_actions_complete(*, actor: Actor, ca_id: int) -> CorrectiveAction:
    return _complete(_lock(ca_id), actor, as_kind=None)


@transaction.atomic
def planned_action_add(
    *,
    actor: Actor,
    ca_id: int,
    description: str,
    owner_id: int,
    due_on: dt.date,
    now: dt.datetime | None = None,
) -> PlannedAction:
    require_manager(actor)
    ca = _lock(ca_id)
    if ca.state not in PLANNING:
        raise InvalidTransition(_("Actions can no longer be added to this corrective action."))
    if not isinstance(due_on, dt.date):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"due_on": [_("Enter a date.")]}
        )
    action = PlannedAction.objects.create(
        corrective_action=ca,
        round=ca.round,
        description=text_clean(description, "description"),
        owner=owner_clean(owner_id),
        due_on=due_on,
    )
    ca.updated_at = now or timezone.now()
    ca.save(update_fields=["updated_at"])
    audit(
        CA_CASE_TYPE,
        ca.pk,
        actor,
        "action_added",
        {
            "action": action.pk,
            "description": action.description,
            "owner": action.owner.get_username(),
            "due_on": due_on.isoformat(),
        },
        at=now,
    )
    return action


@transaction.atomic
def planned_action_done(
    *, actor: Actor, action_id: int, evidence: str = "", now: dt.datetime | None = None
) -> PlannedAction:
    """The action's owner (or a manager) marks it done with its evidence. The last action of a
    round under way schedules the effectiveness check."""
    row = PlannedAction.objects.filter(pk=action_id).values_list("corrective_action_id", flat=True)
    ca_id = row.first()
    if ca_id is None:
        raise NotFound(_("No such action."))
    ca = _lock(ca_id)
    action = PlannedAction.objects.select_for_update().get(pk=action_id)
    is_owner = actor.kind == "staff" and actor.user_id == action.owner_id
    if not is_owner:
        require_manager(actor)
    if ca.state not in PLANNING or action.round != ca.round:
        raise InvalidTransition(_("This action can no longer be changed."))
    if action.done_at is not None:
        raise Conflict(_("This action is already done."))
    action.done_at = now or timezone.now()
    action.evidence = text_clean(evidence, "evidence", required=False)
    action.save(update_fields=["done_at", "evidence"])
    audit(
        CA_CASE_TYPE,
        ca.pk,
        actor,
        "action_done",
        {"action": action.pk, "evidence": action.evidence},
        at=now,
    )
    if ca.state == State.ACTING and all(a.done_at for a in _round_actions(ca)):
        _complete(ca, actor, as_kind=SYSTEM, now=now)
    return action


@transaction.atomic
def corrective_action_check_run(
    *, actor: Actor, ca_id: int, now: dt.datetime | None = None
) -> CorrectiveAction:
    """Read the same indicator over the check period and record whether it met the criterion:
    closed as effective, or not effective (a manager then reopens or closes it). Refused before
    the check period is over. No data to read (no complaints decided, no answers) is not
    effective: the action cannot be shown to have worked."""
    ca = _lock(ca_id)
    _gate(ca, actor, Step.RUN_CHECK)
    assert ca.check_start and ca.check_end and ca.check_due_on  # set with the state
    now = now or timezone.now()
    if now.date() < ca.check_due_on:
        raise Conflict(
            _("The check period is not over: the check is due on %(day)s.")
            % {"day": date_format(ca.check_due_on, "DATE_FORMAT")}
        )
    reading = indicators.indicator_value(spec=ca.indicator, start=ca.check_start, end=ca.check_end)
    effective = bool(indicators.meets(reading.value, ca.comparison, ca.target))
    ca.check_result = reading.as_dict()
    ca.effective = effective
    ca.checked_at = now
    if actor.user_id != ca.owner_id:
        what = "checked_effective" if effective else "checked_not_effective"
        mail_person(User.objects.get(pk=ca.owner_id), what, ca, None)
    return _move(
        ca,
        actor,
        Step.RUN_CHECK,
        target=State.CLOSED_EFFECTIVE if effective else State.NOT_EFFECTIVE,
        data={
            "round": ca.round,
            "check_period": [f"{ca.check_start:%Y-%m}", f"{ca.check_end:%Y-%m}"],
            "reading": reading.as_dict(),
            "criterion": [ca.comparison, ca.target],
            "effective": effective,
        },
        fields=["check_result", "effective", "checked_at"],
        now=now,
    )


@transaction.atomic
def corrective_action_reopen(*, actor: Actor, ca_id: int, reason: str) -> CorrectiveAction:
    """A new round after a failed check: back to the cause (the one found did not hold); the
    round's actions and check stay on record in ``earlier_rounds`` and the audit trail."""
    ca = _lock(ca_id)
    _actor_kind(actor)
    note = text_clean(reason, "reason")
    if ca.state == State.NOT_EFFECTIVE:
        ca.earlier_rounds = [
            *ca.earlier_rounds,
            {
                "round": ca.round,
                "root_cause": ca.root_cause,
                "check_period": [str(ca.check_start), str(ca.check_end)],
                "check_result": ca.check_result,
                "reason": note,
            },
        ]
        ca.round += 1
        ca.check_start = ca.check_end = ca.check_due_on = ca.checked_at = None
        ca.check_reminded_at = ca.check_overdue_alerted_at = None  # told again in the new round
        ca.check_result, ca.effective = {}, None
    return _move(
        ca,
        actor,
        Step.REOPEN,
        data={"reason": note, "round": ca.round},
        fields=[
            "earlier_rounds",
            "round",
            "check_start",
            "check_end",
            "check_due_on",
            "checked_at",
            "check_reminded_at",
            "check_overdue_alerted_at",
            "check_result",
            "effective",
        ],
    )


@transaction.atomic
def corrective_action_close_not_effective(
    *, actor: Actor, ca_id: int, note: str
) -> CorrectiveAction:
    ca = _lock(ca_id)
    _actor_kind(actor)
    ca.closing_note = text_clean(note, "note")
    return _move(
        ca,
        actor,
        Step.CLOSE_NOT_EFFECTIVE,
        data={"note": ca.closing_note},
        fields=["closing_note"],
    )


@transaction.atomic
def corrective_action_cancel(*, actor: Actor, ca_id: int, reason: str) -> CorrectiveAction:
    ca = _lock(ca_id)
    _actor_kind(actor)
    ca.closing_note = text_clean(reason, "reason")
    return _move(ca, actor, Step.CANCEL, data={"reason": ca.closing_note}, fields=["closing_note"])
