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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from plaint.complaints.events import ComplaintReceiving
from plaint.complaints.models import Complainant, Complaint, ContactChannel, Remedy
from plaint.complaints.services.base import CASE_TYPE, search_document, tracking_digest
from plaint.complaints.services.importrows import ImportedCase
from plaint.complaints.states import ClosureReason, State, Step
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
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


def _event(
    complaint: Complaint,
    actor: Actor,
    action: str,
    data: dict[str, Any],
    at: dt.datetime,
    after: AuditEvent | str | None,
    personal: dict[str, Any] | None = None,
    save: bool = False,
) -> AuditEvent:
    return audit_append(
        case_type=CASE_TYPE,
        case_id=complaint.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        personal=personal,
        at=at,
        after=after,
        save=save,
    )


def step_events(case: ImportedCase, since: int) -> list[tuple[str, dt.datetime, dict[str, Any]]]:
    """(verb, original time, data) of the case's dated steps past the lifecycle rank ``since``."""
    steps: list[tuple[str, dt.datetime, dict[str, Any]]] = []
    if case.acknowledged_at and since < 1:
        steps.append((Step.ACKNOWLEDGE, case.acknowledged_at, {"state": State.ACKNOWLEDGED}))
    if case.decided_at and since < 2:
        data = {"state": State.DECISION_COMMUNICATED, "remedy": case.remedy or None}
        steps.append((Step.COMMUNICATE_DECISION, case.decided_at, data))
    if case.closed_at and since < 3:
        verb = Step.WITHDRAW if case.outcome == ClosureReason.WITHDRAWN else Step.CLOSE
        data = {"state": State.CLOSED, "closure_reason": case.outcome}
        steps.append((verb, case.closed_at, data))
    if case.referred_at and since < 3:
        steps.append((Step.REFER_EXTERNAL, case.referred_at, {"state": State.REFERRED_EXTERNAL}))
    return [(str(verb), at, {**data, "imported": True}) for verb, at, data in steps]


def _complainant(case: ImportedCase, pk: int, now: dt.datetime) -> Complainant:
    """The complainant as the export names them (often not at all: exports are anonymised)."""
    preferred = (
        ContactChannel.EMAIL
        if case.email
        else ContactChannel.PHONE
        if case.phone
        else ContactChannel.LETTER
    )
    return Complainant(
        pk=pk,
        name=case.name,
        email=case.email,
        phone=case.phone,
        language=case.language,
        preferred_channel=preferred,
        created_at=now,
    )


def _new_rows(
    case: ImportedCase, ids: tuple[int, int], reference: str, origin: Origin
) -> tuple[Complaint, list[models.Model]]:
    """The unsaved rows of one new case."""
    complainant_id, complaint_id = ids
    complainant = _complainant(case, complainant_id, origin.now)
    complaint = Complaint(
        pk=complaint_id,
        reference=reference,
        complainant=complainant,
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
        complaint=complaint, now=origin.now, config_token=origin.config_token
    )
    publish(receiving)  # promises: the due dates and the checks, judged on the dated steps
    if complaint.acknowledgement_due_at is None or complaint.response_due_at is None:
        ack_due, response_due = complaint_due_dates(case.received_at, origin.organisation)
        complaint.acknowledgement_due_at = complaint.acknowledgement_due_at or ack_due
        complaint.response_due_at = complaint.response_due_at or response_due
    rows: list[models.Model] = [complainant, complaint]
    offered = case.decided_at or case.closed_at
    if case.remedy and offered:
        rows.append(Remedy(complaint=complaint, kind=case.remedy, proposed_at=offered))
    rows += _new_chain(complaint, case, origin)
    rows += receiving.rows
    return complaint, rows


def _new_chain(complaint: Complaint, case: ImportedCase, origin: Origin) -> list[AuditEvent]:
    """The new case's chain: "received" and each dated step at its original time (marked
    ``imported``: Plaint did not witness that time), then "imported" at the time of the import."""
    received = _event(
        complaint,
        origin.actor,
        "received",
        {
            "state": State.RECEIVED,
            "channel": complaint.channel,
            "category": case.category or None,
            "about_process": False,
            "acknowledgement_due_at": complaint.acknowledgement_due_at.isoformat(),
            "response_due_at": complaint.response_due_at.isoformat(),
            "attachments": [],
            "imported": True,
        },
        at=case.received_at,
        after=None,
        personal={"name": case.name},
    )
    events = [received]
    for verb, at, data in step_events(case, -1):
        events.append(_event(complaint, origin.actor, verb, data, at=at, after=events[-1]))
    events.append(
        _event(
            complaint,
            origin.actor,
            "imported",
            imported_data(case, origin),
            at=origin.now,
            after=events[-1],
        )
    )
    return events


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
    for case, ids, reference in zip(
        cases, zip(complainant_ids, complaint_ids, strict=True), references, strict=True
    ):
        _complaint, rows = _new_rows(case, ids, reference, origin)
        for row in rows:
            groups.setdefault(type(row), []).append(row)
    # complainants before complaints before the rest: the order their foreign keys need
    for model, rows in sorted(groups.items(), key=lambda item: _ORDER.get(item[0], 9)):
        _write(model, rows)
    return complaint_ids


_ORDER = {Complainant: 0, Complaint: 1}


def _write(model: type[models.Model], rows: list[models.Model]) -> None:
    """Rows of one model: COPY on PostgreSQL (every concrete column, as ``save()`` would write
    it), ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=500)
        return
    with_pk = rows[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    raw = connection.connection  # the psycopg connection, inside the import's transaction
    with (
        raw.cursor() as cursor,
        cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row(_db_values(fields, row))


def _db_values(fields: Iterable[models.Field], row: models.Model) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(row, add=True), connection=connection) for f in fields]
