"""The complaints app's hand-written SQL: the reference a new complaint is numbered with, computed
by the database inside the complaint's INSERT, and the category a new complaint names, read in the
same statement as its ids (both for ``services.intake.complaint_submit``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Expression

from plaint.complaints.models import Category

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# The next reference as a subquery per database (one ``%s``: the prefix); see ``NextReference``.
# PostgreSQL's complaint_reference_seq is created by migration 0003.
NEXT_REFERENCE_SQL = {
    "postgresql": "(SELECT %s || lpad(n::text, greatest(6, length(n::text)), '0') "
    "FROM (SELECT nextval('complaint_reference_seq') AS n) AS next_reference)",
    "sqlite": "(SELECT %s || printf('%%06d', COALESCE(MAX(seq), 0) + 1) FROM sqlite_sequence "
    "WHERE name = 'complaints_complaint')",
}


class NextReference(Expression):
    """``<prefix><number>`` computed by the database inside the complaint's INSERT, the number at
    least six digits. PostgreSQL takes the number from ``complaint_reference_seq`` (never blocks,
    never repeats; gaps after a rollback are fine). SQLite takes the id the row is about to get,
    ``sqlite_sequence`` + 1: SQLite has one writer at a time and the INSERT holds the write lock
    while it reads it, so two intakes cannot get the same number."""

    output_field = CharField()

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, list[str | int]]:
        vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        return NEXT_REFERENCE_SQL[vendor], [self.prefix]


def active_category_sql(code: str) -> list[tuple[str, list[Any]]]:
    """The id and the name of the active category with this code (NULL, NULL when there is none),
    as two scalar subqueries for the intake's one statement (``core.db.allocate_ids``)."""
    where = f"FROM {Category._meta.db_table} WHERE code = %s AND active"
    return [(f"SELECT id {where}", [code]), (f"SELECT name {where}", [code])]
