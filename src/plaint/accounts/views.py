"""Staff sign-in pages: the password (checked through the throttle; a refused sign-in answers
429), then, for members with an authenticator app, its code; and the page where a member turns
two-step sign-in on or off. A sign-in that waits for its second step is kept in the session for
five minutes, and the member is not signed in until it is done."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from plaint.accounts.access import is_neutral, is_staff_member
from plaint.accounts.forms import CodeForm, StaffLoginForm
from plaint.accounts.models import User
from plaint.accounts.services.two_factor import (
    two_factor_confirm,
    two_factor_device,
    two_factor_disable,
    two_factor_enrolment,
    two_factor_required,
    two_factor_verify,
    two_factor_wait_seconds,
)
from plaint.core.errors import PlaintError, ValidationFailed
from plaint.core.views import in_organisation_timezone

PENDING = "plaint.sign_in_pending"
PENDING_SECONDS = 300


class StaffLoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = StaffLoginForm

    def form_valid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if two_factor_device(user) is not None:
            _pending_start(self.request, user, self.get_success_url())
            return redirect("staff:login_verify")
        if two_factor_required(user):
            _pending_start(self.request, user, self.get_success_url())
            return redirect("staff:two_factor")
        return super().form_valid(form)

    def get_success_url(self) -> str:
        """A neutral goes to the neutral's portal (staff pages would refuse them), unless the
        address they came for is in it."""
        url = super().get_success_url()
        home = resolve_url(settings.NEUTRAL_LOGIN_REDIRECT_URL)
        if is_neutral(self.request.user) and not url.startswith(home):
            return home
        return url

    def form_invalid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.locked is not None:
            response.status_code = 429
            for name, value in form.locked.headers().items():  # Retry-After: the seconds left
                response[name] = value
        return response


# the time to retry is shown in the organisation's time zone, as on every staff page
login_page = in_organisation_timezone(StaffLoginView.as_view())


def _pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "at": time.time(),
    }


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The member whose password was right and whose second step is still to come."""
    data = request.session.get(PENDING)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    return (user, data) if user is not None else None


def _finish(request: HttpRequest, user: User, data: dict[str, Any], device: Any) -> HttpResponse:
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=data["backend"] or None)
    otp_login(request, device)
    return redirect(data["next"])


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponseBase:
    """The second step: the code from the member's authenticator app."""
    pending = _pending(request)
    if pending is None:
        return redirect("staff:login")
    user, data = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return _finish(request, user, data, device)
        wait = two_factor_wait_seconds(user=user)
        form.add_error(
            "code",
            gettext("That code is not right. Wait %(seconds)d s, then enter the code shown now.")
            % {"seconds": wait}
            if wait
            else gettext("That code is not right. Enter the code your app shows now."),
        )
    status = 422 if form.errors else 200
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponseBase:
    """Turn two-step sign-in on (scan, confirm with a code) or off. Also where a member whose
    role requires it enrols, between their password and their first page."""
    pending = None if is_staff_member(request.user) else _pending(request)
    if pending is None and not is_staff_member(request.user):
        return redirect("staff:login")
    if pending is not None and not _must_enrol(pending[0]):
        # half signed in: only a member who must enrol and has no app yet enrols here; one
        # with an app gives its code (enrolling a new app would skip the second step)
        return redirect("staff:login_verify")
    user: User = pending[0] if pending else request.user  # type: ignore[assignment]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "disable" and not pending:
        try:
            two_factor_disable(user=user)
        except PlaintError as exc:
            return _two_factor_page(request, user, form, pending, error=exc.message)
        return redirect("staff:two_factor")
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            for problem in exc.fields.get("code", [exc.message]):
                form.add_error("code", problem)
        except PlaintError as exc:
            return _two_factor_page(request, user, form, pending, error=exc.message)
        else:
            if pending:
                return _finish(request, user, pending[1], device)
            return redirect("staff:two_factor")
    return _two_factor_page(request, user, form, pending)


def _must_enrol(user: User) -> bool:
    return two_factor_required(user) and two_factor_device(user) is None


def _two_factor_page(
    request: HttpRequest,
    user: User,
    form: CodeForm,
    pending: tuple[User, dict[str, Any]] | None,
    *,
    error: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "pending": pending is not None,
        "required": two_factor_required(user),
        "error": error,
        "enrolled": pending is None and two_factor_device(user) is not None,
    }
    if not context["enrolled"]:
        enrolment = two_factor_enrolment(user=user)
        qr = segno.make(enrolment.uri, error="m")
        # our own SVG markup (the QR's modules), not text from anyone: safe to inline
        svg = qr.svg_inline(scale=4, border=4, light="#fff", svgclass="qr-code")
        context["qr_svg"] = mark_safe(svg)  # noqa: S308
        context["uri"] = enrolment.uri
        context["secret"] = enrolment.secret_grouped
    status = 422 if form.errors or error else 200
    return render(request, "accounts/two_factor.html", context, status=status)
