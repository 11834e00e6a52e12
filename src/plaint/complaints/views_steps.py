"""A case's steps and its assignment, each on a page of its own: the case page links to them.

GET ``/staff/complaints/<reference>/step/<step>/`` shows the case at the top (reference, subject,
state, complainant, due dates) and the step's form; the form posts to the same address, and a form
with errors comes back on this page (422). A step that ends the case asks to confirm on a page of
its own first. GET and POST ``…/assign/`` do the same for the assignee and team, so the case page
reads neither the people nor the teams. A step not allowed in the case's state answers 409 with
the reason and no form."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.complaints import services
from plaint.complaints.forms import AssignForm, StepForm, step_form
from plaint.complaints.states import CASE_ENDING_STEPS, OPEN, STAFF, State, Step, case_steps
from plaint.complaints.views_staff import case_summary, get_case, record_read, run_service
from plaint.core.actors import Actor
from plaint.core.views import in_organisation_timezone

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


def _not_now(complaint, chosen: Step) -> str:
    return _("“%(step)s” is not possible while the complaint is “%(state)s”.") % {
        "step": chosen.label,
        "state": State(complaint.state).label,
    }


def _step_page(
    request: HttpRequest,
    complaint,
    chosen: Step,
    form: StepForm | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The step's own page; without a form of its own (``form=None``) a new one for the case as it
    is now, and none at all when the step is not allowed in the case's state."""
    allowed = chosen in case_steps(complaint, STAFF)
    if not allowed and not error:
        error, status = _not_now(complaint, chosen), 409
    if form is None and allowed:
        form = step_form(chosen, complaint)
    context = {
        **case_summary(complaint),
        "step": chosen,
        "form": form if allowed else None,
        "ending": chosen in CASE_ENDING_STEPS,
        "page_error": error,
    }
    return render(request, "complaints/staff/step.html", context, status=status)


def _confirm_step(request: HttpRequest, complaint, chosen: Step, form: StepForm) -> HttpResponse:
    """A step that ends the case, posted without ``confirm=yes``: nothing is done; the page says
    what the step means, repeats what was entered and asks to confirm it."""
    if chosen not in case_steps(complaint, STAFF):
        return _step_page(request, complaint, chosen, error=_not_now(complaint, chosen), status=409)
    if not form.is_valid():
        return _step_page(request, complaint, chosen, form, status=422)
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
    try:
        chosen = Step(step)
    except ValueError as exc:
        raise Http404(_("Unknown step.")) from exc
    complaint = get_case(request, reference)
    if request.method == "GET":
        record_read(request, complaint)
        return _step_page(request, complaint, chosen)
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

    def again(status: int, error: str) -> HttpResponse:
        # refused or stale: the step's page for the case as it is now, with the reason
        kept = None if error else form
        return _step_page(request, complaint, chosen, kept, error=error, status=status)

    done = _("Done: %(step)s.") % {"step": chosen.label}
    return run_service(request, complaint, form, call, done, again)


def _assign_page(
    request: HttpRequest, complaint, form: AssignForm | None, *, error: str = "", status: int = 200
) -> HttpResponse:
    if complaint.state not in OPEN and not error:
        error, status = _("A finished complaint cannot be reassigned."), 409
    if form is None:
        initial = {
            "expected_version": complaint.version,
            "assignee": complaint.assignee_id or "",
            "team": complaint.team_id or "",
        }
        form = AssignForm(initial=initial)
    context = {
        **case_summary(complaint),
        "form": form if complaint.state in OPEN else None,
        "page_error": error,
    }
    return render(request, "complaints/staff/assign.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_work_complaints)
@in_organisation_timezone
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    """Who owns the case: a person and a team."""
    complaint = get_case(request, reference)
    if request.method == "GET":
        record_read(request, complaint)
        return _assign_page(request, complaint, None)
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

    def again(status: int, error: str) -> HttpResponse:
        return _assign_page(request, complaint, None if error else form, error=error, status=status)

    return run_service(request, complaint, form, call, _("Assignment saved."), again)
