"""Writing a new case's rows together (core.db): one statement on PostgreSQL, the same rows as
Django's own INSERTs, ids allocated before the statement."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from psycopg.types.json import Jsonb

from plaint.complaints.models import Complainant, Complaint
from plaint.complaints.services import NextReference
from plaint.core.db import _json_literal, allocate_ids, insert_together
from plaint.core.models import AuditEvent, OutboundEmail

pytestmark = pytest.mark.django_db


def _statements(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].split()[0].upper() not in {"SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"}
    ]


def _rows(complainant_id: int, complaint_id: int, *, email: str, message_id: str, now=None):
    # a local time far from UTC: the stored instant must not move
    now = (now or timezone.now()).astimezone(ZoneInfo("Asia/Tehran"))
    complainant = Complainant(pk=complainant_id, name="Olena Kovalenko", email=email)
    complaint = Complaint(
        pk=complaint_id,
        complainant=complainant,
        channel="web",
        received_at=now,
        subject="Зламаний чайник",
        description="Чайник зламався через тиждень.",
        acknowledgement_due_at=now,
        response_due_at=now,
        tracking_digest=f"{complaint_id:064d}",
        reference=NextReference(f"C-{now.year}-"),
    )
    events = [
        AuditEvent(
            case_type="complaint",
            case_id=complaint_id,
            seq=seq,
            at=now,
            action=action,
            data={"state": action},
            personal={"name": "Olena Kovalenko", "note": "ім'я"},
            prev_hash="0" * 64,
            hash=f"{seq:064d}",
        )
        for seq, action in ((1, "received"), (2, "acknowledged"))
    ]
    mail = OutboundEmail(
        to=email,
        subject="",
        body='{"deferred": {}}',
        kind="acknowledgement",
        complaint=complaint,
        message_id=message_id,
        next_attempt_at=now,
    )
    return complaint, complainant, events, mail


def test_allocated_ids_are_distinct_and_the_rows_take_them():
    (a1, b1), _ = allocate_ids(Complainant, Complaint)
    (a2, b2), also = allocate_ids(
        Complainant, Complaint, also=[("SELECT 'x'", []), ("SELECT %s", ["y"])]
    )
    assert also == ["x", "y"]
    if connection.vendor == "postgresql":  # a sequence never gives the same id twice
        assert a2 != a1 and b2 != b1
    else:  # SQLite: the next id, the same until a row takes it (under the write lock)
        assert (a2, b2) == (a1, b1)
    complaint, complainant, events, mail = _rows(a2, b2, email="o@example.org", message_id="<1@t>")
    insert_together([complaint, complainant, *events, mail], returning=["reference"])
    assert Complaint.objects.get(pk=b2).complainant_id == a2
    # the next allocation is past what was inserted (also on SQLite, which reads sqlite_sequence)
    (a3, b3), _ = allocate_ids(Complainant, Complaint)
    assert a3 > a2 and b3 > b2


def test_one_model_twice_is_refused():
    with pytest.raises(ValueError, match="one id per model"):
        allocate_ids(Complaint, Complaint)


def test_a_new_case_is_one_statement_on_postgresql_and_reads_back_the_reference():
    (complainant_id, complaint_id), _ = allocate_ids(Complainant, Complaint)
    complaint, complainant, events, mail = _rows(
        complainant_id, complaint_id, email="olena@example.org", message_id="<a@t>"
    )
    with CaptureQueriesContext(connection) as ctx:
        insert_together([complaint, complainant, *events, mail], returning=["reference"])
    statements = _statements(ctx)
    if connection.vendor == "postgresql":
        assert len(statements) == 1 and statements[0].startswith("WITH ")
    else:
        assert len(statements) == 4
    stored = Complaint.objects.get(pk=complaint_id)
    assert complaint.reference == stored.reference  # from RETURNING, not an expression any more
    assert stored.reference.startswith(f"C-{stored.received_at.year}-")
    assert mail.pk is None, "a row whose id the database chose is not told it"
    assert list(
        AuditEvent.objects.filter(case_id=complaint_id).order_by("seq").values_list("action")
    ) == [("received",), ("acknowledged",)]
    assert OutboundEmail.objects.get(complaint_id=complaint_id).to == "olena@example.org"


def test_rows_inserted_with_their_ids_are_saved_again_as_updates():
    """insert_together leaves Django's model state alone: a later ``save()`` of a row inserted
    with its primary key runs Django's UPDATE (one statement, no second INSERT)."""
    (complainant_id, complaint_id), _ = allocate_ids(Complainant, Complaint)
    complaint, complainant, events, mail = _rows(
        complainant_id, complaint_id, email="u@example.org", message_id="<u@t>"
    )
    insert_together([complaint, complainant, *events, mail], returning=["reference"])
    complaint.subject = "Changed after the intake"
    complainant.name = "Olena K."
    with CaptureQueriesContext(connection) as ctx:
        complaint.save()
        complainant.save(update_fields=["name"])
    verbs = [sql.split()[0].upper() for sql in _statements(ctx)]
    assert verbs == ["UPDATE", "UPDATE"]
    stored = Complaint.objects.select_related("complainant").get(pk=complaint_id)
    assert stored.subject == "Changed after the intake"
    assert stored.complainant.name == "Olena K."
    assert stored.reference == complaint.reference
    assert Complaint.objects.filter(complainant_id=complainant_id).count() == 1


def test_the_rows_are_the_ones_djangos_own_inserts_write():
    """Every column of every table the same as ``save()`` writes (but the ids, the reference's
    number, the digest and the Message-ID, which differ per row by design)."""
    now = timezone.now()
    (a, b), _ = allocate_ids(Complainant, Complaint)
    together = _rows(a, b, email="same@example.org", message_id="<x@t>", now=now)
    insert_together([together[0], together[1], *together[2], together[3]], returning=["reference"])
    (c, d), _ = allocate_ids(Complainant, Complaint)
    complaint, complainant, events, mail = _rows(
        c, d, email="same@example.org", message_id="<y@t>", now=now
    )
    complainant.save()
    complaint.save()
    for event in events:
        event.save()
    mail.save()

    differ = {"id", "complainant", "complainant_id", "case_id", "complaint", "complaint_id"}
    differ |= {"tracking_digest", "message_id", "reference", "created_at", "updated_at"}

    def values(model, **where):
        rows = list(model.objects.filter(**where).order_by("pk").values())
        return [{k: v for k, v in row.items() if k not in differ} for row in rows]

    assert values(Complainant, pk=a) == values(Complainant, pk=c)
    together_row, saved_row = values(Complaint, pk=b)[0], values(Complaint, pk=d)[0]
    assert {k: v for k, v in together_row.items() if saved_row[k] != v} == {}
    assert values(AuditEvent, case_id=b) == values(AuditEvent, case_id=d)
    assert values(OutboundEmail, complaint_id=b) == values(OutboundEmail, complaint_id=d)


def test_promise_checks_and_expressions_written_together_equal_saved_ones(manager):
    """The checks of a new case (two rows of one table in one JSON parameter on PostgreSQL)."""
    from plaint.promises.models import Promise, PromiseCheck
    from tests.promises.factories import make_code

    make_code(manager)
    promises = list(Promise.objects.order_by("pk")[:2])
    now = timezone.now()

    def checks(complaint_id: int) -> list[PromiseCheck]:
        return [
            PromiseCheck(
                complaint_id=complaint_id,
                promise=p,
                started_at=now,
                due_at=now + dt.timedelta(days=i + 1),
                at_risk_at=None,
                notifies=bool(i),
                updated_at=now,
            )
            for i, p in enumerate(promises)
        ]

    (a, b), _ = allocate_ids(Complainant, Complaint)
    complaint, complainant, _events, _mail = _rows(
        a, b, email="x@example.org", message_id="<c>", now=now
    )
    insert_together([complaint, complainant, *checks(b)], returning=["reference"])
    (c, d), _ = allocate_ids(Complainant, Complaint)
    other, other_complainant, _e, _m = _rows(c, d, email="x@example.org", message_id="<d>", now=now)
    other_complainant.save()
    other.save()
    for check in checks(d):
        check.save()

    def values(complaint_id):
        return [
            {k: v for k, v in row.items() if k not in {"id", "complaint_id"}}
            for row in PromiseCheck.objects.filter(complaint_id=complaint_id)
            .order_by("promise_id")
            .values()
        ]

    assert len(values(b)) == 2
    assert values(b) == values(d)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (7, "7"),
        ('Ääsmäe "kool"', '"\\u00c4\\u00e4sm\\u00e4e \\"kool\\""'),
        (dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), '"2026-03-29T01:30:00+00:00"'),
        (dt.date(2026, 2, 24), '"2026-02-24"'),
        (Decimal("12.50"), "12.50"),
        (uuid.UUID(int=1), '"00000000-0000-0000-0000-000000000001"'),
        (["a", 1, None], '["a",1,null]'),
        (Jsonb({"k": [1, "ü"]}), '{"k": [1, "\\u00fc"]}'),
    ],
)
def test_values_are_written_as_json_postgresql_reads_back(value, text):
    assert _json_literal(value) == text


@pytest.mark.parametrize("value", [b"bytes", float("nan"), Decimal("Infinity"), object()])
def test_a_value_json_cannot_carry_exactly_is_refused_loudly(value):
    with pytest.raises(TypeError, match="cannot write"):
        _json_literal(value)


def test_a_group_mixing_rows_with_and_without_ids_is_refused():
    (a, b), _ = allocate_ids(Complainant, Complaint)
    complaint, complainant, _events, _mail = _rows(a, b, email="m@example.org", message_id="<m>")
    without_id = Complainant(name="Second", email="s@example.org")
    with pytest.raises(ValueError, match="all have a primary key or none"):
        insert_together([complaint, complainant, without_id], returning=["reference"])


@pytest.mark.postgres_only  # SQLite numbers a reference from sqlite_sequence: one row per INSERT
def test_several_rows_numbered_in_the_insert_each_get_their_own_number():
    (a, _b), _ = allocate_ids(Complainant, Complaint)
    first, complainant, _events, _mail = _rows(a, 0, email="n@example.org", message_id="<n>")
    second, _c, _e, _m = _rows(a, 0, email="n@example.org", message_id="<o>")
    for complaint, digest in ((first, "1"), (second, "2")):
        complaint.pk = None
        complaint.complainant = complainant
        complaint.tracking_digest = digest * 64
    insert_together([first, second, complainant], returning=["reference"])
    assert first.reference != second.reference
    assert {first.reference, second.reference} == set(
        Complaint.objects.filter(complainant_id=a).values_list("reference", flat=True)
    )
