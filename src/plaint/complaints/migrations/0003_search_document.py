"""One search column for the queue's text search, with one trigram index on PostgreSQL; and the
sequence that numbers references in the complaint's INSERT.

``Complaint.search_document`` holds the subject, description and the complainant's name and
e-mail, lower-cased (``complaints.services.search_document``). The queue's ``q`` becomes a
single-table ``search_document LIKE '%term%'``, which PostgreSQL answers from one pg_trgm GIN index
or, for a common word, by walking the newest-first index and stopping after a page. The per-column
trigram indexes of migration 0002 (and its upper-case e-mail index) are no longer read and are
dropped. Existing rows are filled in: one UPDATE on PostgreSQL (about a minute per million rows),
in batches of 2,000 in Python elsewhere. The index is built CONCURRENTLY, so this migration is not
atomic. SQLite keeps working without any index (a LIKE scan of one column).

References: ``complaint_submit`` sets ``C-<year>-<n>`` in the INSERT (``services.NextReference``)
instead of INSERT + UPDATE. On PostgreSQL ``n`` comes from ``complaint_reference_seq``, created
here starting after the largest id (references used to be derived from the id, so none collides).
A bulk load that writes references itself must move the sequence on (``bench/load_queue.py`` does).
"""

from django.db import migrations, models

import plaint.complaints.models

OLD_INDEXES = [
    "complaint_subject_trgm",
    "complaint_description_trgm",
    "complainant_name_trgm",
    "complainant_email_upper",
]
OLD_DEFINITIONS = {
    "complaint_subject_trgm": "complaints_complaint USING gin (UPPER(subject::text) gin_trgm_ops)",
    "complaint_description_trgm": "complaints_complaint USING gin (UPPER(description) gin_trgm_ops)",
    "complainant_name_trgm": "complaints_complainant USING gin (UPPER(name::text) gin_trgm_ops)",
    "complainant_email_upper": "complaints_complainant (UPPER(email::text))",
}
NEW_INDEX = "complaint_search_trgm"


def fill(apps, schema_editor):
    """Fill the column for rows written before it existed (the same text the services write)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE complaints_complaint c SET search_document = lower(concat_ws(' ', "
            "c.subject, c.description, p.name, NULLIF(p.email, ''))) "
            "FROM complaints_complainant p WHERE p.id = c.complainant_id "
            "AND c.search_document = ''"
        )
        return
    Complaint = apps.get_model("complaints", "Complaint")
    last = 0
    while True:
        batch = list(
            Complaint.objects.select_related("complainant")
            .filter(pk__gt=last, search_document="")
            .order_by("pk")[:2000]
        )
        if not batch:
            return
        for c in batch:
            parts = [c.subject, c.description, c.complainant.name, c.complainant.email]
            c.search_document = " ".join(p for p in parts if p).lower()
        Complaint.objects.bulk_update(batch, ["search_document"])
        last = batch[-1].pk


def sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE SEQUENCE IF NOT EXISTS complaint_reference_seq "
        "OWNED BY complaints_complaint.reference"
    )
    schema_editor.execute(
        "SELECT setval('complaint_reference_seq', max(id)) FROM complaints_complaint "
        "HAVING max(id) IS NOT NULL"
    )


def unsequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS complaint_reference_seq")


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NEW_INDEX} "
        "ON complaints_complaint USING gin (search_document gin_trgm_ops)"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NEW_INDEX}")
    for name in OLD_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {OLD_DEFINITIONS[name]}"
        )


class Migration(migrations.Migration):
    atomic = False  # CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("complaints", "0002_postgresql_search_and_queue_indexes")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="reference",
            field=plaint.complaints.models.ReturnedCharField(
                blank=True, max_length=20, null=True, unique=True
            ),
        ),
        migrations.RunPython(sequence, unsequence, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index, unindex, elidable=False),
    ]
