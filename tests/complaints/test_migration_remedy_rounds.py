"""Migration 0010 numbers the remedies stored before proposals had rounds: by the case's
``propose_response`` audit events where it has them, by the remedies' own times where not; only
the latest proposal's remedies stay current."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from plaint.complaints import services as s
from plaint.complaints.models import Remedy
from plaint.core.actors import Actor
from plaint.core.models import AuditEvent
from tests.complaints.proposals import propose_again
from tests.factories import advance, make_complaint

migration = importlib.import_module("plaint.complaints.migrations.0010_remedy_proposal_round")


def _proposal_times(complaint) -> list[dt.datetime]:
    return list(
        AuditEvent.objects.filter(
            case_type="complaint", case_id=complaint.pk, action="propose_response"
        )
        .order_by("seq")
        .values_list("at", flat=True)
    )


def _rows(complaint) -> list[tuple[str, int, dt.datetime | None]]:
    return [
        (r.kind, r.proposal, r.superseded_at)
        for r in Remedy.objects.filter(complaint=complaint).order_by("proposed_at", "id")
    ]


@pytest.mark.django_db
def test_existing_remedies_are_numbered_by_the_proposals_of_their_case(handler, other_handler):
    reviewed = propose_again(make_complaint()[0], decider=handler, reviewer=other_handler)
    revised = advance(make_complaint()[0], "response_proposed", by=handler)
    s.complaint_propose_response(
        complaint_id=revised.pk,
        actor=Actor.staff(handler),
        decision="We replace it.",
        remedies=[s.RemedyInput("replacement")],
    )
    emptied = advance(make_complaint()[0], "decision_communicated", by=handler)
    s.complaint_decline_decision(complaint_id=emptied.pk, actor=Actor.complainant(), reason="No.")
    s.complaint_propose_response(
        complaint_id=emptied.pk,
        actor=Actor.staff(other_handler),
        decision="The decision stands.",
        remedies=[],
    )
    once = advance(make_complaint()[0], "decision_communicated", by=handler)
    loaded = make_complaint()[0]  # remedies loaded in bulk, without audit events
    early = timezone.now() - dt.timedelta(days=3)
    for days, kind in ((0, "apology"), (1, "repair")):
        Remedy.objects.create(
            complaint=loaded, kind=kind, proposed_at=early + dt.timedelta(days=days)
        )

    # How they were stored before rounds: every row current, in round 1; a revision before the
    # decision was sent deleted the remedies it replaced.
    Remedy.objects.filter(complaint=revised, kind="refund").delete()
    Remedy.objects.update(proposal=1, superseded_at=None)

    migration.number_rounds(apps, None)

    reviewed_at = _proposal_times(reviewed)
    assert _rows(reviewed) == [
        ("refund", 1, reviewed_at[1]),
        ("refund", 2, None),
        ("apology", 2, None),
    ]
    assert _rows(revised) == [("replacement", 2, None)]
    assert _rows(emptied) == [("refund", 1, _proposal_times(emptied)[1])]
    assert _rows(once) == [("refund", 1, None)]
    assert _rows(loaded) == [
        ("apology", 1, early + dt.timedelta(days=1)),
        ("repair", 2, None),
    ]
    assert [r.kind for r in Remedy.objects.filter(complaint=reviewed).current()] == [
        "refund",
        "apology",
    ]
    assert Remedy.objects.get(complaint=reviewed, proposal=2, kind="refund").amount == Decimal(
        "39.90"
    )


def test_a_proposal_belongs_to_its_event_though_the_event_time_is_cut_to_milliseconds():
    proposed = dt.datetime(2026, 3, 2, 9, 0, 0, 123_456, tzinfo=dt.UTC)
    event = proposed.replace(microsecond=123_000)  # written after, stored to the millisecond
    later = proposed + dt.timedelta(hours=1)
    assert migration.rounds([proposed], [event, later]) == {proposed: (1, later)}
    assert migration.rounds([proposed], [event]) == {proposed: (1, None)}
