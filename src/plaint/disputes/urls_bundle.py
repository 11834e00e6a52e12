"""The case bundle's downloads (appended to ``urls_staff``)."""

from django.urls import path

from plaint.disputes import views_bundle

urlpatterns = [
    path("<int:dispute_id>/bundle.pdf", views_bundle.bundle_pdf_download, name="bundle_pdf"),
    path("<int:dispute_id>/bundle.zip", views_bundle.bundle_zip_download, name="bundle_zip"),
]
