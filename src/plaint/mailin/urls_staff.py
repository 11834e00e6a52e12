"""The e-mail quarantine in the staff console (handlers, managers and admins)."""

from django.urls import path

from plaint.mailin import views

app_name = "mailin"
urlpatterns = [
    path("", views.quarantine_page, name="quarantine"),
    path("<int:mail_id>/", views.mail_page, name="detail"),
    path("<int:mail_id>/attach/", views.mail_attach, name="attach"),
    path("<int:mail_id>/create/", views.mail_create_case, name="create"),
    path("<int:mail_id>/discard/", views.mail_discard, name="discard"),
]
