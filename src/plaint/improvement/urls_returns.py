"""Regulatory returns (staff): the page, its files and the mapping."""

from django.urls import path

from plaint.improvement import views_returns as views

app_name = "improvement_returns"
urlpatterns = [
    path("", views.returns_page, name="returns"),
    path("export/", views.returns_export, name="export"),
    path("mappings/", views.mappings_page, name="mappings"),
    path("mappings/<int:mapping_id>/delete/", views.mapping_delete, name="mapping_delete"),
]
