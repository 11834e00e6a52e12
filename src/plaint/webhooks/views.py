"""The webhook pages of the staff settings: the list with a form to add one, a webhook's page
(change it, its delivery log), rotating its secret and deleting it. Managers and admins only.
A secret is shown on the page that answers its creation or rotation, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from plaint.accounts.access import can_configure
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.webhooks import selectors, services
from plaint.webhooks.forms import WebhookForm
from plaint.webhooks.models import Webhook

MANAGERS_ONLY = gettext_lazy("Only managers and admins manage webhooks.")


def _secret_page(request: HttpRequest, webhook: Webhook, secret: str) -> HttpResponse:
    response = render(request, "webhooks/secret.html", {"webhook": webhook, "secret": secret})
    response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=MANAGERS_ONLY)
def webhook_list_page(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                webhook, secret = services.webhook_create(
                    actor=Actor.staff(request.user), **form.cleaned_data
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                return _secret_page(request, webhook, secret)
        status = 422
    context = {"webhooks": selectors.webhook_list(actor=request.user), "form": form}
    return render(request, "webhooks/list.html", context, status=status)


def _get(request: HttpRequest, webhook_id: int) -> Webhook:
    try:
        return selectors.webhook_get(actor=request.user, webhook_id=webhook_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_http_methods(["GET", "POST"])
@staff_page(can_configure, refusal=MANAGERS_ONLY)
@in_organisation_timezone
def webhook_page(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """A webhook: its settings (changed here) and its delivery log, newest first."""
    webhook = _get(request, webhook_id)
    status = 200
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                services.webhook_update(
                    actor=Actor.staff(request.user), webhook_id=webhook.pk, **form.cleaned_data
                )
            except PlaintError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("Webhook saved."))
                return redirect("webhooks:detail", webhook_id=webhook.pk)
        status = 422
    else:
        form = WebhookForm(
            initial={
                "name": webhook.name,
                "url": webhook.url,
                "events": webhook.events,
                "active": webhook.active,
            }
        )
    context = {
        "webhook": webhook,
        "form": form,
        "deliveries": selectors.webhook_deliveries(webhook=webhook),
    }
    return render(request, "webhooks/detail.html", context, status=status)


@require_POST
@staff_page(can_configure, refusal=MANAGERS_ONLY)
def webhook_rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    try:
        webhook, secret = services.webhook_secret_rotate(
            actor=Actor.staff(request.user), webhook_id=webhook_id
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PlaintError as exc:
        return error_response(request, exc)
    return _secret_page(request, webhook, secret)


@require_POST
@staff_page(can_configure, refusal=MANAGERS_ONLY)
def webhook_delete_page(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Delete a webhook, after a confirmation page (a POST without ``confirm=yes``)."""
    webhook = _get(request, webhook_id)
    if request.POST.get("confirm") != "yes":
        return render(request, "webhooks/delete.html", {"webhook": webhook})
    try:
        name = services.webhook_delete(actor=Actor.staff(request.user), webhook_id=webhook.pk)
    except PlaintError as exc:
        return error_response(request, exc)
    messages.success(request, _("Webhook “%(name)s” deleted.") % {"name": name})
    return redirect("webhooks:list")
