"""Migration 0009 backfills ``acknowledgement_paused`` / ``response_paused`` from the promise
checks exactly as ``promises.selectors.paused_clocks`` defined a stopped clock: the case waits on
the complainant, and of the checks that set the due date (notifying, still applicable, on that
clock) one is started and pending without a due time and none has a due time."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from plaint.complaints.models import Complaint
from plaint.promises.models import PromiseCheck
from tests.factories import make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

pytestmark = pytest.mark.django_db

migration = importlib.import_module("plaint.complaints.migrations.0009_clock_paused_flags")
ACK, RESPONSE = "received_to_acknowledged", "received_to_decision"


def test_the_flags_are_backfilled_as_stopped_clocks_were_defined(manager):
    code = make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    promise = {p.clock: p for p in code.promises.all()}
    cases = {
        name: make_complaint(subject=name)[0]
        for name in ("stopped", "running", "not waiting", "not notifying", "not applicable")
    }
    waiting = [c.pk for name, c in cases.items() if name != "not waiting"]
    Complaint.objects.filter(pk__in=waiting).update(state="waiting_on_complainant")
    Complaint.objects.update(acknowledgement_paused=False, response_paused=False)
    PromiseCheck.objects.all().delete()
    now = timezone.now()

    def check(name: str, clock: str, *, due=None, status="pending", notifies=True) -> None:
        PromiseCheck.objects.create(
            complaint=cases[name],
            promise=promise[clock],
            started_at=now,
            due_at=due,
            status=status,
            notifies=notifies,
            updated_at=now,
        )

    check("stopped", RESPONSE)  # stopped open-endedly
    check("stopped", ACK, due=now)  # this clock runs
    check("running", RESPONSE, due=now)
    check("running", ACK)
    check("not waiting", RESPONSE)
    check("not notifying", RESPONSE, notifies=False)
    check("not applicable", RESPONSE, status="not_applicable")

    migration.backfill(apps, None)

    flags = {
        name: (c.acknowledgement_paused, c.response_paused)
        for name, c in ((n, Complaint.objects.get(pk=c.pk)) for n, c in cases.items())
    }
    assert flags == {
        "stopped": (False, True),
        "running": (True, False),
        "not waiting": (False, False),
        "not notifying": (False, False),
        "not applicable": (False, False),
    }
