"""Migration 0003 turns each dispute outcome typed on a complaint into a closed dispute case of
that provider (added to the register as not offered when unknown)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from plaint.complaints.models import Complaint
from plaint.disputes.models import Dispute, Provider
from tests.disputes.helpers import make_provider
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

migration = importlib.import_module("plaint.disputes.migrations.0003_legacy_outcomes")


def old_outcome(outcome: str, provider: str) -> Complaint:
    complaint, _token = make_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(
        state="referred_external",
        closed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        dispute_provider=provider,
        dispute_outcome=outcome,
        dispute_closed_on=dt.date(2026, 5, 20),
        dispute_binding=True,
        dispute_note="The committee found for the complainant.",
    )
    return complaint


def test_old_outcomes_become_closed_disputes(manager):
    known = make_provider(manager, name="Consumer Disputes Committee")
    upheld = old_outcome("resolved_in_favour_of_complainant", "consumer disputes committee")
    gone = old_outcome("withdrawn", "Old Ombudsman")
    make_complaint()  # no dispute: nothing to migrate
    migration.forwards(apps, None)
    first = Dispute.objects.get(complaint=upheld)
    assert (first.provider, first.method, first.state, first.outcome) == (
        known, "determinative", "closed", "upheld",
    )  # fmt: skip
    assert first.binding_on_organisation and first.reasons.startswith("The committee")
    assert first.outcome_at.date() == dt.date(2026, 5, 20) and first.opened_via == "legacy"
    second = Dispute.objects.get(complaint=gone)
    assert (second.state, second.provider.name, second.provider.active) == (
        "withdrawn",
        "Old Ombudsman",
        False,
    )
    assert Dispute.objects.count() == 2
    migration.backwards(apps, None)
    assert not Dispute.objects.exists()
    assert list(Provider.objects.values_list("name", flat=True)) == ["Consumer Disputes Committee"]
