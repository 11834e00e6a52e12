"""A seeded set for the regulatory returns whose answers are worked out by hand: eight
complaints around the first half of 2026, filed on Mondays and answered at chosen times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from plaint.complaints import services as cs
from plaint.complaints.models import Channel, RemedyKind
from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models_returns import ANY_VALUE
from plaint.improvement.returns_formats import Outcome, period_parse
from tests.factories import CategoryFactory, make_complaint

ZONE = ZoneInfo("Europe/Tallinn")
H1 = period_parse("2026-H1", ZONE)


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def file_at(when: dt.datetime, staff: Actor, **fields):
    with time_machine.travel(when, tick=False):
        complaint, _token = make_complaint(actor=staff, channel="phone", **fields)
    return complaint


def decide(complaint, when: dt.datetime, staff: Actor, remedy: cs.RemedyInput):
    """Walk the case to a communicated decision at ``when`` (the steps a minute apart)."""
    steps = [
        lambda: cs.complaint_acknowledge(complaint_id=complaint.pk, actor=staff),
        lambda: cs.complaint_assess(complaint_id=complaint.pk, actor=staff, severity="low"),
        lambda: cs.complaint_start_investigation(complaint_id=complaint.pk, actor=staff),
        lambda: cs.complaint_propose_response(
            complaint_id=complaint.pk, actor=staff, decision="Our answer.", remedies=[remedy]
        ),
        lambda: cs.complaint_communicate_decision(complaint_id=complaint.pk, actor=staff),
    ]
    for i, step in enumerate(steps):
        with time_machine.travel(when - dt.timedelta(minutes=len(steps) - 1 - i), tick=False):
            step()
    complaint.refresh_from_db()
    return complaint


REFUND = cs.RemedyInput(RemedyKind.REFUND, amount=Decimal("4.90"), currency="EUR")
EXPLAIN = cs.RemedyInput(RemedyKind.EXPLANATION, description="Why it happened.")


def seed_returns(manager):
    """Seven complaints around the first half of 2026 (Mondays, the organisation's calendar)."""
    staff = Actor.staff(manager)
    CategoryFactory(code="delivery")
    CategoryFactory(code="billing")
    codes = [
        ("half_yearly", "product", "Kettle", "appliances"),
        ("half_yearly", "product", "Phone", "electronics"),
        ("half_yearly", "category", "delivery", "service"),
        ("half_yearly", "category", "billing", "charges"),
        ("half_yearly", "outcome", Outcome.REMEDY, "upheld"),
        ("half_yearly", "outcome", Outcome.NO_REMEDY, "not_upheld"),
        ("idr", "product", "Kettle", "appliances"),
        ("idr", "product", "Phone", "phones"),
        ("idr", "category", "delivery", "late_delivery"),
        ("idr", "category", "billing", "fees"),
        ("idr", "segment", ANY_VALUE, "individual"),
        ("idr", "channel", Channel.PHONE, "telephone"),
        ("idr", "outcome", Outcome.REMEDY, "for_complainant"),
        ("idr", "outcome", Outcome.NO_REMEDY, "for_firm"),
        ("idr", "remedy", RemedyKind.REFUND, "refund"),
        ("idr", "remedy", RemedyKind.EXPLANATION, "explained"),
    ]
    for report, kind, source, target in codes:
        services.return_mapping_set(
            actor=staff, report=report, kind=kind, source=source, target=target
        )
    kettle = {"product": "Kettle", "category": "delivery"}
    phone = {"product": "Phone", "category": "billing"}
    c = {}
    c["quick"] = file_at(at(2026, 2, 2), staff, **kettle)  # answered the next day, refund
    decide(c["quick"], at(2026, 2, 3), staff, REFUND)
    c["in_time"] = file_at(at(2026, 3, 2), staff, **kettle)  # a day before its limit, explained
    decide(c["in_time"], c["in_time"].response_due_at - dt.timedelta(days=1), staff, EXPLAIN)
    c["late"] = file_at(at(2026, 3, 2, 11), staff, **phone)  # two days after its limit, refund
    decide(c["late"], c["late"].response_due_at + dt.timedelta(days=2), staff, REFUND)
    c["open"] = file_at(at(2026, 5, 4), staff, **phone)  # still open
    c["carried"] = file_at(at(2025, 12, 1), staff, **kettle)  # received before, answered inside
    decide(c["carried"], c["carried"].response_due_at - dt.timedelta(days=1), staff, EXPLAIN)
    c["mystery"] = file_at(at(2026, 6, 15), staff, product="Mystery", category="delivery")
    decide(c["mystery"], at(2026, 7, 10), staff, EXPLAIN)  # answered after the period
    c["before"] = file_at(at(2025, 3, 2), staff, **kettle)  # answered before the period
    decide(c["before"], at(2025, 3, 3), staff, EXPLAIN)
    c["after"] = file_at(at(2026, 7, 6), staff, **kettle)  # received after the period
    return c
