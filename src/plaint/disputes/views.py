"""The provider register's pages (staff) and the eligibility check of one complaint. Views parse
and call one service; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints.selectors import complaint_get
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError
from plaint.core.views import apply_form_errors, error_response
from plaint.disputes import services
from plaint.disputes.forms import (
    EligibilityForm,
    MethodsForm,
    ProviderForm,
    ReviewForm,
    RuleForm,
)
from plaint.disputes.selectors import (
    eligible_providers,
    provider_get,
    provider_list,
    review_due,
)
from plaint.disputes.services.providers import FIELDS


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
def providers_page(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None) if can_configure(request.user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if form.is_valid():
            try:
                provider = services.provider_create(
                    actor=Actor.staff(request.user), **form.values()
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The provider is in the register."))
                return redirect("disputes:provider", provider_id=provider.pk)
        status = 422
    rows = [(p, review_due(p)) for p in provider_list(actor=request.user)]
    context = {"rows": rows, "form": form, "today": timezone.localdate()}
    return render(request, "disputes/providers.html", context, status=status)


def _provider_initial(provider: Any) -> dict[str, Any]:
    initial = {name: getattr(provider, name) for name in FIELDS}
    initial["jurisdictions"] = " ".join(provider.jurisdictions)
    initial["languages"] = " ".join(provider.languages)
    return initial


def _post(request: HttpRequest, provider_id: int, which: str, form: forms.Form | None) -> bool:
    """Run the posted form's service; True when it succeeded."""
    actor = Actor.staff(request.user)
    try:
        if which == "remove_rule":
            rule_id = request.POST.get("rule", "")
            services.eligibility_rule_remove(
                actor=actor, rule_id=int(rule_id) if rule_id.isdigit() else 0
            )
            return True
        if form is None or not form.is_valid():
            return False
        if isinstance(form, ProviderForm):
            services.provider_update(actor=actor, provider_id=provider_id, **form.values())
        elif isinstance(form, MethodsForm):
            services.provider_methods_set(
                actor=actor, provider_id=provider_id, methods=form.methods()
            )
        elif isinstance(form, RuleForm):
            services.eligibility_rule_add(actor=actor, provider_id=provider_id, **form.values())
        elif isinstance(form, ReviewForm):
            services.provider_review_record(
                actor=actor, provider_id=provider_id, **form.cleaned_data
            )
    except PlaintError as exc:
        if form is None:
            messages.error(request, exc.message)
            return True  # nothing to show beside a field: back to the page with the message
        apply_form_errors(form, exc)
        return False
    return True


FORMS = {"details": ProviderForm, "methods": MethodsForm, "rule": RuleForm, "review": ReviewForm}


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
def provider_page(request: HttpRequest, provider_id: int) -> HttpResponse:
    try:
        provider = provider_get(actor=request.user, provider_id=provider_id)
    except PlaintError as exc:
        return error_response(request, exc)
    manager = can_configure(request.user)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        if not manager:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if which not in FORMS and which != "remove_rule":
            return error_response(request, PlaintError(_("Unknown form.")), status=400)
        if which in FORMS:
            bound[which] = FORMS[which](request.POST)
        if _post(request, provider.pk, which, bound.get(which)):
            messages.success(request, _("Saved."))
            return redirect("disputes:provider", provider_id=provider.pk)
    context: dict[str, Any] = {
        "provider": provider,
        "review_due": review_due(provider),
        "today": timezone.localdate(),
    }
    if manager:
        context.update(
            details=bound.get("details") or ProviderForm(initial=_provider_initial(provider)),
            methods_form=bound.get("methods")
            or MethodsForm(initial=MethodsForm.initial_for(provider)),
            rule_form=bound.get("rule") or RuleForm(),
            review_form=bound.get("review") or ReviewForm(),
        )
    status = 422 if bound else 200
    return render(request, "disputes/provider.html", context, status=status)


@require_GET
@staff_page(can_read_complaints)
def eligibility_page(request: HttpRequest) -> HttpResponse:
    form = EligibilityForm(request.GET or None)
    answers, complaint = None, None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            complaint = complaint_get(actor=request.user, reference=d["complaint"].strip())
        except PlaintError as exc:
            form.add_error("complaint", exc.message)
        else:
            answers = eligible_providers(
                complaint,
                value=_decimal(d["value"]),
                value_currency=d["currency"],
                jurisdiction=d["country"],
            )
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "disputes/eligibility.html",
        {
            "form": form,
            "answers": answers,
            "complaint": complaint,
            "can_refer": can_work_complaints(request.user),
        },
        status=status,
    )


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        return None
