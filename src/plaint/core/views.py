"""Web adapters of core: the one mapping of service errors onto pages and forms, and the
organisation settings page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.accounts.access import can_configure
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, PlaintError, ValidationFailed

ERROR_TITLES = {
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Not possible now"),
    422: gettext_lazy("Please check your input"),
    429: gettext_lazy("Too many attempts"),
}


def apply_form_errors(form: forms.Form, exc: PlaintError) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    placed = False
    for name, errors in exc.fields.items():
        target = name if name in form.fields else None
        for error in errors:
            form.add_error(target, error)
            placed = placed or target is not None
    if not placed or not exc.fields:
        form.add_error(None, exc.message)


def error_response(request: HttpRequest, exc: PlaintError, *, status: int | None = None):
    """A page that says what went wrong, with the status the error carries (403, 404, 409, 429…)."""
    status = status or exc.status
    return render(
        request,
        "core/error.html",
        {"title": ERROR_TITLES.get(status, _("Something went wrong")), "message": exc.message},
        status=status,
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organisation name"), max_length=200)
    country = forms.CharField(
        label=gettext_lazy("Country (ISO code)"),
        max_length=2,
        help_text=gettext_lazy("Its public holidays are not business days."),
    )
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64)
    acknowledgement_business_days = forms.IntegerField(
        label=gettext_lazy("Acknowledge within (business days)"), min_value=0, max_value=365
    )
    response_business_days = forms.IntegerField(
        label=gettext_lazy("Respond within (business days)"), min_value=1, max_value=365
    )
    no_answer_close_days = forms.IntegerField(
        label=gettext_lazy("Close without an answer after (days)"), min_value=1, max_value=365
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=40
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Category name"), max_length=100)
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Made from the name if empty."),
    )


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """Managers and admins edit the organisation's settings and add complaint categories."""
    from plaint.complaints.models import Category
    from plaint.complaints.services import category_create
    from plaint.core.selectors import organisation_get
    from plaint.core.services import ORGANISATION_FIELDS, organisation_update

    if not can_configure(request.user):
        return error_response(request, NotAllowed(_("Only managers and admins change settings.")))
    org = organisation_get()
    initial: dict[str, Any] = {f: getattr(org, f) for f in ORGANISATION_FIELDS}
    org_form = OrganisationForm(initial=initial, prefix="org")
    category_form = CategoryForm(prefix="cat")
    status = 200
    if request.method == "POST":
        actor = Actor.staff(request.user)
        if "save_organisation" in request.POST:
            org_form = OrganisationForm(request.POST, initial=initial, prefix="org")
            if org_form.is_valid():
                try:
                    organisation_update(actor=actor, **org_form.cleaned_data)
                except ValidationFailed as exc:
                    apply_form_errors(org_form, exc)
                except PlaintError as exc:
                    return error_response(request, exc)
                else:
                    messages.success(request, _("Settings saved."))
                    return redirect("staff:settings")
        elif "create_category" in request.POST:
            category_form = CategoryForm(request.POST, prefix="cat")
            if category_form.is_valid():
                try:
                    category = category_create(
                        actor=actor,
                        code=category_form.cleaned_data["code"],
                        name=category_form.cleaned_data["name"],
                    )
                except ValidationFailed as exc:
                    apply_form_errors(category_form, exc)
                except PlaintError as exc:
                    return error_response(request, exc)
                else:
                    messages.success(
                        request, _("Category “%(name)s” created.") % {"name": category.name}
                    )
                    return redirect("staff:settings")
        status = 422
    return render(
        request,
        "core/settings.html",
        {
            "org_form": org_form,
            "category_form": category_form,
            "categories": list(Category.objects.order_by("name")),
        },
        status=status,
    )


def attachment_response(attachment) -> FileResponse:
    """Send a stored, type-checked upload as a download that the browser will not render inline.

    ``sandbox`` keeps even a mislabelled file from running script in our origin.
    """
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
