"""The staff pages that import a provider's past outcomes (managers and admins): upload the
export and say whose it is, then map its columns and words, dry-run, and import."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response
from plaint.disputes import services
from plaint.disputes.forms_import import OutcomeMappingForm, OutcomeUploadForm
from plaint.disputes.selectors import provider_get, provider_list


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def import_upload_page(request: HttpRequest) -> HttpResponse:
    """Step 1: the provider's export, and which provider it is."""
    providers = [(p.pk, p.name) for p in provider_list(actor=request.user)]
    form = OutcomeUploadForm(request.POST or None, request.FILES or None, providers=providers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                stored = services.outcome_upload_store(
                    actor=Actor.staff(request.user), stream=data["file"],
                    name=data["file"].name, encoding=data.get("encoding") or "auto",
                )  # fmt: skip
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                query = {"provider": data["provider"], "encoding": data.get("encoding") or "auto"}
                url = reverse("disputes:import_mapping", args=[stored.id])
                return redirect(f"{url}?{urlencode(query)}")
        status = 422
    return render(request, "disputes/import.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def import_mapping_page(request: HttpRequest, upload_id: str) -> HttpResponseBase:
    """Step 2: what each column holds and how the provider's words read; a dry run (the form
    stays, to import next) or the import."""
    encoding = request.GET.get("encoding") or "auto"
    try:
        provider_id = int(request.GET.get("provider") or 0)
        provider = provider_get(actor=request.user, provider_id=provider_id)
        upload = services.outcome_upload_get(upload_id=upload_id, encoding=encoding)
    except ValueError:
        return error_response(request, NotFound(_("No such provider.")), staff=True)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    initial = {f"col_{t}": c for t, c in upload.guessed.items()}
    form = OutcomeMappingForm(request.POST or None, header=upload.header, initial=initial)
    report, dry_run, status = None, "dry_run" in request.POST, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                report = services.dispute_outcomes_import_stored(
                    actor=Actor.staff(request.user), upload_id=upload_id,
                    provider_id=provider.pk, columns=form.columns(), values=form.values(),
                    dry_run=dry_run, encoding=encoding,
                )  # fmt: skip
                status = 200
            except PlaintError as exc:
                apply_form_errors(form, exc)
    context = {
        "form": form, "upload": upload, "provider": provider, "report": report,
        "dry_run": dry_run,
    }  # fmt: skip
    return render(request, "disputes/import_mapping.html", context, status=status)
