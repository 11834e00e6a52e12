"""The staff import of responses collected elsewhere: upload (the file kept on the server, its
encoding detected or chosen, the first rows shown as read), then map its columns and import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from plaint.core import csvfiles
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.views import apply_form_errors, errors_as_pages, in_organisation_timezone
from plaint.surveys import selectors, services
from plaint.surveys.forms import CsvUploadForm, mapping_form


def _targets(survey) -> list[tuple[str, str]]:
    targets = [("ignore", _("— ignore —"))]
    targets += [
        (f"question:{q.code}", _("Question: %(c)s") % {"c": q.code})
        for q in selectors.survey_questions(survey=survey)
    ]
    targets += [(t, _("Response: %(t)s") % {"t": t}) for t in services.META_TARGETS]
    return targets


def _guess(column: str, targets: list[tuple[str, str]]) -> str:
    name = column.strip().lower()
    for value, _label in targets:
        if value in (f"question:{name}", name):
            return value
    return "ignore"


def _preview(header: list[str], rows: list[list[str]], total: int) -> dict[str, Any]:
    """The first rows as read, so the person sees the letters and the columns before importing."""
    return {"header": header, "rows": rows, "total": total}


def _import_mapping_step(
    request: HttpRequest, survey, targets: list[tuple[str, str]], context: dict[str, Any]
) -> HttpResponse:
    """Step 2 of an import: the columns mapped, the stored file imported (then removed)."""
    status = 200
    upload_id = request.POST["upload"]
    try:
        text = services.import_upload_text(upload_id=upload_id)
    except NotFound as exc:  # imported meanwhile (a second click) or removed after a day
        messages.error(request, exc.message)
        return redirect("surveys_staff:import", survey_id=survey.pk)
    header, rows, total = services.read_preview(text)
    form = mapping_form(header, targets)(request.POST)
    if form.is_valid():
        mapping = {
            column: form.cleaned_data.get(f"col_{i}") or "ignore" for i, column in enumerate(header)
        }
        tokens = (form.cleaned_data.get("missing_tokens") or "").split(",")
        try:
            report = services.responses_import_csv(
                actor=Actor.staff(request.user),
                survey_id=survey.pk,
                data=text,
                mapping=mapping,
                follow_up=form.cleaned_data.get("follow_up", False),
                missing_tokens=[t.strip() for t in tokens if t.strip()],
                recode=form.cleaned_data.get("recode") or {},
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
            status = 422
        else:
            services.import_upload_discard(upload_id=upload_id)
            return render(
                request,
                "surveys/staff/import_report.html",
                {"survey": survey, "report": report},
            )
    else:
        status = 422
    context["mapping_form"] = form
    context["preview"] = _preview(header, rows, total)
    return render(request, "surveys/staff/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
@errors_as_pages
@in_organisation_timezone
def import_responses(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Step 1: upload a CSV. Step 2: map its columns. Step 3: the report of what went in."""
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    targets = _targets(survey)
    context: dict[str, Any] = {"survey": survey}
    status = 200
    if request.method == "POST" and "upload" in request.POST:
        return _import_mapping_step(request, survey, targets, context)
    elif request.method == "POST":
        upload = CsvUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                stored = services.import_upload_store(
                    actor=Actor.staff(request.user),
                    data=upload.text(),
                    encoding=upload.chosen_encoding(),
                )
            except ValidationFailed as exc:
                apply_form_errors(upload, exc)
                status = 422
            else:
                initial = {
                    "upload": stored.id,
                    **{f"col_{i}": _guess(c, targets) for i, c in enumerate(stored.header)},
                }
                context["mapping_form"] = mapping_form(stored.header, targets)(initial=initial)
                context["preview"] = _preview(stored.header, stored.preview, stored.row_count)
                context["decoded"] = {
                    "encoding": dict(csvfiles.ENCODINGS).get(stored.encoding, stored.encoding),
                    "sure": stored.sure,
                }
        else:
            status = 422
        context["upload_form"] = upload
    else:
        context["upload_form"] = CsvUploadForm()
    return render(request, "surveys/staff/import.html", context, status=status)
