"""Writing the complaint history import's cases: new cases built whole (complainant, case, remedy,
the audit chain with each lifecycle event at its original time and an "imported" event, and what
``ComplaintReceiving`` subscribers add, e.g. the promise checks judged on those times) and
inserted a chunk at a time — with PostgreSQL's COPY through psycopg's documented copy API on the
import's own connection, ``bulk_create`` elsewhere — and existing cases (same source and external
ID) updated one by one with their chain continued.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

from plaint.complaints.events import ComplaintReceiving
from plaint.complaints.models import Complainant, Complaint, ContactChannel, Remedy
from plaint.complaints.services.base import CASE_TYPE, search_document, tracking_digest
from plaint.complaints.services.importrows import ImportedCase
from plaint.complaints.states import ClosureReason, State, Step
from plaint.core.actors import Actor
from plaint.core.audit import CHAIN_COLUMNS, ChainEntry, chain_values
from plaint.core.deadlines import complaint_due_dates
from plaint.core.events import publish
from plaint.core.models import AuditEvent, Organisation

# The importer's states in lifecycle order: a re-import never moves a case back.
RANK: dict[str, int] = {
    State.RECEIVED: 0,
    State.ACKNOWLEDGED: 1,
    State.DECISION_COMMUNICATED: 2,
    State.CLOSED: 3,
    State.REFERRED_EXTERNAL: 3,
}


@dataclass(frozen=True)
class Origin:
    """Where a chunk's cases come from: recorded in each case's "imported" event."""

    source: str
    file_name: str
    import_id: int | None
    actor: Actor
    now: dt.datetime
    organisation: Organisation
    config_token: str


def _allocate(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``: from its sequence on PostgreSQL; on SQLite the
    next ones after ``sqlite_sequence`` (the import's transaction holds the write lock)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [int(r[0]) for r in cursor.fetchall()]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        base = int(row[0]) if row else 0
        return list(range(base + 1, base + 1 + count))


def _references(cases: Sequence[ImportedCase], ids: list[int]) -> list[str]:
    """``C-<year received>-<number>`` as ``complaints.sql.NextReference`` numbers native cases:
    PostgreSQL's reference sequence; SQLite's number is the row's id."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval('complaint_reference_seq') FROM generate_series(1, %s)",
                [len(cases)],
            )
            numbers = [int(r[0]) for r in cursor.fetchall()]
    else:
        numbers = ids
    return [f"C-{c.received_at.year}-{n:06d}" for c, n in zip(cases, numbers, strict=True)]


def step_events(case: ImportedCase, since: int) -> list[tuple[str, dt.datetime, dict[str, Any]]]:
    """(verb, original time, data) of the case's dated steps past the lifecycle rank ``since``."""
    steps: list[tuple[str, dt.datetime, dict[str, Any]]] = []
    if case.acknowledged_at and since < 1:
        steps.append((Step.ACKNOWLEDGE, case.acknowledged_at, {"state": State.ACKNOWLEDGED.value}))
    if case.decided_at and since < 2:
        data = {"state": State.DECISION_COMMUNICATED.value, "remedy": case.remedy or None}
        steps.append((Step.COMMUNICATE_DECISION, case.decided_at, data))
    if case.closed_at and since < 3:
        verb = Step.WITHDRAW if case.outcome == ClosureReason.WITHDRAWN else Step.CLOSE
        data = {"state": State.CLOSED.value, "closure_reason": case.outcome}
        steps.append((verb, case.closed_at, data))
    if case.referred_at and since < 3:
        steps.append(
            (Step.REFER_EXTERNAL, case.referred_at, {"state": State.REFERRED_EXTERNAL.value})
        )
    return [(str(verb), at, {**data, "imported": True}) for verb, at, data in steps]


# The columns of the complainants and remedies written as plain values (no model instance each:
# a million of them cost more than the rest of the row); a test holds them to the models' fields.
COMPLAINANT_COLUMNS = (
    "id", "name", "email", "phone", "language", "preferred_channel", "consent_at", "created_at",
)  # fmt: skip
REMEDY_COLUMNS = (
    "complaint_id", "proposal", "kind", "description", "amount", "currency", "proposed_at",
    "proposed_by_id", "superseded_at",
)  # fmt: skip


def _complainant(case: ImportedCase, pk: int, now: dt.datetime) -> tuple[Any, ...]:
    """The complainant as the export names them (often not at all: exports are anonymised)."""
    preferred = (
        ContactChannel.EMAIL.value
        if case.email
        else ContactChannel.PHONE.value
        if case.phone
        else ContactChannel.LETTER.value
    )
    return (pk, case.name, case.email, case.phone, case.language, preferred, None, now)


def _new_rows(
    case: ImportedCase,
    ids: tuple[int, int],
    reference: str,
    origin: Origin,
    batch: dict[str, Any],
) -> tuple[Complaint, list[models.Model]]:
    """The unsaved rows of one new case (but its audit chain: ``_new_chain``)."""
    complainant_id, complaint_id = ids
    complaint = Complaint(
        pk=complaint_id,
        reference=reference,
        complainant_id=complainant_id,
        channel=case.channel,
        received_at=case.received_at,
        subject=case.subject,
        description=case.description,
        desired_outcome=case.desired_outcome,
        product=case.product,
        segment=case.segment,
        category_id=case.category_id,
        state=case.state,
        acknowledged_at=case.acknowledged_at,
        decision_at=case.decided_at,
        closed_at=case.closed_at or None,
        closure_reason=case.outcome if case.closed_at else "",
        decision=case.decision,
        tracking_digest=tracking_digest(secrets.token_urlsafe(32)),
        search_document=search_document(
            subject=case.subject, description=case.description, name=case.name, email=case.email
        ),
        external_source=origin.source,
        external_id=case.external_id,
        updated_at=origin.now,
    )
    receiving = ComplaintReceiving(
        complaint=complaint, now=origin.now, config_token=origin.config_token, batch=batch
    )
    publish(receiving)  # promises: the due dates and the checks, judged on the dated steps
    if complaint.acknowledgement_due_at is None or complaint.response_due_at is None:
        ack_due, response_due = complaint_due_dates(case.received_at, origin.organisation)
        complaint.acknowledgement_due_at = complaint.acknowledgement_due_at or ack_due
        complaint.response_due_at = complaint.response_due_at or response_due
    return complaint, [complaint, *receiving.rows]


def _new_chain(complaint: Complaint, case: ImportedCase, origin: Origin) -> list[tuple[Any, ...]]:
    """The new case's chain (``CHAIN_COLUMNS`` values): "received" and each dated step at its
    original time (marked ``imported``: Plaint did not witness that time), then "imported" at the
    time of the import."""
    received: dict[str, Any] = {
        "state": State.RECEIVED.value,
        "channel": str(complaint.channel),
        "category": case.category or None,
        "about_process": False,
        "acknowledgement_due_at": complaint.acknowledgement_due_at.isoformat(),
        "response_due_at": complaint.response_due_at.isoformat(),
        "attachments": [],
        "imported": True,
    }
    entries: list[ChainEntry] = [("received", case.received_at, received, {"name": case.name})]
    entries += [(verb, at, data, {}) for verb, at, data in step_events(case, -1)]
    entries.append(("imported", origin.now, imported_data(case, origin), {}))
    return chain_values(
        case_type=CASE_TYPE,
        case_id=complaint.pk,
        actor_id=origin.actor.user_id,
        actor_label=origin.actor.label,
        entries=entries,
    )


def imported_data(case: ImportedCase, origin: Origin) -> dict[str, Any]:
    return {
        "source": origin.source,
        "external_id": case.external_id,
        "file": origin.file_name,
        "line": case.line,
        "import": origin.import_id,
        "state": case.state,
    }


def cases_insert(cases: Sequence[ImportedCase], origin: Origin) -> list[int]:
    """Insert new cases, in the caller's transaction; returns their ids."""
    if not cases:
        return []
    complainant_ids = _allocate(Complainant, len(cases))
    complaint_ids = _allocate(Complaint, len(cases))
    references = _references(cases, complaint_ids)
    groups: dict[type[models.Model], list[models.Model]] = {}
    batch: dict[str, Any] = {}  # what subscribers read once for the chunk
    events: list[tuple[Any, ...]] = []
    complainants: list[tuple[Any, ...]] = []
    remedies: list[tuple[Any, ...]] = []
    for case, ids, reference in zip(
        cases, zip(complainant_ids, complaint_ids, strict=True), references, strict=True
    ):
        complaint, rows = _new_rows(case, ids, reference, origin, batch)
        complainants.append(_complainant(case, ids[0], origin.now))
        offered = case.decided_at or case.closed_at
        if case.remedy and offered:
            remedies.append((ids[1], 1, case.remedy, "", None, "", offered, None, None))
        for row in rows:
            groups.setdefault(type(row), []).append(row)
        events += _new_chain(complaint, case, origin)
    # complainants before complaints before the rest: the order their foreign keys need
    _write_values(Complainant, COMPLAINANT_COLUMNS, complainants)
    for model, rows in sorted(groups.items(), key=lambda item: item[0] is not Complaint):
        _write(model, rows)
    _write_values(Remedy, REMEDY_COLUMNS, remedies)
    _write_values(AuditEvent, CHAIN_COLUMNS, events)
    return complaint_ids


def _write(model: type[models.Model], rows: list[models.Model]) -> None:
    """Rows of one model: COPY on PostgreSQL (every concrete column), ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=500)
        return
    with_pk = rows[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    plan = [_column_plan(f) for f in fields]
    raw = connection.connection  # the psycopg connection, inside the import's transaction
    with (
        raw.cursor() as cursor,
        cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row([_copy_value(row, attname, kind, f) for attname, kind, f in plan])


def _write_values(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Rows of ``model`` given as values of ``columns`` (attribute names; dicts and lists are
    JSON): COPY on PostgreSQL, ``bulk_create`` of instances elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
        )
        return
    fields = [model._meta.get_field(c) for c in columns]
    names = ", ".join(
        connection.ops.quote_name(f.column) for f in fields if isinstance(f, models.Field)
    )
    table = connection.ops.quote_name(model._meta.db_table)
    json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json:
                values = list(row)
                for i in json:
                    values[i] = Jsonb(values[i])
                copy.write_row(values)
            else:
                copy.write_row(row)


def _column_plan(f: models.Field) -> tuple[str, str, models.Field]:
    """How a column's value is taken from a row: as it is (psycopg adapts str, int, bool,
    datetime, Decimal and None), as JSON, or through the field (``auto_now`` times, choices)."""
    if isinstance(f, models.JSONField):
        return f.attname, "json", f
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return f.attname, "auto", f
    if f.choices:
        return f.attname, "choice", f
    return f.attname, "plain", f


def _copy_value(row: models.Model, attname: str, kind: str, f: models.Field) -> Any:
    value = getattr(row, attname)
    if kind == "plain" or (value is None and kind != "auto"):
        return value
    if kind == "json":
        return Jsonb(value)
    if kind == "choice":  # a TextChoices member is written as its value, not its name
        return value.value if isinstance(value, Enum) else value
    return f.pre_save(row, add=True)
