"""Writing a group of new rows of several tables at once (a new case and everything it starts with).

On PostgreSQL the rows go to the database in **one** statement — the INSERTs of all but the first
table as data-modifying ``WITH`` clauses of the first table's INSERT — instead of one round trip and
one statement per table. The SQL of each INSERT is the one Django itself would run for
``bulk_create`` (the same ``InsertQuery`` compiler, so field defaults, ``auto_now_add`` and database
conversions behave the same). Foreign keys are deferred to the commit in Plaint's schema, so the
order of the tables does not matter to the database. Elsewhere (SQLite) each table is one INSERT.

Rows that others point at need their primary key before the statement: ``allocate_ids`` takes them
from the tables' sequences (PostgreSQL) or from ``sqlite_sequence`` under SQLite's write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.sql import InsertQuery


def _insert_sql(
    model: type[models.Model],
    rows: Sequence[models.Model],
    using: str,
    returning: Sequence[str] = (),
) -> tuple[str, tuple[Any, ...]]:
    meta = model._meta
    pk_given = all(row.pk is not None for row in rows)
    fields = [
        f
        for f in meta.concrete_fields
        if not getattr(f, "generated", False) and (pk_given or f is not meta.pk)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, list(rows), raw=False)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.get_field(name) for name in returning] or None
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)


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
    when it is needed)."""
    groups: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        groups.setdefault(type(row), []).append(row)
    if not groups:
        return
    connection = connections[using]
    statements = [
        _insert_sql(model, group, using, returning if i == 0 else ())
        for i, (model, group) in enumerate(groups.items())
    ]
    (main_sql, main_params), others = statements[0], statements[1:]
    with connections[using].cursor() as cursor:
        if connection.vendor == "postgresql":
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
    for row in rows:  # saved now, as after bulk_create
        row._state.adding = False
        row._state.db = using
    if not returning:
        return
    first_model, first_rows = next(iter(groups.items()))
    attnames = [first_model._meta.get_field(name).attname for name in returning]  # type: ignore[union-attr]
    for row, values in zip(first_rows, returned, strict=True):
        for attname, value in zip(attnames, values, strict=True):
            setattr(row, attname, value)


def allocate_ids(
    *models_: type[models.Model], also: str = "", using: str = DEFAULT_DB_ALIAS
) -> tuple[list[int], Any]:
    """The primary key the next new row of each model gets, for rows the caller inserts later in
    this transaction (``insert_together``), read in one statement; ``also`` is a scalar subquery
    read in the same statement (its value is returned second, None without one).

    PostgreSQL takes each id from the table's sequence (never repeated, gaps are harmless). SQLite
    reads ``sqlite_sequence`` + 1, which is safe only inside a transaction that holds the write
    lock (Plaint's SQLite transactions begin IMMEDIATE) and for one row per model."""
    if len(set(models_)) != len(models_):
        raise ValueError("one id per model")
    connection = connections[using]
    if connection.vendor == "postgresql":
        parts = ["nextval(pg_get_serial_sequence(%s, %s))"] * len(models_)
        params = [p for m in models_ for p in (m._meta.db_table, m._meta.pk.column)]
    else:
        parts = ["(SELECT COALESCE(MAX(seq), 0) + 1 FROM sqlite_sequence WHERE name = %s)"] * len(
            models_
        )
        params = [m._meta.db_table for m in models_]
    if also:
        parts.append(f"({also})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    ids = [int(v) for v in row[: len(models_)]]
    return ids, (row[len(models_)] if also else None)
