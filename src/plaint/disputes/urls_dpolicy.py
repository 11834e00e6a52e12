"""Staff pages of the dispute policy and of referrals to legal or regulatory authorities, added
to the ``disputes`` namespace (urls_staff.py)."""

from django.urls import path

from plaint.disputes import views_dpolicy, views_legal

urlpatterns = [
    path("policy/", views_dpolicy.policy_list_page, name="policy_list"),
    path("policy/<int:version>/", views_dpolicy.policy_detail_page, name="policy_detail"),
    path("legal/", views_legal.legal_list_page, name="legal_list"),
    path("legal/<int:referral_id>/review/", views_legal.legal_review_page, name="legal_review"),
    path("legal/case/<str:reference>/", views_legal.legal_case_page, name="legal_case"),
]
