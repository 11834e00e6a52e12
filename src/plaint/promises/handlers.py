"""How promises reacts to what happens below it (``plaint.core.events``): a complaint received or
changed, configuration changed, an acknowledgement composed, the worker's housekeeping.
Subscribed in ``PromisesConfig.ready()``; each handler calls one service or selector."""

from __future__ import annotations

from plaint.complaints.events import (
    AcknowledgementComposing,
    CategoriesChanged,
    ComplaintChanged,
    ComplaintReceiving,
)
from plaint.core.events import HousekeepingDue, subscribe
from plaint.organisation.events import CalendarChanged, OrganisationChanged
from plaint.promises.selectors import promise_deadlines
from plaint.promises.services import (
    complaint_receiving,
    config_changed,
    promise_calendar_changed,
    promise_checks_refresh,
    promise_checks_sweep,
)


def on_complaint_receiving(event: ComplaintReceiving) -> None:
    """The new case's due dates and paused flags, and its checks to insert with it."""
    complaint_receiving(complaint=event.complaint, now=event.now, rows=event.rows)


def on_complaint_changed(event: ComplaintChanged) -> None:
    promise_checks_refresh(complaint=event.complaint, now=event.now)


def on_categories_changed(event: CategoriesChanged) -> None:
    config_changed()  # the snapshot names categories (intake, promises restricted to them)


def on_organisation_changed(event: OrganisationChanged) -> None:
    config_changed()  # the default calendar follows the country and time zone


def on_calendar_changed(event: CalendarChanged) -> None:
    promise_calendar_changed(calendar_id=event.calendar_id)


def on_acknowledgement_composing(event: AcknowledgementComposing) -> None:
    event.context["promise_deadlines"] = promise_deadlines(complaint=event.complaint)


def on_housekeeping_due(event: HousekeepingDue) -> None:
    promise_checks_sweep()


def subscribe_all() -> None:
    subscribe(ComplaintReceiving, on_complaint_receiving)
    subscribe(ComplaintChanged, on_complaint_changed)
    subscribe(CategoriesChanged, on_categories_changed)
    subscribe(OrganisationChanged, on_organisation_changed)
    subscribe(CalendarChanged, on_calendar_changed)
    subscribe(AcknowledgementComposing, on_acknowledgement_composing)
    subscribe(HousekeepingDue, on_housekeeping_due)
