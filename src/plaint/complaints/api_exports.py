"""``GET /api/v1/complaints/export``: the complaint register as CSV or XLSX, with the queue's
filters. Its own router, added before the complaints router so "export" is never read as a
reference. The query string is parsed by the queue's filter form (after the permission check), so
the staff page and the API accept exactly the same filters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Router

from plaint.accounts.access import can_read_complaints
from plaint.accounts.api_auth import BearerToken, api_user, may
from plaint.complaints.exports import register_personal_refusal, register_request
from plaint.complaints.views_exports import export_response
from plaint.core.problem import Problem
from plaint.core.replica import report_reads

router = Router(tags=["exports"], auth=BearerToken())

_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": ["csv", "xlsx"], "default": "csv"},
    },
    {
        "name": "include_personal",
        "in": "query",
        "description": "1: add the complainant's name, e-mail and phone (managers and admins; "
        "audited)",
        "schema": {"type": "string", "enum": ["0", "1"], "default": "0"},
    },
]


@router.get(
    "/complaints/export",
    auth=may(can_read_complaints, gettext_noop("read complaints")),
    response={401: Problem, 403: Problem, 422: Problem},
    summary="The complaint register as CSV or XLSX",
    description=(
        "Every complaint `GET /complaints` lists for the same filters (`state`, `assignee`, "
        "`team`, `category`, `channel`, `severity`, `due`, `overdue`, `safety`, `received_from`, "
        "`received_to`, `q`, `sort`), in its order, as one file streamed row by row. Coded "
        "values come as the stable code and its label in the request's language (Accept-Language)."
    ),
    openapi_extra={
        "parameters": _PARAMETERS,
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        },
    },
)
def complaint_register_export(request: HttpRequest):
    user = api_user(request)
    register_personal_refusal(user, request.GET)  # before the filters are read
    wanted = register_request(request.GET)
    with report_reads():  # the rows from the replica when there is one (core.replica)
        return export_response(user, wanted)
