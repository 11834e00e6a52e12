"""A floor for the intake benchmark (bench/intake.py): the cheapest way to store a complaint.

It writes the same two rows as ``complaint_submit`` (complainant, complaint with its reference
numbered in the INSERT and its search document) with plain SQL in one transaction, and nothing
else: no authentication, validation, due-date calendar, audit event or e-mail job. It is not part
of Plaint: only the bench's URLconf (``bench_urls``, under the bench's settings) routes it. It
deliberately bypasses the service layer: it is a measuring stick, not a way in. The same
``insert_complaint`` is used over a bare psycopg connection by the bench (floor (a)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from plaint.complaints.services import NEXT_REFERENCE_SQL, search_document

COMPLAINANT_COLUMNS = (
    "name",
    "email",
    "phone",
    "language",
    "preferred_channel",
    "consent_at",
    "created_at",
)
COMPLAINT_COLUMNS = (
    "reference",
    "complainant_id",
    "channel",
    "received_at",
    "subject",
    "description",
    "desired_outcome",
    "product",
    "category_id",
    "about_process",
    "severity",
    "priority",
    "safety_issue",
    "state",
    "assignee_id",
    "team_id",
    "acknowledged_at",
    "acknowledgement_due_at",
    "response_due_at",
    "decision_at",
    "decided_by_id",
    "closed_at",
    "closure_reason",
    "out_of_scope_reason",
    "findings",
    "root_cause",
    "decision",
    "complainant_feedback",
    "tracking_digest",
    "version",
    "updated_at",
    "search_document",
    "remedy_delivered_at",
    "paused_periods",
    "resume_state",
    "segment",
    "dispute_provider",
    "dispute_outcome",
    "dispute_closed_on",
    "dispute_binding",
    "dispute_note",
    "acknowledgement_paused",
    "response_paused",
    "cause_code",
    "external_source",
    "external_id",
)

# Built from the constant column lists above, never from input.
_INSERT_COMPLAINANT = (
    f"INSERT INTO complaints_complainant ({', '.join(COMPLAINANT_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(COMPLAINANT_COLUMNS))}) RETURNING id"
)
# The reference is numbered in the INSERT, as ``complaint_submit`` does (``NextReference``).
_INSERT_COMPLAINT = {
    vendor: f"INSERT INTO complaints_complaint ({', '.join(COMPLAINT_COLUMNS)}) "
    f"VALUES ({next_reference}, {', '.join(['%s'] * (len(COMPLAINT_COLUMNS) - 1))}) "
    "RETURNING id, reference"
    for vendor, next_reference in NEXT_REFERENCE_SQL.items()
}


def insert_complaint(
    cursor: Any, payload: dict[str, Any], now: dt.datetime, vendor: str = "postgresql"
) -> tuple[int, str]:
    """Insert a complainant and an acknowledged API complaint through a DB-API cursor (``%s``
    placeholders: Django's cursor or psycopg's). The caller owns the transaction."""
    email = str(payload.get("email", ""))
    description = str(payload.get("description", ""))
    cursor.execute(
        _INSERT_COMPLAINANT,
        [
            str(payload.get("name", "")),
            email,
            str(payload.get("phone", "")),
            str(payload.get("language", "en")),
            "email",
            now,
            now,
        ],
    )
    complainant_id = cursor.fetchone()[0]
    digest = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
    name = str(payload.get("name", ""))
    subject = str(payload.get("subject", "")) or description[:80]
    cursor.execute(
        _INSERT_COMPLAINT[vendor],
        [
            f"C-{now.year}-",
            complainant_id,
            "api",
            now,
            subject,
            description,
            str(payload.get("desired_outcome", "")),
            str(payload.get("product", "")),
            None,
            False,
            "",
            "normal",
            False,
            "acknowledged",
            None,
            None,
            now,
            now + dt.timedelta(days=2),
            now + dt.timedelta(days=40),
            None,
            None,
            None,
            "",
            "",
            "",
            "",
            "",
            "",
            digest,
            1,
            now,
            search_document(subject=subject, description=description, name=name, email=email),
            None,
            "[]",
            "",
            "",
            "",  # dispute_provider .. dispute_note: no external dispute yet
            "",
            None,
            None,
            "",
            False,  # acknowledgement_paused, response_paused: no clock stopped at intake
            False,
            None,  # cause_code: no root cause yet
            "",  # external_source, external_id: filed here, not imported
            "",
        ],
    )
    complaint_id, reference = cursor.fetchone()
    return complaint_id, reference


@csrf_exempt
@require_POST
def floor_complaint_create(request: HttpRequest) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "not JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": "not an object"}, status=400)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        complaint_id, reference = insert_complaint(cursor, payload, now, connection.vendor)
    return JsonResponse({"id": complaint_id, "reference": reference}, status=201)
