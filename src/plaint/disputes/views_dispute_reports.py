"""The dispute reports (staff): the figures of a period with their charts, and the annual dispute
report ISO 10003 asks for — a page, and the same tables as CSV (streamed), XLSX and PDF. Reads go
to the replica when there is one (``report_page``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plaint.accounts.access import can_read_insights
from plaint.accounts.gates import staff_page
from plaint.core.errors import PlaintError
from plaint.core.pdf import PdfUnavailable, render_pdf
from plaint.core.selectors import organisation_cached
from plaint.core.spreadsheets import csv_stream, xlsx_file
from plaint.core.views import error_response, report_page, request_config_token
from plaint.disputes.forms_dispute_reports import AnnualReportForm, DisputeReportForm
from plaint.disputes.report_tables import report_charts, report_tables
from plaint.disputes.selectors_dispute_reports import DisputeReport, dispute_report
from plaint.insights.tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(report: DisputeReport) -> dict[str, Any]:
    return {
        "report": report,
        "tables": report_tables(report),
        "charts": report_charts(report, get_language_bidi()),
        "last_day": report.filters.end - dt.timedelta(days=1),
    }


@require_GET
@staff_page(can_read_insights)
@report_page
def reports_page(request: HttpRequest) -> HttpResponse:
    """The figures of a period (the last twelve months unless chosen), of one provider or method."""
    form = DisputeReportForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "year": AnnualReportForm.default_year()}
    if form.is_bound and not form.is_valid():
        return render(request, "disputes/reports.html", context, status=400)
    report = dispute_report(form.filters(), today=timezone.localdate())
    context.update(_context(report))
    return render(request, "disputes/reports.html", context)


def _annual(request: HttpRequest) -> tuple[AnnualReportForm, DisputeReport | None]:
    form = AnnualReportForm(request.GET or {"year": AnnualReportForm.default_year()})
    if not form.is_valid():
        return form, None
    return form, dispute_report(form.filters(), today=timezone.localdate())


@require_GET
@staff_page(can_read_insights)
@report_page
def annual_page(request: HttpRequest) -> HttpResponse:
    """The annual dispute report for a calendar year (this year unless chosen)."""
    form, report = _annual(request)
    context: dict[str, Any] = {"form": form}
    if report is None:
        return render(request, "disputes/reports_annual.html", context, status=400)
    context.update(_context(report), year=form.cleaned_data["year"])
    return render(request, "disputes/reports_annual.html", context)


def _document_rows(report: DisputeReport, tables: dict[str, Table]) -> Iterator[list[Any]]:
    """Every table one under the other: its title, its header, its rows, a blank line."""
    f = report.filters
    yield [_("Period"), f"{f.start:%Y-%m-%d}", f"{f.end - dt.timedelta(days=1):%Y-%m-%d}"]
    yield [_("Disputes received"), report.received]
    yield [_("Disputes ended"), report.ended]
    for table in tables.values():
        yield []
        yield [table.title]
        yield list(table.header)
        yield from table.rows
        if table.note:
            yield [table.note]


@require_GET
@staff_page(can_read_insights)
@report_page
def annual_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The annual report as CSV (streamed), XLSX or PDF."""
    form, report = _annual(request)
    if report is None:
        return render(request, "disputes/reports_annual.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    tables = report_tables(report)
    organisation = organisation_cached(token=request_config_token(request)).name
    header = [_("Annual dispute report %(year)s") % {"year": year}, organisation]
    name = f"plaint-disputes-{year}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        lines = csv_stream(header, _document_rows(report, tables))
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        handle = xlsx_file(header, _document_rows(report, tables), sheet=str(year))
        response = FileResponse(handle, content_type=XLSX)
    else:
        html = render_to_string(
            "disputes/reports_annual_pdf.html",
            {
                **_context(report),
                "year": year,
                "organisation": organisation,
                "language": get_language(),
                "rtl": get_language_bidi(),
            },
        )
        try:
            response = HttpResponse(render_pdf(html), content_type="application/pdf")
        except PdfUnavailable as exc:
            return error_response(request, PlaintError(str(exc)), status=503)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
