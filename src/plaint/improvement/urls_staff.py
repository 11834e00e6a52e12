"""Improvement staff URLs."""

from django.urls import path

from plaint.improvement import views

app_name = "improvement_staff"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/detect/", views.clusters_detect, name="clusters_detect"),
    path("causes/", views.root_causes, name="root_causes"),
]
