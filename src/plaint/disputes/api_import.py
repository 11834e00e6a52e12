"""Importing a provider's past dispute outcomes over the API: send the export as it is, look at
its header and the columns recognised, then a dry run or the import with a mapping. Managers
and admins (``can_configure``); errors are problem+json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Header, Router, Schema, Status
from pydantic import ConfigDict, StrictBool, StringConstraints

from plaint.accounts.access import can_configure
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, may
from plaint.complaints.schemas import Id, NoNul
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.disputes import services

router = Router(tags=["disputes"], auth=BearerToken())
_ERRORS: dict[int, Any] = {
    400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem,
    422: Problem,
}  # fmt: skip
WHAT = gettext_noop("import dispute outcomes")
Encoding = Literal["auto", "utf-8", "utf-16", "cp1252", "cp1257", "cp1251", "cp1256", "iso-8859-15"]
Short = Annotated[str, StringConstraints(max_length=100), NoNul]
Cell = Annotated[str, StringConstraints(max_length=300), NoNul]


class DisputeImportUploadOut(Schema):
    upload: str = Field(description="Name it when importing; kept for 48 hours")
    encoding: str
    header: list[str]
    preview: list[list[str]] = Field(description="The first rows as read")
    recognised: dict[str, str] = Field(
        description="field → the file's column, recognised by the column's usual name"
    )


class DisputeImportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upload: Short
    provider_id: Id = Field(description="The provider whose export it is")
    columns: dict[Short, Cell] | None = Field(
        None, description="field → the file's column; default: the recognised ones"
    )
    values: dict[Short, Any] | None = Field(
        None,
        description='The provider\'s words, e.g. {"outcome": {"Rahuldatud": "upheld"}, '
        '"method": {"Lepitus": "facilitative"}, "dates": "day_first", "default_method": …}',
    )
    dry_run: StrictBool = False
    encoding: Encoding = "auto"


class DisputeImportOut(Schema):
    dry_run: bool
    rows: int
    created: int = Field(description="Disputes created (a dry run: that would be)")
    unchanged: int = Field(description="Rows whose provider reference is already in Plaint")
    rejected: int
    unknown_complaints: int = Field(description="Of the rejected: naming no complaint known")
    errors: list[tuple[int, str]] = Field(description="[line, problems] of the refused rows")


@router.post(
    "/disputes/imports/uploads",
    response={201: DisputeImportUploadOut, **_ERRORS},
    summary="Send a provider's export of past dispute outcomes (CSV or XLSX) as it is",
    description="The request body is the file itself (e.g. `Content-Type: text/csv`), up to "
    "20 MB. Answers the stored file's id with its header, first rows and recognised columns.",
    auth=may(can_configure, WHAT),
)
def dispute_import_upload(request: HttpRequest, encoding: Encoding = "auto", name: str = ""):
    stored = services.outcome_upload_store(
        actor=api_actor(request), stream=request, name=name[:255], encoding=encoding
    )
    body = {
        "upload": stored.id, "encoding": stored.encoding, "header": stored.header,
        "preview": stored.preview, "recognised": stored.guessed,
    }  # fmt: skip
    return Status(201, body)


@router.post(
    "/disputes/imports",
    response={200: DisputeImportOut, 201: DisputeImportOut, **_ERRORS},
    summary="Import (or dry-run) a stored export of past outcomes (honours an Idempotency-Key)",
    description="A dry run writes nothing and reports every refused row by line. The provider's "
    "reference keeps a re-import single; a row naming no complaint Plaint knows is reported.",
    auth=may(can_configure, WHAT),
)
def dispute_import(
    request: HttpRequest,
    payload: DisputeImportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    reports: list[services.OutcomeImportReport] = []

    def act() -> int:
        report = services.dispute_outcomes_import_stored(
            actor=api_actor(request), upload_id=payload.upload,
            provider_id=payload.provider_id, columns=payload.columns,
            values=payload.values, dry_run=payload.dry_run, encoding=payload.encoding,
        )  # fmt: skip
        reports.append(report)
        return report.created

    outcome = idempotent_run(
        key=idempotency_key, principal=api_principal(request), operation="dispute_import",
        payload=lambda: payload.model_dump(mode="json"), action=act,
    )  # fmt: skip
    if outcome.replayed:  # the import ran with this key: nothing is done twice
        replay = {"dry_run": payload.dry_run, "rows": 0, "created": outcome.result_id,
                  "unchanged": 0, "rejected": 0, "unknown_complaints": 0, "errors": []}  # fmt: skip
        return Status(200, replay)
    report = reports[0]
    body = {
        "dry_run": payload.dry_run, "rows": report.rows, "created": report.created,
        "unchanged": report.unchanged, "rejected": report.rejected,
        "unknown_complaints": report.unknown_complaints, "errors": report.errors,
    }  # fmt: skip
    return Status(201, body)
