"""The regulatory returns in the API: the two files (``GET /returns/half-yearly`` and
``GET /returns/idr``, with ``period`` and ``format``) and their column dictionaries. The same
parsing and the same generators as the staff page (``views_returns``): managers, auditors and
admins only, because a return covers the whole organisation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Router, Schema

from plaint.accounts.access import can_export_returns
from plaint.accounts.api_auth import BearerToken, api_user, may
from plaint.core.problem import Problem
from plaint.improvement.models_returns import ReturnFormat
from plaint.improvement.returns_formats import dictionary
from plaint.improvement.views_returns import return_request, return_response

router = Router(tags=["regulatory returns"], auth=BearerToken())
EXPORT = gettext_noop("export regulatory returns")

_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "period",
        "in": "query",
        "required": True,
        "description": "The half-year: YYYY-H1 (January to June) or YYYY-H2 (July to December)",
        "schema": {"type": "string", "pattern": r"^\d{4}-H[12]$", "example": "2026-H1"},
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": ["csv", "xlsx"], "default": "csv"},
    },
]
_FILE = {
    "200": {
        "description": "The file",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
    }
}


class ColumnOut(Schema):
    column: str
    meaning: str
    source: str


class DictionaryOut(Schema):
    half_yearly: list[ColumnOut]
    idr: list[ColumnOut]


@router.get(
    "/returns/half-yearly",
    auth=may(can_export_returns, EXPORT),
    response={401: Problem, 403: Problem, 422: Problem},
    summary="The half-yearly complaints return (CSV or XLSX)",
    description=(
        "One row per product group and cause category: complaints opened, closed (within three "
        "business days, within the time limit, after it), upheld, redress paid and open at the "
        "end, for the half-year `period`. Columns: `GET /returns/dictionary`."
    ),
    openapi_extra={"parameters": _PARAMETERS, "responses": _FILE},
)
def half_yearly_return(request: HttpRequest):
    wanted = return_request(request.GET, report=ReturnFormat.HALF_YEARLY)
    return return_response(api_user(request), wanted)


@router.get(
    "/returns/idr",
    auth=may(can_export_returns, EXPORT),
    response={401: Problem, 403: Problem, 422: Problem},
    summary="The per-complaint IDR data file (CSV or XLSX)",
    description=(
        "One row per complaint active in the half-year `period`, streamed. Columns: "
        "`GET /returns/dictionary`."
    ),
    openapi_extra={"parameters": _PARAMETERS, "responses": _FILE},
)
def idr_file(request: HttpRequest):
    wanted = return_request(request.GET, report=ReturnFormat.IDR)
    return return_response(api_user(request), wanted)


@router.get(
    "/returns/dictionary",
    auth=may(can_export_returns, EXPORT),
    response={200: DictionaryOut, 401: Problem, 403: Problem},
    summary="The column dictionaries of both return files",
)
def return_dictionary(request: HttpRequest):
    return {"half_yearly": dictionary("half_yearly"), "idr": dictionary("idr")}
