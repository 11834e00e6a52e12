"""Writing an imported file's responses and answers: the one place Plaint uses PostgreSQL's COPY.

An import of 100,000 rows writes 100,000 responses and ~800,000 answers. ``bulk_create`` spends
most of that import building model instances and binding their values (bench/survey_import.py:
two thirds of a 45 s import). On PostgreSQL this module writes them with ``COPY … FROM STDIN``
through psycopg's documented copy API instead, on the same connection and so in the import's own
transaction: the responses' ids are taken from their sequence first (one statement), so the
answers can name them. Elsewhere (SQLite) it is ``bulk_create``, as before.

The columns written are every column of ``surveys_response`` and ``surveys_answer``; a test
(tests/surveys/test_bulkwrite.py) compares what both ways write, field by field, so a column
added to either model without being added here fails there.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from plaint.surveys.models import Answer, Response

RESPONSE_COLUMNS = (
    "id",
    "survey_id",
    "invitation_id",
    "complaint_id",
    "started_at",
    "submitted_at",
    "language",
    "channel",
    "category_id",
    "product",
    "segment",
    "source",
    "external_id",
    "page",
)
ANSWER_COLUMNS = ("response_id", "question_id", "value", "text", "choices")
BATCH = 5000  # answers per bulk_create statement where COPY is not used


def write(rows: list[tuple[Response, dict[int, dict[str, Any]]]]) -> None:
    """Store the responses (their ``pk`` set afterwards) and their answers (question id →
    ``value``, ``text``, ``choices``)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Response.objects.bulk_create([r for r, _answers in rows], batch_size=BATCH)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question_id=qid, **values)
                for response, answers in rows
                for qid, values in answers.items()
            ],
            batch_size=BATCH,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Response._meta.db_table, len(rows)],
        )
        for (response, _answers), (pk,) in zip(rows, cursor.fetchall(), strict=True):
            response.pk = pk
    raw = connection.connection  # the psycopg connection, inside the import's transaction
    with raw.cursor() as cur:
        with cur.copy(
            f"COPY {Response._meta.db_table} ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN"
        ) as copy:
            for response, _answers in rows:
                copy.write_row([getattr(response, column) for column in RESPONSE_COLUMNS])
        with cur.copy(
            f"COPY {Answer._meta.db_table} ({', '.join(ANSWER_COLUMNS)}) FROM STDIN"
        ) as copy:
            for response, answers in rows:
                for qid, values in answers.items():
                    copy.write_row(
                        (
                            response.pk,
                            qid,
                            values.get("value"),
                            values.get("text", ""),
                            json.dumps(values.get("choices", [])),
                        )
                    )
