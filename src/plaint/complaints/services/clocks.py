"""The due dates and stopped clocks the promises app derives for each complaint (contract C1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plaint.complaints.models import Complaint


@dataclass(frozen=True)
class CaseClocks:
    """A complaint's due dates and whether each one's clock is stopped, as the promises compute
    them. A due date of None keeps the stored one (a stopped clock keeps where it stood)."""

    acknowledgement_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    acknowledgement_paused: bool
    response_paused: bool


CLOCK_FIELDS = (
    "acknowledgement_due_at",
    "response_due_at",
    "acknowledgement_paused",
    "response_paused",
)


def _clock_values(clocks: CaseClocks) -> dict[str, Any]:
    values = {name: getattr(clocks, name) for name in CLOCK_FIELDS}
    return {name: value for name, value in values.items() if value is not None}


def complaint_clocks_set(*, clocks: Mapping[int, CaseClocks]) -> int:
    """Store the due dates and paused flags of complaints (by id); returns how many changed.

    Derived values, recomputed from the promise checks whenever a case or the configuration
    changes: only the complaints whose values differ are written, in one statement (or a read and
    one bulk write for several), with no audit event and no new version (the case did not change)."""
    if not clocks:
        return 0
    if len(clocks) == 1:
        ((complaint_id, one),) = clocks.items()
        values = _clock_values(one)
        return Complaint.objects.filter(pk=complaint_id).exclude(**values).update(**values)
    changed = []
    for row in Complaint.objects.filter(pk__in=list(clocks)).only("pk", *CLOCK_FIELDS):
        values = _clock_values(clocks[row.pk])
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        Complaint.objects.bulk_update(changed, list(CLOCK_FIELDS), batch_size=1000)
    return len(changed)
