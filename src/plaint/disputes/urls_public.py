"""External dispute resolution, public (mounted at /disputes/): the dispute-resolution policy and
the complainant's part of a dispute, reached from their tracking page with the same token."""

from django.urls import path

from plaint.disputes import views_dpolicy, views_tracking

app_name = "disputes_public"
urlpatterns = [
    path("policy/", views_dpolicy.public_policy, name="policy"),
    path("policy/<int:version>/", views_dpolicy.public_policy, name="policy_version"),
    path("track/<str:token>/", views_tracking.track_page, name="track"),
    path("track/<str:token>/choose/", views_tracking.track_choose, name="track_choose"),
    path(
        "track/<str:token>/<int:dispute_id>/evidence/",
        views_tracking.track_evidence,
        name="track_evidence",
    ),
]
