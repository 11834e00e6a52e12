from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "plaint.complaints"
    label = "complaints"
    verbose_name = "Complaints"
