"""Objectives, corrective actions, the policy and training, internal audits (staff)."""

from django.urls import path

from plaint.improvement import urls_policy, views_audit
from plaint.improvement import views_corrective as views

app_name = "improvement"
urlpatterns = [
    path("objectives/", views.objectives_page, name="objectives"),
    path("corrective-actions/", views.corrective_list_page, name="corrective_list"),
    path("corrective-actions/new/", views.corrective_new_page, name="corrective_new"),
    path(
        "corrective-actions/<int:ca_id>/",
        views.corrective_detail_page,
        name="corrective_detail",
    ),
    *urls_policy.urlpatterns,
    path("audits/", views_audit.audits_page, name="audits"),
    path(
        "audits/programmes/<int:programme_id>/plan/",
        views_audit.audit_plan_page,
        name="audit_plan",
    ),
    path("audits/<int:audit_id>/", views_audit.audit_detail_page, name="audit_detail"),
    path("audits/<int:audit_id>/report/", views_audit.audit_report_page, name="audit_report"),
    path("audits/<int:audit_id>/report.pdf", views_audit.audit_report_pdf, name="audit_report_pdf"),
    path(
        "audits/<int:audit_id>/findings/<int:finding_id>/corrective-action/",
        views_audit.finding_corrective_page,
        name="finding_corrective",
    ),
]
