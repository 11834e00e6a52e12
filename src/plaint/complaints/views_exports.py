"""The complaint register as a file, from the queue's "Export these cases" links (and the API's
``GET /api/v1/complaints/export``, which answers the same way: ``export_response``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints.exports import (
    RegisterRequest,
    register_header,
    register_personal_refusal,
    register_rows,
)
from plaint.complaints.exports import register_request as parse_register_request
from plaint.complaints.services.exports import (
    register_export_personal_record,
    register_export_record,
)
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError
from plaint.core.replica import rows_from_replica
from plaint.core.selectors import organisation_get
from plaint.core.spreadsheets import csv_stream, xlsx_file
from plaint.core.views import error_response, report_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(user, wanted: RegisterRequest) -> HttpResponseBase:
    """The register file for ``wanted``: CSV streamed row by row, XLSX written to a temporary
    file first (a workbook is a zip: its end comes last). The export is recorded first."""
    record = register_export_personal_record if wanted.include_personal else register_export_record
    record(actor=Actor.staff(user), query=wanted.query, file_format=wanted.format)
    zone = ZoneInfo(organisation_get().timezone)
    header = register_header(include_personal=wanted.include_personal)
    rows = rows_from_replica(  # read where the caller's report_reads block reads
        register_rows(
            actor=user, filters=wanted.filters, include_personal=wanted.include_personal, zone=zone
        )
    )
    name = f"complaints-{timezone.now().astimezone(zone):%Y%m%d-%H%M}"
    if wanted.format == "xlsx":
        return FileResponse(
            xlsx_file(header, rows, sheet="complaints"),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type=XLSX,
        )
    response = StreamingHttpResponse(
        csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@report_page
def register_export(request: HttpRequest) -> HttpResponseBase:
    """The cases the queue shows for these filters, as CSV or XLSX."""
    try:
        register_personal_refusal(request.user, request.GET)
        return export_response(request.user, parse_register_request(request.GET))
    except PlaintError as exc:
        return error_response(request, exc, staff=True)


__all__ = ["export_response", "register_export"]
