"""The public portal (no account): how to complain, the complaint form, the private tracking page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.complaints import selectors, services
from plaint.complaints.events import TrackingPageComposing
from plaint.complaints.forms import (
    AcceptForm,
    ComplaintForm,
    DeclineForm,
    PublicMessageForm,
    WithdrawForm,
)
from plaint.complaints.models import Channel
from plaint.complaints.states import (
    COMPLAINANT,
    OPEN,
    PUBLIC_STAGES,
    State,
    Step,
    allowed_steps,
    public_label,
)
from plaint.core import ratelimit
from plaint.core.actors import Actor
from plaint.core.errors import InvalidTransition, NotFound, PlaintError, ValidationFailed
from plaint.core.events import publish
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
    response["Content-Language"] = get_language() or settings.LANGUAGE_CODE
    return response


def _reads_limited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Count each look at a tracking address (the page, a download) against the client's hourly
    allowance of reads, before the token is looked up: generous for a person, a wall for a
    scraper or a guesser."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            ratelimit.hit(request, "track-read", limit=settings.TRACKING_RATE_LIMIT_PER_HOUR)
        except PlaintError as exc:
            return _private(error_response(request, exc))
        return view(request, *args, **kwargs)

    return wrapper


@contextmanager
def _in_case_language(request: HttpRequest, complaint) -> Iterator[None]:
    """The tracking page speaks the complainant's language, unless this visitor chose one with the
    language switcher (its cookie decides then). The browser's Accept-Language is no choice: a
    Persian complainant on a borrowed English browser still reads Persian."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = complaint.complainant.language
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in codes or language not in codes:
        yield
        return
    with translation.override(language):
        yield


def _upload_limits() -> dict[str, Any]:
    return {
        "allowed_extensions": ", ".join(ALLOWED_EXTENSIONS),
        # "10.0 MB" kept whole (and in that order) inside a right-to-left sentence
        "max_size": format_html("<bdi>{}</bdi>", filesizeformat(settings.ATTACHMENT_MAX_BYTES)),
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
            "stages": [(s.value, public_label(s)) for s in PUBLIC_STAGES],
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
    steps = allowed_steps(complaint.state, COMPLAINANT)
    decision_visible = complaint.state in DECISION_VISIBLE or (
        complaint.decision_at is not None
        and complaint.state in {State.CLOSED, State.REFERRED_EXTERNAL}
    )
    forms = forms or {}
    attachments = selectors.complaint_attachments(complaint=complaint, public_only=True)
    page = TrackingPageComposing(complaint=complaint, token=token)
    publish(page)  # the panels of the apps above (external dispute resolution)
    context = {
        "panels": page.panels,
        "complaint": complaint,
        "token": token,
        "state_label": public_label(complaint.state),
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
        "stages": [(s.value, public_label(s)) for s in PUBLIC_STAGES],
        **_upload_limits(),
    }
    return _private(render(request, "complaints/public/track.html", context, status=status))


def _not_found(request: HttpRequest) -> HttpResponse:
    return _private(error_response(request, NotFound(_("There is no complaint at this address."))))


@require_http_methods(["GET"])
@_reads_limited
@_in_org_timezone
def track(request: HttpRequest, token: str) -> HttpResponse:
    try:
        complaint = selectors.complaint_get_by_token(token=token)
    except NotFound:
        return _not_found(request)
    with _in_case_language(request, complaint):
        return _track_page(request, complaint, token)


@require_http_methods(["GET"])
@_reads_limited
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


@dataclass(frozen=True)
class _Action:
    """A POST from the tracking page: its form, the one service it calls and what it then says."""

    form_name: str
    form_class: type
    call: Callable[[Any, Any], Any]
    done: str
    step: Step | None = None  # the lifecycle step it takes, if any
    with_files: bool = False
    # A step that ends the case is taken only with ``confirm=yes`` (the confirmation page's
    # button); a POST without it shows this confirmation page instead.
    confirmation: str = ""


def _no_longer_possible(complaint) -> str:
    return _("This is not possible any more: your complaint is now “%(state)s”.") % {
        "state": public_label(complaint.state)
    }


def _perform(request: HttpRequest, complaint, token: str, action: _Action) -> HttpResponse:
    """Validate, confirm if the step asks for it, call the service, map its errors once."""
    form = (
        action.form_class(request.POST, request.FILES)
        if action.with_files
        else action.form_class(request.POST)
    )
    if not form.is_valid():
        return _track_page(request, complaint, token, forms={action.form_name: form}, status=422)
    allowed = action.step is None or action.step in allowed_steps(complaint.state, COMPLAINANT)
    if not allowed:
        return _track_page(
            request, complaint, token, error=_no_longer_possible(complaint), status=409
        )
    if action.confirmation and request.POST.get("confirm") != "yes":
        context = {"complaint": complaint, "token": token, "form": form}
        return _private(render(request, action.confirmation, context))
    try:
        action.call(complaint, form.cleaned_data)
    except ValidationFailed as exc:
        apply_form_errors(form, exc)
        return _track_page(request, complaint, token, forms={action.form_name: form}, status=422)
    except PlaintError as exc:
        complaint.refresh_from_db()
        error = exc.message
        if isinstance(exc, InvalidTransition) and action.step is not None:
            error = _no_longer_possible(complaint)  # the service names the internal state
        return _track_page(request, complaint, token, error=error, status=exc.status)
    messages.success(request, _(action.done))
    return _private(redirect("public:track", token=token))


def _track_action(action: _Action) -> Callable[..., HttpResponse]:
    """A POST from the tracking page: rate-limit, find the case, then perform it in the case's
    language."""

    @require_http_methods(["GET", "POST"])
    @_in_org_timezone
    def view(request: HttpRequest, token: str) -> HttpResponse:
        if request.method == "GET":
            # A page shown at this address (the confirmation, a form error) whose language was
            # switched: the language switcher comes back here with a GET.
            return _private(redirect("public:track", token=token))
        try:
            ratelimit.hit(request, "track")
        except PlaintError as exc:
            return _private(error_response(request, exc))
        try:
            complaint = selectors.complaint_get_by_token(token=token)
        except NotFound:
            return _not_found(request)
        with _in_case_language(request, complaint):
            return _perform(request, complaint, token, action)

    return view


track_message = _track_action(
    _Action(
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
)
track_accept = _track_action(
    _Action(
        "accept",
        AcceptForm,
        lambda c, d: services.complaint_accept_decision(
            complaint_id=c.pk, actor=Actor.complainant(), comment=d.get("comment", "")
        ),
        gettext_noop("Thank you: you have accepted the decision."),
        step=Step.ACCEPT_DECISION,
    )
)
track_decline = _track_action(
    _Action(
        "decline",
        DeclineForm,
        lambda c, d: services.complaint_decline_decision(
            complaint_id=c.pk, actor=Actor.complainant(), reason=d["reason"]
        ),
        gettext_noop(
            "Thank you: someone who was not involved in the decision will review your complaint."
        ),
        step=Step.DECLINE_DECISION,
    )
)
track_withdraw = _track_action(
    _Action(
        "withdraw",
        WithdrawForm,
        lambda c, d: services.complaint_withdraw(
            complaint_id=c.pk, actor=Actor.complainant(), comment=d.get("comment", "")
        ),
        gettext_noop("Your complaint has been withdrawn."),
        step=Step.WITHDRAW,
        confirmation="complaints/public/withdraw_confirm.html",
    )
)
