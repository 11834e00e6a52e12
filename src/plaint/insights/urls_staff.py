"""Insights staff URLs."""

from django.urls import path  # noqa: F401  (filled in by the insights views)

app_name = "insights_staff"
urlpatterns: list = []
