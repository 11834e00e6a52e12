"""The organisation's configuration pages, in the staff console (``plaint.urls`` puts them in the
``staff`` namespace with the complaints pages, so the names stay ``staff:settings`` …)."""

from django.urls import path

from plaint.organisation import views

urlpatterns = [
    path("settings/", views.organisation_settings, name="settings"),
    path("settings/calendars/", views.calendar_list_page, name="calendars"),
    path("settings/calendars/<int:calendar_id>/", views.calendar_page, name="calendar"),
    path("settings/duties/", views.duties_page, name="duties"),
]
