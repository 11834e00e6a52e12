"""Regulatory returns (staff): choose a format and a half-year, see the first rows and the
warnings, download the file (CSV streamed row by row, XLSX written to a temporary file), and the
mapping from Plaint's values to the regulator's codes. The API's exports answer through
``return_response`` too."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plaint.accounts.access import Reader, can_configure, can_export_returns
from plaint.accounts.gates import staff_page
from plaint.accounts.models import User
from plaint.complaints.models import Channel, RemedyKind
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed
from plaint.core.selectors import calendar_default, organisation_get
from plaint.core.spreadsheets import csv_stream, xlsx_file
from plaint.core.views import apply_form_errors, error_response
from plaint.improvement import services
from plaint.improvement.forms_returns import MappingForm, ReturnForm
from plaint.improvement.models_returns import ANY_VALUE, ReturnFormat, SourceKind
from plaint.improvement.returns_formats import (
    COLUMNS,
    FILE_FORMATS,
    KINDS,
    Outcome,
    Period,
    dictionary,
    period_parse,
)
from plaint.improvement.selectors_returns import (
    Mappings,
    Rows,
    Unmapped,
    half_yearly_rows,
    idr_rows,
    mapping_list,
    mappings_load,
    returns_warnings,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 20
FILE_NAMES = {ReturnFormat.HALF_YEARLY: "complaints-return", ReturnFormat.IDR: "idr-data"}


@dataclass(frozen=True)
class ReturnRequest:
    report: str
    period: Period
    format: str


def _zone() -> ZoneInfo:
    return ZoneInfo(organisation_get().timezone)


def return_request(params: QueryDict, *, report: str | None = None) -> ReturnRequest:
    """An export's parameters: ``report`` (unless the address names it), ``period`` (YYYY-H1 or
    YYYY-H2) and ``format`` (csv or xlsx); a bad value is a ``ValidationFailed`` naming it."""
    errors: dict[str, list[str]] = {}
    report = report or params.get("report", "")
    if report not in ReturnFormat.values:
        errors["report"] = [_("Choose half_yearly or idr.")]
    fmt = params.get("format", "csv")
    if fmt not in FILE_FORMATS:
        errors["format"] = [_("Choose csv or xlsx.")]
    period = None
    try:
        period = period_parse(params.get("period", ""), _zone())
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors or period is None:
        detail = "; ".join(f"{name}: {' '.join(found)}" for name, found in errors.items())
        raise ValidationFailed(
            _("The return's parameters are not valid (%(detail)s).") % {"detail": detail},
            fields=errors,
        )
    return ReturnRequest(report, period, fmt)


def return_rows(user: Reader, report: str, period: Period, mappings: Mappings) -> Rows:
    """The rows of ``report`` for ``period`` as ``user`` may read them (a generator)."""
    if report == ReturnFormat.IDR:
        return idr_rows(actor=user, period=period, mappings=mappings)
    return half_yearly_rows(
        actor=user, period=period, mappings=mappings, calendar=calendar_default()
    )


def return_response(user: User, wanted: ReturnRequest) -> HttpResponseBase:
    """The return as a file: CSV streamed row by row, XLSX through a temporary file."""
    services.return_export_record(
        actor=Actor.staff(user),
        report=wanted.report,
        period=wanted.period.label,
        file_format=wanted.format,
    )
    header = [c.name for c in COLUMNS[ReturnFormat(wanted.report)]]
    rows = return_rows(user, wanted.report, wanted.period, mappings_load(wanted.report))
    name = f"{FILE_NAMES[ReturnFormat(wanted.report)]}-{wanted.period.label}"
    if wanted.format == "xlsx":
        return FileResponse(
            xlsx_file(header, rows, sheet=wanted.period.label),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type=XLSX,
        )
    response = StreamingHttpResponse(
        csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _value_label(kind: str, value: str) -> str:
    if value == "":
        return _("(none)")
    labels: dict[str, Any] = {
        SourceKind.OUTCOME: Outcome.LABELS,
        SourceKind.REMEDY: dict(RemedyKind.choices),
        SourceKind.CHANNEL: dict(Channel.choices),
    }.get(SourceKind(kind), {})
    return str(labels[value]) if value in labels else value


def _warning_rows(report: str, unmapped: list[Unmapped]) -> list[dict[str, Any]]:
    url = reverse("improvement_returns:mappings")
    return [
        {
            "kind": SourceKind(w.kind).label,
            "value": _value_label(w.kind, w.value),
            "complaints": w.complaints,
            "url": f"{url}?{urlencode({'report': report, 'kind': w.kind, 'source': w.value})}",
        }
        for w in unmapped
    ]


@require_GET
@staff_page(can_export_returns)
def returns_page(request: HttpRequest) -> HttpResponse:
    zone = _zone()
    form = ReturnForm(request.GET or None, today=timezone.localdate(timezone=zone), zone=zone)
    report, period = form.chosen()
    mappings = mappings_load(report)
    rows = return_rows(request.user, report, period, mappings)
    preview = list(islice(rows, PREVIEW_ROWS))
    rows.close()  # the statement's cursor goes now, not when the generator is collected
    warnings = returns_warnings(actor=request.user, period=period, mappings=mappings)
    query = {"report": report, "period": period.label}
    export = reverse("improvement_returns:export")
    return render(
        request,
        "improvement/returns.html",
        {
            "form": form,
            "report": report,
            "report_label": ReturnFormat(report).label,
            "period": period,
            "header": [c.name for c in COLUMNS[ReturnFormat(report)]],
            "preview": preview,
            "preview_limit": PREVIEW_ROWS,
            "warnings": _warning_rows(report, warnings.unmapped),
            "hidden": warnings.hidden,
            "dictionary": dictionary(report),
            "downloads": [
                (fmt.upper(), f"{export}?{urlencode(query | {'format': fmt})}")
                for fmt in FILE_FORMATS
            ],
            "mappings_url": f"{reverse('improvement_returns:mappings')}?report={report}",
        },
    )


@require_GET
@staff_page(can_export_returns)
def returns_export(request: HttpRequest) -> HttpResponseBase:
    try:
        return return_response(cast(User, request.user), return_request(request.GET))
    except PlaintError as exc:
        return error_response(request, exc, status=400 if exc.status == 422 else None)


def _mapping_form(request: HttpRequest, report: str) -> MappingForm:
    """The form for ``report``, offering only the kinds of value that format codes; from a
    warning's link, prefilled with the value."""
    if request.method == "POST":
        form = MappingForm(request.POST)
    else:
        initial = {"report": report}
        kind, source = request.GET.get("kind", ""), request.GET.get("source", "")
        if kind in SourceKind.values:
            initial |= {"kind": kind, "source": source[:200]}
        form = MappingForm(initial=initial)
    kinds = form.fields["kind"]
    assert isinstance(kinds, forms.ChoiceField)
    kinds.choices = [(k.value, k.label) for k in KINDS[ReturnFormat(report)]]
    return form


@require_http_methods(["GET", "POST"])
@staff_page(can_export_returns)
def mappings_page(request: HttpRequest) -> HttpResponse:
    asked = request.POST.get("report") or request.GET.get("report", "")
    report = asked if asked in ReturnFormat.values else ReturnFormat.HALF_YEARLY
    editor = can_configure(request.user)
    if request.method == "POST" and not editor:
        return error_response(request, NotAllowed(_("Your role may not do this.")))
    form = _mapping_form(request, report) if editor else None
    status = 200
    if form is not None and request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.return_mapping_set(actor=Actor.staff(request.user), **d)
                messages.success(request, _("The code is saved."))
                return redirect(f"{reverse('improvement_returns:mappings')}?report={d['report']}")
            except PlaintError as exc:
                apply_form_errors(form, exc)
        status = 400
    return render(
        request,
        "improvement/return_mappings.html",
        {
            "report": report,
            "report_label": ReturnFormat(report).label,
            "reports": ReturnFormat.choices,
            "rows": [
                (m, SourceKind(m.kind).label, _value_label(m.kind, m.source))
                for m in mapping_list(report)
            ],
            "any_value": ANY_VALUE,
            "form": form,
            "vocabularies": [
                (SourceKind.OUTCOME.label, [(k, str(v)) for k, v in Outcome.LABELS.items()]),
                (SourceKind.REMEDY.label, [(k, str(v)) for k, v in RemedyKind.choices]),
                (SourceKind.CHANNEL.label, [(k, str(v)) for k, v in Channel.choices]),
            ],
            "returns_url": f"{reverse('improvement_returns:returns')}?report={report}",
        },
        status=status,
    )


@require_POST
@staff_page(can_configure)
def mapping_delete(request: HttpRequest, mapping_id: int) -> HttpResponseBase:
    report = request.POST.get("report", "")
    try:
        services.return_mapping_delete(actor=Actor.staff(request.user), mapping_id=mapping_id)
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("The code is removed."))
    report = report if report in ReturnFormat.values else ReturnFormat.HALF_YEARLY
    return redirect(f"{reverse('improvement_returns:mappings')}?report={report}")
