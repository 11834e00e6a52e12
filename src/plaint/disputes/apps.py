from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "plaint.disputes"
    label = "disputes"
    verbose_name = _("External dispute resolution")
    default_auto_field = "django.db.models.BigAutoField"
