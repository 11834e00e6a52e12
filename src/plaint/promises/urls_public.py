"""Promises public URLs."""

from django.urls import path  # noqa: F401  (filled in by the promises views)

app_name = "promises_public"
urlpatterns: list = []
