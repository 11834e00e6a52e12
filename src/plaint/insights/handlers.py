"""What insights does when a lower app publishes an event (``plaint.core.events``), subscribed in
``InsightsConfig.ready()``: keep the survey aggregates in step with each recorded response, and
refresh the indicator rollup when the worker's housekeeping is due."""

from __future__ import annotations

from plaint.complaints.events import ComplaintsImported
from plaint.core.events import HousekeepingDue
from plaint.insights.services import (
    indicator_months_refresh,
    indicator_rollup_discard,
    response_recorded,
    responses_recorded,
)
from plaint.surveys.events import ResponseRecorded, ResponsesImported


def on_response_recorded(event: ResponseRecorded) -> None:
    """In the surveys service's transaction: add the response's answers to the aggregates."""
    response_recorded(response=event.response)


def on_responses_imported(event: ResponsesImported) -> None:
    """In the import's transaction: add all the imported answers to the aggregates at once."""
    responses_recorded(response_ids=event.response_ids)


def on_housekeeping_due(event: HousekeepingDue) -> None:
    """The periodic duty: rebuild the indicator rollup when none exists or it is an hour old."""
    indicator_months_refresh()


def on_complaints_imported(event: ComplaintsImported) -> None:
    """Imported history is dated before the rollup's watermark: the rollup no longer holds it."""
    if event.created_ids or event.updated_ids:
        indicator_rollup_discard()
