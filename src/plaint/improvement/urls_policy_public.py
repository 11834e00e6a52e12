"""The public complaints-handling policy (mounted at /policy/)."""

from django.urls import path

from plaint.improvement import views_policy

app_name = "policy_public"
urlpatterns = [
    path("", views_policy.public_policy, name="current"),
    path("<int:version>/", views_policy.public_policy, name="version"),
]
