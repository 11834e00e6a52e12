from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "plaint.surveys"
    label = "surveys"
    verbose_name = "Surveys"
