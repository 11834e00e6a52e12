from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plaint.improvement"
    verbose_name = "Improvement"
