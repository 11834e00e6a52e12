"""The complaint's two due dates, on the organisation's default business calendar.

The arithmetic lives in ``plaint.core.calendars`` (see docs/calendars.md); this module only names the two
limits the organisation's settings give every complaint until the promises engine takes over.
"""

from __future__ import annotations

import datetime as dt

from plaint.core.calendars import Calendar, Unit, deadline
from plaint.core.selectors import calendar_default


def complaint_due_dates(
    received_at: dt.datetime, organisation, *, calendar: Calendar | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """(acknowledgement due, response due) for a complaint received at ``received_at``: the close of the
    Nth business day after the day of receipt, N from the organisation's settings."""
    if calendar is None:
        calendar = calendar_default(organisation=organisation)
    ack = deadline(
        calendar, received_at, organisation.acknowledgement_business_days, Unit.BUSINESS_DAYS
    )
    response = deadline(
        calendar, received_at, organisation.response_business_days, Unit.BUSINESS_DAYS
    )
    assert ack is not None and response is not None  # no pauses, so never open-ended
    return ack, response
