"""URL wiring only: each app contributes its own patterns."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from plaint.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("staff/promises/", include("plaint.promises.urls_staff")),
    path("staff/surveys/", include("plaint.surveys.urls_staff")),
    path("staff/insights/", include("plaint.insights.urls_staff")),
    path("staff/", include("plaint.complaints.urls_staff")),
    path("django-admin/", admin.site.urls),
    path("codes/", include("plaint.promises.urls_public")),
    path("survey/", include("plaint.surveys.urls_public")),
    path("", include("plaint.complaints.urls_public")),
]
