"""Public portal URLs (no account): how to complain, the form, the tracking page."""

from django.urls import include, path

from plaint.complaints import views_public as views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("complain/", views.complain, name="complain"),
    path("track/<str:token>/", views.track, name="track"),
    path(
        "track/<str:token>/attachments/<int:attachment_id>/",
        views.track_attachment,
        name="track_attachment",
    ),
    path("track/<str:token>/message/", views.track_message, name="track_message"),
    path("track/<str:token>/accept/", views.track_accept, name="track_accept"),
    path("track/<str:token>/decline/", views.track_decline, name="track_decline"),
    path("track/<str:token>/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("i18n/", include("django.conf.urls.i18n")),
]
