"""A small seeded quarter with answers worked out by hand, for the management-review tests.

2026-01..2026-03: three complaints (two about Delivery in January, one about Billing in
February) and a fourth, with no category, referred to external dispute resolution on 1 February
and settled (binding) on 1 March; one complaint in April, outside the period. An objective
"at most 5 complaints" over the quarter (actual 4: met), and one over an earlier half-year. A corrective action opened in February.
A survey whose overall question got 5, 5, 4 and 2 in February (CSAT, top-2 boxes: 75 %)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import time_machine

from plaint.complaints import services as cs
from plaint.core.actors import Actor
from plaint.improvement import services as s
from tests.factories import CategoryFactory, advance, make_complaint
from tests.improvement.helpers import at, file_complaint
from tests.insights.factories import add_responses, make_survey

PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 1))


def seed_quarter(manager, handler) -> None:
    delivery = CategoryFactory(code="delivery", name="Delivery")
    CategoryFactory(code="billing", name="Billing")
    file_complaint(at(2026, 1, 5), handler, category="delivery")
    file_complaint(at(2026, 1, 12), handler, category="delivery")
    file_complaint(at(2026, 2, 10), handler, category="billing")
    file_complaint(at(2026, 4, 2), handler, category="delivery")
    with time_machine.travel(at(2026, 1, 20), tick=False):
        disputed, _ = make_complaint(subject="Refund refused")
        advance(disputed, "decision_communicated", by=handler)
    with time_machine.travel(at(2026, 2, 1), tick=False):
        cs.complaint_refer_external(complaint_id=disputed.pk, actor=Actor.staff(handler))
    with time_machine.travel(at(2026, 3, 5), tick=False):
        cs.complaint_record_dispute_outcome(
            complaint_id=disputed.pk,
            actor=Actor.staff(handler),
            provider="Consumer Disputes Committee",
            outcome="settled",
            closed_on=dt.date(2026, 3, 1),
            binding=True,
        )
    m = Actor.staff(manager)
    with time_machine.travel(at(2026, 1, 2), tick=False):
        s.objective_create(
            actor=m,
            name="Few complaints",
            owner_id=manager.pk,
            indicator={"kind": "received"},
            comparison="le",
            target=5,
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        )
        s.objective_create(  # over an earlier period: not in the quarter's pack
            actor=m,
            name="Last year's objective",
            owner_id=manager.pk,
            indicator={"kind": "received"},
            comparison="le",
            target=5,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 1),
        )
    with time_machine.travel(at(2026, 2, 15), tick=False):
        s.corrective_action_open(
            actor=m,
            title="Parcels crushed",
            problem="Crushed parcels",
            source="manual",
            owner_id=manager.pk,
            indicator={"kind": "received", "category": delivery.pk},
            comparison="le",
            target=0,
        )
    survey = make_survey()
    add_responses(survey, {"overall": np.array([5, 5, 4, 2])}, submitted=at(2026, 2, 10))


def table(pack: dict, section: str, key: str) -> dict:
    """One table of a built pack's figures, by its section and key."""
    found = next(sec for sec in pack["sections"] if sec["key"] == section)
    return next(t for t in found["tables"] if t["key"] == key)


def open_review(manager, **kw):
    fields = {"title": "Q1 2026", "period_start": PERIOD[0], "period_end": PERIOD[1]}
    fields.update(kw)
    with time_machine.travel(at(2026, 4, 8), tick=False):
        return s.review_create(actor=Actor.staff(manager), **fields)


def built_review(manager, **kw):
    review = open_review(manager, **kw)
    with time_machine.travel(at(2026, 4, 9), tick=False):
        return s.review_pack_build(actor=Actor.staff(manager), review_id=review.pk)
