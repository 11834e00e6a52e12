from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tests.multihost.ledger"
    label = "multihost_ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Last in INSTALLED_APPS: every app has registered its duties by now.
        from tests.multihost.ledger.duties import register

        register()
