"""Webhook pages in the staff settings (managers and admins)."""

from django.urls import path

from plaint.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.webhook_list_page, name="list"),
    path("<int:webhook_id>/", views.webhook_page, name="detail"),
    path("<int:webhook_id>/rotate/", views.webhook_rotate, name="rotate"),
    path("<int:webhook_id>/delete/", views.webhook_delete_page, name="delete"),
]
