"""The complainant's part of external dispute resolution, reached from their tracking page with
the same unguessable token (``/disputes/track/<token>/``): the providers an unresolved complaint
may go to, the choice with informed consent, then the dispute itself and the evidence they add.
Like the tracking page it is private: no referrer, no cache, reads counted against the limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plaint.complaints.models import Complaint
from plaint.complaints.selectors import complaint_get_by_token
from plaint.core import ratelimit
from plaint.core.errors import NotFound, PlaintError, ValidationFailed
from plaint.core.selectors import organisation_get
from plaint.core.uploads import ALLOWED_EXTENSIONS
from plaint.core.views import apply_form_errors, error_response
from plaint.disputes import services
from plaint.disputes.forms_dpolicy import ChooseForm, EvidenceForm
from plaint.disputes.lifecycle import OPEN_STATES
from plaint.disputes.selectors_tracking import tracking_disputes, tracking_offers


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


def _case_language(request: HttpRequest, complaint: Complaint) -> str:
    """The complainant's language, unless this visitor chose one with the language switcher
    (the same rule as the tracking page)."""
    codes = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in codes:
        return str(chosen)
    language = complaint.complainant.language
    return language if language in codes else settings.LANGUAGE_CODE


def _complaint(request: HttpRequest, token: str) -> Complaint | HttpResponse:
    try:
        ratelimit.hit(request, "track-read", limit=settings.TRACKING_RATE_LIMIT_PER_HOUR)
        return complaint_get_by_token(token=token)
    except NotFound:
        return _private(
            error_response(request, NotFound(_("There is no complaint at this address.")))
        )
    except PlaintError as exc:
        return _private(error_response(request, exc))


def _page(
    request: HttpRequest,
    complaint: Complaint,
    token: str,
    *,
    forms: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    forms = forms or {}
    disputes = tracking_disputes(complaint)
    context = {
        "complaint": complaint,
        "token": token,
        "language": language,
        "offers": tracking_offers(complaint, language),
        "disputes": disputes,
        "open_states": OPEN_STATES,
        "choose_form": forms.get("choose") or ChooseForm(),
        "evidence_form": forms.get("evidence"),
        "blank_evidence": EvidenceForm(),
        "evidence_for": forms.get("evidence_for"),
        "page_error": error,
        "allowed_extensions": ", ".join(ALLOWED_EXTENSIONS),
    }
    return _private(render(request, "disputes/public/track.html", context, status=status))


def _in_context(request: HttpRequest, complaint: Complaint, view: Any) -> HttpResponse:
    with (
        translation.override(_case_language(request, complaint)),
        timezone.override(organisation_get().timezone),
    ):
        response: HttpResponse = view()
        return response


@require_GET
def track_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _complaint(request, token)
    if isinstance(found, HttpResponse):
        return found
    return _in_context(request, found, lambda: _page(request, found, token))


@require_POST
def track_choose(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant chooses a provider and agrees. The language recorded is the page's; the
    moment is the server's (the form has no time field, and none is read)."""
    found = _complaint(request, token)
    if isinstance(found, HttpResponse):
        return found
    complaint = found

    def choose() -> HttpResponse:
        form = ChooseForm(request.POST)
        if not form.is_valid():
            return _page(request, complaint, token, forms={"choose": form}, status=422)
        try:
            services.dispute_choose_on_tracking(
                complaint_id=complaint.pk,
                provider_id=form.cleaned_data["provider"],
                method=form.cleaned_data["method"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
            return _page(request, complaint, token, forms={"choose": form}, status=422)
        except PlaintError as exc:
            return _page(request, complaint, token, error=exc.message, status=exc.status)
        messages.success(request, _("Your complaint is referred to the provider you chose."))
        return _private(redirect("disputes_public:track", token=token))

    return _in_context(request, complaint, choose)


@require_POST
def track_evidence(request: HttpRequest, token: str, dispute_id: int) -> HttpResponse:
    found = _complaint(request, token)
    if isinstance(found, HttpResponse):
        return found
    complaint = found

    def add() -> HttpResponse:
        form = EvidenceForm(request.POST, request.FILES)
        forms = {"evidence": form, "evidence_for": dispute_id}
        if not form.is_valid():
            return _page(request, complaint, token, forms=forms, status=422)
        try:
            services.dispute_evidence_add(
                complaint_id=complaint.pk,
                dispute_id=dispute_id,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("attachment"),
            )
        except ValidationFailed as exc:  # a refused file names the form's "attachment"
            apply_form_errors(form, exc)
            return _page(request, complaint, token, forms=forms, status=422)
        except NotFound:
            return _private(error_response(request, NotFound(_("No such dispute."))))
        except PlaintError as exc:
            return _page(request, complaint, token, error=exc.message, status=exc.status)
        messages.success(request, _("Your evidence is added to the dispute's file."))
        return _private(redirect("disputes_public:track", token=token))

    return _in_context(request, complaint, add)
