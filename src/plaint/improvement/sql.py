"""The SQL the ORM cannot write portably, for each database Plaint runs on (PostgreSQL, SQLite)."""

from __future__ import annotations

from django.db import connection

from plaint.complaints.models import Complaint


def whole_hours_between(start: str, end: str) -> str:
    """Completed hours from the Complaint column ``start`` to ``end`` (names from the model, never
    from input), as an integer expression."""
    quote = connection.ops.quote_name
    table = quote(Complaint._meta.db_table)
    a, b = f"{table}.{quote(start)}", f"{table}.{quote(end)}"
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM ({b} - {a})) / 3600)::integer"
    # julianday() is exact to about a millisecond: a whole hour must not come out as 23.9999…
    return f"CAST((julianday({b}) - julianday({a})) * 24 + 0.000001 AS INTEGER)"
