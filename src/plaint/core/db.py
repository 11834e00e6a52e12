"""Writing a group of new rows of several tables at once (a new case and everything it starts with).

This is the module where Plaint's hand-written INSERTs live; it uses only documented Django APIs:
the ``Model._meta`` API (``concrete_fields``, ``db_table``, ``pk``, ``field.column``), each field's
``pre_save(row, add=True)`` and ``get_db_prep_save`` (so defaults, ``auto_now_add`` and conversions
behave as in ``save()``), the query-expression API (``resolve_expression`` and ``as_sql`` /
``as_<vendor>``) for a value the database computes, and ``connection.cursor()``.

On PostgreSQL the rows go to the database in **one** statement — the INSERTs of all but the first
table as data-modifying ``WITH`` clauses of the first table's INSERT — instead of one round trip and
one statement per table. Each table's rows travel as one JSON parameter, read back into the table's
row type by ``json_populate_recordset``: a handful of parameters instead of one per column and row,
so the driver neither quotes each value nor re-parses the statement (both cost more than the rest
of building it). The values are written as JSON in the forms PostgreSQL's input functions read; a
value that is an expression (e.g. a reference numbered in the INSERT) is compiled into the SELECT
list. Foreign keys are deferred to the commit in Plaint's schema, so the order of the tables does
not matter to the database. Elsewhere (SQLite) each table is one multi-row ``INSERT … VALUES``, the
statement Django's own ``bulk_create`` runs.

The rows are not marked as saved afterwards (Django's model state is its own business): a row
inserted with its primary key is saved again by ``save()`` as an UPDATE (Django tries an UPDATE
first for a row with a primary key, and that UPDATE finds the row). Rows that others point at need
their primary key before the statement: ``allocate_ids`` takes them from the tables' sequences
(PostgreSQL) or from ``sqlite_sequence`` under SQLite's write lock.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.types.json import Json, Jsonb

SqlParams = tuple[str, tuple[Any, ...]]


def _quote(identifier: str) -> str:
    """A table or column name from a model's meta as an SQL identifier (PostgreSQL and SQLite)."""
    return '"' + identifier.replace('"', '""') + '"'


class _ExpressionCompiler:
    """What a query expression's ``as_sql(compiler, connection)`` needs from its compiler when it
    is a value of a new row: ``compile()`` of itself and its source expressions, with a vendor's
    ``as_<vendor>`` preferred (the documented protocol of custom expressions). Column references
    (``F()``) have no meaning in an INSERT and fail when resolved."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def compile(self, node: Any) -> tuple[str, list[Any]]:
        as_vendor = getattr(node, f"as_{self.connection.vendor}", None)
        sql, params = (as_vendor or node.as_sql)(self, self.connection)
        return sql, list(params)


def _fields(model: type[models.Model], rows: Sequence[models.Model]) -> list[models.Field]:
    """The columns to write: all but generated ones, and the primary key when the rows have it
    (all of them or none: a group that mixes both is refused)."""
    meta = model._meta
    with_pk = sum(row.pk is not None for row in rows)
    if 0 < with_pk < len(rows):
        raise ValueError(f"{meta.label} rows must all have a primary key or none")
    return [
        f
        for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (with_pk or f is not meta.pk)
    ]


def _value(
    field: models.Field, row: models.Model, connection: BaseDatabaseWrapper
) -> tuple[bool, Any]:
    """(True, (sql, params)) for a value the database computes (an expression), else (False, the
    value as ``save()`` writes it)."""
    value = field.pre_save(row, add=True)
    if hasattr(value, "resolve_expression"):
        resolved = value.resolve_expression(None, allow_joins=False, for_save=True)
        return True, _ExpressionCompiler(connection).compile(resolved)
    return False, field.get_db_prep_save(value, connection=connection)


def _column_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model._meta.label}.{name} is not a column")
    return field


def _returning(model: type[models.Model], returning: Sequence[str]) -> str:
    if not returning:
        return ""
    return " RETURNING " + ", ".join(
        _quote(_column_field(model, name).column) for name in returning
    )


def _insert_sql(
    model: type[models.Model],
    rows: Sequence[models.Model],
    connection: BaseDatabaseWrapper,
    returning: Sequence[str] = (),
) -> SqlParams:
    """``INSERT INTO table (columns) VALUES (…), (…) [RETURNING …]``: one placeholder per value,
    an expression's SQL in its place (evaluated per row)."""
    fields = _fields(model, rows)
    values_sql: list[str] = []
    params: list[Any] = []
    for row in rows:
        placeholders = []
        for f in fields:
            computed, value = _value(f, row, connection)
            if computed:
                sql, expression_params = value
                placeholders.append(sql)
                params.extend(expression_params)
            else:
                placeholders.append("%s")
                params.append(value)
        values_sql.append(f"({', '.join(placeholders)})")
    sql = (  # identifiers from the model's meta, quoted; the values are parameters
        f"INSERT INTO {_quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(_quote(f.column) for f in fields)}) VALUES {', '.join(values_sql)}"
    )
    return sql + _returning(model, returning), tuple(params)


def _json_literal(value: Any) -> str:
    """A database-ready value (after ``get_db_prep_save``) as JSON text that PostgreSQL's input
    function for the column reads back to the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool | int | str):
        return json.dumps(value)  # enums of str/int choices are written as their value
    if isinstance(value, Json | Jsonb):  # a JSONField's value: already JSON, kept as it is
        text = (value.dumps or json.dumps)(value.obj)
        return text.decode() if isinstance(text, bytes) else str(text)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f'"{value.isoformat()}"'
    if isinstance(value, float | decimal.Decimal) and math.isfinite(value):
        return str(value)
    if isinstance(value, uuid.UUID):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json_literal(item) for item in value) + "]"
    raise TypeError(f"insert_together cannot write a {type(value).__name__} as JSON")


def _insert_sql_json(
    model: type[models.Model],
    rows: Sequence[models.Model],
    connection: BaseDatabaseWrapper,
    returning: Sequence[str] = (),
) -> SqlParams | None:
    """PostgreSQL: ``INSERT … SELECT … FROM json_populate_recordset(NULL::table, %s)``; None when
    several rows carry an expression (the caller falls back to ``_insert_sql``)."""
    fields = _fields(model, rows)
    # An expression in the SELECT list is evaluated once for all rows of the recordset (e.g. one
    # reference number for all), so several rows with expressions take per-row VALUES.
    many = len(rows) > 1
    expressions: dict[str, tuple[str, list[Any]]] = {}
    documents = []
    for row in rows:
        members = []
        for f in fields:
            computed, value = _value(f, row, connection)
            if computed:
                if many:
                    return None
                expressions[f.column] = value
                continue
            members.append(f"{json.dumps(f.column)}:{_json_literal(value)}")
        documents.append("{" + ",".join(members) + "}")
    table = _quote(model._meta.db_table)
    select: list[str] = []
    params: list[Any] = []
    for f in fields:
        if f.column in expressions:
            sql, expression_params = expressions[f.column]
            select.append(f"({sql})")
            params.extend(expression_params)
        else:
            select.append(f"r.{_quote(f.column)}")
    sql = (  # identifiers from the model's meta, quoted; the values are parameters
        f"INSERT INTO {table} ({', '.join(_quote(f.column) for f in fields)}) "  # noqa: S608
        f"SELECT {', '.join(select)} FROM json_populate_recordset(NULL::{table}, %s) AS r"
    )
    params.append("[" + ",".join(documents) + "]")
    return sql + _returning(model, returning), tuple(params)


def insert_together(
    rows: Sequence[models.Model],
    *,
    returning: Sequence[str] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Insert new model instances (grouped by model, in order of first appearance) in the
    caller's transaction. ``returning`` names fields of the **first** model's rows that the
    database computes in the INSERT (e.g. a reference numbered there); they are set on those rows.
    Rows without a primary key get one from the database but are not told it (allocate it first
    when it is needed): do not save them again. Rows with a primary key may be saved again
    (``save()`` updates them)."""
    groups: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        groups.setdefault(type(row), []).append(row)
    if not groups:
        return
    connection = connections[using]
    postgresql = connection.vendor == "postgresql"
    statements = [
        (postgresql and _insert_sql_json(model, group, connection, returning if i == 0 else ()))
        or _insert_sql(model, group, connection, returning if i == 0 else ())
        for i, (model, group) in enumerate(groups.items())
    ]
    (main_sql, main_params), others = statements[0], statements[1:]
    with connection.cursor() as cursor:
        if postgresql:
            clauses = [f"insert_{i} AS ({sql})" for i, (sql, _params) in enumerate(others)]
            params = [p for _sql, ps in others for p in ps]
            cursor.execute(
                f"WITH {', '.join(clauses)} {main_sql}" if clauses else main_sql,
                [*params, *main_params],
            )
            returned = cursor.fetchall() if returning else []
        else:
            cursor.execute(main_sql, main_params)
            returned = cursor.fetchall() if returning else []
            for sql, params_ in others:
                cursor.execute(sql, params_)
    if not returning:
        return
    first_model, first_rows = next(iter(groups.items()))
    attnames = [_column_field(first_model, name).attname for name in returning]
    for row, values in zip(first_rows, returned, strict=True):
        for attname, value in zip(attnames, values, strict=True):
            setattr(row, attname, value)


def allocate_ids(
    *models_: type[models.Model],
    also: Sequence[tuple[str, Sequence[Any]]] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> tuple[list[int], list[Any]]:
    """The primary key the next new row of each model gets, for rows the caller inserts later in
    this transaction (``insert_together``), read in one statement; ``also`` are scalar subqueries
    ``(sql, params)`` read in the same statement, their values returned second, in order.

    PostgreSQL takes each id from the table's sequence (never repeated, gaps are harmless). SQLite
    reads ``sqlite_sequence`` + 1, which is safe only inside a transaction that holds the write
    lock (Plaint's SQLite transactions begin IMMEDIATE) and for one row per model."""
    if len(set(models_)) != len(models_):
        raise ValueError("one id per model")
    connection = connections[using]
    if connection.vendor == "postgresql":
        parts = ["nextval(pg_get_serial_sequence(%s, %s))"] * len(models_)
        params: list[Any] = [p for m in models_ for p in (m._meta.db_table, m._meta.pk.column)]
    else:
        parts = ["(SELECT COALESCE(MAX(seq), 0) + 1 FROM sqlite_sequence WHERE name = %s)"] * len(
            models_
        )
        params = [m._meta.db_table for m in models_]
    for sql, sql_params in also:
        parts.append(f"({sql})")
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    ids = [int(v) for v in row[: len(models_)]]
    return ids, list(row[len(models_) :])
