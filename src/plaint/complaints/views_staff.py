"""The staff console: a complaint's page (the case, with its allowed steps behind one
disclosure each), intake by staff.

Auditors read everything and change nothing: every POST asks ``can_work_complaints`` first, and
the services ask again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import can_configure, can_read_complaints, can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints import selectors, services
from plaint.complaints.events import CasePageComposing
from plaint.complaints.forms import (
    AssignForm,
    CategoryForm,
    StaffIntakeForm,
    StaffMessageForm,
    step_form,
)
from plaint.complaints.forms_choices import StaffChoices
from plaint.complaints.models import Category
from plaint.complaints.states import CASE_ENDING_STEPS, OPEN, STAFF, State, Step, case_steps
from plaint.complaints.views_templates import message_prefill
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.core.events import publish
from plaint.core.views import (
    apply_form_errors,
    attachment_response,
    error_response,
    in_organisation_timezone,
)

# What each step that ends a case means, said on its confirmation page before it is taken.
ENDING_STEP_MEANINGS = {
    Step.CLOSE: gettext_lazy(
        "Closing ends the case: it leaves the open cases and no further step can be taken on it."
    ),
    Step.WITHDRAW: gettext_lazy(
        "Withdrawing closes the case now, without a decision, and it cannot be reopened. Do this "
        "only when the complainant has asked to withdraw."
    ),
    Step.REJECT_OUT_OF_SCOPE: gettext_lazy(
        "The case ends as out of scope: the reason is sent to the complainant, and no further "
        "step can be taken on it."
    ),
    Step.REFER_EXTERNAL: gettext_lazy(
        "The internal handling ends: the case goes to external dispute resolution and the "
        "complainant is told. Afterwards only the dispute's outcome can be recorded."
    ),
}


def _language_name(code: str) -> str:
    """A language as a member of staff reads it, with its own name: "Estonian (eesti)"."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    if info["name_local"] == str(info["name_translated"]):
        return info["name_local"]
    return f"{info['name_translated']} ({info['name_local']})"


def _assign_form(complaint, staff: StaffChoices) -> AssignForm:
    initial = {
        "expected_version": complaint.version,
        "assignee": complaint.assignee_id or "",
        "team": complaint.team_id or "",
    }
    return AssignForm(initial=initial, staff=staff)


def _detail(
    request: HttpRequest,
    complaint,
    *,
    bound: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    can_work = can_work_complaints(request.user)
    steps = case_steps(complaint, "staff") if can_work else []
    timeline = [
        entry
        for entry in selectors.complaint_timeline(complaint=complaint, actor=request.user)
        # a message's own entry shows it; its "message_*" event would only repeat it
        if not (
            entry.kind == "event"
            and entry.event is not None
            and entry.event.action.startswith("message_")
        )
    ]
    # the assessment and the assign forms offer the same people and teams: read them once, and
    # only for those who see the forms
    staff = StaffChoices.load() if can_work else None
    step_forms = [
        (step, bound.get(step.value) or step_form(step, complaint, staff=staff)) for step in steps
    ]
    prefill = message_prefill(request, complaint) if can_work else {}
    page = CasePageComposing(complaint=complaint, user=request.user)
    publish(page)  # the panels of the apps above (promise checks)
    remedies, earlier_proposals = selectors.complaint_remedy_rounds(complaint=complaint)
    context = {
        "complaint": complaint,
        "state_label": State(complaint.state).label,
        "is_open": complaint.state in OPEN,
        "now": timezone.now(),
        "timeline": timeline,
        "attachments": selectors.complaint_attachments(complaint=complaint, public_only=False),
        "remedies": remedies,
        "earlier_proposals": earlier_proposals,
        "can_work": can_work,
        "step_forms": step_forms,
        "ending_steps": CASE_ENDING_STEPS,
        "message_form": bound.get("message")
        or StaffMessageForm(initial={"body": prefill.get("prefill") or ""}),
        **prefill,
        "assign_form": bound.get("assign") or (_assign_form(complaint, staff) if staff else None),
        "recipient_language": _language_name(complaint.complainant.language),
        "page_error": error,
        # the one form that came back with errors is shown open; otherwise all are closed
        "open_action": next(iter(bound), "message" if prefill.get("chosen_template") else ""),
        "panels": page.panels,
    }
    return render(request, "complaints/staff/detail.html", context, status=status)


def _get(request: HttpRequest, reference: str):
    try:
        return selectors.complaint_get(actor=request.user, reference=reference)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _get(request, reference))


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def attachment(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    """Download one of the complaint's attachments (internal ones included: staff only)."""
    complaint = _get(request, reference)
    found = selectors.complaint_attachment(
        complaint=complaint, attachment_id=attachment_id, public_only=False
    )
    if found is None:
        raise Http404(_("This complaint has no such attachment."))
    return attachment_response(found)


def _outcome(
    request: HttpRequest,
    complaint,
    form_key: str,
    form,
    call: Callable[[], Any],
    done: str,
) -> HttpResponse:
    """Call one service and map its errors once: field errors onto the form (422), a refused or
    stale change as a message on the complaint page (403/409)."""
    if not form.is_valid():
        return _detail(request, complaint, bound={form_key: form}, status=422)
    try:
        call()
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return _detail(request, complaint, bound={form_key: form}, status=exc.status)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        complaint.refresh_from_db()
        return _detail(request, complaint, error=exc.message, status=exc.status)
    messages.success(request, done)
    return redirect("staff:detail", reference=complaint.reference)


def _confirm_step(request: HttpRequest, complaint, chosen: Step, form) -> HttpResponse:
    """A step that ends the case, posted without ``confirm=yes``: nothing is done; the page says
    what the step means, repeats what was entered and asks to confirm it."""
    if not form.is_valid():
        return _detail(request, complaint, bound={chosen.value: form}, status=422)
    if chosen not in case_steps(complaint, STAFF):
        error = _("“%(step)s” is not possible while the complaint is “%(state)s”.") % {
            "step": chosen.label,
            "state": State(complaint.state).label,
        }
        return _detail(request, complaint, error=error, status=409)
    entered = []
    for field in form.visible_fields():
        value = form.cleaned_data.get(field.name)
        if value not in (None, ""):
            choices = dict(getattr(field.field, "choices", ()))
            entered.append((field.label, choices.get(value, value)))
    context = {
        "complaint": complaint,
        "step": chosen,
        "form": form,
        "meaning": ENDING_STEP_MEANINGS[chosen],
        "entered": entered,
    }
    return render(request, "complaints/staff/step_confirm.html", context)


@require_http_methods(["GET", "POST"])
@staff_page(can_work_complaints)
@in_organisation_timezone
def step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    if request.method == "GET":  # the language switcher, back from a confirmation at this address
        return redirect("staff:detail", reference=reference)
    try:
        chosen = Step(step)
    except ValueError as exc:
        raise Http404("Unknown step.") from exc
    complaint = _get(request, reference)
    form = step_form(chosen, complaint, request.POST)
    if chosen in CASE_ENDING_STEPS and request.POST.get("confirm") != "yes":
        return _confirm_step(request, complaint, chosen, form)
    service = services.STEP_SERVICES[chosen]
    actor = Actor.staff(request.user)

    def call() -> Any:
        return service(
            complaint_id=complaint.pk,
            actor=actor,
            expected_version=form.cleaned_data["expected_version"],
            **form.service_kwargs(),
        )

    return _outcome(
        request, complaint, chosen.value, form, call, _("Done: %(step)s.") % {"step": chosen.label}
    )


@require_POST
@staff_page(can_work_complaints)
@in_organisation_timezone
def message(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _get(request, reference)
    form = StaffMessageForm(request.POST, request.FILES)

    def call() -> Any:
        return services.message_post(
            complaint_id=complaint.pk,
            actor=Actor.staff(request.user),
            body=form.cleaned_data["body"],
            internal=form.internal,
            attachments=form.cleaned_data.get("attachments") or [],
        )

    done = _("Internal note added.") if form.is_valid() and form.internal else _("Message sent.")
    return _outcome(request, complaint, "message", form, call, done)


@require_POST
@staff_page(can_work_complaints)
@in_organisation_timezone
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _get(request, reference)
    form = AssignForm(request.POST)

    def call() -> Any:
        d = form.cleaned_data
        return services.complaint_assign(
            complaint_id=complaint.pk,
            actor=Actor.staff(request.user),
            assignee_id=int(d["assignee"]) if d.get("assignee") else None,
            team_id=int(d["team"]) if d.get("team") else None,
            expected_version=d["expected_version"],
        )

    return _outcome(request, complaint, "assign", form, call, _("Assignment saved."))


@require_http_methods(["GET", "POST"])
@staff_page(can_work_complaints)
@in_organisation_timezone
def new(request: HttpRequest) -> HttpResponse:
    """Log a complaint received by phone, letter, e-mail or in person; acknowledging it is a step."""
    status = 200
    if request.method == "POST":
        form = StaffIntakeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint, token = services.complaint_submit(
                    data=form.to_input(about_process=form.cleaned_data["about_process"]),
                    channel=form.cleaned_data["channel"],
                    actor=Actor.staff(request.user),
                    received_at=form.cleaned_data.get("received_at"),
                )
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                messages.success(
                    request,
                    _("Complaint %(reference)s logged. Acknowledge it next.")
                    % {"reference": complaint.reference},
                )
                if not complaint.complainant.email:
                    # No mail will carry the link: this is the only time anyone sees it.
                    messages.info(
                        request,
                        _(
                            "Give the complainant this private tracking link (by letter, SMS "
                            "or on the phone); it is shown only once: %(url)s"
                        )
                        % {"url": services.tracking_url(token)},
                    )
                return redirect("staff:detail", reference=complaint.reference)
        status = 422
    else:
        form = StaffIntakeForm(initial={"language": "en", "channel": "phone"})
    return render(request, "complaints/staff/new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=gettext_lazy("Only managers and admins change settings."))
def categories(request: HttpRequest) -> HttpResponse:
    """Managers and admins see the complaint categories and add new ones."""
    form = CategoryForm(prefix="cat")
    status = 200
    if request.method == "POST":
        form = CategoryForm(request.POST, prefix="cat")
        if form.is_valid():
            try:
                category = services.category_create(
                    actor=Actor.staff(request.user),
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                )
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                messages.success(
                    request, _("Category “%(name)s” created.") % {"name": category.name}
                )
                return redirect("staff:categories")
        status = 422
    return render(
        request,
        "complaints/staff/categories.html",
        {"category_form": form, "categories": list(Category.objects.order_by("name"))},
        status=status,
    )
