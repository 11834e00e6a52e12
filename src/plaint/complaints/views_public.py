"""The public portal (no account): how to complain, the complaint form, the private tracking page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plaint.complaints import selectors, services
from plaint.complaints.forms import (
    AcceptForm,
    ComplaintForm,
    DeclineForm,
    PublicMessageForm,
    WithdrawForm,
)
from plaint.complaints.models import Channel
from plaint.complaints.states import OPEN, PUBLIC_STAGES, State, Step, allowed_steps
from plaint.core import ratelimit
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.core.selectors import organisation_get
from plaint.core.uploads import ALLOWED_EXTENSIONS
from plaint.core.views import apply_form_errors, attachment_response, error_response

# States in which the decision has been sent and may be shown to the complainant.
DECISION_VISIBLE = {State.DECISION_COMMUNICATED, State.ACCEPTED}


def _in_org_timezone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render times in the organisation's time zone, not the server's."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(organisation_get().timezone):
            return view(request, *args, **kwargs)

    return wrapper


def _private(response: HttpResponse) -> HttpResponse:
    """The tracking token is in the URL: never send it to another site as a referrer, never cache
    the page. ``same-origin``, not ``no-referrer``: with ``no-referrer`` browsers send
    ``Origin: null`` on the page's own form posts, and the CSRF check rightly refuses those."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _upload_limits() -> dict[str, Any]:
    return {
        "allowed_extensions": ", ".join(ALLOWED_EXTENSIONS),
        "max_size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "max_count": settings.ATTACHMENT_MAX_COUNT,
    }


@_in_org_timezone
def home(request: HttpRequest) -> HttpResponse:
    """How to complain, generated from the organisation's settings and the lifecycle."""
    return render(
        request,
        "complaints/public/home.html",
        {
            "organisation": organisation_get(),
            "stages": [(s.value, s.label) for s in PUBLIC_STAGES],
            **_upload_limits(),
        },
    )


def _current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@require_http_methods(["GET", "POST"])
@_in_org_timezone
def complain(request: HttpRequest) -> HttpResponse:
    """The complaint form. A filled honeypot is refused with nothing saved."""
    initial = {"language": _current_language()}
    status = 200
    if request.method == "POST":
        try:
            ratelimit.hit(request, "complain")
        except PlaintError as exc:
            return error_response(request, exc)
        form = ComplaintForm(request.POST, request.FILES, initial=initial)
        if form.is_spam:
            form.add_error(
                None, _("Your complaint could not be sent. Leave the last field empty and retry.")
            )
            status = 400
        elif form.is_valid():
            try:
                complaint, token = services.complaint_submit(
                    data=form.to_input(), channel=Channel.WEB, actor=Actor.complainant()
                )
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                return error_response(request, exc)
            else:
                return _private(
                    render(
                        request,
                        "complaints/public/thanks.html",
                        {
                            "complaint": complaint,
                            "tracking_path": reverse("public:track", args=[token]),
                            "organisation": organisation_get(),
                        },
                    )
                )
        if status == 200:
            status = 422
    else:
        form = ComplaintForm(initial=initial)
    return render(
        request,
        "complaints/public/complain.html",
        {"form": form, **_upload_limits()},
        status=status,
    )


def _track_page(
    request: HttpRequest,
    complaint,
    token: str,
    *,
    forms: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    steps = allowed_steps(complaint.state, "complainant")
    decision_visible = complaint.state in DECISION_VISIBLE or (
        complaint.decision_at is not None
        and complaint.state in {State.CLOSED, State.REFERRED_EXTERNAL}
    )
    forms = forms or {}
    attachments = selectors.complaint_attachments(complaint=complaint, public_only=True)
    context = {
        "complaint": complaint,
        "token": token,
        "state_label": State(complaint.state).label,
        "is_open": complaint.state in OPEN,
        "messages_list": selectors.complaint_messages(complaint=complaint, public_only=True),
        # The files sent with the complaint are shown with it; those of later messages after them.
        "filed_attachments": [a for a in attachments if a.message_id is None],
        "attachments": [a for a in attachments if a.message_id is not None],
        "decision_visible": decision_visible,
        "remedies": selectors.complaint_remedies(complaint=complaint) if decision_visible else [],
        "message_form": forms.get("message") or PublicMessageForm(),
        "accept_form": forms.get("accept") or AcceptForm(),
        "decline_form": forms.get("decline") or DeclineForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "can_accept": Step.ACCEPT_DECISION in steps,
        "can_decline": Step.DECLINE_DECISION in steps,
        "can_withdraw": Step.WITHDRAW in steps,
        "page_error": error,
        "stages": [(s.value, s.label) for s in PUBLIC_STAGES],
        **_upload_limits(),
    }
    return _private(render(request, "complaints/public/track.html", context, status=status))


def _not_found(request: HttpRequest) -> HttpResponse:
    return _private(error_response(request, NotFound(_("There is no complaint at this address."))))


@require_http_methods(["GET"])
@_in_org_timezone
def track(request: HttpRequest, token: str) -> HttpResponse:
    try:
        complaint = selectors.complaint_get_by_token(token=token)
    except NotFound:
        return _not_found(request)
    return _track_page(request, complaint, token)


@require_http_methods(["GET"])
def track_attachment(
    request: HttpRequest, token: str, attachment_id: int
) -> HttpResponse | FileResponse:
    """Download an attachment the complainant may see (their own uploads and ours to them)."""
    try:
        complaint = selectors.complaint_get_by_token(token=token)
    except NotFound:
        return _not_found(request)
    found = selectors.complaint_attachment(
        complaint=complaint, attachment_id=attachment_id, public_only=True
    )
    if found is None:
        return _not_found(request)
    response = attachment_response(found)
    response["Referrer-Policy"] = "same-origin"
    return response


def _track_action(
    form_name: str,
    form_class: type,
    call: Callable[[Any, Any], Any],
    done: str,
    *,
    with_files: bool = False,
) -> Callable[..., HttpResponse]:
    """A POST from the tracking page: rate-limit, find the case, validate, call one service."""

    @require_POST
    @_in_org_timezone
    def view(request: HttpRequest, token: str) -> HttpResponse:
        try:
            ratelimit.hit(request, "track")
        except PlaintError as exc:
            return _private(error_response(request, exc))
        try:
            complaint = selectors.complaint_get_by_token(token=token)
        except NotFound:
            return _not_found(request)
        form = form_class(request.POST, request.FILES) if with_files else form_class(request.POST)
        if form.is_valid():
            try:
                call(complaint, form.cleaned_data)
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            except PlaintError as exc:
                complaint.refresh_from_db()
                return _track_page(request, complaint, token, error=exc.message, status=exc.status)
            else:
                messages.success(request, _(done))
                return _private(redirect("public:track", token=token))
        return _track_page(request, complaint, token, forms={form_name: form}, status=422)

    return view


track_message = _track_action(
    "message",
    PublicMessageForm,
    lambda c, d: services.message_post(
        complaint_id=c.pk,
        actor=Actor.complainant(),
        body=d["body"],
        attachments=d.get("attachments") or [],
    ),
    gettext_noop("Thank you: your message has been added to your complaint."),
    with_files=True,
)
track_accept = _track_action(
    "accept",
    AcceptForm,
    lambda c, d: services.complaint_accept_decision(
        complaint_id=c.pk, actor=Actor.complainant(), comment=d.get("comment", "")
    ),
    gettext_noop("Thank you: you have accepted the decision."),
)
track_decline = _track_action(
    "decline",
    DeclineForm,
    lambda c, d: services.complaint_decline_decision(
        complaint_id=c.pk, actor=Actor.complainant(), reason=d["reason"]
    ),
    gettext_noop(
        "Thank you: someone who was not involved in the decision will review your complaint."
    ),
)
track_withdraw = _track_action(
    "withdraw",
    WithdrawForm,
    lambda c, d: services.complaint_withdraw(
        complaint_id=c.pk, actor=Actor.complainant(), comment=d.get("comment", "")
    ),
    gettext_noop("Your complaint has been withdrawn."),
)
