"""Surveys staff URLs."""

from django.urls import path  # noqa: F401  (filled in by the surveys views)

app_name = "surveys_staff"
urlpatterns: list = []
