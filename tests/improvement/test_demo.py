"""The improvement demo: objectives and two corrective actions whose figures are read from the
demo's complaints by the indicators; one checked effective, one not; an internal audit reported
with its three findings, the nonconformity's corrective action opened; chains verify."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from plaint.complaints.demo import seed_demo as complaints_seed
from plaint.complaints.models import Complaint
from plaint.core.audit import audit_verify
from plaint.improvement import indicators
from plaint.improvement.demo import seed_demo
from plaint.improvement.models import Audit, CorrectiveAction, Finding, ManagementReview, Objective
from plaint.improvement.models_returns import ReturnMapping
from plaint.improvement.states import State
from plaint.improvement.states_audit import AuditState
from plaint.improvement.states_review import ReviewState


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        complaints_seed(complaints=60, seed=7)
        summary = seed_demo(now=timezone.now())
        yield summary
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_two_corrective_actions_one_effective_one_not_from_the_real_figures(seeded):
    cas = list(CorrectiveAction.objects.exclude(source="audit").order_by("pk"))
    assert len(cas) == 2
    assert {ca.state for ca in cas} == {State.CLOSED_EFFECTIVE, State.NOT_EFFECTIVE}, seeded
    for ca in cas:  # each check is the indicator read again over its period
        again = indicators.indicator_value(
            spec=ca.indicator, start=ca.check_start, end=ca.check_end
        )
        assert ca.check_result["value"] == again.value
        base = indicators.indicator_value(
            spec=ca.indicator, start=ca.baseline_start, end=ca.baseline_end
        )
        assert ca.baseline["value"] == base.value
    assert "effective" in seeded and audit_verify().breaks == []


@pytest.mark.django_db
def test_objectives_are_seeded(seeded):
    assert Objective.objects.count() == 4


@pytest.mark.django_db
def test_an_audit_is_reported_with_a_finding_of_each_kind(seeded):
    audit = Audit.objects.get()
    assert audit.state == AuditState.REPORTED and audit.conclusion
    assert not audit.items.filter(answer="").exists()
    findings = {f.kind: f for f in Finding.objects.filter(audit=audit)}
    assert set(findings) == {"conformity", "observation", "nonconformity"}
    nc = findings["nonconformity"]
    assert nc.complaints.count() == 2
    assert nc.corrective_action.source == "audit"
    assert nc.corrective_action.source_ref == nc.reference
    assert set(nc.corrective_action.complaints.all()) == set(nc.complaints.all())
    assert "audit AUD-" in seeded


@pytest.mark.django_db
def test_the_demo_codes_its_categories_and_products_for_the_returns(seeded):
    assert "codes for the regulatory returns" in seeded
    coded = ReturnMapping.objects.filter(report="idr", kind="product")
    products = set(Complaint.objects.exclude(product="").values_list("product", flat=True))
    assert set(coded.values_list("source", flat=True)) == products  # and "" is left without one
    assert ReturnMapping.objects.filter(report="half_yearly", kind="category").count() == 8


def test_a_held_review_of_the_last_quarter_with_one_action_done_and_one_open(seeded):
    review = ManagementReview.objects.get()
    assert review.state == ReviewState.HELD and review.decisions and review.pack_built_at
    assert review.pack["sections"][0]["key"] == "complaints"
    assert sorted(a.done_at is None for a in review.actions.all()) == [False, True]
    assert "management review MR-" in seeded
