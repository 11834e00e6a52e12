"""Staff console URLs (login required)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from plaint.complaints import views_staff as views
from plaint.core import views as core_views

app_name = "staff"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.queue, name="queue"),
    path("complaints/new/", views.new, name="new"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path(
        "complaints/<str:reference>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("complaints/<str:reference>/step/<str:step>/", views.step, name="step"),
    path("complaints/<str:reference>/message/", views.message, name="message"),
    path("complaints/<str:reference>/assign/", views.assign, name="assign"),
    path("settings/", core_views.organisation_settings, name="settings"),
    path("settings/calendars/", core_views.calendar_list_page, name="calendars"),
    path("settings/calendars/<int:calendar_id>/", core_views.calendar_page, name="calendar"),
]
