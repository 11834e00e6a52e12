"""Management reviews through their services: the lifecycle as the table says, the pack's
figures for each section on a seeded quarter with known answers, permissions, bad input, the
action reminders through the outbox and the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent, OutboundEmail
from plaint.improvement import review_pack
from plaint.improvement import services as s
from plaint.improvement.models import ManagementReview
from plaint.improvement.states_review import REVIEW_TRANSITIONS, ReviewState, ReviewStep
from tests.improvement.helpers import at, file_complaint
from tests.improvement.review_helpers import built_review, open_review, seed_quarter, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(manager, handler):
    seed_quarter(manager, handler)


def test_a_review_goes_from_draft_to_closed_with_its_actions(manager, quarter):
    m = Actor.staff(manager)
    review = open_review(manager)
    assert review.state == ReviewState.DRAFT and review.reference == f"MR-{review.pk}"
    with pytest.raises(InvalidTransition):
        s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 9),
            attendees="a",
            decisions="d",
        )
    review = s.review_pack_build(actor=m, review_id=review.pk)
    assert review.state == ReviewState.PACK_BUILT and review.pack_built_at and review.pack_html
    review = s.review_changes_record(
        actor=m, review_id=review.pk, regulation="New ombudsman rules", products="", organisation=""
    )
    assert review.state == ReviewState.DRAFT  # the pack must be built again to include them
    review = s.review_pack_build(actor=m, review_id=review.pk)
    assert "New ombudsman rules" in review.pack_html
    with time_machine.travel(at(2026, 4, 15), tick=False):
        review = s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 14),
            attendees="Maria (quality), Hans (customer care)",
            decisions="Set a stacking limit in the warehouse.",
        )
        assert review.state == ReviewState.HELD
        action = s.review_action_add(
            actor=m,
            review_id=review.pk,
            description="Agree the stacking limit",
            owner_id=manager.pk,
            due_on=dt.date(2026, 5, 1),
        )
        with pytest.raises(Conflict):
            s.review_close(actor=m, review_id=review.pk)
        s.review_action_done(actor=m, action_id=action.pk, evidence="Memo 12")
        review = s.review_close(actor=m, review_id=review.pk)
    assert review.state == ReviewState.CLOSED and review.closed_at
    actions = list(
        AuditEvent.objects.filter(case_type="management_review", case_id=review.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "created",
        "build_pack",
        "record_changes",
        "build_pack",
        "hold",
        "action_added",
        "action_done",
        "close",
    ]
    assert audit_verify().breaks == []


def test_every_step_is_refused_outside_its_states(manager):
    m = Actor.staff(manager)
    review = open_review(manager)
    calls = {
        ReviewStep.HOLD: lambda: s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 1),
            attendees="a",
            decisions="d",
        ),
        ReviewStep.CLOSE: lambda: s.review_close(actor=m, review_id=review.pk),
    }
    for step, call in calls.items():
        assert ReviewState.DRAFT not in REVIEW_TRANSITIONS[step].sources
        with pytest.raises(InvalidTransition):
            call()
    ManagementReview.objects.filter(pk=review.pk).update(state=ReviewState.CLOSED)
    with pytest.raises(InvalidTransition):
        s.review_pack_build(actor=m, review_id=review.pk)
    with pytest.raises(InvalidTransition):
        s.review_changes_record(
            actor=m, review_id=review.pk, regulation="x", products="", organisation=""
        )


def test_each_section_of_the_pack_has_the_seeded_figures(manager, quarter):
    review = built_review(manager)
    pack = review.pack
    assert pack["period"] == ["2026-01", "2026-03"] and pack["language"] == "en"
    keys = [sec["key"] for sec in pack["sections"]]
    assert keys == [
        "complaints",
        "objectives",
        "satisfaction",
        "promises",
        "disputes",
        "audits",
        "corrective",
        "competence",
        "changes",
    ]
    categories = {row[0]: row[1:] for row in table(pack, "complaints", "pareto-category")["rows"]}
    assert categories["Delivery"] == [2, 50.0, 50.0]
    assert categories["Billing"][0] == 1 and categories["(none)"][0] == 1
    months = table(pack, "complaints", "control-chart")["rows"]
    assert [(r[0], r[1]) for r in months] == [("2026-01", 3), ("2026-02", 1), ("2026-03", 0)]
    [objective] = table(pack, "objectives", "objectives")["rows"]
    assert objective[0] == "Few complaints" and objective[2] == "≤ 5"
    assert objective[3] == 4.0 and objective[6] == 4 and objective[7] == "Yes"
    measures = table(pack, "satisfaction", "measures-handling")
    overall = next(r for r in measures["rows"] if r[0] == "Question overall")
    assert overall[2] == 4 and overall[4] == 75.0  # answers; CSAT, top-2 boxes
    # the outcome typed on the case page became a closed dispute case (disputes app)
    assert table(pack, "disputes", "disputes")["rows"] == [["Settled: the sides agreed", 1, 1]]
    disputes = next(sec for sec in pack["sections"] if sec["key"] == "disputes")
    assert "ended in the period with an outcome: 1." in review.pack_html and disputes["title"]
    assert table(pack, "corrective", "corrective-states")["rows"] == [["Open", 1]]
    assert "Corrective actions opened in the period: 1." in review.pack_html
    promises = table(pack, "promises", "promises")
    assert promises["rows"][-1][0] == "Decisions not accepted (reopened)"
    # The same SVG charts as the analysis page: the control chart and the Paretos.
    assert review.pack_html.count('class="chart-pair"') >= 5


def test_the_pack_is_built_in_the_reviews_language_right_to_left_for_persian(manager, quarter):
    review = built_review(manager, language="fa")
    titles = [sec["title"] for sec in review.pack["sections"]]
    assert review.pack["language"] == "fa" and "Complaints and their analysis" not in titles
    assert 'direction="rtl"' in review.pack_html


def test_a_section_is_one_registered_function(manager, quarter):
    def extra(ctx: review_pack.PackContext) -> review_pack.Section:
        return review_pack.Section("extra", "Extra input", intro=f"{ctx.analysis().total} seen")

    review_pack.pack_section(order=95)(extra)
    try:
        review = built_review(manager)
    finally:
        review_pack.SECTIONS[:] = [(o, b) for o, b in review_pack.SECTIONS if b is not extra]
    assert review.pack["sections"][-1]["key"] == "extra" and "4 seen" in review.pack_html


@pytest.mark.parametrize("role", ["handler", "auditor"])
def test_only_managers_and_admins_write(personas, role):
    actor = Actor.staff(personas[role])
    with pytest.raises(NotAllowed):
        s.review_create(
            actor=actor,
            title="Q1",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 1),
        )
    review = open_review(personas["manager"])
    with pytest.raises(NotAllowed):
        s.review_pack_build(actor=actor, review_id=review.pk)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period_start": dt.date(2026, 4, 1)}, "period_end"),
        ({"title": "  "}, "title"),
        ({"language": "de"}, "language"),
        ({"period_start": "2026-01"}, "period_start"),
    ],
)
def test_bad_input_is_refused_with_the_field(manager, fields, field):
    with pytest.raises(ValidationFailed) as exc:
        open_review(manager, **fields)
    assert field in exc.value.fields
    assert not ManagementReview.objects.exists()


def test_meeting_and_action_input_is_checked(manager, handler, quarter):
    m = Actor.staff(manager)
    review = built_review(manager)
    with time_machine.travel(at(2026, 4, 15), tick=False), pytest.raises(ValidationFailed) as exc:
        s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 5, 1),
            attendees="a",
            decisions="d",
        )
    assert "meeting_on" in exc.value.fields
    with time_machine.travel(at(2026, 4, 15), tick=False):
        s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 14),
            attendees="a",
            decisions="d",
        )
    with pytest.raises(ValidationFailed) as exc:  # a handler cannot read the review
        s.review_action_add(
            actor=m,
            review_id=review.pk,
            description="x",
            owner_id=handler.pk,
            due_on=dt.date(2026, 5, 1),
        )
    assert "owner_id" in exc.value.fields


def test_the_sweep_reminds_before_and_alerts_after_the_due_day_once(manager, admin_user, quarter):
    m = Actor.staff(manager)
    review = built_review(manager)
    with time_machine.travel(at(2026, 4, 15), tick=False):
        s.review_hold(
            actor=m,
            review_id=review.pk,
            meeting_on=dt.date(2026, 4, 14),
            attendees="a",
            decisions="d",
        )
        action = s.review_action_add(
            actor=m,
            review_id=review.pk,
            description="Train the warehouse staff",
            owner_id=admin_user.pk,
            due_on=dt.date(2026, 5, 1),
        )
    with time_machine.travel(at(2026, 4, 29), tick=False):
        assert s.review_sweep() == {"reminded": 1, "overdue": 0}
        assert s.review_sweep() == {"reminded": 0, "overdue": 0}
    with time_machine.travel(at(2026, 5, 3), tick=False):
        assert s.review_sweep() == {"reminded": 0, "overdue": 1}
        assert s.review_sweep() == {"reminded": 0, "overdue": 0}
    mails = list(OutboundEmail.objects.filter(kind="review_action").order_by("id"))
    assert [m.to for m in mails] == [admin_user.email, admin_user.email, manager.email]
    assert "due soon" in mails[0].subject and review.reference in mails[0].subject
    assert "Train the warehouse staff" in mails[1].body
    action.refresh_from_db()
    assert action.reminded_at and action.overdue_alerted_at
    assert audit_verify().breaks == []


def test_a_long_pareto_keeps_its_largest_items_and_one_row_for_the_rest():
    table = review_pack.Table("pareto-product", "Products", ["Product", "n", "%", "cum %"])
    table.rows = [[f"P{i}", 1, 2.0, 2.0 * (i + 1)] for i in range(50)]
    rows = review_pack._top(table).rows
    assert len(rows) == 21 and rows[19][0] == "P19"
    assert rows[20] == ["All 30 others", 30, 60.0, 100.0]


def test_building_the_pack_reads_as_many_statements_however_many_cases(manager, handler, quarter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements() -> int:
        review = open_review(manager)
        with (
            time_machine.travel(at(2026, 4, 9), tick=False),
            CaptureQueriesContext(connection) as ctx,
        ):
            s.review_pack_build(actor=Actor.staff(manager), review_id=review.pk)
        return len(ctx.captured_queries)

    before = statements()
    for day in (3, 4, 5):
        file_complaint(at(2026, 2, day), handler, category="billing")
    assert statements() == before
