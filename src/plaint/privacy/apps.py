import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "plaint.privacy"
    label = "privacy"
    verbose_name = "Personal data"

    def ready(self) -> None:
        from plaint.core.duties import register_duty
        from plaint.privacy.services.retention import retention_housekeeping

        register_duty(
            "privacy.retention",
            retention_housekeeping,
            label=_("Retention rules (once a day)"),
            lease=dt.timedelta(minutes=30),
        )
