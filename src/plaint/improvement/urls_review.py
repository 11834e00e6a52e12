"""Management reviews (staff)."""

from django.urls import path

from plaint.improvement import views_review as views

app_name = "improvement_review"
urlpatterns = [
    path("", views.review_list_page, name="list"),
    path("<int:review_id>/", views.review_detail_page, name="detail"),
    path("<int:review_id>/pack.pdf", views.review_pdf, name="pdf"),
]
