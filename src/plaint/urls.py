"""URL wiring only: each app contributes its own patterns."""

from django.contrib import admin
from django.urls import include, path

from plaint.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("staff/", include("plaint.complaints.urls_staff")),
    path("django-admin/", admin.site.urls),
    path("", include("plaint.complaints.urls_public")),
]
