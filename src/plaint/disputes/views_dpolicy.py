"""The dispute-resolution policy: its public page (``/disputes/policy/``, each published version
at ``/disputes/policy/<version>/``) and the staff pages that list the versions, edit a draft one
language at a time and publish it. Views parse and call one service; the rules are the service's."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.disputes import services
from plaint.disputes.forms_dpolicy import DisputePolicyForm
from plaint.disputes.models import PolicyState
from plaint.disputes.selectors_policy import (
    dispute_policy_current,
    dispute_policy_get,
    dispute_policy_public_get,
    dispute_policy_public_list,
    dispute_policy_reading,
    dispute_policy_versions,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _asked(request: HttpRequest) -> str:
    """The language asked for: ``?lang=`` when it is one of ours, else the page's."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGE_CODES else (get_language() or settings.LANGUAGE_CODE)


@require_GET
def public_policy(request: HttpRequest, version: int | None = None) -> HttpResponse:
    try:
        policy = dispute_policy_public_get(version=version) if version else dispute_policy_current()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if policy is None:
        return render(request, "disputes/public/policy_none.html", status=404)
    return render(
        request,
        "disputes/public/policy.html",
        {
            "reading": dispute_policy_reading(policy, _asked(request)),
            "policy": policy,
            "is_current": policy.state == PolicyState.PUBLISHED,
            "others": [p for p in dispute_policy_public_list() if p.pk != policy.pk],
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def policy_list_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            draft = services.dispute_policy_draft_start(actor=Actor.staff(request.user))
        except PlaintError as exc:
            return error_response(request, exc, staff=True)
        messages.success(request, _("Version %(v)s is a new draft.") % {"v": draft.version})
        return redirect("disputes:policy_detail", version=draft.version)
    versions = dispute_policy_versions(actor=request.user)
    return render(
        request,
        "disputes/dpolicy_list.html",
        {
            "versions": versions,
            "can_write": can_configure(request.user),
            "has_draft": any(v.state == PolicyState.DRAFT for v in versions),
        },
    )


def _publish(request: HttpRequest, version: int) -> HttpResponse:
    try:
        services.dispute_policy_publish(actor=Actor.staff(request.user), version=version)
    except PlaintError as exc:
        return error_response(request, exc, staff=True)
    messages.success(request, _("Version %(v)s is in force.") % {"v": version})
    return redirect("disputes:policy_detail", version=version)


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def policy_detail_page(request: HttpRequest, version: int) -> HttpResponse:
    try:
        policy = dispute_policy_get(actor=request.user, version=version)
    except NotFound as exc:
        return error_response(request, exc, staff=True)
    language = _asked(request)
    writable = policy.state == PolicyState.DRAFT and can_configure(request.user)
    form = DisputePolicyForm.for_version(policy, language) if writable else None
    status = 200
    if request.method == "POST":
        if not can_configure(request.user):
            return error_response(request, NotAllowed(_("Your role may not do this.")), staff=True)
        if request.POST.get("action") == "publish":
            return _publish(request, version)
        form = DisputePolicyForm(request.POST, language=language)
        if form.is_valid():
            try:
                services.dispute_policy_draft_update(
                    actor=Actor.staff(request.user), version=version, **form.changes()
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect(f"{request.path}?lang={language}")
        status = 422
    return render(
        request,
        "disputes/dpolicy_detail.html",
        {
            "policy": policy,
            "reading": dispute_policy_reading(policy, language),
            "language": language,
            "languages": settings.LANGUAGES,
            "own_language": settings.LANGUAGE_CODE,
            "form": form,
            "is_draft": policy.state == PolicyState.DRAFT,
        },
        status=status,
    )
