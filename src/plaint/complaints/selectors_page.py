"""How the staff case page reads its complaint (``selectors.complaint_get(case_page=True)``): in
one statement, with the names of its category, team, assignee and the person who sent the
decision as columns (rather than four whole related rows), the hash of its last audit event and
the id of its newest attachment, and the columns the apps above ask for (``CasePageReading``);
and what the page shows of those names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import F, OuterRef, Subquery

from plaint.complaints.events import CasePageReading
from plaint.complaints.models import Complaint, ComplaintQuerySet
from plaint.core.events import publish
from plaint.core.models import Attachment, AuditEvent

# The columns ``complaint_get(case_page=True)`` adds for the names.
_PEOPLE = ("assignee", "decided_by")
CASE_NAME_COLUMNS = {
    "category_name": F("category__name"),
    "team_name": F("team__name"),
    **{
        f"{who}_{part}": F(f"{who}__{part}")
        for who in _PEOPLE
        for part in ("first_name", "last_name", "username")
    },
}


def history_head_subquery() -> Subquery:
    """The hash of the complaint's last audit event, as a subquery of a complaint query: it
    changes with every event the case gets (every step, message and claim appends one, each
    chained to the one before), so it names the state of the case's history, and no two cases
    share one (``AuditEvent``: a chain per case). One backward step of the index of the events'
    sequence numbers (``audit_one_event_per_seq``)."""
    last = AuditEvent.objects.filter(case_type="complaint", case_id=OuterRef("pk")).order_by("-seq")
    return Subquery(last.values("hash")[:1])


def newest_attachment_subquery() -> Subquery:
    """The id of the complaint's newest attachment (None for none), as a subquery of a complaint
    query: a file can join a case without an event in the case's own history — the dispute's
    file (``disputes``) keeps its events in the dispute's chain — so the key of the history in
    the cache names it too. A look-up of the attachments' index on their complaint."""
    newest = Attachment.objects.filter(complaint_id=OuterRef("pk")).order_by("-pk")
    return Subquery(newest.values("pk")[:1])


@cache
def case_page_complaints() -> ComplaintQuerySet:
    """The complaints as the case page reads one, before who may read which (``visibility``) and
    which one: the complainant's row joined, the names (``CASE_NAME_COLUMNS``), ``history_head``
    and ``newest_attachment`` (``history_head_subquery``, ``newest_attachment_subquery``: the key
    of the case's history in the cache, ``views_history``) and the apps' annotations
    (``CasePageReading``, asked once).

    Built once per process and never evaluated itself: each read narrows it with ``filter``,
    which returns a new QuerySet, so what every page view would spend building the same joins
    and subqueries again (~0.7 ms of CPU, a tenth of the page: bench/README.md) is spent once.
    What it holds depends on no reader, no request and no setting."""
    reading = CasePageReading()
    publish(reading)
    return Complaint.objects.select_related("complainant").annotate(
        **CASE_NAME_COLUMNS,
        history_head=history_head_subquery(),
        newest_attachment=newest_attachment_subquery(),
        **reading.annotations,
    )


@dataclass(frozen=True)
class CaseNames:
    """The names the case page shows for the complaint's category, team, assignee and the person
    who sent the decision ("" for none)."""

    category: str
    team: str
    assignee: str
    decided_by: str


def case_names(complaint: Complaint) -> CaseNames:
    """The names of ``complaint``'s category, team and people: from the columns of a complaint
    read for the case page, else from its related rows (a complaint read whole)."""
    if hasattr(complaint, "category_name"):
        people = [_person_name(complaint, who) for who in _PEOPLE]
        category, team = complaint.category_name, getattr(complaint, "team_name", None)
        return CaseNames(category or "", team or "", *people)
    return CaseNames(
        category=complaint.category.name if complaint.category else "",
        team=complaint.team.name if complaint.team else "",
        assignee=str(complaint.assignee or ""),
        decided_by=str(complaint.decided_by or ""),
    )


def _person_name(complaint: Complaint, who: str) -> str:
    """A person's name as ``User.__str__`` writes it: the full name, else the user name."""
    username = getattr(complaint, f"{who}_username")
    if username is None:
        return ""
    first, last = getattr(complaint, f"{who}_first_name"), getattr(complaint, f"{who}_last_name")
    return f"{first} {last}".strip() or username
