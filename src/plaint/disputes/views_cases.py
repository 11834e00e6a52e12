"""Dispute cases (staff): the list, the workspace of one dispute, the referral with consent, a
provider's notice and the held notices. Views parse and call one service; the rules are theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints.selectors import complaint_get
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.events import publish
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.disputes import services
from plaint.disputes.consent import consent_text
from plaint.disputes.events import DisputePageComposing
from plaint.disputes.forms_cases import (
    AnswerForm,
    CloseForm,
    DoneForm,
    ExitForm,
    MatchForm,
    NoticeForm,
    OfferForm,
    OutcomeForm,
    PositionForm,
    ReferForm,
    SubmissionForm,
)
from plaint.disputes.lifecycle import OUTCOMES, State, Step, allowed_steps, event_label
from plaint.disputes.models import Dispute
from plaint.disputes.selectors import eligible_providers
from plaint.disputes.selectors_cases import (
    dispute_get,
    dispute_list,
    dispute_timeline,
    held_notice_count,
    held_notices,
)
from plaint.disputes.selectors_neutral import neutral_panel
from plaint.disputes.selectors_overdue import HEADLINE_DAYS, compliance_headline

FORMS: dict[str, type[forms.Form]] = {
    "position": PositionForm,
    "outcome": OutcomeForm,
    "accept": AnswerForm,
    "reject": AnswerForm,
    "close": CloseForm,
    "lessons": CloseForm,
    "exit": ExitForm,
    "submission": SubmissionForm,
    "done": DoneForm,
    "offer": OfferForm,
}


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def disputes_page(request: HttpRequest) -> HttpResponse:
    """The disputes, newest first, and the form that logs a provider's notice."""
    worker = can_work_complaints(request.user)
    form = NoticeForm(request.POST or None) if worker else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if form.is_valid():
            d = form.cleaned_data
            try:
                result = services.dispute_notice_receive(
                    actor=Actor.staff(request.user),
                    provider_id=d["provider"].pk,
                    provider_reference=d["provider_reference"],
                    complaint_reference=d["complaint_reference"],
                    method=d["method"],
                    details=d["details"],
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                return _after_notice(request, result)
        status = 422
    state = request.GET.get("state", "")
    rows = dispute_list(actor=request.user, state=state, open_only=not state)
    context = {
        "rows": rows,
        "state": state,
        "states": State.choices,
        "form": form,
        "held": held_notice_count(actor=request.user),
        "may_import": can_configure(request.user),
        "now": timezone.now(),
        "compliance": compliance_headline(today=timezone.localdate()),
        "headline_days": HEADLINE_DAYS,
    }
    return render(request, "disputes/disputes.html", context, status=status)


def _after_notice(request: HttpRequest, result: services.NoticeResult) -> HttpResponse:
    if result.dispute is None:
        messages.warning(
            request, _("No complaint matches this notice: it is held until someone matches it.")
        )
        return redirect("disputes:held")
    if result.merged:
        messages.info(
            request, _("This notice belongs to a dispute already open: nothing was doubled.")
        )
    return redirect("disputes:dispute", dispute_id=result.dispute.pk)


def _run(request: HttpRequest, dispute: Dispute, which: str, form: forms.Form | None) -> None:
    """Call the service the posted form names (raises PlaintError as the service does)."""
    actor, pk, post = Actor.staff(request.user), dispute.pk, request.POST
    version = dispute.version
    d: dict[str, Any] = form.cleaned_data if form is not None else {}
    if which == "position":
        services.dispute_position_send(
            actor=actor, dispute_id=pk, position=d["position"], expected_version=version
        )
    elif which == "file_complete":
        services.dispute_file_complete(actor=actor, dispute_id=pk, expected_version=version)
    elif which == "outcome":
        assert isinstance(form, OutcomeForm)
        items = [services.ObligationInput(**row) for row in form.obligations()]
        services.dispute_outcome_record(
            actor=actor, dispute_id=pk, outcome=d["outcome"], reasons=d["reasons"],
            neutral=d["neutral"], obligations=items, expected_version=version,
        )  # fmt: skip
    elif which in {"accept", "reject"}:
        services.dispute_recommendation_answer(
            actor=actor,
            dispute_id=pk,
            accepted=which == "accept",
            note=d["note"],
            expected_version=version,
        )
    elif which == "close":
        services.dispute_close(
            actor=actor, dispute_id=pk, lessons=d["lessons"], expected_version=version
        )
    elif which == "exit":
        services.dispute_exit(
            actor=actor,
            dispute_id=pk,
            step=post.get("step", ""),
            reason=d["reason"],
            expected_version=version,
        )
    else:
        _run_other(actor, dispute, which, d, post)


def _run_other(actor: Actor, dispute: Dispute, which: str, d: dict[str, Any], post: Any) -> None:
    if which == "submission":
        services.dispute_submission_add(
            actor=actor,
            dispute_id=dispute.pk,
            side=d["side"],
            kind=d["kind"],
            body=d["body"],
            upload=d.get("attachment"),
        )
    elif which == "done":
        obligation = post.get("obligation", "")
        if not obligation.isdigit() or not dispute.obligations.filter(pk=int(obligation)).exists():
            raise NotFound(_("No such obligation."))
        services.obligation_done(actor=actor, obligation_id=int(obligation), evidence=d["evidence"])
    elif which == "offer":
        services.settlement_offer_propose(
            actor=actor,
            dispute_id=dispute.pk,
            offer_amount=d["amount"],
            offer_currency=d["currency"],
            terms=d["terms"],
        )
    elif which == "approve":
        offer = post.get("offer", "")
        if not offer.isdigit() or not dispute.offers.filter(pk=int(offer)).exists():
            raise NotFound(_("No such offer."))
        services.settlement_offer_approve(actor=actor, offer_id=int(offer))
    else:
        raise NotFound(_("Unknown form."))


def _post(
    request: HttpRequest, dispute: Dispute
) -> tuple[HttpResponse | None, dict[str, forms.Form]]:
    """Handle a POST: a redirect when done, else the bound form with its errors."""
    if not can_work_complaints(request.user):
        return error_response(request, NotAllowed(_("Your role may not do this."))), {}
    which = request.POST.get("form", "")
    form_class = FORMS.get(which)
    form: forms.Form | None = None
    if which == "outcome":
        form = OutcomeForm(request.POST, allowed=OUTCOMES[dispute.method])
    elif form_class is not None:
        form = form_class(request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return None, {which: form}
    try:
        _run(request, dispute, which, form)
    except PlaintError as exc:
        if form is None or not exc.fields:
            return error_response(request, exc), {}
        apply_form_errors(form, exc)
        return None, {which: form}
    messages.success(request, _("Saved."))
    return redirect("disputes:dispute", dispute_id=dispute.pk), {}


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def dispute_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    try:
        dispute = dispute_get(actor=request.user, dispute_id=dispute_id)
    except PlaintError as exc:
        return error_response(request, exc)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        response, bound = _post(request, dispute)
        if response is not None:
            return response
    return render(
        request,
        "disputes/dispute.html",
        _context(request, dispute, bound),
        status=422 if bound else 200,
    )


def _context(
    request: HttpRequest, dispute: Dispute, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    def form(name: str, **kwargs: Any) -> forms.Form:
        return bound.get(name) or FORMS[name](**kwargs)

    steps = allowed_steps(dispute.state, dispute.method)
    composing = DisputePageComposing(dispute=dispute, user=request.user)
    publish(composing)  # the higher apps' panels (improvement: corrective actions)
    return {
        "panels": composing.panels,
        "dispute": dispute,
        "state_label": State(dispute.state).label,
        "steps": {s.value for s in steps},
        "worker": can_work_complaints(request.user),
        "manager": can_configure(request.user),
        "forms": {
            "position": form("position"),
            "outcome": bound.get("outcome") or OutcomeForm(allowed=OUTCOMES[dispute.method]),
            "answer": form("accept"),
            "close": bound.get("close") or bound.get("lessons") or CloseForm(),
            "exit": form("exit"),
            "submission": form("submission"),
            "done": form("done"),
            "offer": form("offer"),
        },
        "open": dispute.state not in {State.CLOSED, State.WITHDRAWN, State.OUT_OF_SCOPE},
        "owing": any(o.done_at is None for o in dispute.obligations.all()),
        "timeline": [(e, event_label(e.action)) for e in dispute_timeline(dispute)],
        "neutral": neutral_panel(actor=request.user, dispute=dispute),
        "now": timezone.now(),
        "today": timezone.localdate(),
        "Step": Step,
    }


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def held_page(request: HttpRequest) -> HttpResponse:
    """Notices waiting for a complaint: match one and its dispute opens."""
    form = MatchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_work_complaints(request.user):
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        notice = request.POST.get("notice", "")
        if form.is_valid() and notice.isdigit():
            try:
                complaint = complaint_get(
                    actor=request.user, reference=form.cleaned_data["complaint"].strip()
                )
                dispute = services.held_notice_match(
                    actor=Actor.staff(request.user), notice_id=int(notice),
                    complaint_id=complaint.pk, method=form.cleaned_data["method"],
                )  # fmt: skip
            except PlaintError as exc:
                form.add_error("complaint" if not exc.fields else None, exc.message)
            else:
                return redirect("disputes:dispute", dispute_id=dispute.pk)
        status = 422
    context = {
        "notices": held_notices(actor=request.user),
        "form": form,
        "worker": can_work_complaints(request.user),
    }
    return render(request, "disputes/held.html", context, status=status)


def overdue(moment: dt.datetime | None, now: dt.datetime) -> bool:
    return moment is not None and moment < now


def _refer_parts(request: HttpRequest) -> tuple[Any, Any, Any]:
    """The complaint (as the reader may see it), the provider and its eligibility answer."""
    complaint = complaint_get(
        actor=request.user, reference=request.GET.get("complaint", "")[:40].strip()
    )
    provider_id = request.GET.get("provider", "")
    answers = eligible_providers(complaint)
    answer = next((a for a in answers if str(a.provider.pk) == provider_id), None)
    if answer is None:
        raise NotFound(_("No such provider."))
    return complaint, answer.provider, answer


@require_http_methods(["GET", "POST"])
@staff_page(can_work_complaints)
@in_organisation_timezone
def refer_page(request: HttpRequest) -> HttpResponse:
    """Refer a complaint to a provider with the complainant's informed consent: the text to show
    them is written for the chosen method and language; what was shown is what is recorded."""
    try:
        complaint, provider, answer = _refer_parts(request)
    except PlaintError as exc:
        return error_response(request, exc)
    methods = {m.method: m for m in provider.methods.all()}
    data = request.POST.copy() if request.method == "POST" else None
    method = str(data.get("method", "")) if data is not None else ""
    method = method or next(iter(methods), "")
    language = str(data.get("language", "")) if data is not None else ""
    language = language or complaint.complainant.language
    text = (
        consent_text(complaint, provider, methods[method], answer.refer_by, language)
        if method in methods
        else ""
    )
    if data is not None and "preview" in data:
        data["text_shown"] = text  # the text for the method and language now chosen
    form = ReferForm(data, initial={"method": method, "language": language, "text_shown": text})
    form.fields["method"].choices = [(m, row.get_method_display()) for m, row in methods.items()]  # type: ignore[attr-defined]
    if data is not None and "refer" in data and form.is_valid():
        d = form.cleaned_data
        try:
            dispute = services.dispute_refer(
                actor=Actor.staff(request.user), complaint_id=complaint.pk, provider_id=provider.pk,
                method=d["method"], consent=services.ConsentInput(d["channel"], d["text_shown"], d["language"]),
                claimed_amount=d["claimed_amount"], claim_currency=d["currency"],
            )  # fmt: skip
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The complaint is referred; the consent is recorded."))
            return redirect("disputes:dispute", dispute_id=dispute.pk)
    context = {"complaint": complaint, "provider": provider, "answer": answer, "form": form}
    return render(request, "disputes/refer.html", context, status=422 if form.errors else 200)
