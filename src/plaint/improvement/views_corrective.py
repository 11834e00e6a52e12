"""Objectives and corrective actions (ISO 9001 6.2 and 10.2): the objectives page, the list of
corrective actions, the form that opens one and the workspace of one. Views parse and call one
service; every rule is the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_insights
from plaint.accounts.gates import staff_page
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.improvement import causetree, indicators, services
from plaint.improvement.forms_corrective import (
    ActionForm,
    CauseForm,
    CauseNodeForm,
    ContainmentForm,
    CorrectiveActionForm,
    DoneForm,
    NoteForm,
    ObjectiveForm,
)
from plaint.improvement.selectors_corrective import (
    corrective_action_get,
    corrective_action_list,
    corrective_action_timeline,
    objective_list,
)
from plaint.improvement.states import (
    PLANNING,
    TRANSITIONS,
    State,
    Step,
    allowed_steps,
    event_label,
)

STEP_SERVICES = {
    Step.START_ACTIONS: lambda a, pk, note: services.corrective_action_actions_start(
        actor=a, ca_id=pk
    ),
    Step.COMPLETE_ACTIONS: lambda a, pk, note: services.corrective_action_actions_complete(
        actor=a, ca_id=pk
    ),
    Step.RUN_CHECK: lambda a, pk, note: services.corrective_action_check_run(actor=a, ca_id=pk),
    Step.REOPEN: lambda a, pk, note: services.corrective_action_reopen(
        actor=a, ca_id=pk, reason=note
    ),
    Step.CLOSE_NOT_EFFECTIVE: lambda a, pk, note: services.corrective_action_close_not_effective(
        actor=a, ca_id=pk, note=note
    ),
    Step.CANCEL: lambda a, pk, note: services.corrective_action_cancel(
        actor=a, ca_id=pk, reason=note
    ),
}
NOTE_STEPS = {Step.REOPEN, Step.CLOSE_NOT_EFFECTIVE, Step.CANCEL}
CAUSE_STATES = TRANSITIONS[Step.RECORD_CAUSE].sources  # the cause (and its tree) may change


@require_http_methods(["GET", "POST"])
@staff_page(can_read_insights)
def objectives_page(request: HttpRequest) -> HttpResponse:
    form = ObjectiveForm(request.POST or None) if can_configure(request.user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.objective_create(
                    actor=Actor.staff(request.user),
                    name=d["name"],
                    owner_id=d["owner"].pk,
                    indicator=form.spec(),
                    comparison=d["comparison"],
                    target=d["target"],
                    period_start=d["period_start"],
                    period_end=d["period_end"],
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The objective is saved."))
                return redirect("improvement:objectives")
        status = 422
    rows = objective_list(actor=request.user)
    return render(
        request, "improvement/objectives.html", {"rows": rows, "form": form}, status=status
    )


@require_GET
@staff_page(can_read_insights)
@in_organisation_timezone
def corrective_list_page(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    rows = list(corrective_action_list(actor=request.user, state=state))
    return render(
        request,
        "improvement/corrective_list.html",
        {
            "rows": rows,
            "state": state,
            "states": State.choices,
            "can_open": can_configure(request.user),
        },
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    """What a button elsewhere fills in: the source, its reference, complaints and filters."""
    keys = ("source", "source_ref", "complaints", "title", "product", "channel", "segment", "kind")
    initial: dict[str, Any] = {k: request.GET[k][:300] for k in keys if request.GET.get(k)}
    for key in ("category", "team"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    if request.GET.get("category_name"):  # from the analysis page's Pareto of categories
        found = Category.objects.filter(name=request.GET["category_name"][:100]).first()
        initial["category"] = found.pk if found else None
    initial.setdefault("kind", "received")
    initial.setdefault("comparison", "le")
    initial.setdefault("owner", request.user.pk)
    return initial


@require_http_methods(["GET", "POST"])
@staff_page(
    can_configure, refusal=gettext_lazy("Only managers and admins open corrective actions.")
)
def corrective_new_page(request: HttpRequest) -> HttpResponse:
    form = CorrectiveActionForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ca = services.corrective_action_open(
                actor=Actor.staff(request.user),
                title=d["title"],
                problem=d["problem"],
                source=d["source"],
                source_ref=d["source_ref"],
                complaint_ids=d["complaints"],
                owner_id=d["owner"].pk,
                indicator=form.spec(),
                comparison=d["comparison"],
                target=d["target"],
                window_months=d["window_months"],
            )
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The corrective action is open."))
            return redirect("improvement:corrective_detail", ca_id=ca.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "improvement/corrective_new.html", {"form": form}, status=status)


def _forms(ca, data=None, which: str = "") -> dict[str, forms.Form]:
    def bound(name: str, cls, **initial):
        return cls(data if which == name else None, initial=initial or None)

    return {
        "containment": bound("containment", ContainmentForm, containment=ca.containment),
        "cause": bound(
            "cause",
            CauseForm,
            root_cause=ca.root_cause,
            **{f"why{i + 1}": w for i, w in enumerate(ca.whys[:5])},
        ),
        "action": bound("action", ActionForm),
        "note": bound("note", NoteForm),
        "tree": CauseNodeForm(
            data if which == "tree" else None, nodes=causetree.nested(ca.cause_tree)
        ),
    }


def _done(request: HttpRequest, ca, actor: Actor, forms_: dict[str, forms.Form]) -> None:
    done = DoneForm(request.POST)
    done.is_valid()
    action_id = request.POST.get("action_id", "")
    if not action_id.isdigit() or not ca.actions.filter(pk=int(action_id)).exists():
        raise NotFound(_("No such action."))
    services.planned_action_done(
        actor=actor, action_id=int(action_id), evidence=done.cleaned_data.get("evidence", "")
    )


def _tree_node(request: HttpRequest, ca, actor: Actor, forms_: dict[str, forms.Form]) -> None:
    """A button beside a cause: mark it as the root cause, or remove it (with those under it)."""
    edit, node = request.POST.get("edit", ""), request.POST.get("node", "")
    if edit not in ("root", "remove") or not node.isdigit():
        raise NotFound(_("No such cause."))
    services.corrective_action_cause_tree_edit(
        actor=actor, ca_id=ca.pk, edit="root" if edit == "root" else "remove", node_id=int(node)
    )


def _step(
    request: HttpRequest, ca, actor: Actor, forms_: dict[str, forms.Form]
) -> HttpResponse | None:
    step = request.POST.get("step", "")
    if step not in Step.values or Step(step) not in STEP_SERVICES:
        raise NotFound(_("Unknown step."))
    note = forms_["note"] = NoteForm(request.POST)
    if not note.is_valid() or (Step(step) in NOTE_STEPS and not note.cleaned_data["note"]):
        note.add_error("note", _("Say why."))
        return HttpResponse(status=422)
    STEP_SERVICES[Step(step)](actor, ca.pk, note.cleaned_data.get("note", ""))
    return None


BUTTONS = {"done": _done, "tree_node": _tree_node, "step": _step}


def _post(request: HttpRequest, ca, forms_: dict[str, forms.Form]) -> HttpResponse | None:
    """Do what the form posted; None when a form has errors to show."""
    actor = Actor.staff(request.user)
    which = request.POST.get("form", "")
    if which in BUTTONS:
        return BUTTONS[which](request, ca, actor, forms_)
    form = forms_.get(which)
    if form is None or not form.is_valid():
        return HttpResponse(status=422)
    d = form.cleaned_data
    if which == "containment":
        services.corrective_action_containment_record(
            actor=actor, ca_id=ca.pk, containment=d["containment"]
        )
    elif which == "cause":
        assert isinstance(form, CauseForm)
        services.corrective_action_cause_record(
            actor=actor, ca_id=ca.pk, whys=form.whys(), root_cause=d["root_cause"]
        )
    elif which == "tree":
        services.corrective_action_cause_tree_edit(
            actor=actor, ca_id=ca.pk, edit="add", node_id=d["parent"], text=d["text"]
        )
    elif which == "action":
        services.planned_action_add(
            actor=actor,
            ca_id=ca.pk,
            description=d["description"],
            owner_id=d["owner"].pk,
            due_on=d["due_on"],
        )
    return None


@require_http_methods(["GET", "POST"])
@staff_page(can_read_insights)
@in_organisation_timezone
def corrective_detail_page(request: HttpRequest, ca_id: int) -> HttpResponse:
    try:
        ca = corrective_action_get(actor=request.user, ca_id=ca_id)
    except PlaintError as exc:
        return error_response(request, exc)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = _forms(ca, request.POST, which)
    status = 200
    if request.method == "POST":
        try:
            failed = _post(request, ca, forms_)
        except PlaintError as exc:
            target = forms_.get(which)
            if target is None or not exc.fields:
                # A refused step or button is said on the workspace itself, with its status.
                said = [text for texts in exc.fields.values() for text in texts]
                for text in said or [exc.message]:
                    messages.error(request, text)
                failed = HttpResponse(status=exc.status)
            else:
                apply_form_errors(target, exc)
                failed = HttpResponse(status=422)
        if failed is None:
            messages.success(request, _("Saved."))
            return redirect("improvement:corrective_detail", ca_id=ca.pk)
        status = failed.status_code
    return render(
        request, "improvement/corrective_detail.html", _context(request, ca, forms_), status=status
    )


def _context(request: HttpRequest, ca, forms_: dict[str, forms.Form]) -> dict[str, Any]:
    manager = can_configure(request.user)
    actions = list(ca.actions.all())
    steps = [
        (s, s in NOTE_STEPS) for s in allowed_steps(ca.state) if s in STEP_SERVICES and manager
    ]
    return {
        "ca": ca,
        "state_label": State(ca.state).label,
        "indicator": indicators.describe(ca.indicator),
        "unit": indicators.unit_of(ca.indicator),
        "actions": [a for a in actions if a.round == ca.round],
        "earlier_actions": [a for a in actions if a.round != ca.round],
        "complaints": list(ca.complaints.all()),
        "timeline": [(e, event_label(e.action)) for e in corrective_action_timeline(ca)],
        "manager": manager,
        "planning": ca.state in PLANNING,
        "cause_open": ca.state in CAUSE_STATES,
        "tree_editable": manager and ca.state in CAUSE_STATES,
        "tree": causetree.nested(ca.cause_tree),
        "tree_root": causetree.root_of(ca.cause_tree),
        "steps": steps,
        "note_steps": [s for s, needs_note in steps if needs_note],
        "forms": forms_,
        "done_form": DoneForm(),
        "user_id": request.user.pk,
        "list_url": reverse("improvement:corrective_list"),
    }
