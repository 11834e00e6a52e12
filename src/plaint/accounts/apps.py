from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plaint.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """A periodic duty of the workers prunes idle sign-in throttle rows."""
        # The services import the models: only once the app registry is ready.
        from plaint.accounts.services import login

        login.register_duties()
