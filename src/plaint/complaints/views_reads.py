"""The access log in the staff console: who read which case, when and how, for auditors and
admins (``can_read_access_log``), filtered, in keyset pages, and as a streamed CSV file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_read_access_log
from plaint.accounts.gates import staff_page
from plaint.complaints.forms_reads import ReadLogFilterForm
from plaint.complaints.models import CaseRead, ReadVia
from plaint.complaints.selectors_reads import ReadFilters, case_read_list, case_read_rows
from plaint.complaints.views_queue import page_links
from plaint.core.errors import ValidationFailed
from plaint.core.spreadsheets import csv_stream
from plaint.core.views import in_organisation_timezone

REFUSAL = gettext_lazy("Only auditors and admins read the access log.")
PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[ReadLogFilterForm, ReadFilters | None]:
    form = ReadLogFilterForm(request.GET or None)
    if not form.is_bound:
        return form, ReadFilters()
    return form, form.to_filters() if form.is_valid() else None


@require_http_methods(["GET"])
@staff_page(can_read_access_log, refusal=REFUSAL)
@in_organisation_timezone
def read_log(request: HttpRequest) -> HttpResponse:
    """Newest reads first; the filters in the query string, the page's cursor too."""
    form, filters = _filters(request)
    context: dict[str, Any] = {"form": form, "rows": [], "next_url": None, "first_url": None}
    status = 200
    if filters is None:
        status = 400
    else:
        zone = timezone.get_current_timezone()
        try:
            page = case_read_list(
                actor=request.user,
                filters=filters,
                zone=zone,
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ValidationFailed as exc:
            context["page_error"], status = exc.message, 400
        else:
            params = request.GET.copy()
            context["rows"] = page.items
            context["next_url"], context["first_url"] = page_links(params, page.next_cursor)
            export = params.copy()
            export.pop("cursor", None)
            context["export_query"] = export.urlencode()
    return render(request, "complaints/staff/read_log.html", context, status=status)


def _csv_rows(rows: Iterator[CaseRead], zone: dt.tzinfo) -> Iterator[list[Any]]:
    for row in rows:
        yield [
            row.at.astimezone(zone),
            row.user.get_username(),
            row.complaint.reference,
            row.via,
            ReadVia(row.via).label,
        ]


@require_http_methods(["GET"])
@staff_page(can_read_access_log, refusal=REFUSAL)
@in_organisation_timezone
def read_log_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as CSV, streamed row by row (times in the organisation's time zone)."""
    form, filters = _filters(request)
    if filters is None:
        context = {"form": form, "rows": [], "page_error": _("Correct the filters first.")}
        return render(request, "complaints/staff/read_log.html", context, status=400)
    zone = timezone.get_current_timezone()
    header = [_("When"), _("Who"), _("Case"), _("How"), _("How (label)")]
    rows = _csv_rows(case_read_rows(actor=request.user, filters=filters, zone=zone), zone)
    response = StreamingHttpResponse(
        csv_stream([str(h) for h in header], rows), content_type="text/csv; charset=utf-8"
    )
    name = f"case-reads-{timezone.now().astimezone(zone):%Y%m%d-%H%M}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
