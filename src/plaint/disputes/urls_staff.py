"""External dispute resolution (staff)."""

from django.urls import path

from plaint.disputes import (
    urls_bundle,
    urls_dispute_reports,
    urls_dpolicy,
    views,
    views_cases,
    views_import,
    views_neutral,
)

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
urlpatterns += urls_dispute_reports.urlpatterns
urlpatterns += [  # the dispute's neutral (views_neutral)
    path("<int:dispute_id>/neutral/", views_neutral.neutral_assign_page, name="neutral_assign"),
]
urlpatterns += urls_dpolicy.urlpatterns
urlpatterns += [
    path("import/", views_import.import_upload_page, name="import"),
    path("import/<str:upload_id>/", views_import.import_mapping_page, name="import_mapping"),
]
urlpatterns += urls_bundle.urlpatterns
