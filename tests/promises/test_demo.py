"""The promises demo seeds through the services, after the complaints demo."""

from __future__ import annotations

import datetime as dt

import time_machine

from plaint.core.actors import Actor
from plaint.promises.demo import seed_demo
from plaint.promises.models import BrokenPromiseClaim, Code, PromiseCheck, RegulatoryPause
from tests.factories import CategoryFactory, advance, make_complaint


def test_seed_demo_writes_codes_checks_pause_and_a_claim(manager, handler):
    CategoryFactory(code="delivery")
    now = dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=60), tick=False):
        late, _ = make_complaint(
            channel="phone",
            actor=Actor.staff(handler),
        )
    with time_machine.travel(now - dt.timedelta(days=50), tick=False):
        advance(late, "assessed", by=handler)
    with time_machine.travel(now - dt.timedelta(days=2), tick=False):
        make_complaint()
    with time_machine.travel(now, tick=False):
        summary = seed_demo(now=now)
    assert summary.startswith("promises: code “customer-promises” v1 published, v2 drafted")
    assert list(Code.objects.order_by("version").values_list("version", "state")) == [
        (1, "published"),
        (2, "draft"),
    ]
    assert set(Code.objects.get(version=1).title) == {"en", "et", "uk", "sv", "fa"}
    assert PromiseCheck.objects.filter(complaint=late, status="breached").exists()
    assert RegulatoryPause.objects.count() == 1
    assert BrokenPromiseClaim.objects.count() == 1
