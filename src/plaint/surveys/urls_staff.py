"""Surveys staff URLs (/staff/surveys/)."""

from django.urls import path

from plaint.surveys import views_imports
from plaint.surveys import views_staff as v

app_name = "surveys_staff"
urlpatterns = [
    path("", v.survey_list, name="surveys"),
    path("new/", v.survey_new, name="new"),
    path("contacts/", v.contacts, name="contacts"),
    path("callbacks/", v.callbacks, name="callbacks"),
    path("callbacks/<int:callback_id>/done/", v.callback_done, name="callback_done"),
    path("<int:survey_id>/", v.survey_detail, name="detail"),
    path("<int:survey_id>/edit/", v.survey_edit, name="edit"),
    path("<int:survey_id>/step/<str:step>/", v.survey_step, name="step"),
    path("<int:survey_id>/questions/", v.question_add, name="question_add"),
    path("questions/<int:question_id>/edit/", v.question_edit, name="question_edit"),
    path("questions/<int:question_id>/<str:step>/", v.question_step, name="question_step"),
    path("<int:survey_id>/invite/", v.invite, name="invite"),
    path("<int:survey_id>/wave/", v.wave, name="wave"),
    path("<int:survey_id>/responses/", v.responses, name="responses"),
    path("<int:survey_id>/invitations/", v.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/cancel/", v.invitation_cancel, name="invitation_cancel"),
    path("<int:survey_id>/export.csv", v.export_csv, name="export_csv"),
    path("<int:survey_id>/export.xlsx", v.export_xlsx, name="export_xlsx"),
    path("<int:survey_id>/import/", views_imports.import_responses, name="import"),
]
