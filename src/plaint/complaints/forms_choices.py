"""The people and teams the staff forms offer as choices (assessment, assign, queue filter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plaint.accounts.access import STAFF_ROLES, can_work_complaints
from plaint.accounts.models import Team, User


def worker_choices(empty_label: str) -> list[tuple[str, str]]:
    """Everyone who may work cases, by user name, after an empty choice."""
    users = User.objects.filter(is_active=True, role__in=["admin", "manager", "handler"])
    return [("", empty_label)] + [
        (str(u.pk), str(u)) for u in users.order_by("username") if can_work_complaints(u)
    ]


def staff_member_choices(empty_label: str) -> list[tuple[str, str]]:
    """Every staff account, active or not (a former colleague's reads stay in the access log),
    by user name, after an empty choice."""
    users = User.objects.filter(role__in=sorted(STAFF_ROLES)).order_by("username")
    return [("", empty_label)] + [(str(u.pk), str(u)) for u in users]


def team_choices(empty_label: str) -> list[tuple[str, str]]:
    """Every team, by name, after an empty choice."""
    return [("", empty_label)] + [(str(t.pk), t.name) for t in Team.objects.order_by("name")]


@dataclass(frozen=True)
class StaffChoices:
    """The people who work cases and the teams, read once for all the forms of a page: the case
    page's assessment and assign forms both offer them."""

    people: list[tuple[str, str]]
    teams: list[tuple[str, str]]

    @classmethod
    def load(cls) -> StaffChoices:
        return cls(people=worker_choices("")[1:], teams=team_choices("")[1:])

    def with_empty(self, people_label: Any, team_label: Any) -> tuple[list, list]:
        """(people, teams), each after an empty choice with its label."""
        return [("", str(people_label)), *self.people], [("", str(team_label)), *self.teams]
