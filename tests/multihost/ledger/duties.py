"""Every registered duty wrapped to record its runs, and the slow ledger duty.

The ledger works through its items one at a time, each in a transaction that lasts
``MULTIHOST_LEDGER_STEP_SECONDS``: a worker killed mid-step leaves that item as it was (its
transaction dies with its connection). It takes no lock of its own, so only the duty's lease keeps
a second worker out: a ledger run twice at once would count an item twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from plaint.core import duties
from plaint.core.models import Duty
from tests.multihost.ledger.models import DutyRun, LedgerItem

LEDGER = "multihost.ledger"
LEDGER_LEASE = dt.timedelta(seconds=2)


def work_through_ledger() -> None:
    holder = duties.holder_name()
    while duties.duty_renew():  # renews the lease between items, as a long duty should
        item = LedgerItem.objects.filter(times_done=0).order_by("number").first()
        if item is None:
            return
        with transaction.atomic():
            LedgerItem.objects.filter(pk=item.pk).update(
                times_done=F("times_done") + 1, done_by=holder
            )
            time.sleep(settings.MULTIHOST_LEDGER_STEP_SECONDS)  # the work takes its time


def _ledger_open() -> bool:
    return LedgerItem.objects.filter(times_done=0).exists()


def _traced(spec: duties.DutySpec) -> Callable[[], Any]:
    def run() -> Any:
        claimed = Duty.objects.values_list("last_started_at", flat=True).get(name=spec.name)
        DutyRun.objects.create(duty=spec.name, holder=duties.holder_name(), started_at=claimed)
        return spec.run()

    return run


def register() -> None:
    duties.register_duty(
        LEDGER, work_through_ledger, label="ledger", lease=LEDGER_LEASE, enabled=_ledger_open
    )
    for spec in duties.registered_duties():
        duties.register_duty(
            spec.name,
            _traced(spec),
            label=spec.label,
            every=spec.every,
            lease=spec.lease,
            enabled=spec.enabled,
        )
