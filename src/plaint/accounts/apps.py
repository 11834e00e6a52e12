from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "plaint.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """A periodic duty of the workers prunes idle sign-in throttle rows."""
        # The services import the models: only once the app registry is ready.
        from plaint.accounts.services import login
        from plaint.core.duties import register_duty

        register_duty(
            "accounts.login_throttle_prune",
            login.login_throttle_forget_old,
            label=_("Forget idle sign-in throttle counters"),
        )
