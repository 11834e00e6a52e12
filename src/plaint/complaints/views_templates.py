"""Reply templates in the staff console: the managers' settings page and the case page's
"Insert a template" (the chosen template, filled in, as the message box's first text)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from plaint.complaints import selectors, services
from plaint.complaints.forms_templates import ReplyTemplateForm
from plaint.complaints.models import Complaint, ReplyTemplate
from plaint.core.actors import Actor
from plaint.core.errors import PlaintError, ValidationFailed
from plaint.core.selectors import organisation_cached
from plaint.core.views import apply_form_errors, error_response, request_config_token

REFUSAL = gettext_lazy("Only managers and admins change settings.")


def _save(request: HttpRequest, form: ReplyTemplateForm, template: ReplyTemplate | None):
    """Call the create or update service; None when the form carries the errors."""
    actor = Actor.staff(request.user)
    arguments = form.service_arguments()
    try:
        if template is None:
            return services.reply_template_create(actor=actor, **arguments)
        return services.reply_template_update(
            actor=actor,
            template_id=template.pk,
            active=form.cleaned_data["active"],
            **arguments,
        )
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return None


def _editor(request: HttpRequest, template: ReplyTemplate | None) -> HttpResponse:
    initial = ReplyTemplateForm.initial_for(template) if template else {"active": True}
    form = ReplyTemplateForm(initial=initial, prefix="tpl")
    status = 200
    if request.method == "POST":
        form = ReplyTemplateForm(request.POST, prefix="tpl")
        if form.is_valid():
            try:
                saved = _save(request, form, template)
            except PlaintError as exc:
                return error_response(request, exc)
            if saved is not None:
                messages.success(request, _("Reply template “%(name)s” saved.") % {"name": saved})
                return redirect("staff:reply_templates")
        status = 422
    context = {
        "form": form,
        "template": template,
        "templates": selectors.reply_templates_all() if template is None else [],
    }
    return render(request, "complaints/staff/reply_templates.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=REFUSAL)
def reply_templates(request: HttpRequest) -> HttpResponse:
    """Managers and admins see the reply templates and add new ones."""
    return _editor(request, None)


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=REFUSAL)
def reply_template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    """Change a template's name, category, texts, or take it out of use (not active)."""
    template = ReplyTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Http404(_("No such reply template."))
    return _editor(request, template)


def _due_date(complaint: Complaint, language: str, zone: str) -> str:
    """The response due date as the complainant reads it: the organisation's time zone, their
    language's date format."""
    local = timezone.localtime(complaint.response_due_at, ZoneInfo(zone))
    with translation.override(language):
        return formats.date_format(local.date(), "DATE_FORMAT")


def message_prefill(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    """The templates offered on the case page and, with ``?template=<id>``, the chosen one filled
    in the complainant's language (English if it has no text in theirs)."""
    token = request_config_token(request)
    templates = selectors.reply_templates_for_case(complaint=complaint, token=token)
    wanted = request.GET.get("template", "")
    chosen = next((t for t in templates if str(t.pk) == wanted), None)
    if chosen is None:
        return {"reply_templates": templates, "chosen_template": None, "prefill": None}
    known = {code for code, _name in settings.LANGUAGES}
    language = complaint.complainant.language if complaint.complainant.language in known else "en"
    organisation = organisation_cached(token=token)
    values = {
        "reference": complaint.reference or "",
        "name": complaint.complainant.name,
        "due_date": _due_date(complaint, language, organisation.timezone),
        "organisation": organisation.name,
    }
    text = selectors.reply_template_fill(selectors.reply_template_text(chosen, language), values)
    return {"reply_templates": templates, "chosen_template": chosen, "prefill": text}
