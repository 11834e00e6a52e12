"""What the improvement app does when other parts of Plaint publish an event: the worker's
housekeeping detects recurring clusters, refreshes the analysis rollup and runs the corrective-action sweep (reminders, overdue
alerts, due effectiveness checks); the staff case page gets an "Open a corrective action" link
for managers. Subscribed in ``ImprovementConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import can_configure
from plaint.complaints.events import CasePageComposing, Panel
from plaint.core.duties import register_duty
from plaint.disputes.events import DisputePageComposing
from plaint.disputes.lifecycle import TERMINAL
from plaint.improvement import services
from plaint.improvement.selectors_corrective import corrective_actions_from
from plaint.improvement.states import Source


def register_duties() -> None:
    """Four duties, each on its own: one failing stops not the others."""
    register_duty(
        "improvement.clusters",
        services.clusters_detect_when_due,
        label=_("Recurring-issue detection (once a day)"),
        lease=dt.timedelta(minutes=30),
    )
    register_duty(
        "improvement.analysis_rollup",
        services.analysis_rollup_refresh,
        label=_("Analysis figures: the monthly rollup brought up to date (rebuilt once a day)"),
        lease=dt.timedelta(minutes=30),
    )
    register_duty(
        "improvement.corrective_sweep",
        services.corrective_sweep,
        label=_("Corrective actions: reminders, overdue alerts and due effectiveness checks"),
    )
    register_duty(
        "improvement.review_sweep",
        services.review_sweep,
        label=_("Management reviews: reminders and overdue alerts of their actions"),
    )


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


def on_dispute_page_composing(event: DisputePageComposing) -> None:
    """The corrective actions opened from this dispute (``source`` dispute, ``source_ref`` its
    reference) and, for managers once the dispute has ended, a link that opens one with the
    dispute, its complaint and its lessons filled in (one statement)."""
    d = event.dispute
    opened = corrective_actions_from(
        actor=event.user, source=Source.DISPUTE, source_ref=d.reference
    )
    url = ""
    if can_configure(event.user) and d.state in TERMINAL:
        query = {
            "source": Source.DISPUTE.value,
            "source_ref": d.reference,
            "complaints": d.complaint.reference or "",
            "title": f"{d.reference}: {d.complaint.subject}"[:200],
        }
        url = f"{reverse('improvement:corrective_new')}?{urlencode(query)}"
    if opened or url:
        context = {"url": url, "opened": opened, "lessons": bool(d.lessons)}
        event.panels.append(Panel(template="improvement/_dispute_panel.html", context=context))
