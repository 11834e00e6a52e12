"""The complaint history import over the API: send the file as it is, look at its header and the
fields recognised, start the import (or its dry run) with a mapping, follow its progress; saved
mappings. For managers and administrators (``can_configure``); errors are problem+json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StringConstraints

from plaint.accounts.access import can_configure
from plaint.accounts.api_auth import BearerToken, api_actor, may
from plaint.complaints import services
from plaint.complaints.models import ComplaintImport, ImportMapping
from plaint.complaints.selectors_imports import (
    complaint_import_get,
    import_mapping_get,
    import_mapping_list,
)
from plaint.core.bounds import Flag
from plaint.core.problem import Problem

router = Router(tags=["complaint history import"], auth=BearerToken())
_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 413: Problem, 422: Problem}
WHAT = gettext_noop("import complaint history")
ENCODINGS = Literal[
    "auto", "utf-8", "utf-16", "cp1252", "cp1257", "cp1251", "cp1256", "iso-8859-15"
]
Short = Annotated[str, StringConstraints(max_length=100)]
Cell = Annotated[str, StringConstraints(max_length=300)]


class HistoryUploadOut(Schema):
    upload: str = Field(description="Name it when starting the import; kept for 48 hours")
    kind: str = Field(description="csv or xlsx")
    encoding: str
    guessed: bool = Field(description="A CSV's encoding was guessed: check `preview`")
    header: list[str]
    preview: list[list[str]] = Field(description="The first rows as read")
    recognised: dict[str, str] = Field(
        description="Plaint field → the file's column, recognised by the column's usual name"
    )
    bytes: int


class ImportStartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upload: Short
    source: Short = Field("", description="The system the file comes from (e.g. cfpb)")
    mapping: Short = Field("", description="A saved mapping's name (columns, values, source)")
    columns: dict[Short, Cell] | None = Field(
        None, description="Plaint field → the file's column; default: the recognised ones"
    )
    values: dict[Short, Any] | None = Field(
        None, description='Value mappings per kind, e.g. {"channel": {"Postal mail": "letter"}}'
    )
    dry_run: Flag = False
    file_name: Annotated[str, StringConstraints(max_length=255)] = ""
    encoding: ENCODINGS = "auto"


class ImportOut(Schema):
    id: int
    status: str
    dry_run: bool
    source: str
    file_name: str
    bytes: int
    bytes_read: int
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[tuple[int, str]] = Field(description="[line, problems] of the refused rows")
    message: str = Field(description="Why a failed import stopped")


class MappingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Short
    source: Short
    columns: dict[Short, Cell]
    values: dict[Short, Any] = Field(default_factory=dict)


class MappingOut(Schema):
    name: str
    source: str
    columns: dict[str, str]
    values: dict[str, Any]


def _import(record: ComplaintImport) -> dict[str, Any]:
    return {
        "id": record.pk, "status": record.status, "dry_run": record.dry_run,
        "source": record.source, "file_name": record.file_name, "bytes": record.size,
        "bytes_read": record.bytes_read, "rows": record.rows_read, "created": record.created,
        "updated": record.updated, "unchanged": record.unchanged, "rejected": record.rejected,
        "errors": [tuple(e) for e in record.errors], "message": record.message,
    }  # fmt: skip


def _mapping(mapping: ImportMapping) -> dict[str, Any]:
    return {
        "name": mapping.name,
        "source": mapping.source,
        "columns": mapping.columns,
        "values": mapping.values,
    }


@router.post(
    "/complaints/imports/uploads",
    response={201: HistoryUploadOut, **_ERRORS},
    summary="Send a complaint history file (CSV or XLSX) as it is",
    description="The request body is the file itself (e.g. `Content-Type: text/csv`), read in "
    "blocks up to `PLAINT_HISTORY_IMPORT_MAX_BYTES`. Answers the stored file's id with its "
    "header, first rows and the Plaint fields recognised by the columns' usual names.",
    auth=may(can_configure, WHAT),
)
def history_upload(request: HttpRequest, encoding: ENCODINGS = "auto", name: str = ""):
    stored = services.history_upload_store(
        actor=api_actor(request), stream=request, name=name[:255], encoding=encoding
    )
    return Status(
        201,
        {
            "upload": stored.id, "kind": stored.kind, "encoding": stored.encoding,
            "guessed": not stored.sure, "header": stored.header, "preview": stored.preview,
            "recognised": stored.guessed, "bytes": stored.size,
        },
    )  # fmt: skip


@router.post(
    "/complaints/imports",
    response={201: ImportOut, **_ERRORS},
    summary="Import (or dry-run) a stored complaint history file",
    description="A small file is imported in the request (`status` done or failed); a large one "
    "by the worker (`status` pending, then running): follow it with `GET "
    "/complaints/imports/{id}`. A dry run writes nothing and reports every refused row by line.",
    auth=may(can_configure, WHAT),
)
def history_import(request: HttpRequest, payload: ImportStartIn):
    columns, values, source = payload.columns, payload.values, payload.source
    if payload.mapping:
        saved = import_mapping_get(name=payload.mapping)
        columns = columns or saved.columns
        values = values or saved.values
        source = source or saved.source
    record = services.complaint_import_start(
        actor=api_actor(request), upload_id=payload.upload, source=source, columns=columns,
        values=values, dry_run=payload.dry_run, file_name=payload.file_name,
        encoding=payload.encoding,
    )  # fmt: skip
    return Status(201, _import(record))


@router.get(
    "/complaints/imports/{import_id}",
    response={200: ImportOut, **_ERRORS},
    summary="A complaint history import's progress and report",
    auth=may(can_configure, WHAT),
)
def history_import_detail(request: HttpRequest, import_id: int):
    return _import(complaint_import_get(import_id=import_id))


@router.get(
    "/complaints/import-mappings",
    response={200: list[MappingOut], **_ERRORS},
    summary="The saved column and value mappings",
    auth=may(can_configure, WHAT),
)
def mapping_list(request: HttpRequest):
    return [_mapping(m) for m in import_mapping_list()]


@router.post(
    "/complaints/import-mappings",
    response={201: MappingOut, **_ERRORS},
    summary="Save (or replace) a named column and value mapping",
    auth=may(can_configure, WHAT),
)
def mapping_save(request: HttpRequest, payload: MappingIn):
    mapping = services.import_mapping_save(
        actor=api_actor(request),
        name=payload.name,
        source=payload.source,
        columns=payload.columns,
        values=payload.values,
    )
    return Status(201, _mapping(mapping))
