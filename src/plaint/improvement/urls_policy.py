"""The policy and training pages (staff), part of the ``improvement`` namespace."""

from django.urls import path

from plaint.improvement import views_policy, views_training

urlpatterns = [
    path("policy/", views_policy.policy_list_page, name="policy_list"),
    path("policy/<int:version>/", views_policy.policy_detail_page, name="policy_detail"),
    path("training/", views_training.training_page, name="training"),
    path(
        "training/people/<int:person_id>/",
        views_training.training_person_page,
        name="training_person",
    ),
    path("training/courses/", views_training.courses_page, name="courses"),
    path("training/courses/<int:course_id>/", views_training.course_edit_page, name="course_edit"),
]
