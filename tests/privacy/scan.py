"""Searches of the whole database (every column of every table, as text) and of a folder's files
for given strings: what must find nothing after an erasure."""

from __future__ import annotations

from pathlib import Path

from django.db import connection


def database_hits(needles: list[str]) -> dict[str, int]:
    """``{"table.column": rows}`` for each column where any needle occurs (case-insensitive)."""
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            # One statement per table; per column only where the table has a hit.
            if _count(cursor, table, columns, needles):
                for column in columns:
                    count = _count(cursor, table, [column], needles)
                    if count:
                        hits[f"{table}.{column}"] = count
    return hits


def _count(cursor, table: str, columns: list[str], needles: list[str]) -> int:
    quote = connection.ops.quote_name
    where = " OR ".join(
        f"LOWER(CAST({quote(column)} AS TEXT)) LIKE %s" for column in columns for _ in needles
    )
    cursor.execute(
        f"SELECT COUNT(*) FROM {quote(table)} WHERE {where}",  # noqa: S608 - names from introspection
        [f"%{n.lower()}%" for _ in columns for n in needles],
    )
    return cursor.fetchone()[0]


def file_hits(folder: Path, needles: list[str]) -> list[str]:
    """The files under ``folder`` whose name or bytes contain any needle (UTF-8,
    case-insensitive; in a name, spaces may have become underscores)."""
    wanted = [n.lower().encode() for n in needles]
    names = {n.lower() for n in needles} | {n.lower().replace(" ", "_") for n in needles}
    found = []
    for path in folder.rglob("*"):
        if any(n in str(path.relative_to(folder)).lower() for n in names):
            found.append(str(path.relative_to(folder)))
        elif path.is_file():
            data = path.read_bytes().lower()
            if any(n in data for n in wanted):
                found.append(str(path.relative_to(folder)))
    return found
