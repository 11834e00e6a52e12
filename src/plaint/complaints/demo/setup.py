"""The demo organisation before its first complaint: its settings, its staff (from the accounts
demo), its complaint categories, each routed to a team, and its reply templates. Written through the services."""

from __future__ import annotations

from dataclasses import dataclass

from plaint.accounts.demo import demo_staff_create
from plaint.accounts.models import User
from plaint.complaints import services as s
from plaint.complaints.demo.replies import ROOT_CAUSES
from plaint.complaints.demo.reply_templates import reply_templates_setup
from plaint.complaints.models import Category, RootCause
from plaint.core.actors import Actor
from plaint.organisation.services import organisation_update

ORGANISATION = {
    "name": "Polaris Home & Electronics AS",
    "country": "EE",
    "timezone": "Europe/Tallinn",
    "contact_email": "complaints@polaris.example",
    "contact_phone": "+372 600 1234",
}

# code, name, team
CATEGORIES = [
    ("delivery", "Delivery", "Delivery"),
    ("billing", "Billing and invoices", "Billing"),
    ("staff-conduct", "Staff conduct", "Customer care"),
    ("product-quality", "Product quality", "Customer care"),
    ("refunds", "Refunds", "Billing"),
    ("website", "Website and payments", "Customer care"),
    ("privacy", "Personal data and privacy", "Customer care"),
    ("complaints-process", "Complaints handling", "Customer care"),
]


@dataclass
class Staff:
    """The people who work the demo's complaints."""

    admin: User
    manager: User
    handlers: list[User]
    teams: dict[str, int]  # team name -> pk

    def team_of(self, category: str) -> int:
        """The team a category's complaints are routed to."""
        return self.teams[next(team for code, _, team in CATEGORIES if code == category)]


def organisation_setup() -> Staff:
    """The demo staff, the organisation's settings and the categories; returns the staff."""
    users, teams = demo_staff_create()
    manager = users["manager"]
    organisation_update(actor=Actor.staff(manager), **ORGANISATION)
    for code, name, _team in CATEGORIES:
        if not Category.objects.filter(code=code).exists():
            s.category_create(actor=Actor.staff(manager), code=code, name=name)
    for code, name, parent in ROOT_CAUSES:
        if not RootCause.objects.filter(code=code).exists():
            s.root_cause_create(actor=Actor.staff(manager), code=code, name=name, parent=parent)
    reply_templates_setup(manager)
    return Staff(
        admin=users["admin"],
        manager=manager,
        handlers=[users["handler"], users["handler2"], users["handler3"]],
        teams={name: team.pk for name, team in teams.items()},
    )
