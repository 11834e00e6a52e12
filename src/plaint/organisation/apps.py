from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "plaint.organisation"
    label = "organisation"
    verbose_name = "Organisation"
