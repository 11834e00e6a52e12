"""Promises staff URLs (mounted at /staff/promises/)."""

from django.urls import path

from plaint.promises import views

app_name = "promises_staff"
urlpatterns = [
    path("", views.codes, name="codes"),
    path("codes/new/", views.code_new, name="code_new"),
    path("codes/<int:code_id>/", views.code_detail, name="code"),
    path("codes/<int:code_id>/edit/", views.code_edit, name="code_edit"),
    path("codes/<int:code_id>/step/<str:step>/", views.code_step, name="code_step"),
    path("codes/<int:code_id>/new-version/", views.code_new_version, name="code_new_version"),
    path("codes/<int:code_id>/diff/", views.code_diff, name="code_diff"),
    path("codes/<int:code_id>/promises/new/", views.promise_new, name="promise_new"),
    path("promises/<int:promise_id>/edit/", views.promise_edit, name="promise_edit"),
    path("pauses/", views.pauses, name="pauses"),
    path("pauses/<int:pause_id>/delete/", views.pause_delete, name="pause_delete"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/<int:selection_id>/deselect/", views.profile_deselect, name="profile_deselect"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("complaints/<str:reference>/claim/", views.complaint_claim, name="claim"),
    path("checks/<int:check_id>/record/", views.check_record, name="check_record"),
]
