"""The staff console: a complaint's page (the case, its message composer, and its allowed
steps as links to their own pages: ``views_steps``), intake by staff.

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
    CategoryAccessForm,
    CategoryForm,
    StaffIntakeForm,
    StaffMessageForm,
)
from plaint.complaints.models import ReadVia
from plaint.complaints.selectors_page import case_names
from plaint.complaints.states import CASE_ENDING_STEPS, OPEN, STAFF, State, case_steps
from plaint.complaints.views_history import case_history
from plaint.complaints.views_templates import message_prefill
from plaint.complaints.visibility import visibility_known
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.core.events import publish
from plaint.core.views import (
    apply_form_errors,
    attachment_response,
    error_response,
    in_organisation_timezone,
    request_config_token,
)

# The composer's template choices when the reader may not write (an auditor): none.
NO_PREFILL: dict[str, Any] = {"reply_templates": [], "chosen_template": None, "prefill": None}


def _language_name(code: str) -> str:
    """A language as a member of staff reads it, with its own name: "Estonian (eesti)"."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    if info["name_local"] == str(info["name_translated"]):
        return info["name_local"]
    return f"{info['name_translated']} ({info['name_local']})"


def _detail(
    request: HttpRequest,
    complaint,
    *,
    message_form: StaffMessageForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The case page: the case, its timeline and panels, the composer, and the allowed steps as
    links to their own pages (``views_steps``)."""
    can_work = can_work_complaints(request.user)
    prefill = message_prefill(request, complaint) if can_work else NO_PREFILL
    page = CasePageComposing(
        complaint=complaint, user=request.user, config_token=request_config_token(request)
    )
    publish(page)  # the panels of the apps above (promise checks)
    history = case_history(request, complaint)  # kept in the cache until the case changes
    composer_open = message_form is not None or prefill.get("chosen_template") is not None
    context = {
        **case_summary(complaint),
        "names": case_names(complaint),
        "timeline_html": history.timeline_html,
        "attachments": history.attachments,
        "attachment_notes": history.attachment_notes,
        "remedies": history.remedies,
        "earlier_proposals": history.earlier_proposals,
        "can_work": can_work,
        "steps": case_steps(complaint, STAFF) if can_work else [],
        "ending_steps": CASE_ENDING_STEPS,
        "message_form": message_form
        or StaffMessageForm(initial={"body": prefill.get("prefill") or ""}),
        **prefill,
        "page_error": error,
        # the composer is shown open when its form came back with errors or a template was chosen
        "open_action": "message" if composer_open else "",
        "panels": page.panels,
    }
    # Jinja2 (plaint.site.jinja): the page handlers open most, at a fraction of the rendering
    return render(request, "complaints/staff/detail.html", context, status=status, using="jinja2")


def case_summary(complaint) -> dict[str, Any]:
    """What the case page and a step's own page show of the case at the top."""
    return {
        "complaint": complaint,
        "state_label": State(complaint.state).label,
        "is_open": complaint.state in OPEN,
        "now": timezone.now(),
        "recipient_language": _language_name(complaint.complainant.language),
    }


def get_case(request: HttpRequest, reference: str, *, case_page: bool = False):
    """The complaint the actor may see, or 404 (who sees what from the configuration cache;
    ``case_page``: as the case page reads it, ``selectors.complaint_get``)."""
    known = visibility_known(token=request_config_token(request))
    try:
        return selectors.complaint_get(
            actor=request.user, reference=reference, known=known, case_page=case_page
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc


def record_read(request: HttpRequest, complaint, via: ReadVia = ReadVia.PAGE) -> None:
    """The access log's row for this page's read of the case (``services.case_read_record``)."""
    user: Any = request.user  # signed in: the staff_page gate let the view run
    services.case_read_record(user=user, complaint=complaint, via=via)


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = get_case(request, reference, case_page=True)
    record_read(request, complaint)
    return _detail(request, complaint)


@require_http_methods(["GET"])
@staff_page(can_read_complaints)
@in_organisation_timezone
def attachment(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    """Download one of the complaint's attachments (internal ones included: staff only)."""
    complaint = get_case(request, reference)
    found = selectors.complaint_attachment(
        complaint=complaint, attachment_id=attachment_id, public_only=False
    )
    if found is None:
        raise Http404(_("This complaint has no such attachment."))
    record_read(request, complaint, ReadVia.ATTACHMENT)
    return attachment_response(found)


def run_service(
    request: HttpRequest,
    complaint,
    form,
    call: Callable[[], Any],
    done: str,
    again: Callable[[int, str], HttpResponse],
) -> HttpResponse:
    """Call one service and map its errors once: field errors onto the form, a refused or stale
    change as a message (403/409); ``again(status, error)`` renders the page the form is on."""
    if not form.is_valid():
        return again(422, "")
    try:
        call()
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return again(exc.status, "")
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        complaint.refresh_from_db()
        return again(exc.status, exc.message)
    messages.success(request, done)
    return redirect("staff:detail", reference=complaint.reference)


@require_POST
@staff_page(can_work_complaints)
@in_organisation_timezone
def message(request: HttpRequest, reference: str) -> HttpResponse:
    """The composer on the case page: a message to the complainant or an internal note."""
    complaint = get_case(request, reference)
    form = StaffMessageForm(request.POST, request.FILES)

    def call() -> Any:
        return services.message_post(
            complaint_id=complaint.pk,
            actor=Actor.staff(request.user),
            body=form.cleaned_data["body"],
            internal=form.internal,
            attachments=form.cleaned_data.get("attachments") or [],
        )

    def again(status: int, error: str) -> HttpResponse:
        if error:  # refused or stale: the case as it is now, with the message
            return _detail(request, complaint, error=error, status=status)
        return _detail(request, complaint, message_form=form, status=status)

    done = _("Internal note added.") if form.is_valid() and form.internal else _("Message sent.")
    return run_service(request, complaint, form, call, done, again)


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
        {"category_form": form, "categories": selectors.categories_with_readers()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=gettext_lazy("Only managers and admins change settings."))
def category_access(request: HttpRequest, category_id: int) -> HttpResponse:
    """Managers and admins restrict a category and name its readers."""
    try:
        category = selectors.category_get(category_id=category_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    people = selectors.reader_choices()
    initial = {
        "restricted": category.restricted,
        "readers": [user.pk for user in category.readers.all()],
    }
    form = CategoryAccessForm(initial=initial, people=people)
    status = 200
    if request.method == "POST":
        form = CategoryAccessForm(request.POST, initial=initial, people=people)
        if form.is_valid():
            try:
                services.category_access_set(
                    actor=Actor.staff(request.user),
                    category_id=category.pk,
                    restricted=form.cleaned_data["restricted"],
                    reader_ids=form.cleaned_data["readers"],
                )
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                messages.success(
                    request, _("Access to “%(name)s” saved.") % {"name": category.name}
                )
                return redirect("staff:categories")
        status = 422
    context = {"category": category, "form": form}
    return render(request, "complaints/staff/category_access.html", context, status=status)
