"""Internal audits (ISO 10002 8.5): the programmes, planning an audit, the audit's workspace
(checklist by clause, findings with evidence, the steps), its report as a page and a PDF, and
the corrective action of a nonconformity. Views parse and call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plaint.accounts.access import can_configure, can_read_internal_audits
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, NotAllowed, NotFound, PlaintError
from plaint.core.pdf import PdfUnavailable, render_pdf
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.improvement import checklists, services
from plaint.improvement.forms_audit import (
    AnswerForm,
    AuditPlanForm,
    FindingCorrectiveForm,
    FindingForm,
    ProgrammeForm,
    ReasonForm,
    ReportForm,
)
from plaint.improvement.models_audit import Audit
from plaint.improvement.selectors_audit import (
    audit_get,
    audit_programme_get,
    audit_programme_list,
    audit_timeline,
    finding_get,
    visible_evidence,
)
from plaint.improvement.services.audit import actor_kinds
from plaint.improvement.states_audit import (
    AUDITOR,
    RECORDING,
    AuditState,
    AuditStep,
    FindingKind,
    audit_allowed_steps,
    audit_event_label,
)

PLANNERS_ONLY = gettext_lazy("Only managers and admins plan audits.")


@require_http_methods(["GET", "POST"])
@staff_page(can_read_internal_audits)
def audits_page(request: HttpRequest) -> HttpResponse:
    """The programmes with their audits; managers add a programme here."""
    form = ProgrammeForm(request.POST or None) if can_configure(request.user) else None
    if request.method == "POST":
        if form is None:
            return error_response(request, NotAllowed(_("Your role may not do this.")))
        if form.is_valid():
            try:
                services.audit_programme_create(
                    actor=Actor.staff(request.user), **form.cleaned_data
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The audit programme is saved."))
                return redirect("improvement:audits")
    programmes = audit_programme_list(actor=request.user)
    status = 422 if request.method == "POST" else 200
    context = {"programmes": programmes, "form": form, "can_plan": form is not None}
    return render(request, "improvement/audits.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=PLANNERS_ONLY)
def audit_plan_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        programme = audit_programme_get(actor=request.user, programme_id=programme_id)
    except PlaintError as exc:
        return error_response(request, exc)
    form = AuditPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.audit_plan(
                actor=Actor.staff(request.user),
                programme_id=programme.pk,
                title=d["title"],
                standards=d["standards"],
                clauses=d["clauses"],
                team_ids=[t.pk for t in d["teams"]],
                category_ids=[c.pk for c in d["categories"]],
                scope_note=d["scope_note"],
                planned_start=d["planned_start"],
                planned_end=d["planned_end"],
                lead_auditor_id=d["lead_auditor"].pk,
                co_auditor_ids=[u.pk for u in d["co_auditors"]],
            )
        except PlaintError as exc:
            apply_form_errors(form, _field_names(exc))
        else:
            messages.success(request, _("The audit is planned."))
            return redirect("improvement:audit_detail", audit_id=item.pk)
    status = 422 if request.method == "POST" else 200
    context = {"programme": programme, "form": form}
    return render(request, "improvement/audit_plan.html", context, status=status)


def _field_names(exc: PlaintError) -> PlaintError:
    """The services name fields as the API does (``lead_auditor_id``); the form without ``_id(s)``."""
    renames = {"lead_auditor_id": "lead_auditor", "co_auditor_ids": "co_auditors"}
    renames |= {"team_ids": "teams", "category_ids": "categories", "complaints": "complaints"}
    exc.fields = {renames.get(k, k): v for k, v in exc.fields.items()}
    return exc


def _forms(item: Audit, data: Any = None, which: str = "") -> dict[str, forms.Form]:
    def bound(name: str, cls: Callable[..., forms.Form], **kw: Any) -> forms.Form:
        return cls(data if which == name else None, **kw)

    return {
        "finding": bound("finding", FindingForm, standards=item.standards),
        "report": bound("report", ReportForm, initial={"conclusion": item.conclusion}),
        "reason": bound("step", ReasonForm),
    }


def _post(request: HttpRequest, item: Audit, forms_: dict[str, forms.Form]) -> bool:
    """Do what the form posted; False when a form has errors to show."""
    actor, which = Actor.staff(request.user), request.POST.get("form", "")
    if which == "answer":
        form = AnswerForm(request.POST)
        item_id = request.POST.get("item_id", "")
        if not item_id.isdigit() or not form.is_valid():
            raise Conflict(_("Choose an answer."))
        services.checklist_answer(
            actor=actor, audit_id=item.pk, item_id=int(item_id), **form.cleaned_data
        )
    elif which == "finding":
        finding = forms_["finding"]
        if not finding.is_valid():
            return False
        assert isinstance(finding, FindingForm)
        d = finding.cleaned_data
        services.finding_record(
            actor=actor,
            audit_id=item.pk,
            kind=d["kind"],
            clause=d["clause"],
            statement=d["statement"],
            evidence_note=d["evidence_note"],
            complaint_references=finding.references(),
        )
    elif which == "report":
        if not forms_["report"].is_valid():
            return False
        conclusion = forms_["report"].cleaned_data["conclusion"]
        services.audit_report(actor=actor, audit_id=item.pk, conclusion=conclusion)
    elif which == "step":
        _step(actor, item, request.POST.get("step", ""), forms_["reason"])
    else:
        raise NotFound(_("Unknown form."))
    return True


def _step(actor: Actor, item: Audit, step: str, reason: forms.Form) -> None:
    if step == AuditStep.START:
        services.audit_start(actor=actor, audit_id=item.pk)
    elif step == AuditStep.CLOSE:
        services.audit_close(actor=actor, audit_id=item.pk)
    elif step == AuditStep.CANCEL:
        note = reason.cleaned_data.get("reason", "") if reason.is_valid() else ""
        services.audit_cancel(actor=actor, audit_id=item.pk, reason=note)
    else:
        raise NotFound(_("Unknown step."))


@require_http_methods(["GET", "POST"])
@staff_page(can_read_internal_audits)
@in_organisation_timezone
def audit_detail_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    try:
        item = audit_get(actor=request.user, audit_id=audit_id)
    except PlaintError as exc:
        return error_response(request, exc)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = _forms(item, request.POST, which)
    status = 200
    if request.method == "POST":
        try:
            done = _post(request, item, forms_)
        except PlaintError as exc:
            target = forms_.get("reason" if which == "step" else which)
            if target is None or not exc.fields:
                return error_response(request, exc)
            apply_form_errors(target, _field_names(exc))
            done = False
        if done:
            messages.success(request, _("Saved."))
            return redirect("improvement:audit_detail", audit_id=item.pk)
        status = 422
    context = {**report_context(request, item), "forms": forms_, "answer_choices": AnswerForm}
    return render(request, "improvement/audit_detail.html", context, status=status)


def report_context(request: HttpRequest, item: Audit) -> dict[str, Any]:
    """What the workspace, the report page and the PDF show of an audit."""
    kinds = actor_kinds(item, Actor.staff(request.user))
    findings = list(item.findings.all())
    evidence = visible_evidence(request.user, findings)
    return {
        "audit": item,
        "state_label": AuditState(item.state).label,
        "standards": [checklists.translated(checklists.load(s).title) for s in item.standards],
        "clauses": item.clauses,
        "checklist": _by_clause(item),
        "findings": [(f, evidence[f.pk]) for f in findings],
        "counts": {k: sum(f.kind == k for f in findings) for k in FindingKind.values},
        "kind_labels": dict(FindingKind.choices),
        "recording": AUDITOR in kinds and item.state in RECORDING,
        "can_open_ca": can_configure(request.user)
        and item.state in (AuditState.IN_PROGRESS, AuditState.REPORTED),
        "steps": audit_allowed_steps(item.state, kinds),
        "timeline": [(e, audit_event_label(e.action)) for e in audit_timeline(item)],
        "unanswered": sum(not i.answer for i in item.items.all()),
    }


def _by_clause(item: Audit) -> list[dict[str, Any]]:
    """The checklist grouped by standard and clause, each text translated."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    titles = {(s, c.number): c.title for s in item.standards for c in checklists.load(s).clauses}
    for row in item.items.all():
        key = (row.standard, row.clause)
        if key not in groups:
            groups[key] = {
                "standard": row.standard.upper().replace("ISO", "ISO "),
                "clause": row.clause,
                "title": checklists.translated(titles.get(key, "")) if key in titles else "",
                "items": [],
            }
        groups[key]["items"].append((row, checklists.translated(row.question)))
    return list(groups.values())


@require_GET
@staff_page(can_read_internal_audits)
@in_organisation_timezone
def audit_report_page(request: HttpRequest, audit_id: int) -> HttpResponse:
    try:
        item = audit_get(actor=request.user, audit_id=audit_id)
    except PlaintError as exc:
        return error_response(request, exc)
    return render(request, "improvement/audit_report.html", report_context(request, item))


@require_GET
@staff_page(can_read_internal_audits)
@in_organisation_timezone
def audit_report_pdf(request: HttpRequest, audit_id: int) -> HttpResponse:
    try:
        item = audit_get(actor=request.user, audit_id=audit_id)
    except PlaintError as exc:
        return error_response(request, exc)
    context = {
        **report_context(request, item),
        "lang": get_language(),
        "rtl": get_language_bidi(),
    }
    html = render_to_string("improvement/audit_report_print.html", context, request=request)
    try:
        data = render_pdf(html)
    except PdfUnavailable as exc:
        return error_response(request, Conflict(str(exc)), status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{item.reference}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@staff_page(
    can_configure, refusal=gettext_lazy("Only managers and admins open corrective actions.")
)
def finding_corrective_page(request: HttpRequest, audit_id: int, finding_id: int) -> HttpResponse:
    try:
        finding = finding_get(actor=request.user, audit_id=audit_id, finding_id=finding_id)
    except PlaintError as exc:
        return error_response(request, exc)
    initial = {
        "title": _("Nonconformity %(ref)s") % {"ref": finding.reference},
        "problem": finding.statement,
        "owner": request.user.pk,
        "kind": "received",
        "comparison": "le",
    }
    form = FindingCorrectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ca = services.finding_corrective_action_open(
                actor=Actor.staff(request.user),
                finding_id=finding.pk,
                owner_id=d["owner"].pk,
                indicator=form.spec(),
                comparison=d["comparison"],
                target=d["target"],
                window_months=d["window_months"],
                title=d["title"],
                problem=d["problem"],
            )
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The corrective action is open."))
            return redirect("improvement:corrective_detail", ca_id=ca.pk)
    status = 422 if request.method == "POST" else 200
    context = {"finding": finding, "form": form}
    return render(request, "improvement/finding_corrective.html", context, status=status)
