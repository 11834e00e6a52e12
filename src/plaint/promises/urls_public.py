"""Public code-of-conduct pages (mounted at /codes/)."""

from django.urls import path

from plaint.promises import views

app_name = "promises_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/v<int:version>/", views.public_detail, name="detail"),
]
