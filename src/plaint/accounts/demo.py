"""Demo staff for ``plaint demo``: the accounts and teams the other apps' demo data is worked by,
and the one rule for who configures the demo organisation. Written through the services."""

from __future__ import annotations

from plaint.accounts.models import Role, Team, User
from plaint.accounts.services import team_create, user_create

DEMO_PASSWORD = "plaint-demo"  # noqa: S105 - printed by `plaint demo` and listed in the README

DEMO_TEAMS = ("Customer care", "Delivery", "Billing")

# username, role, first name, last name, language, team
DEMO_USERS = [
    ("admin", "admin", "Ada", "Lepik", "en", ""),
    ("manager", "manager", "Maria", "Tamm", "et", "Customer care"),
    ("handler", "handler", "Kadri", "Kask", "et", "Customer care"),
    ("handler2", "handler", "Taras", "Melnyk", "uk", "Delivery"),
    ("handler3", "handler", "Sara", "Lindqvist", "sv", "Billing"),
    ("auditor", "auditor", "Aino", "Virtanen", "en", ""),
    # a dispute-resolution provider's person: the neutral's portal, not the staff console
    ("neutral", "neutral", "Liis", "Saar", "et", ""),
]


def demo_staff_create() -> tuple[dict[str, User], dict[str, Team]]:
    """The demo teams and accounts (an existing account of the same username is kept), by name."""
    teams = {name: team_create(name=name) for name in DEMO_TEAMS}
    users: dict[str, User] = {}
    for username, role, first, last, language, team in DEMO_USERS:
        users[username] = User.objects.filter(username=username).first() or user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=f"{username}@polaris.example",
            first_name=first,
            last_name=last,
            team=teams.get(team),
            language=language,
            check_password=False,
        )
    return users, teams


def demo_configurer() -> User | None:
    """Who configures the demo's codes, calendars and volumes: the first active admin, else manager."""
    return (
        User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True)
        .order_by("role", "pk")
        .first()
    )
