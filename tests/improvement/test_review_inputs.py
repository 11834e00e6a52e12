"""The management-review pack's inputs from the other parts of the loop: internal audit results,
staff competence, and compliance with dispute outcomes, each on a seeded set with known answers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.disputes import services as ds
from plaint.improvement import services as s
from tests.disputes.cases import decided_complaint, obligation, provider_with_all_methods, refer
from tests.improvement.audits import answer_all, plan, team_case
from tests.improvement.helpers import at
from tests.improvement.review_helpers import table

pytestmark = pytest.mark.django_db


def build(manager):
    actor = Actor.staff(manager)
    review = s.review_create(
        actor=actor,
        title="Q2 review",
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 1),
    )
    return s.review_pack_build(actor=actor, review_id=review.pk)


def test_audit_results_competence_and_dispute_compliance_reach_the_pack(manager, handler, auditor):
    with time_machine.travel(at(2026, 5, 11), tick=False):
        team, case = team_case(manager)
        audit = plan(manager, auditor, team=team)
        lead = Actor.staff(auditor)
        s.audit_start(actor=lead, audit_id=audit.pk)
        for kind, statement in (
            ("conformity", "Cases acknowledged."),
            ("nonconformity", "Late replies."),
        ):
            s.finding_record(
                actor=lead, audit_id=audit.pk, kind=kind, clause="iso10002:7", statement=statement,
                complaint_references=[case.reference],
            )  # fmt: skip
        answer_all(audit, auditor)
        s.audit_report(actor=lead, audit_id=audit.pk, conclusion="One nonconformity.")
        course = s.course_create(
            actor=Actor.staff(manager),
            name="Complaints handling",
            validity_months=12,
            required_for=["handler"],
        )
        s.training_record(
            actor=Actor.staff(manager),
            person_id=handler.pk,
            course_id=course.pk,
            completed_on=dt.date(2025, 6, 10),
        )  # valid until 2026-06-09: due at the end of June, expired by then
        dispute = refer(handler, decided_complaint(handler), provider_with_all_methods(manager))
        hand = Actor.staff(handler)
        ds.dispute_position_send(actor=hand, dispute_id=dispute.pk, position="Our view.")
        ds.dispute_file_complete(actor=hand, dispute_id=dispute.pk)
        ds.dispute_outcome_record(
            actor=hand, dispute_id=dispute.pk, outcome="upheld", reasons="Charged twice.",
            obligations=[obligation(handler, days=10), obligation(handler, kind="apology", days=20)],
        )  # fmt: skip
        first = dispute.obligations.order_by("due_on").first()
        ds.obligation_done(actor=hand, obligation_id=first.pk, evidence="Transfer 55-1")
    with time_machine.travel(at(2026, 7, 2), tick=False):
        pack = build(manager).pack
    audits = table(pack, "audits", "audits")
    assert audits["rows"] == [[f"AUD-{audit.pk}", "11 May 2026", 1, 0, 1]]
    [open_nc] = table(pack, "audits", "audit-nonconformities")["rows"]
    assert open_nc[0] == f"AUD-{audit.pk}-F2" and open_nc[2] == "none opened"
    counts = dict(table(pack, "competence", "competence")["rows"])
    assert counts == {"Expired": 1, "Never completed": 0, "Due soon": 0, "Valid": 0}
    assert table(pack, "competence", "competence-due")["rows"] == [
        [handler.username, "Complaints handling", "Expired", "9 Jun 2026"]
    ]
    [compliance] = table(pack, "disputes", "dispute-compliance")["rows"]
    assert compliance[:2] == [2, 1] and compliance[3:] == [0, 1]  # one on time, one overdue
