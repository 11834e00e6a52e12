"""The promises app's hand-written SQL, in one place: each statement says why it is not the ORM."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from plaint.promises.models import PromiseCheck

CHECK_FIELDS = [
    "status",
    "started_at",
    "due_at",
    "at_risk_at",
    "met_at",
    "breached_at",
    "updated_at",
]


def checks_update(checks: Sequence[PromiseCheck]) -> None:
    """UPDATE ``CHECK_FIELDS`` of each check as one statement: on PostgreSQL one parameterised
    UPDATE sent for all rows with ``executemany`` (Django's ``bulk_update`` builds a CASE per
    column and row, which costs more in Python than the whole recomputation); elsewhere
    ``bulk_update``."""
    if not checks:
        return
    if connection.vendor != "postgresql":
        PromiseCheck.objects.bulk_update(checks, CHECK_FIELDS, batch_size=500)
        return
    qn = connection.ops.quote_name
    meta = PromiseCheck._meta
    fields = {f.name: f for f in meta.concrete_fields}
    columns = [fields[name] for name in CHECK_FIELDS]
    sql = (  # identifiers from the model's meta, quoted; every value is a parameter
        f"UPDATE {qn(meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{qn(c.column)} = %s" for c in columns)
        + f" WHERE {qn(fields['id'].column)} = %s"
    )
    params = [
        [c.get_db_prep_value(getattr(o, c.attname), connection) for c in columns] + [o.pk]
        for o in checks
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
