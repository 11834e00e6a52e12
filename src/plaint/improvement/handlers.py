"""How improvement reacts to the worker's housekeeping: the corrective-action sweep (reminders,
overdue alerts, due effectiveness checks). Subscribed in ``ImprovementConfig.ready()``."""

from __future__ import annotations

from plaint.core.events import HousekeepingDue
from plaint.improvement.services import corrective_sweep


def on_housekeeping_due(event: HousekeepingDue) -> None:
    corrective_sweep()
