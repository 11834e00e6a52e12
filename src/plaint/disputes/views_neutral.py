"""The neutral's portal (``/neutral/``): the disputes assigned to the signed-in neutral, the
conflict-of-interest declaration, the case and its bundle, requests for information and the
outcome; and the staff form that assigns a neutral on the dispute workspace. Views parse and
call one service."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_work_complaints, is_neutral
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.views import (
    View,
    apply_form_errors,
    attachment_response,
    error_response,
    in_organisation_timezone,
)
from plaint.disputes import services
from plaint.disputes.forms_neutral import (
    AssignForm,
    DeclarationForm,
    NeutralOutcomeForm,
    RequestForm,
)
from plaint.disputes.lifecycle import OUTCOMES, Step, allowed_steps
from plaint.disputes.selectors_cases import dispute_get
from plaint.disputes.selectors_neutral import (
    NeutralCase,
    neutral_bundle,
    neutral_case,
    neutral_disputes,
    neutral_document,
)
from plaint.disputes.views_bundle import bundle_download


def neutral_page(view: View) -> View:
    """Let the view run only for a signed-in neutral; staff and everyone else get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_neutral(request.user):
            refusal = NotAllowed(_("Only a neutral assigned to disputes may use this portal."))
            return error_response(request, refusal, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET"])
@neutral_page
@in_organisation_timezone
def neutral_list_page(request: HttpRequest) -> HttpResponse:
    rows = neutral_disputes(actor=request.user)
    return render(request, "disputes/neutral_list.html", {"rows": rows})


def _declare(request: HttpRequest, case: NeutralCase, form: forms.Form) -> None:
    d = form.cleaned_data
    services.dispute_neutral_declare(
        actor=services.neutral_actor(request.user),  # type: ignore[arg-type]
        dispute_id=case.dispute.pk,
        conflict=d["conflict"] == "yes",
        details=d["details"],
    )


def _ask(request: HttpRequest, case: NeutralCase, form: forms.Form) -> None:
    d = form.cleaned_data
    services.dispute_neutral_request(
        actor=services.neutral_actor(request.user),  # type: ignore[arg-type]
        dispute_id=case.dispute.pk,
        addressed_to=d["addressed_to"],
        body=d["body"],
    )


def _decide(request: HttpRequest, case: NeutralCase, form: forms.Form) -> None:
    assert isinstance(form, NeutralOutcomeForm)
    d = form.cleaned_data
    services.dispute_outcome_record(
        actor=services.neutral_actor(request.user),  # type: ignore[arg-type]
        dispute_id=case.dispute.pk,
        outcome=d["outcome"],
        reasons=d["reasons"],
        obligations=[services.ObligationInput(**row) for row in form.obligations()],
        expected_version=case.dispute.version,
    )


ACTIONS: dict[str, tuple[Callable[[HttpRequest, NeutralCase, forms.Form], None], str]] = {
    "declare": (_declare, gettext_noop("Your declaration is recorded.")),
    "request": (_ask, gettext_noop("Your request is in the file; the organisation is told.")),
    "outcome": (_decide, gettext_noop("The outcome is recorded.")),
}


def _forms(case: NeutralCase, data: Any = None, which: str = "") -> dict[str, forms.Form]:
    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "declare": DeclarationForm(bound("declare")),
        "request": RequestForm(bound("request")),
        "outcome": NeutralOutcomeForm(bound("outcome"), allowed=OUTCOMES[case.dispute.method]),
    }


@require_http_methods(["GET", "POST"])
@neutral_page
@in_organisation_timezone
def neutral_case_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    try:
        case = neutral_case(actor=request.user, dispute_id=dispute_id)
    except PlaintError as exc:
        return error_response(request, exc)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    all_forms = _forms(case, request.POST, which)
    if request.method == "POST":
        if which not in ACTIONS:
            return error_response(request, NotFound(_("Unknown form.")))
        form = all_forms[which]
        if form.is_valid():
            action, done = ACTIONS[which]
            try:
                action(request, case, form)
            except PlaintError as exc:
                if not exc.fields:
                    return error_response(request, exc)
                apply_form_errors(form, exc)
            else:
                messages.success(request, _(done))
                return redirect("neutral:case", dispute_id=dispute_id)
    context = {
        "case": case,
        "dispute": case.dispute,
        "forms": all_forms,
        "can_decide": Step.RECORD_OUTCOME in allowed_steps(case.dispute.state, case.dispute.method),
        "over": case.dispute.state in {"closed", "withdrawn", "out_of_scope"},
        "now": timezone.now(),
    }
    status = 422 if which and any(f.errors for f in all_forms.values()) else 200
    return render(request, "disputes/neutral_case.html", context, status=status)


@require_http_methods(["GET"])
@neutral_page
def neutral_document_page(
    request: HttpRequest, dispute_id: int, attachment_id: int
) -> HttpResponseBase:
    try:
        found = neutral_document(
            actor=request.user, dispute_id=dispute_id, attachment_id=attachment_id
        )
    except PlaintError as exc:
        return error_response(request, exc)
    return attachment_response(found)


@require_http_methods(["GET"])
@neutral_page
@in_organisation_timezone
def neutral_bundle_page(request: HttpRequest, dispute_id: int, what: str) -> HttpResponseBase:
    """The case bundle as PDF or ZIP, for the assigned neutral who declared no conflict; the
    export is in the dispute's trail with the neutral as its actor."""
    read = partial(neutral_bundle, actor=request.user, dispute_id=dispute_id)
    actor = services.neutral_actor(request.user)  # type: ignore[arg-type]
    return bundle_download(request, actor=actor, read=read, what=what)


@require_http_methods(["POST"])
@staff_page(can_work_complaints)
def neutral_assign_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """Assign (or take off) a dispute's neutral, from the dispute workspace."""
    try:
        dispute = dispute_get(actor=request.user, dispute_id=dispute_id)
    except PlaintError as exc:
        return error_response(request, exc)
    form = AssignForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["neutral"]
        try:
            services.dispute_neutral_assign(
                actor=Actor.staff(request.user),
                dispute_id=dispute.pk,
                neutral_id=person.pk if person else None,
                name=form.cleaned_data["name"],
            )
        except PlaintError as exc:
            if not exc.fields:
                return error_response(request, exc)
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("disputes:dispute", dispute_id=dispute.pk)
    problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, problems or _("Check the highlighted fields."))
    return redirect("disputes:dispute", dispute_id=dispute.pk)
