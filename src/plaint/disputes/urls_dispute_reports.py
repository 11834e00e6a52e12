"""The dispute reports' addresses, added to the staff disputes' (``urls_staff``)."""

from django.urls import path

from plaint.disputes import views_dispute_reports as views

urlpatterns = [
    path("reports/", views.reports_page, name="reports"),
    path("reports/annual/", views.annual_page, name="annual"),
    path("reports/annual.csv", views.annual_export, {"fmt": "csv"}, name="annual_csv"),
    path("reports/annual.xlsx", views.annual_export, {"fmt": "xlsx"}, name="annual_xlsx"),
    path("reports/annual.pdf", views.annual_export, {"fmt": "pdf"}, name="annual_pdf"),
]
