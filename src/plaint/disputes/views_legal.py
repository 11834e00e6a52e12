"""Referrals to a legal or regulatory authority (staff): those of one complaint with the form to
record one, and the list a manager reviews. Views parse and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints.selectors import complaint_get
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.disputes import services
from plaint.disputes.forms_dpolicy import LegalReferralForm, LegalReviewForm
from plaint.disputes.selectors_legal import legal_referrals_of, legal_referrals_waiting


@require_http_methods(["GET", "POST"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def legal_case_page(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        complaint = complaint_get(actor=request.user, reference=reference)
    except NotFound as exc:
        return error_response(request, exc, staff=True)
    form = LegalReferralForm()
    status = 200
    if request.method == "POST":
        if not can_work_complaints(request.user):
            return error_response(request, NotAllowed(_("Your role may not do this.")), staff=True)
        form = LegalReferralForm(request.POST)
        if form.is_valid():
            try:
                services.legal_referral_record(
                    actor=Actor.staff(request.user), complaint_id=complaint.pk, **form.cleaned_data
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The referral waits for a manager's review."))
                return redirect("disputes:legal_case", reference=complaint.reference)
        status = 422
    return render(
        request,
        "disputes/legal_case.html",
        {
            "complaint": complaint,
            "referrals": legal_referrals_of(actor=request.user, complaint=complaint),
            "form": form if can_work_complaints(request.user) else None,
        },
        status=status,
    )


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def legal_list_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disputes/legal_list.html",
        {
            "referrals": legal_referrals_waiting(actor=request.user),
            "can_review": can_configure(request.user),
            "form": LegalReviewForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_configure)
def legal_review_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    if request.method == "GET":
        return redirect("disputes:legal_list")
    form = LegalReviewForm(request.POST)
    if form.is_valid():
        try:
            services.legal_referral_review(
                actor=Actor.staff(request.user), referral_id=referral_id, **form.cleaned_data
            )
        except PlaintError as exc:
            return error_response(request, exc, staff=True)
        messages.success(request, _("The review is recorded."))
        return redirect("disputes:legal_list")
    error = next(iter(form.errors.values()))[0]
    return error_response(request, NotAllowed(str(error)), status=422, staff=True)
