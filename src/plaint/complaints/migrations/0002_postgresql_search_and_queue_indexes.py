"""PostgreSQL only: trigram indexes for the queue's text search, and a category+state queue index.

The queue's search (``q``) is a case-insensitive substring match (``UPPER(col) LIKE UPPER('%w%')``)
on subject, description and the complainant's name, or an exact e-mail. Without these indexes
PostgreSQL reads every row; with them it reads only rows that share the word's trigrams. The
category+state index serves the common "state X in category Y" filter and its count. Built
CONCURRENTLY so a deployment does not lock the tables. On SQLite this migration does nothing
(SQLite has no trigram index; its LIKE scan is fine at the sizes SQLite is meant for).
"""

from django.db import migrations

INDEXES = [
    (
        "complaint_subject_trgm",
        "complaints_complaint USING gin (UPPER(subject::text) gin_trgm_ops)",
    ),
    (
        "complaint_description_trgm",
        "complaints_complaint USING gin (UPPER(description) gin_trgm_ops)",
    ),
    (
        "complainant_name_trgm",
        "complaints_complainant USING gin (UPPER(name::text) gin_trgm_ops)",
    ),
    ("complainant_email_upper", "complaints_complainant (UPPER(email::text))"),
    (
        "complaint_category_state_idx",
        "complaints_complaint (category_id, state, received_at DESC, id DESC)",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
