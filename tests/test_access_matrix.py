"""Who sees what, over everything: every staff URL (from the URL resolver) and every API operation
(from the OpenAPI document), for eight people and four cases, with team visibility off and on.

The people: a handler of team A, a handler of team B, a handler with no team, a named reader of the
restricted category (a handler of team B), a manager, an auditor, an admin — and a neutral (a
dispute-resolution provider's person), who is no member of staff: every staff page and every API
operation refuses them, whatever it names. The cases: team A's,
team B's, one with no team yet, and one of team A in a restricted category. Each case has a subject
no other text contains (its marker), an internal note and an internal attachment.

- An address or operation that names a case answers, for a case the person may not read, exactly
  what it answers for a case that does not exist (a 404 for a read), and changes nothing.
- Every other page and list (the queue, its search, the exports, notifications, the API's lists)
  shows no foreign case: no foreign marker in the body.

What each person may read is written here again, independently of ``complaints.visibility``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from plaint.accounts.models import Team
from plaint.api import api
from plaint.complaints import services
from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.core.uploads import check_upload
from plaint.notifications.models import Kind, Notification
from plaint.organisation.services import organisation_update
from tests.api_client import ApiClient
from tests.factories import CategoryFactory, UserFactory, make_complaint

pytestmark = pytest.mark.django_db

MISSING = "C-2099-999999"

# Pages that show no case at all, or whose case references are the point of the page: the
# access log lists who read which case by reference (no subject, no content) for auditors and
# admins, who watch every read, restricted cases included (docs/user-guide.md).
ACCESS_LOG = ("staff/audit/reads/", "staff/audit/reads/export/", "/api/v1/audit/case-reads")


@dataclass
class World:
    people: dict[str, object]
    cases: dict[str, Complaint]
    attachments: dict[str, int]

    def may_read(self, who: str, case: str, on: bool) -> bool:
        """The rule, as the user guide states it."""
        person = self.people[who]
        if who == "neutral":  # the neutral's portal shows only their disputes: no staff page
            return False
        if case == "restricted":
            return who == "reader"
        if not on or person.role in ("manager", "auditor", "admin"):
            return True
        complaint = self.cases[case]
        return complaint.team_id is None or complaint.team_id == person.team_id

    def foreign(self, who: str, on: bool) -> list[str]:
        return [name for name in self.cases if not self.may_read(who, name, on)]

    def markers(self, names: list[str]) -> list[str]:
        return [self.cases[name].subject for name in names]

    def references(self, names: list[str]) -> list[str]:
        return [self.cases[name].reference for name in names]


def _build(on: bool) -> World:
    team_a, team_b = Team.objects.create(name="Team A"), Team.objects.create(name="Team B")
    people = {
        "handler_a": UserFactory(username="m-ha", role="handler", team=team_a),
        "handler_b": UserFactory(username="m-hb", role="handler", team=team_b),
        "teamless": UserFactory(username="m-hn", role="handler"),
        "reader": UserFactory(username="m-rd", role="handler", team=team_b),
        "manager": UserFactory(username="m-mg", role="manager"),
        "auditor": UserFactory(username="m-au", role="auditor"),
        "admin": UserFactory(username="m-ad", role="admin"),
        "neutral": UserFactory(username="m-ne", role="neutral"),
    }
    boss = Actor.staff(people["admin"])
    general = CategoryFactory(code="deliveries", name="Deliveries")
    health = CategoryFactory(code="health", name="Health")
    services.category_access_set(
        actor=boss, category_id=health.pk, restricted=True, reader_ids=[people["reader"].pk]
    )
    teams = {"team_a": team_a, "team_b": team_b, "intake": None, "restricted": team_a}
    cases, attachments = {}, {}
    for name, team in teams.items():
        category = health if name == "restricted" else general
        complaint, _token = make_complaint(subject=f"Zq{name}marker", category=category.code)
        if team is not None:
            services.complaint_assign(
                complaint_id=complaint.pk, actor=boss, assignee_id=None, team_id=team.pk
            )
        upload = check_upload(SimpleUploadedFile("note.txt", b"internal", "text/plain"))
        services.message_post(
            complaint_id=complaint.pk,
            actor=boss,
            body=f"Internal note on {name}",
            internal=True,
            attachments=[upload],
        )
        cases[name] = Complaint.objects.get(pk=complaint.pk)
        attachments[name] = cases[name].attachments.get().pk
        for person in people.values():  # written as a case once told: the lists must narrow
            Notification.objects.create(
                recipient=person,
                kind=Kind.ASSIGNED,
                complaint=cases[name],
                created_at=complaint.received_at,
            )
    organisation_update(actor=boss, team_visibility=on)
    return World(people=people, cases=cases, attachments=attachments)


def _gated_routes(patterns=None, prefix=""):
    """Every staff URL with its gate (the rule ``accounts.gates.staff_page`` checks)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _gated_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "staff_gate"):
            yield route, entry.callback.staff_gate


def _routes():
    for route, _gate in _gated_routes():
        yield route


def _fill(route: str, reference: str, attachment: int) -> str:
    def value(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if name == "reference":
            return reference
        if name == "attachment_id":
            return str(attachment)
        if name == "step":
            return "acknowledge"
        return "1" if kind == "int" else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def _versions() -> dict[int, int]:
    return dict(Complaint.objects.values_list("pk", "version"))


def _names_a_case(route: str) -> bool:
    return "reference" in route


# The sweep of every other page, as the people whose pages differ: a handler with the widest
# foreign set (the team-less one, with visibility on: three of the four cases), the manager
# (configuration pages) and the auditor (the audit pages). With visibility off every person's
# foreign cases are a subset of theirs with it on, so the sweep runs with it on; the lists the
# setting changes (queue, search, exports, API lists) are checked for everyone either way.
SWEEP = ("teamless", "manager", "auditor")
# With visibility off, teams play no part: everyone but the reader may not read the restricted case
# and nothing else, so the addresses naming a case are tried by one person of each kind of gate —
# a handler (works cases), the auditor (reads only) and the reader (reads all four) — and by all
# seven with it on. The queue, its search, the export and the API list are tried by all seven
# either way.
ADDRESSES_OFF = ("handler_a", "auditor", "reader")


class Same:
    """What an address answers for a case that does not exist, asked once per person."""

    def __init__(self, ask) -> None:
        self.ask = ask
        self.seen: dict[tuple[str, str], int] = {}

    def __call__(self, method: str, url: str) -> int:
        if (method, url) not in self.seen:
            self.seen[method, url] = self.ask(method, url).status_code
        return self.seen[method, url]


def _check_case_addresses(world: World, on: bool, who: str, ask, routes) -> int:
    """Each address naming a case: a foreign case answers as a missing one and changes nothing
    (a POST too); a visible one is read (200) where the address is a read."""
    missing = Same(ask)
    foreign = world.foreign(who, on)
    checked = 0
    for method, route, fill, is_read in routes:
        for name, complaint in world.cases.items():
            if method != "GET" and name not in foreign:
                continue  # a step on a visible case would act; reads are checked below
            before = _versions() if method != "GET" else None
            got = ask(method, fill(route, complaint.reference, world.attachments[name]))
            if name in foreign:
                expected = missing(method, fill(route, MISSING, world.attachments[name]))
                assert got.status_code == expected, (who, method, route, name, got.status_code)
                assert complaint.subject not in _body(got), (who, method, route, name)
                if before is not None:
                    assert _versions() == before, (who, method, route, name)
            elif is_read:
                assert got.status_code == 200, (who, route, name, got.status_code)
            checked += 1
    return checked


def _no_foreign_markers(world: World, on: bool, who: str, url: str, body: str) -> None:
    foreign = world.foreign(who, on)
    markers = world.markers(foreign)
    if not url.startswith(ACCESS_LOG):
        markers += world.references(foreign)
    assert not [m for m in markers if m in body], (who, url)


def _staff_case_routes() -> list[tuple[str, str, object, bool]]:
    routes = []
    for route in filter(_names_a_case, _routes()):
        is_read = route.endswith(("<str:reference>/", "<int:attachment_id>/"))
        routes += [("GET", route, _fill, is_read), ("POST", route, _fill, False)]
    return routes


def _check_staff(world: World, on: bool) -> int:
    checked = 0
    case_routes = _staff_case_routes()
    other_routes = [r for r in _routes() if not _names_a_case(r)]
    for who, person in world.people.items():
        client = Client()
        client.force_login(person)

        def ask(method: str, url: str, client=client):
            return getattr(client, method.lower())("/" + url.lstrip("/"))

        if on or who in ADDRESSES_OFF:
            checked += _check_case_addresses(world, on, who, ask, case_routes)
        if on and who in SWEEP:
            for route in other_routes:
                url = _fill(route, MISSING, 1)
                _no_foreign_markers(world, on, who, url.lstrip("/"), _body(client.get(url)))
                checked += 1
        foreign = world.foreign(who, on)
        visible = [n for n in world.cases if n not in foreign]
        # the queue, its search and sorts, the register export: every visible case, no other
        for query in ("?q=Zq", "?sort=oldest", "?q=marker&sort=due", "?format=csv"):
            page = "/staff/export/" if "format" in query else "/staff/"
            body = _body(client.get(page + query))
            assert not [m for m in world.markers(foreign) if m in body], (who, query)
            assert all(m in body for m in world.markers(visible)), (who, query)
        for name in foreign:  # found by its reference: not
            body = _body(client.get("/staff/", {"q": world.cases[name].reference}))
            assert world.cases[name].subject not in body
        checked += 4 + len(foreign)
    return checked


def _api_fill(route: str, reference: str, attachment: int) -> str:
    return route.replace("{reference}", reference).replace("{attachment_id}", str(attachment))


def _check_api(world: World, on: bool) -> int:
    checked = 0
    operations = [(m, p.removeprefix("/api/v1"), o) for m, p, o in _operations()]
    case_operations = [
        (method, route, _api_fill, method == "GET")
        for method, route, _operation in operations
        if "{reference}" in route
    ]
    for who, person in world.people.items():
        client = ApiClient(person)

        def ask(method: str, url: str, client=client):
            return client.get(url) if method == "GET" else client.post(url, {})

        if on or who in ADDRESSES_OFF:
            checked += _check_case_addresses(world, on, who, ask, case_operations)
        for method, route, _operation in operations:
            if method != "GET" or "{reference}" in route or not (on and who in SWEEP):
                continue
            url = re.sub(r"\{\w+\}", "1", route)
            _no_foreign_markers(world, on, who, "/api/v1" + url, _body(client.get(url)))
            checked += 1
        foreign = world.foreign(who, on)
        if who == "neutral":  # not staff: no token of theirs opens the API (_check_neutral)
            assert client.get("/complaints", {"limit": 100}).status_code == 401
            continue
        listed = json.loads(client.get("/complaints", {"limit": 100}).content)
        references = {item["reference"] for item in listed["items"]}
        assert references == {world.cases[n].reference for n in world.cases if n not in foreign}
    return checked


def _check_neutral(world: World) -> int:
    """The neutral, on every staff page and every API operation: each page's gate refuses them
    (whatever the method), and asked — GET, or POST where the page takes no GET — each answers
    403 (the API 401) with not one case's marker or reference in it."""
    neutral = world.people["neutral"]
    # the named case's reference is in the address, which the page echoes (the language
    # switcher's return address): every subject, and the other cases' references
    named = world.cases["intake"].reference
    markers = world.markers(list(world.cases)) + world.references(
        [n for n in world.cases if n != "intake"]
    )
    client = Client()
    client.force_login(neutral)
    checked = 0
    for route, gate in _gated_routes():
        assert not gate(neutral), route
        url = _fill(route, named, world.attachments["intake"])
        got = client.get(url)
        if got.status_code == 405:
            got = client.post(url)
        assert got.status_code == 403, (route, got.status_code)
        assert not [m for m in markers if m in _body(got)], route
        checked += 1
    portal = _body(client.get("/neutral/"))  # their own portal: no dispute is theirs
    assert not [m for m in markers if m in portal]
    api = ApiClient(neutral)
    for method, path, _operation in _operations():
        url = re.sub(r"\{\w+\}", "1", path.replace("{reference}", named))
        got = api.client.generic(
            method, url, data="{}", content_type="application/json", headers=api.headers()
        )
        assert got.status_code == 401, (method, path, got.status_code)
        assert not [m for m in markers if m in _body(got)], (method, path)
        checked += 1
    return checked


@pytest.mark.parametrize("on", [False, True], ids=["visibility-off", "visibility-on"])
def test_no_path_shows_a_case_outside_the_rule(on):
    world = _build(on)
    # the rule does narrow: team B's handler misses team A's case only when it is on
    assert ("team_a" in world.foreign("handler_b", on)) is on
    assert world.foreign("reader", on) == (["team_a"] if on else [])
    assert world.foreign("manager", on) == ["restricted"]
    pages = _check_staff(world, on)
    operations = _check_api(world, on)
    if on:  # the neutral is refused whatever the setting: checked once
        assert _check_neutral(world) > 250
    assert pages > (300 if on else 100) and operations > (300 if on else 50), (pages, operations)
