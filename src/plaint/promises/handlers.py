"""How promises reacts to what happens below it (``plaint.core.events``): a complaint received or
changed, configuration changed, an acknowledgement or a case page composed, the worker's
housekeeping.
Subscribed in ``PromisesConfig.ready()``; each handler calls one service or selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import (
    AcknowledgementComposing,
    CasePageComposing,
    CategoriesChanged,
    ComplaintChanged,
    ComplaintReceiving,
    ComplaintsImported,
    Panel,
)
from plaint.complaints.views_history import kept_with_history
from plaint.core.duties import register_duty
from plaint.core.events import subscribe
from plaint.organisation.events import CalendarChanged, OrganisationChanged
from plaint.promises import selectors
from plaint.promises.forms import ClaimForm
from plaint.promises.services import (
    active_promises,
    complaint_receiving,
    config_changed,
    promise_calendar_changed,
    promise_checks_refresh,
    promise_checks_refresh_imported,
    promise_checks_sweep,
)


def on_complaint_receiving(event: ComplaintReceiving) -> None:
    """The new case's due dates and paused flags, and its checks to insert with it."""
    batch = event.batch if event.batch is not None else {}
    snap = batch.get("promises.snapshot") or active_promises(token=event.config_token)
    batch["promises.snapshot"] = snap  # one read for the cases of an import
    memo = batch.setdefault("promises.due_dates", {}) if event.batch is not None else None
    complaint_receiving(
        complaint=event.complaint, now=event.now, rows=event.rows, snap=snap, memo=memo
    )


def on_complaint_changed(event: ComplaintChanged) -> None:
    promise_checks_refresh(complaint=event.complaint, now=event.now)


def on_complaints_imported(event: ComplaintsImported) -> None:
    """Imported cases whose history changed: their checks judged again (new ones were planned
    with the case)."""
    promise_checks_refresh_imported(complaint_ids=event.updated_ids, now=event.now)


def on_categories_changed(event: CategoriesChanged) -> None:
    config_changed()  # the snapshot names categories (intake, promises restricted to them)


def on_organisation_changed(event: OrganisationChanged) -> None:
    config_changed()  # the default calendar follows the country and time zone


def on_calendar_changed(event: CalendarChanged) -> None:
    promise_calendar_changed(calendar_id=event.calendar_id)


def on_acknowledgement_composing(event: AcknowledgementComposing) -> None:
    event.context["promise_deadlines"] = selectors.promise_deadlines(complaint=event.complaint)


def on_case_page_composing(event: CasePageComposing) -> None:
    """The promise panel of the staff case page: the checks with their clocks, the complainant's
    broken-promise claims and, for those who work cases, the claim form."""
    can_work = can_work_complaints(event.user)
    # the configuration the page read once, for the checks and the form
    snapshot = active_promises(token=event.config_token)
    promises = list(snapshot.claimable) if can_work else []
    # the promises in the words they were made in, as the checks show them
    language = getattr(getattr(event.complaint, "complainant", None), "language", "en")
    context = {
        "checks": selectors.complaint_checks(
            complaint=event.complaint, actor=event.user, snapshot=snapshot
        ),
        # the claims change only with the case's audit history (each appends an event): kept with
        # it when the page read the complaint with its history's head (complaints.views_history)
        "claims": kept_with_history(
            event.complaint,
            event.user,
            "claims",
            lambda: selectors.complaint_claims(complaint=event.complaint),
        ),
        "can_work": can_work,
        "language": language,
        "claim_form": ClaimForm(promises=promises, language=language) if promises else None,
    }
    event.panels.append(Panel(template="promises/staff/_complaint_panel.html", context=context))


def register_duties() -> None:
    register_duty(
        "promises.sweep",
        promise_checks_sweep,
        label=_("Promise sweep: checks that fell due are judged"),
    )


def subscribe_all() -> None:
    subscribe(ComplaintReceiving, on_complaint_receiving)
    subscribe(ComplaintChanged, on_complaint_changed)
    subscribe(ComplaintsImported, on_complaints_imported)
    subscribe(CategoriesChanged, on_categories_changed)
    subscribe(OrganisationChanged, on_organisation_changed)
    subscribe(CalendarChanged, on_calendar_changed)
    subscribe(AcknowledgementComposing, on_acknowledgement_composing)
    subscribe(CasePageComposing, on_case_page_composing)
    register_duties()
