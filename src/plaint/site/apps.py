from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "plaint.site"
    label = "site"
    verbose_name = "Site"
