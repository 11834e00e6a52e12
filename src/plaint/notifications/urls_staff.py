"""Notification staff URLs."""

from django.urls import path

from plaint.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_page, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="read"),
    path("read-all/", views.notifications_mark_all_read, name="read_all"),
    path("settings/", views.preferences_page, name="preferences"),
    path("teams/", views.team_categories_page, name="teams"),
    path("undelivered/", views.undelivered_page, name="undelivered"),
]
