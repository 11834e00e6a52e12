"""What the improvement app does when other parts of Plaint publish an event."""

from __future__ import annotations

from plaint.core.events import HousekeepingDue
from plaint.improvement import services


def on_housekeeping_due(event: HousekeepingDue) -> None:
    services.clusters_detect_when_due()
