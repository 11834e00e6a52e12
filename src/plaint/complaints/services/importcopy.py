"""The complaint history import's new cases as COPY rows for PostgreSQL: built cases
(``NewCase``) turned into plain values table by table (``copy_rows``; JSON as its text, so the
values cross a process boundary cheaply: ``importpipeline``), then written with psycopg's
documented COPY API on the import's own connection (``copy_write``), leaving out the cases found
imported already."""

from __future__ import annotations

import json
import operator
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.db import connection, models

from plaint.complaints.models import Complainant, Complaint, Remedy
from plaint.core.audit import CHAIN_COLUMNS
from plaint.core.models import AuditEvent

# The columns of the complainants and remedies written as plain values (no model instance each:
# a million of them cost more than the rest of the row); a test holds them to the models' fields.
COMPLAINANT_COLUMNS = (
    "id", "name", "email", "phone", "language", "preferred_channel", "consent_at", "created_at",
)  # fmt: skip
REMEDY_COLUMNS = (
    "complaint_id", "proposal", "kind", "description", "amount", "currency", "proposed_at",
    "proposed_by_id", "superseded_at",
)  # fmt: skip


@dataclass
class NewCase:
    """One new case's rows, built but not written (``importwrite.cases_build``): the complainant
    (``COMPLAINANT_COLUMNS``), the case and what ``ComplaintReceiving`` subscribers added, its
    remedy (``REMEDY_COLUMNS``), and its audit chain (``CHAIN_COLUMNS``)."""

    external_id: str
    complaint_id: int
    complainant: tuple[Any, ...]
    rows: list[models.Model]
    remedy: tuple[Any, ...] | None
    events: list[tuple[Any, ...]]


@dataclass
class CopyTable:
    """One table's rows: the COPY statement, and which column holds the id that leaves a row out
    with its case (``key``: "complaint" or "complainant")."""

    sql: str
    key: str
    key_index: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class CopyRows:
    """A chunk's new cases as rows, the tables in the order their foreign keys need, and each
    case's (complainant id, complaint id) by its external ID."""

    tables: list[CopyTable]
    ids: dict[str, tuple[int, int]]


def _copy_sql(model: type[models.Model], columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    names = ", ".join(quote(f.column) for f in fields if isinstance(f, models.Field))
    return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"


def _values_table(
    model: type[models.Model],
    columns: Sequence[str],
    key: str,
    key_column: str,
    rows: list[Any],
    *,
    json_as_text: bool = False,
) -> CopyTable:
    """Rows given as values of ``columns``; JSON columns are encoded here unless the rows
    hold their text already (``json_as_text``: the audit chain's, ``chain_values``)."""
    json_at = [
        i for i, c in enumerate(columns) if isinstance(model._meta.get_field(c), models.JSONField)
    ]
    if json_at and not json_as_text:
        rows = [_with_json_text(row, json_at) for row in rows]
    return CopyTable(_copy_sql(model, columns), key, columns.index(key_column), rows)


def _with_json_text(row: tuple[Any, ...], at: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for i in at:
        values[i] = json.dumps(values[i])
    return tuple(values)


def _model_table(model: type[models.Model], rows: list[models.Model]) -> CopyTable:
    """Rows of one model as instances: every concrete column (the primary key when set)."""
    with_pk = rows[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    plan = [_column_plan(f) for f in fields]
    attnames = [attname for attname, _kind, _f in plan]
    key = "complaint" if model is Complaint else "complainant" if model is Complainant else ""
    key_column = "id" if key else "complaint_id"
    values_of = operator.attrgetter(*attnames)
    special = [(i, *column) for i, column in enumerate(plan) if column[1] != "plain"]
    table = CopyTable(_copy_sql(model, attnames), key or "complaint", attnames.index(key_column))
    for row in rows:
        values = list(values_of(row)) if len(plan) > 1 else [values_of(row)]
        for i, attname, kind, f in special:
            values[i] = _copy_value(row, attname, kind, f)
        table.rows.append(tuple(values))
    return table


def copy_rows(built: Sequence[NewCase]) -> CopyRows:
    """The built cases as COPY rows (reads nothing from the database)."""
    groups: dict[type[models.Model], list[models.Model]] = {}
    for new in built:
        for row in new.rows:
            groups.setdefault(type(row), []).append(row)
    # complainants before complaints before the rest: the order their foreign keys need
    tables = [
        _values_table(
            Complainant, COMPLAINANT_COLUMNS, "complainant", "id", [n.complainant for n in built]
        )
    ]
    for model, rows in sorted(groups.items(), key=lambda item: item[0] is not Complaint):
        tables.append(_model_table(model, rows))
    remedies = [n.remedy for n in built if n.remedy]
    tables.append(_values_table(Remedy, REMEDY_COLUMNS, "complaint", "complaint_id", remedies))
    events = [e for n in built for e in n.events]
    tables.append(
        _values_table(AuditEvent, CHAIN_COLUMNS, "complaint", "case_id", events, json_as_text=True)
    )
    ids = {n.external_id: (n.complainant[0], n.complaint_id) for n in built}
    return CopyRows(tables, ids)


def copy_write(rows: CopyRows, skip: Collection[str] = ()) -> list[int]:
    """COPY the rows in the caller's transaction, but those of the cases whose external IDs are
    in ``skip`` (found imported already); returns the new cases' ids."""
    ids = [ids for external_id, ids in rows.ids.items() if external_id not in skip]
    left_out = {
        "complainant": {rows.ids[e][0] for e in skip if e in rows.ids},
        "complaint": {rows.ids[e][1] for e in skip if e in rows.ids},
    }
    with connection.connection.cursor() as cursor:
        for table in rows.tables:
            out, at = left_out[table.key], table.key_index
            lines = [r for r in table.rows if r[at] not in out] if out else table.rows
            if not lines:
                continue
            with cursor.copy(table.sql) as copy:
                for line in lines:
                    copy.write_row(line)
    return [complaint_id for _complainant, complaint_id in ids]


def _column_plan(f: models.Field) -> tuple[str, str, models.Field]:
    """How a column's value is taken from a row: as it is (psycopg adapts str, int, bool,
    datetime, Decimal and None), as JSON text, or through the field (``auto_now`` times,
    choices)."""
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
        return json.dumps(value)
    if kind == "choice":  # a TextChoices member is written as its value, not its name
        return value.value if isinstance(value, Enum) else value
    return f.pre_save(row, add=True)
