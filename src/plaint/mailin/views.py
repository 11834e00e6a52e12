"""The e-mail quarantine pages (list; one mail with attach / create a case / discard) for staff
who work complaints, and the raw-MIME endpoint for providers that push inbound mail."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from plaint.accounts.access import can_work_complaints
from plaint.accounts.gates import staff_page
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError
from plaint.core.views import apply_form_errors, error_response, in_organisation_timezone
from plaint.mailin import selectors, services
from plaint.mailin.forms import AttachForm
from plaint.mailin.models import InboundMail

WORKERS_ONLY = gettext_lazy("Only handlers and managers work the e-mail quarantine.")


@require_GET
@staff_page(can_work_complaints, refusal=WORKERS_ONLY)
@in_organisation_timezone
def quarantine_page(request: HttpRequest) -> HttpResponse:
    context = {
        "mails": selectors.quarantine_list(actor=request.user),
        "total": selectors.quarantine_count(actor=request.user),
    }
    return render(request, "mailin/quarantine.html", context)


def _get(request: HttpRequest, mail_id: int) -> InboundMail:
    try:
        return selectors.inbound_get(actor=request.user, mail_id=mail_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _detail(
    request: HttpRequest, row: InboundMail, form: AttachForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "mail": row,
        "parsed": selectors.inbound_read(row),
        "form": form or AttachForm(),
    }
    return render(request, "mailin/detail.html", context, status=status)


@require_GET
@staff_page(can_work_complaints, refusal=WORKERS_ONLY)
@in_organisation_timezone
def mail_page(request: HttpRequest, mail_id: int) -> HttpResponse:
    return _detail(request, _get(request, mail_id))


@require_POST
@staff_page(can_work_complaints, refusal=WORKERS_ONLY)
@in_organisation_timezone
def mail_attach(request: HttpRequest, mail_id: int) -> HttpResponse:
    row = _get(request, mail_id)
    form = AttachForm(request.POST)
    if form.is_valid():
        try:
            done = services.quarantine_attach(
                actor=Actor.staff(request.user),
                mail_id=row.pk,
                reference=form.cleaned_data["reference"],
            )
        except PlaintError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The e-mail was added to case %(reference)s.")
                % {"reference": done.complaint.reference if done.complaint else ""},
            )
            return redirect("mailin:quarantine")
    return _detail(request, row, form, status=422)


def _act(request: HttpRequest, mail_id: int, action, success: str) -> HttpResponse:
    row = _get(request, mail_id)
    try:
        action(actor=Actor.staff(request.user), mail_id=row.pk)
    except PlaintError as exc:
        return error_response(request, exc, status=409, staff=True)
    messages.success(request, success)
    return redirect("mailin:quarantine")


@require_POST
@staff_page(can_work_complaints, refusal=WORKERS_ONLY)
def mail_create_case(request: HttpRequest, mail_id: int) -> HttpResponse:
    return _act(
        request, mail_id, services.quarantine_create_case, _("A case was made of the e-mail.")
    )


@require_POST
@staff_page(can_work_complaints, refusal=WORKERS_ONLY)
def mail_discard(request: HttpRequest, mail_id: int) -> HttpResponse:
    return _act(request, mail_id, services.quarantine_discard, _("The e-mail was discarded."))


@csrf_exempt  # a machine's POST with a bearer token, not a browser's form
@require_POST
def inbound_push(request: HttpRequest) -> HttpResponse:
    """Receive one raw MIME message (the request body) from a provider that pushes inbound mail.
    ``Authorization: Bearer <PLAINT_MAILIN_HTTP_TOKEN>``; answers 202 with what became of it."""
    token = settings.MAILIN_HTTP_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token:
        return JsonResponse({"detail": "inbound mail over HTTP is not enabled"}, status=404)
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"detail": "a valid bearer token is required"}, status=401)
    too_large = JsonResponse({"detail": "the message is larger than the limit"}, status=413)
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit():
        return JsonResponse({"detail": "a valid Content-Length is required"}, status=400)
    if int(length) > settings.MAILIN_MAX_BYTES:
        return too_large
    raw = request.read(settings.MAILIN_MAX_BYTES + 1)
    if len(raw) > settings.MAILIN_MAX_BYTES:
        return too_large
    if not raw.strip():
        return JsonResponse({"detail": "the body must be the raw message"}, status=400)
    row = services.mail_receive(raw=raw, source="http")
    return JsonResponse({"id": row.pk, "status": row.status, "reason": row.reason}, status=202)
