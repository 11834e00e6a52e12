"""``GET /api/v1/audit/case-reads``: the access log (who read which case, when, how) for auditors
and admins, filtered as on the staff page and in the same keyset pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from plaint.accounts.access import can_read_access_log
from plaint.accounts.api_auth import BearerToken, api_user, may
from plaint.complaints.models import Complaint, ReadVia
from plaint.complaints.schemas import Cursor, Id, NoNul
from plaint.complaints.selectors_reads import ReadFilters, case_read_list
from plaint.core.bounds import Day
from plaint.core.errors import ValidationFailed
from plaint.core.limits import max_length
from plaint.core.problem import Problem
from plaint.core.selectors import organisation_get

router = Router(tags=["audit"], auth=BearerToken())

Reference = Annotated[str, StringConstraints(max_length=max_length(Complaint, "reference")), NoNul]


class CaseReadQuery(Schema):
    user: Id | None = Field(None, description="Only this person's reads (a user id)")
    case: Reference | None = Field(None, description="Only reads of this case (its reference)")
    start: Day | None = Field(None, description="From this day on (the organisation's time zone)")
    end: Day | None = Field(None, description="Up to and including this day")
    cursor: Cursor | None = None
    limit: int = Field(50, ge=1, le=200)


class CaseReadUserOut(Schema):
    id: int
    username: str


class CaseReadOut(Schema):
    at: dt.datetime
    user: CaseReadUserOut
    case: str = Field(description="The complaint's reference")
    via: ReadVia = Field(description="page, api or attachment")


class CaseReadPageOut(Schema):
    items: list[CaseReadOut]
    next_cursor: str | None


@router.get(
    "/audit/case-reads",
    response={200: CaseReadPageOut, 401: Problem, 403: Problem, 422: Problem},
    summary="The access log: staff reads of cases, newest first",
    description=(
        "One row for each time a member of staff read a case: its staff page, a step or assign "
        "page, an attachment download, or `GET /complaints/{reference}`. Filter by `user` (id), "
        "`case` (reference) and a period (`start`, `end`: whole days in the organisation's time "
        "zone, both included); page by keyset: pass `next_cursor` back as `cursor`."
    ),
    auth=may(can_read_access_log, gettext_noop("read the access log")),
)
def case_reads(request: HttpRequest, query: Query[CaseReadQuery]):
    if query.start and query.end and query.end < query.start:
        message = _("The end of the period comes before its start.")
        raise ValidationFailed(message, fields={"end": [message]})
    page = case_read_list(
        actor=api_user(request),
        filters=ReadFilters(
            user=query.user, case=query.case or "", start=query.start, end=query.end
        ),
        zone=ZoneInfo(organisation_get().timezone),
        cursor=query.cursor,
        limit=query.limit,
    )
    items = [
        {
            "at": row.at,
            "user": {"id": row.user_id, "username": row.user.get_username()},
            "case": row.complaint.reference,
            "via": row.via,
        }
        for row in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}
