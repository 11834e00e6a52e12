"""Insights staff URLs."""

from django.urls import path

from plaint.insights import views

app_name = "insights_staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("volumes/", views.volumes_upload, name="volumes_upload"),
]
