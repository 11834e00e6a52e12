"""External dispute resolution (staff)."""

from django.urls import path

from plaint.disputes import views, views_cases, views_import

app_name = "disputes"
urlpatterns = [
    path("", views_cases.disputes_page, name="list"),
    path("<int:dispute_id>/", views_cases.dispute_page, name="dispute"),
    path("refer/", views_cases.refer_page, name="refer"),
    path("held-notices/", views_cases.held_page, name="held"),
    path("providers/", views.providers_page, name="providers"),
    path("providers/<int:provider_id>/", views.provider_page, name="provider"),
    path("eligibility/", views.eligibility_page, name="eligibility"),
]
urlpatterns += [
    path("import/", views_import.import_upload_page, name="import"),
    path("import/<str:upload_id>/", views_import.import_mapping_page, name="import_mapping"),
]
