"""The Personal data pages: find a person, export their data, erase it (a dry run, then a
confirmation), legal holds, and the retention rules with what they would change today."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.privacy.access import can_handle_subject_requests
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.forms import FindForm, HoldForm, RetentionForm
from plaint.privacy.labels import labelled
from plaint.privacy.selectors import Subject, hold_list, holds_in_force, subject_find
from plaint.privacy.services import (
    erasure_plan,
    legal_hold_place,
    legal_hold_release,
    retention_apply,
    retention_policy_get,
    retention_policy_update,
    subject_erase,
    subject_export_record,
)
from plaint.privacy.services.retention import RULE_FIELDS

REFUSAL = gettext_lazy(
    "Only admins, and managers given the permission, handle requests about personal data."
)
gate = staff_page(can_handle_subject_requests, refusal=REFUSAL)


def _find(request: HttpRequest, data: Any) -> tuple[FindForm, Subject | None]:
    form = FindForm(data or None)
    if not form.is_valid():
        return form, None
    try:
        return form, subject_find(actor=request.user, query=form.cleaned_data["query"])
    except PlaintError as exc:
        apply_form_errors(form, exc)
        return form, None


@require_http_methods(["GET"])
@gate
@in_organisation_timezone
def index(request: HttpRequest) -> HttpResponse:
    """Find a person; what is held about them, and what can be done with it."""
    form, subject = _find(request, request.GET)
    context: dict[str, Any] = {
        "form": form,
        "subject": subject,
        "hold_form": HoldForm(),
        "holds": hold_list(actor=request.user),
    }
    if subject is not None and subject.found:
        context["subject_holds"] = holds_in_force(subject)
        context["query_string"] = urlencode({"query": subject.query})
    return render(request, "privacy/index.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@gate
def export(request: HttpRequest) -> HttpResponseBase:
    """The person's data as a ZIP file, streamed (the export is audited first)."""
    _form, subject = _find(request, request.GET)
    if subject is None or not subject.found:
        return redirect(f"{reverse('privacy:index')}?{urlencode(request.GET)}")
    try:
        subject_export_record(actor=Actor.staff(request.user), subject=subject)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    response = StreamingHttpResponse(subject_export_stream(subject), content_type="application/zip")
    name = f"personal-data-{timezone.now():%Y%m%d-%H%M}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
@gate
@in_organisation_timezone
def erase(request: HttpRequest) -> HttpResponse:
    """Without ``confirm``: the dry run, listing what would change. With it: the erasure."""
    form, subject = _find(request, request.POST)
    if subject is None or not subject.found:
        query = urlencode({"query": request.POST.get("query", "")[:200]})
        return redirect(f"{reverse('privacy:index')}?{query}")
    actor = Actor.staff(request.user)
    try:
        plan = erasure_plan(actor=actor, subject=subject)
        if request.POST.get("confirm") == "1" and not plan.blocked:
            erasure = subject_erase(actor=actor, subject=subject)
            messages.success(
                request,
                _("The person's data was erased (erasure %(id)s).") % {"id": erasure.pk},
            )
            return redirect("privacy:index")
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    context = {"subject": subject, "plan": plan, "rows": labelled(plan.counts), "form": form}
    return render(request, "privacy/erase.html", context, status=409 if plan.blocked else 200)


@require_http_methods(["POST"])
@gate
@in_organisation_timezone
def hold_place(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hold = legal_hold_place(
                actor=Actor.staff(request.user),
                reason=data["reason"],
                reference="" if data["person"] else data["reference"],
                person_of=data["reference"] if data["person"] else "",
            )
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Legal hold %(id)s placed.") % {"id": hold.pk})
            return redirect("privacy:index")
    context = {"form": FindForm(), "hold_form": form, "holds": hold_list(actor=request.user)}
    return render(request, "privacy/index.html", context, status=400)


@require_http_methods(["POST"])
@gate
def hold_release(request: HttpRequest, hold_id: int) -> HttpResponse:
    try:
        legal_hold_release(actor=Actor.staff(request.user), hold_id=hold_id)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    messages.success(request, _("Legal hold %(id)s released.") % {"id": hold_id})
    return redirect("privacy:index")


@require_http_methods(["GET", "POST"])
@gate
def retention(request: HttpRequest) -> HttpResponse:
    """The rules, and what applying them today would change (a dry run on every visit)."""
    policy = retention_policy_get()
    initial = {name: getattr(policy, name) for name in RULE_FIELDS}
    form = RetentionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                retention_policy_update(actor=Actor.staff(request.user), values=form.cleaned_data)
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Retention rules saved."))
                return redirect("privacy:retention")
        status = 400
    report = retention_apply(dry_run=True)
    context = {
        "form": form,
        "rows": labelled(dict(report.counts)),
        "report": report,
        "policy": policy,
    }
    return render(request, "privacy/retention.html", context, status=status)
