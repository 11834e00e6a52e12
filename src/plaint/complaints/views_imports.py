"""The staff pages of the complaint history import: upload the file (kept on the server), map its
columns and values, then a dry run or the import; a large file is imported by the worker and the
run's page follows it (refreshing itself while it runs, no JavaScript)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from plaint.complaints import services
from plaint.complaints.forms_imports import HistoryMappingForm, HistoryUploadForm, mapping_initial
from plaint.complaints.models import ImportStatus
from plaint.complaints.selectors_imports import (
    complaint_import_get,
    import_mapping_get,
    import_mapping_list,
)
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def history_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the file, its source and, if any, the saved mapping to start from."""
    mappings = [m.name for m in import_mapping_list()]
    form = HistoryUploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                stored = services.history_upload_store(
                    actor=Actor.staff(request.user),
                    stream=data["file"],
                    name=data["file"].name,
                    encoding=data.get("encoding") or "auto",
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                query = {k: data.get(k) or "" for k in ("source", "mapping", "encoding")}
                query["name"] = data["file"].name
                url = reverse("staff:history_mapping", args=[stored.id])
                return redirect(f"{url}?{urlencode(query)}")
        status = 422
    return render(request, "complaints/staff/history_upload.html", {"form": form}, status=status)


def _initial(request: HttpRequest, guessed: dict[str, str]) -> dict:
    name, source = request.GET.get("mapping", ""), request.GET.get("source", "")
    if name:
        try:
            saved = import_mapping_get(name=name)
        except NotFound:
            saved = None
        if saved is not None:
            return mapping_initial(saved.columns, saved.values, source or saved.source)
    return mapping_initial(guessed, {}, source)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def history_mapping(request: HttpRequest, upload_id: str) -> HttpResponseBase:
    """Step 2: what each column holds and how its values read; then a dry run or the import."""
    encoding = request.GET.get("encoding") or "auto"
    try:
        upload = services.history_upload_get(upload_id=upload_id, encoding=encoding)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    form = HistoryMappingForm(
        request.POST or None, header=upload.header, initial=_initial(request, upload.guessed)
    )
    if request.method == "POST" and form.is_valid():
        actor = Actor.staff(request.user)
        data = form.cleaned_data
        try:
            if data.get("save_as"):
                services.import_mapping_save(
                    actor=actor, name=data["save_as"], source=data["source"],
                    columns=form.columns(), values=form.values(),
                )  # fmt: skip
            record = services.complaint_import_start(
                actor=actor, upload_id=upload_id, source=data["source"],
                columns=form.columns(), values=form.values(),
                dry_run="dry_run" in request.POST, file_name=request.GET.get("name", ""),
                encoding=encoding,
            )  # fmt: skip
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            return redirect("staff:history_import", import_id=record.pk)
    context = {"form": form, "upload": upload}
    status = 422 if request.method == "POST" else 200
    return render(request, "complaints/staff/history_mapping.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
@in_organisation_timezone
def history_import(request: HttpRequest, import_id: int) -> HttpResponseBase:
    """A run's progress and report; after a dry run, "Import now" with the same settings."""
    try:
        record = complaint_import_get(import_id=import_id)
        if request.method == "POST" and record.dry_run and record.status == ImportStatus.DONE:
            values = dict(record.values)
            encoding = str(values.pop("encoding", "auto"))
            started = services.complaint_import_start(
                actor=Actor.staff(request.user), upload_id=record.upload, source=record.source,
                columns=record.columns, values=values, file_name=record.file_name,
                encoding=encoding,
            )  # fmt: skip
            return redirect("staff:history_import", import_id=started.pk)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    running = record.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
    share = round(100 * record.bytes_read / record.size) if record.size else 0
    context = {"record": record, "running": running, "share": min(share, 100)}
    return render(request, "complaints/staff/history_import.html", context)
