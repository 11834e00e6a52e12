"""Objectives, corrective actions, the policy and training (staff)."""

from django.urls import path

from plaint.improvement import urls_policy
from plaint.improvement import views_corrective as views

app_name = "improvement"
urlpatterns = [
    path("objectives/", views.objectives_page, name="objectives"),
    path("corrective-actions/", views.corrective_list_page, name="corrective_list"),
    path("corrective-actions/new/", views.corrective_new_page, name="corrective_new"),
    path(
        "corrective-actions/<int:ca_id>/",
        views.corrective_detail_page,
        name="corrective_detail",
    ),
    *urls_policy.urlpatterns,
]
