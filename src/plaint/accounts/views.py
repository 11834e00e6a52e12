"""Staff sign-in page (the form checks the throttle; a refused sign-in answers 429)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from plaint.accounts.forms import StaffLoginForm
from plaint.core.views import in_organisation_timezone


class StaffLoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = StaffLoginForm

    def form_invalid(self, form: StaffLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.locked is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.locked.minutes * 60)
        return response


# the time to retry is shown in the organisation's time zone, as on every staff page
login_page = in_organisation_timezone(StaffLoginView.as_view())
