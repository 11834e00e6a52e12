"""The SQL statements of one API intake, exactly: a statement added to intake shows here.

An intake reads, in one statement, the ids of its two new rows, the configuration token
(``core.selectors.CONFIG_TOKEN_SQL``) and the category it names (by its unique code); the promises
app (``ComplaintReceiving``, which carries the token) finds its snapshot cached under that token,
sets the due dates and plans the checks; then the intake writes the complaint, the complainant,
its audit events, its promise checks (none without promises) and the outbox row — in one
statement on PostgreSQL (``core.db.insert_together``), one per table on SQLite. No job row: the
outbox row is the job.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.complaints.models import Complaint
from plaint.complaints.services import category_create
from plaint.core.actors import Actor
from plaint.core.models import BusinessCalendar
from plaint.organisation.services import calendar_create
from plaint.promises.models import PromiseCheck
from tests.api_client import ApiClient
from tests.promises.factories import make_code

NEW = {
    "name": "Mari Maasikas",
    "email": "mari@example.org",
    "description": "The parcel arrived two weeks late and the box was crushed.",
    "subject": "Late and damaged parcel",
    "consent": True,
}


def kinds(queries) -> list[str]:
    """Each statement as its verb and tables: 'SELECT ids', 'INSERT a+b+…' (a statement
    that inserts into several tables lists them all, in the order of the SQL)."""
    out = []
    for q in queries:
        sql = q["sql"].replace('"', "")
        verb = sql.split()[0].upper()
        if verb in {"SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"}:
            continue  # transaction control: differs between the test transaction and a request
        if verb == "SELECT" and ("nextval(" in sql or "sqlite_sequence" in sql):
            out.append("SELECT ids")
        elif verb == "SELECT":
            out.append(f"read {sql.split(' FROM ')[1].split()[0]}")
        else:
            tables = [part.split()[0] for part in sql.split("INSERT INTO ")[1:]]
            out.append("INSERT " + "+".join(tables))
    return out


def expected(*tables: str) -> list[str]:
    """The ids (with the token and the category), then one INSERT on PostgreSQL (the complaint's
    INSERT last, the others in its WITH), one per table (the complaint first) elsewhere."""
    first, others = tables[0], tables[1:]
    if connection.vendor == "postgresql":
        return ["SELECT ids", "INSERT " + "+".join([*others, first])]
    return ["SELECT ids", *(f"INSERT {t}" for t in tables)]


def post(client: ApiClient, **fields):
    response = client.post("/complaints", {**NEW, **fields})
    assert response.status_code == 201, response.content
    return response


@pytest.fixture
def as_handler(handler):
    client = ApiClient(handler)
    post(client)  # the token is remembered, the configuration snapshot loaded
    return client


def test_one_intake_without_promises_is_two_statements_on_postgresql(as_handler):
    with CaptureQueriesContext(connection) as ctx:
        post(as_handler)
    assert kinds(ctx.captured_queries) == expected(
        "complaints_complaint",
        "complaints_complainant",
        "core_auditevent",  # received + acknowledged in one INSERT
        "core_outboundemail",
    )
    assert re.fullmatch(r"C-\d{4}-\d{6,}", Complaint.objects.latest("id").reference)


def test_with_promises_and_a_category_the_checks_are_one_insert_and_nothing_more_is_read(
    manager, as_handler
):
    category_create(actor=Actor.staff(manager), code="delivery", name="Delivery")
    make_code(manager)  # acknowledge in 2 business days, decide in 10
    post(as_handler, category="delivery")  # the changed configuration is loaded once
    with CaptureQueriesContext(connection) as ctx:
        post(as_handler, category="delivery")
    assert kinds(ctx.captured_queries) == expected(
        "complaints_complaint",
        "complaints_complainant",
        "core_auditevent",
        "promises_promisecheck",  # both checks, and no read of checks a new case lacks
        "core_outboundemail",
    )
    [ids] = [q["sql"] for q in ctx.captured_queries if kinds([q]) == ["SELECT ids"]]
    assert "core_configurationtoken" in ids and "complaints_category" in ids  # read with the ids
    complaint = Complaint.objects.select_related("category").latest("id")
    assert complaint.category.code == "delivery"
    checks = PromiseCheck.objects.filter(complaint=complaint)
    assert checks.count() == 2
    due = {c.promise.clock: c.due_at for c in checks.select_related("promise")}
    assert complaint.acknowledgement_due_at == due["received_to_acknowledged"]
    assert complaint.response_due_at == due["received_to_decision"]


def test_a_new_default_calendar_is_used_by_the_next_intake(manager, as_handler):
    """The default calendar is cached with the promises; creating one through the service bumps
    the token, so the next intake's due dates follow it (here: closed on every weekday)."""
    before = Complaint.objects.latest("id")
    calendar_create(
        actor=Actor.staff(manager),
        name="Weekends only",
        country="EE",
        timezone="Europe/Tallinn",
        opening_hours=[None] * 5 + [(dt.time(9), dt.time(17))] * 2,
        is_default=True,
    )
    assert BusinessCalendar.objects.filter(is_default=True).count() == 1
    post(as_handler)
    after = Complaint.objects.latest("id")
    assert after.acknowledgement_due_at != before.acknowledgement_due_at
    due = after.acknowledgement_due_at.astimezone(ZoneInfo("Europe/Tallinn"))
    assert due.weekday() in {5, 6} and due.time() == dt.time(17)  # a Saturday or Sunday close
