"""The neutral's portal: a neutral (a dispute-resolution provider's person) signs in through the
staff sign-in page and lands here; no staff page lets them in."""

from django.urls import path

from plaint.disputes import views_neutral

app_name = "neutral"
urlpatterns = [
    path("", views_neutral.neutral_list_page, name="list"),
    path("<int:dispute_id>/", views_neutral.neutral_case_page, name="case"),
    path(
        "<int:dispute_id>/bundle.pdf",
        views_neutral.neutral_bundle_page,
        {"what": "pdf"},
        name="bundle_pdf",
    ),
    path(
        "<int:dispute_id>/bundle.zip",
        views_neutral.neutral_bundle_page,
        {"what": "zip"},
        name="bundle_zip",
    ),
    path(
        "<int:dispute_id>/documents/<int:attachment_id>/",
        views_neutral.neutral_document_page,
        name="document",
    ),
]
