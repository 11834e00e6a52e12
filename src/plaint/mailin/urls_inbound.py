"""The endpoint providers push raw inbound mail to (POST, bearer token)."""

from django.urls import path

from plaint.mailin import views

app_name = "mailin_inbound"
urlpatterns = [path("", views.inbound_push, name="push")]
