"""What insights does when a lower app publishes an event (``plaint.core.events``), subscribed in
``InsightsConfig.ready()``: keep the survey aggregates in step with each recorded response, and
refresh the indicator rollup when the worker's housekeeping is due."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import ComplaintsImported
from plaint.core.duties import register_duty
from plaint.insights.services import (
    indicator_months_refresh,
    indicator_rollup_discard,
    response_recorded,
    responses_recorded,
    responses_tallied,
)
from plaint.surveys.events import ResponseRecorded, ResponsesImported


def on_response_recorded(event: ResponseRecorded) -> None:
    """In the surveys service's transaction: add the response's answers to the aggregates."""
    response_recorded(response=event.response)


def on_responses_imported(event: ResponsesImported) -> None:
    """In the import's transaction: add a batch of imported answers to the aggregates at once,
    counted from the rows the import holds when it sends them (else read back)."""
    if event.tally is None:
        responses_recorded(response_ids=event.response_ids)
        return
    responses_tallied(written=event.written, tally=event.tally, last=event.last)


def register_duties() -> None:
    """The periodic duty: rebuild the indicator rollup when none exists or it is an hour old."""
    register_duty(
        "insights.rollup",
        indicator_months_refresh,
        label=_("Indicator rollup (rebuilt when it is an hour old)"),
        lease=dt.timedelta(minutes=15),
    )


def on_complaints_imported(event: ComplaintsImported) -> None:
    """Imported history is dated before the rollup's watermark: the rollup no longer holds it."""
    if event.created_ids or event.updated_ids:
        indicator_rollup_discard()
