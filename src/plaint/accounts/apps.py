from django.apps import AppConfig

from plaint.core.events import HousekeepingDue, subscribe


class AccountsConfig(AppConfig):
    name = "plaint.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """The worker's housekeeping prunes idle sign-in throttle rows."""
        # The services import the models: only once the app registry is ready.
        from plaint.accounts.services import login

        subscribe(HousekeepingDue, login.login_throttle_housekeeping)
