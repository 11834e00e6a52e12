from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "plaint.insights"
    label = "insights"
    verbose_name = "Insights"
