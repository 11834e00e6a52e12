"""Management reviews (ISO 10002 8.6; ISO 9001 9.3): the list, the workspace of one review with
its frozen pack, and the pack as a PDF. Views parse and call one service; every rule is the
service's. Managers and admins build and record; auditors read; handlers have no access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_management_reviews
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.pdf import PdfUnavailable, render_pdf
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.improvement import services
from plaint.improvement.forms_corrective import ActionForm, DoneForm
from plaint.improvement.forms_review import ChangesForm, MeetingForm, ReviewForm
from plaint.improvement.models import ManagementReview
from plaint.improvement.selectors_review import review_get, review_list, review_timeline
from plaint.improvement.states_review import (
    ACTIONS_OPEN,
    ReviewState,
    ReviewStep,
    review_event_label,
    review_steps,
)

READ = staff_page(
    can_read_management_reviews,
    refusal=gettext_lazy("Management reviews are for managers, admins and auditors."),
)


@require_http_methods(["GET", "POST"])
@READ
@in_organisation_timezone
def review_list_page(request: HttpRequest) -> HttpResponse:
    manager = can_configure(request.user)
    form = ReviewForm(request.POST or None) if manager else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if form.is_valid():
            d = form.cleaned_data
            try:
                review = services.review_create(
                    actor=Actor.staff(request.user),
                    title=d["title"],
                    period_start=d["period_start"],
                    period_end=d["period_end"],
                    language=d["language"],
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The review is open."))
                return redirect("improvement_review:detail", review_id=review.pk)
        status = 422
    rows = list(review_list(actor=request.user))
    return render(
        request, "improvement/review_list.html", {"rows": rows, "form": form}, status=status
    )


def _forms(review: ManagementReview, data: Any = None, which: str = "") -> dict[str, forms.Form]:
    def bound(name: str, cls: type[forms.Form], **initial: Any) -> forms.Form:
        return cls(data if which == name else None, initial=initial or None)

    return {
        "changes": bound(
            "changes",
            ChangesForm,
            regulation=review.changes_regulation,
            products=review.changes_products,
            organisation=review.changes_organisation,
        ),
        "meeting": bound("meeting", MeetingForm),
        "action": bound("action", ActionForm),
    }


def _post(request: HttpRequest, review: ManagementReview, forms_: dict[str, forms.Form]) -> bool:
    """Do what the form posted; False when a form has errors to show."""
    actor = Actor.staff(request.user)
    which = request.POST.get("form", "")
    if which == "done":
        done = DoneForm(request.POST)
        done.is_valid()
        action_id = request.POST.get("action_id", "")
        if not action_id.isdigit() or not review.actions.filter(pk=int(action_id)).exists():
            raise NotFound(_("No such action."))
        services.review_action_done(
            actor=actor, action_id=int(action_id), evidence=done.cleaned_data.get("evidence", "")
        )
        return True
    if which == "build":
        services.review_pack_build(actor=actor, review_id=review.pk)
        return True
    if which == "close":
        services.review_close(actor=actor, review_id=review.pk)
        return True
    form = forms_.get(which)
    if form is None:
        raise NotFound(_("Unknown step."))
    if not form.is_valid():
        return False
    d = form.cleaned_data
    if which == "changes":
        services.review_changes_record(actor=actor, review_id=review.pk, **d)
    elif which == "meeting":
        services.review_hold(actor=actor, review_id=review.pk, **d)
    else:
        services.review_action_add(
            actor=actor,
            review_id=review.pk,
            description=d["description"],
            owner_id=d["owner"].pk,
            due_on=d["due_on"],
        )
    return True


@require_http_methods(["GET", "POST"])
@READ
@in_organisation_timezone
def review_detail_page(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = review_get(actor=request.user, review_id=review_id)
    except PlaintError as exc:
        return error_response(request, exc)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = _forms(review, request.POST, which)
    status = 200
    if request.method == "POST":
        if not can_configure(request.user) and which != "done":
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        try:
            ok = _post(request, review, forms_)
        except PlaintError as exc:
            target = forms_.get(which)
            if target is None or not exc.fields:
                return error_response(request, exc)
            apply_form_errors(target, exc)
            ok = False
        if ok:
            messages.success(request, _("Saved."))
            return redirect("improvement_review:detail", review_id=review.pk)
        status = 422
    return render(
        request, "improvement/review_detail.html", _context(request, review, forms_), status=status
    )


def _context(
    request: HttpRequest, review: ManagementReview, forms_: dict[str, forms.Form]
) -> dict[str, Any]:
    manager = can_configure(request.user)
    steps = set(review_steps(review.state)) if manager else set()
    return {
        "review": review,
        "state_label": ReviewState(review.state).label,
        "actions": list(review.actions.all()),
        "manager": manager,
        "can_record_changes": ReviewStep.RECORD_CHANGES in steps,
        "can_build": ReviewStep.BUILD_PACK in steps,
        "can_hold": ReviewStep.HOLD in steps,
        "can_close": ReviewStep.CLOSE in steps,
        "actions_open": review.state in ACTIONS_OPEN,
        "forms": forms_,
        "user_id": request.user.pk,
        "timeline": [(e, review_event_label(e.action)) for e in review_timeline(review)],
        "pack_rtl": translation.get_language_info(review.language)["bidi"],
    }


def review_pdf_document(review: ManagementReview) -> str:
    """The pack as one HTML document for WeasyPrint, in the language it was built in, with the
    meeting's record when there is one."""
    language = review.language
    with translation.override(language):
        return render_to_string(
            "improvement/review_pdf.html",
            {
                "review": review,
                "actions": list(review.actions.all()),
                "rtl": translation.get_language_bidi(),
                "language": language,
                "sections": review.pack.get("sections", []),
            },
        )


@require_GET
@READ
@in_organisation_timezone
def review_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = review_get(actor=request.user, review_id=review_id)
        if not review.pack_built_at:
            raise NotFound(_("The pack of this review is not built yet."))
        data = render_pdf(review_pdf_document(review))
    except PlaintError as exc:
        return error_response(request, exc)
    except PdfUnavailable as exc:
        return error_response(request, PlaintError(str(exc)), status=503)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"plaint-review-{review.pk}-{review.period_start:%Y-%m}-{review.period_end:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
