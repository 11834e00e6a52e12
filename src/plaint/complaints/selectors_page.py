"""What the staff case page shows of a complaint's category, team, assignee and the person who
sent the decision: their names, read as columns of the complaint's own statement
(``selectors.complaint_get(names_only=True)``) rather than as four whole related rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from plaint.complaints.models import Complaint

# The columns ``complaint_get(names_only=True)`` adds.
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
    read with ``names_only``, else from its related rows (a complaint read whole)."""
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
