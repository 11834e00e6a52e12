"""Each demo case's history: from receipt to its planned final state through the complaint
services, every step at a plausible moment after the one before (never after "now")."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from plaint.complaints import services as s
from plaint.complaints.demo.plan import STAGE
from plaint.complaints.demo.replay import replay_at
from plaint.complaints.demo.replies import (
    CAUSE_OF,
    DECISIONS,
    FINDINGS,
    INFORMATION_REQUEST,
    INTERNAL_NOTES,
    PHRASES,
    SEVERITY,
    remedies,
)
from plaint.complaints.demo.scenarios import Scenario
from plaint.complaints.demo.setup import Staff
from plaint.complaints.models import Complaint
from plaint.complaints.states import DisputeOutcome, State
from plaint.core.actors import Actor
from plaint.core.selectors import organisation_get

# How long after the previous step each step typically happens, in hours (low, high).
STEP_DELAY_HOURS: dict[str, tuple[float, float]] = {
    "complaint_acknowledge": (1, 20),
    "complaint_reject_out_of_scope": (4, 48),
    "complaint_assess": (4, 60),
    "complaint_start_investigation": (1, 24),
    "complaint_request_information": (12, 120),
    "message_post": (6, 72),
    "complaint_record_findings": (24, 240),
    "complaint_propose_response": (24, 120),
    "complaint_communicate_decision": (1, 24),
    "complaint_accept_decision": (24, 168),
    "complaint_decline_decision": (24, 168),
    "complaint_refer_external": (24, 120),
    "complaint_record_remedy_delivered": (12, 150),
    "complaint_record_dispute_outcome": (240, 1200),
    "complaint_close": (1, 72),
    "complaint_withdraw": (24, 240),
}


class CaseWalk:
    """Moves one complaint to its planned final state through the services, each step at its own
    moment in the past."""

    def __init__(
        self, rng: random.Random, staff: Staff, complaint: Complaint, scenario: Scenario
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.id = complaint.pk
        self.state = complaint.state
        self.scenario = scenario
        self.language = complaint.complainant.language
        self.phrases = PHRASES[self.language]
        self.team_id = staff.team_of(scenario.category)
        team_handlers = [h for h in staff.handlers if h.team_id == self.team_id]
        self.handler = (
            team_handlers[0] if team_handlers and rng.random() < 0.8 else rng.choice(staff.handlers)
        )
        self.actor = Actor.staff(self.handler)
        self.at = complaint.received_at
        self.now = timezone.now()

    def _at_next(self, service: Callable[..., Any]) -> AbstractContextManager[object]:
        """Advance this case's own clock to the moment of the next step (never past now)."""
        low, high = STEP_DELAY_HOURS[service.__name__]
        step = dt.timedelta(hours=self.rng.uniform(low, high))
        self.at = min(self.at + step, self.now - dt.timedelta(seconds=1))
        return replay_at(self.at)

    def _do(self, service: Callable[..., Any], **kwargs: Any) -> None:
        kwargs.setdefault("actor", self.actor)
        with self._at_next(service):
            self.state = service(complaint_id=self.id, **kwargs).state

    def _post(self, **kwargs: Any) -> None:
        with self._at_next(s.message_post):
            s.message_post(complaint_id=self.id, **kwargs)

    def to(self, target: State) -> None:
        """Walk the case to ``target``: the steps before the decision here, the rest after it."""
        if target == State.RECEIVED:
            return
        if self.state == State.RECEIVED:
            self._do(s.complaint_acknowledge)
        if target == State.OUT_OF_SCOPE:
            reason = self.rng.choice(self.phrases["out_of_scope"])
            self._do(s.complaint_reject_out_of_scope, reason=reason)
            return
        if target == State.WAITING_ON_COMPLAINANT:  # investigation needs more from them
            self._early_steps(State.INVESTIGATING)
            self._do(s.complaint_request_information, reason=INFORMATION_REQUEST[self.language])
            return
        # Some closed cases are withdrawn by the complainant part-way through.
        stop_at = target
        if target == State.CLOSED and self.rng.random() < 0.12:
            stop_at = self.rng.choice([State.ACKNOWLEDGED, State.ASSESSED, State.INVESTIGATING])
        self._early_steps(stop_at)
        if stop_at != target:
            self._do(
                s.complaint_withdraw, actor=Actor.complainant(), comment=self.phrases["withdraw"]
            )
            return
        if STAGE[target] <= STAGE[State.INVESTIGATING]:
            return
        decision = DECISIONS[self.language][self.scenario.category]
        self._do(
            s.complaint_propose_response,
            decision=decision,
            remedies=remedies(self.scenario.category),
        )
        if target == State.RESPONSE_PROPOSED:
            return
        self._do(s.complaint_communicate_decision)
        if target != State.DECISION_COMMUNICATED:
            self._after_decision(target, decision)

    def _after_decision(self, target: State, decision: str) -> None:
        """The complainant's answer to the decision: a review, a referral, or acceptance."""
        reviewed = target == State.INTERNAL_REVIEW or (
            target in {State.CLOSED, State.REFERRED_EXTERNAL} and self.rng.random() < 0.3
        )
        if reviewed:
            self._do(
                s.complaint_decline_decision,
                actor=Actor.complainant(),
                reason=self.phrases["decline"],
            )
        if target == State.INTERNAL_REVIEW:
            return
        if target == State.REFERRED_EXTERNAL:
            self._do(s.complaint_refer_external, note=self.phrases["refer"])
            if self.rng.random() < 0.6:
                self._dispute_outcome()
            return
        if reviewed:
            self._review(decision)
        comment = self.phrases["accept"] if self.rng.random() < 0.5 else ""
        self._do(s.complaint_accept_decision, actor=Actor.complainant(), comment=comment)
        # The refund is paid or the replacement sent, mostly within the promised ten days.
        if target == State.CLOSED or self.rng.random() < 0.5:
            self._do(s.complaint_record_remedy_delivered)
        if target == State.CLOSED:
            self._do(s.complaint_close, reason="accepted")

    def _early_steps(self, stop_at: State) -> None:
        """Assess and investigate, stopping once ``stop_at`` is reached."""
        if stop_at == State.ACKNOWLEDGED:
            return
        self._assess()
        if stop_at == State.ASSESSED:
            return
        self._do(s.complaint_start_investigation)
        self._investigate()

    def _assess(self) -> None:
        category = self.scenario.category
        severity = self.rng.choice(SEVERITY[category])
        safety = category == "product-quality" and self.rng.random() < 0.1
        priority = "urgent" if safety or severity == "critical" else "normal"
        if severity == "high" and not safety:
            priority = "high"
        self._do(
            s.complaint_assess,
            severity=severity,
            priority=priority,
            category=category,
            safety_issue=safety,
            assignee_id=self.handler.pk,
            team_id=self.team_id,
            actor=Actor.staff(self.staff.manager) if self.rng.random() < 0.3 else self.actor,
        )

    def _investigate(self) -> None:
        if self.rng.random() < 0.35:
            self._post(actor=self.actor, body=self.phrases["question"])
            if self.rng.random() < 0.7:
                self._post(actor=Actor.complainant(), body=self.phrases["answer"])
        if self.rng.random() < 0.3:
            self._post(
                actor=self.actor,
                body=self.rng.choice(INTERNAL_NOTES),
                internal=True,
            )
        if self.rng.random() < 0.8:
            findings, root_cause = FINDINGS[self.scenario.category]
            self._do(
                s.complaint_record_findings,
                findings=findings,
                root_cause=root_cause,
                cause=CAUSE_OF.get(self.scenario.category),
            )

    def _review(self, decision: str) -> None:
        """Internal review by someone other than the person who decided."""
        reviewer = next(h for h in self.staff.handlers if h.pk != self.handler.pk)
        actor = Actor.staff(reviewer)
        self._do(
            s.complaint_propose_response,
            actor=actor,
            decision=self.phrases["review"] + decision,
            remedies=remedies(self.scenario.category, extra=True),
        )
        self._do(s.complaint_communicate_decision, actor=actor)

    def _dispute_outcome(self) -> None:
        """The Consumer Disputes Committee decided some weeks later (ISO 10003), if that time has
        passed already."""
        if self.at + dt.timedelta(days=10) > self.now:
            return
        with self._at_next(s.complaint_record_dispute_outcome):
            self.state = s.complaint_record_dispute_outcome(
                complaint_id=self.id,
                actor=self.actor,
                provider="Tarbijavaidluste komisjon (Consumer Disputes Committee)",
                outcome=self.rng.choice(list(DisputeOutcome.values)),
                closed_on=timezone.localdate(timezone=ZoneInfo(organisation_get().timezone)),
                binding=self.rng.random() < 0.3,
            ).state
