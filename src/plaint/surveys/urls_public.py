"""Surveys public URLs: the answer page and the opt-out page, both named by the invitation's token."""

from django.urls import path

from plaint.surveys import views_public

app_name = "surveys_public"
urlpatterns = [
    path("thanks/", views_public.thanks, name="thanks"),
    path("<str:token>/", views_public.answer, name="answer"),
    path("<str:token>/opt-out/", views_public.opt_out, name="opt_out"),
]
