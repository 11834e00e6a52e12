"""The staff sign-in forms: the password (Django's form, checked through the throttle) and the
code of the second step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext, gettext_lazy

from plaint.accounts.services.login import LoginLocked, login_authenticate


class StaffLoginForm(AuthenticationForm):
    """Sign-in for staff. A locked account name or address is refused with when to retry,
    worded the same for names that exist and names that do not (``services.login``)."""

    locked: LoginLocked | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_authenticate(
                    request=self.request, username=username, password=password
                )
            except LoginLocked as exc:
                self.locked = exc
                raise ValidationError(self._locked_text(exc), code="locked") from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    @staticmethod
    def _locked_text(exc: LoginLocked) -> str:
        when = time_format(timezone.localtime(exc.retry_at), "TIME_FORMAT")
        return " ".join(
            [exc.message, gettext("You can sign in again from %(time)s.") % {"time": when}]
        )


class CodeForm(forms.Form):
    """A code from an authenticator app (spaces allowed, as apps show them)."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
