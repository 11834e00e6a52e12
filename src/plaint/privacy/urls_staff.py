from django.urls import path

from plaint.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
    path("holds/", views.hold_place, name="hold_place"),
    path("holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
    path("retention/", views.retention, name="retention"),
]
