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
from typing import Any

from django.db import connection, models

from plaint.complaints.events import ComplaintReceiving
from plaint.complaints.models import Complainant, Complaint, ContactChannel, Remedy
from plaint.complaints.services.base import CASE_TYPE, search_document, tracking_digest
from plaint.complaints.services.importcopy import (
    COMPLAINANT_COLUMNS,
    REMEDY_COLUMNS,
    NewCase,
    copy_rows,
    copy_write,
)
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


def _reference_numbers(count: int, ids: list[int]) -> list[int]:
    """The numbers of ``C-<year received>-<number>`` as ``complaints.sql.NextReference`` numbers
    native cases: PostgreSQL's reference sequence; SQLite's number is the row's id."""
    if connection.vendor != "postgresql":
        return ids
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval('complaint_reference_seq') FROM generate_series(1, %s)", [count]
        )
        return [int(r[0]) for r in cursor.fetchall()]


@dataclass(frozen=True)
class NewIds:
    """The keys of one new case, taken before it is built: its complainant's and its own primary
    key, and the number of its reference."""

    complainant: int
    complaint: int
    number: int


def new_ids(count: int) -> list[NewIds]:
    """``count`` sets of keys for new cases (three statements: the two tables' sequences and the
    references'). On SQLite, only inside the transaction that writes the cases."""
    complainant_ids = _allocate(Complainant, count)
    complaint_ids = _allocate(Complaint, count)
    numbers = _reference_numbers(count, complaint_ids)
    return [NewIds(*keys) for keys in zip(complainant_ids, complaint_ids, numbers, strict=True)]


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


# Every column of a complaint and its default, in the model's order: a new case is built from
# its values in that order (the way ``Model.from_db`` builds one), not from keywords, which cost
# a million imported cases more than the rest of their building (bench/complaint_import.py).
_COMPLAINT_DEFAULTS: dict[str, Any] = {}


def _complaint(**values: Any) -> Complaint:
    if not _COMPLAINT_DEFAULTS:
        fields = Complaint._meta.concrete_fields
        _COMPLAINT_DEFAULTS.update({f.attname: f.get_default() for f in fields})
    row = {**_COMPLAINT_DEFAULTS, "paused_periods": [], **values}
    return Complaint(*row.values())


def _new_rows(
    case: ImportedCase, ids: NewIds, origin: Origin, batch: dict[str, Any]
) -> tuple[Complaint, list[models.Model]]:
    """The unsaved rows of one new case (but its audit chain: ``_new_chain``)."""
    complaint = _complaint(
        id=ids.complaint,
        reference=f"C-{case.received_at.year}-{ids.number:06d}",
        complainant_id=ids.complainant,
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
        json_text=connection.vendor == "postgresql",  # COPY's rows (``importcopy``)
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


def cases_build(
    cases: Sequence[ImportedCase],
    ids: Sequence[NewIds],
    origin: Origin,
    batch: dict[str, Any],
) -> list[NewCase]:
    """Build new cases with the keys taken for them, reading nothing from the database once
    ``batch`` holds what the subscribers read (they fill it on the import's first case: the
    configuration token is the import's, so what they read holds for all of its cases)."""
    built: list[NewCase] = []
    for case, keys in zip(cases, ids, strict=True):
        complaint, rows = _new_rows(case, keys, origin, batch)
        offered = case.decided_at or case.closed_at
        remedy = (
            (keys.complaint, 1, case.remedy, "", None, "", offered, None, None)
            if case.remedy and offered
            else None
        )
        built.append(
            NewCase(
                external_id=case.external_id,
                complaint_id=keys.complaint,
                complainant=_complainant(case, keys.complainant, origin.now),
                rows=rows,
                remedy=remedy,
                events=_new_chain(complaint, case, origin),
            )
        )
    return built


def cases_write(built: Sequence[NewCase]) -> list[int]:
    """Write built cases, in the caller's transaction; returns their ids. PostgreSQL: COPY of
    their rows (``importcopy``); elsewhere ``bulk_create``."""
    if not built:
        return []
    if connection.vendor == "postgresql":
        return copy_write(copy_rows(built))
    groups: dict[type[models.Model], list[models.Model]] = {}
    for new in built:
        for row in new.rows:
            groups.setdefault(type(row), []).append(row)
    # complainants before complaints before the rest: the order their foreign keys need
    _create(Complainant, COMPLAINANT_COLUMNS, [new.complainant for new in built])
    for model, rows in sorted(groups.items(), key=lambda item: item[0] is not Complaint):
        model._default_manager.bulk_create(rows, batch_size=500)
    _create(Remedy, REMEDY_COLUMNS, [new.remedy for new in built if new.remedy])
    _create(AuditEvent, CHAIN_COLUMNS, [e for new in built for e in new.events])
    return [new.complaint_id for new in built]


def _create(model: type[models.Model], columns: Sequence[str], rows: list[Any]) -> None:
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
    )


def cases_insert(
    cases: Sequence[ImportedCase], origin: Origin, batch: dict[str, Any] | None = None
) -> list[int]:
    """Insert new cases, in the caller's transaction; returns their ids."""
    if not cases:
        return []
    ids = new_ids(len(cases))
    return cases_write(cases_build(cases, ids, origin, {} if batch is None else batch))
