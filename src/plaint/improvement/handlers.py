"""What the improvement app does when other parts of Plaint publish an event: the worker's
housekeeping detects recurring clusters, refreshes the analysis rollup and runs the corrective-action sweep (reminders, overdue
alerts, due effectiveness checks); the staff case page gets an "Open a corrective action" link
for managers. Subscribed in ``ImprovementConfig.ready()``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from plaint.accounts.access import can_configure
from plaint.complaints.events import CasePageComposing, Panel
from plaint.core.events import HousekeepingDue
from plaint.improvement import services


def on_housekeeping_due(event: HousekeepingDue) -> None:
    services.clusters_detect_when_due()


def on_housekeeping_due_analysis(event: HousekeepingDue) -> None:
    services.analysis_rollup_refresh()


def on_housekeeping_due_corrective(event: HousekeepingDue) -> None:
    services.corrective_sweep()


def on_housekeeping_due_review(event: HousekeepingDue) -> None:
    services.review_sweep()


def on_case_page_composing(event: CasePageComposing) -> None:
    """A link that opens a corrective action from this complaint (no statement: the page has
    the complaint and the user already)."""
    if not can_configure(event.user):
        return
    c = event.complaint
    query = {"source": "complaint", "complaints": c.reference or "", "title": c.subject[:200]}
    if c.category_id:
        query["category"] = str(c.category_id)
    url = f"{reverse('improvement:corrective_new')}?{urlencode(query)}"
    event.panels.append(Panel(template="improvement/_case_panel.html", context={"url": url}))
