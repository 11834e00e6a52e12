"""URL wiring only: each app contributes its own patterns."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from plaint.api import api
from plaint.complaints import urls_staff as complaints_staff
from plaint.core.views import favicon, page_not_found
from plaint.organisation import urls as organisation_urls

# The staff console's own pages, one "staff" namespace: complaints' and the organisation's.
staff_console = [*complaints_staff.urlpatterns, *organisation_urls.urlpatterns]

# Not found: the site's own error page (inside the staff console for staff pages), translated.
handler404 = page_not_found

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("staff/promises/", include("plaint.promises.urls_staff")),
    path("staff/surveys/", include("plaint.surveys.urls_staff")),
    path("staff/insights/", include("plaint.insights.urls_staff")),
    path("staff/analysis/", include("plaint.improvement.urls_staff")),
    path("staff/improvement/returns/", include("plaint.improvement.urls_returns")),
    path("staff/improvement/reviews/", include("plaint.improvement.urls_review")),
    path("staff/improvement/", include("plaint.improvement.urls_corrective")),
    path("staff/disputes/", include("plaint.disputes.urls_staff")),
    path("neutral/", include("plaint.disputes.urls_neutral")),
    path("staff/notifications/", include("plaint.notifications.urls_staff")),
    path("staff/settings/webhooks/", include("plaint.webhooks.urls_staff")),
    path("staff/mail/", include("plaint.mailin.urls_staff")),
    path("mail/inbound/", include("plaint.mailin.urls_inbound")),
    path("staff/privacy/", include("plaint.privacy.urls_staff")),
    path("staff/", include((staff_console, "staff"))),
    # one sign-in page, behind the throttle: Django admin's own login form is not served
    path(
        "django-admin/login/",
        RedirectView.as_view(pattern_name="staff:login", query_string=True),
    ),
    path("django-admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("codes/", include("plaint.promises.urls_public")),
    path("policy/", include("plaint.improvement.urls_policy_public")),
    path("disputes/", include("plaint.disputes.urls_public")),
    path("survey/", include("plaint.surveys.urls_public")),
    path("", include("plaint.complaints.urls_public")),
]
