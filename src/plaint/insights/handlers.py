"""What insights does when a lower app publishes an event (``plaint.core.events``), subscribed in
``InsightsConfig.ready()``: keep the survey aggregates in step with each recorded response, and
refresh the indicator rollup when the worker's housekeeping is due."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils.translation import gettext_lazy as _

from plaint.complaints.events import ComplaintsImported
from plaint.core.duties import register_duty
from plaint.insights.services import (
    answers_and_pairs_add,
    indicator_months_refresh,
    indicator_rollup_discard,
    response_recorded,
    responses_counted,
    responses_recorded,
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
    cells = event.tally.setdefault("insights", (Counter(), Counter()))
    responses_counted(written=event.written, cells=cells)
    if event.last:
        answers_and_pairs_add(*cells)


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
