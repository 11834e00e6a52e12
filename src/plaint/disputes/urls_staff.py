"""External dispute resolution (staff)."""

from django.urls import path

from plaint.disputes import views

app_name = "disputes"
urlpatterns = [
    path("providers/", views.providers_page, name="providers"),
    path("providers/<int:provider_id>/", views.provider_page, name="provider"),
    path("eligibility/", views.eligibility_page, name="eligibility"),
]
