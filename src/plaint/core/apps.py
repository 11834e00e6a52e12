from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plaint.core"
    label = "core"
    verbose_name = "Plaint core"

    def ready(self) -> None:
        # Imported here: the models these modules use exist only once the app registry is ready.
        from django.utils.translation import gettext_lazy as _

        from plaint.core.audit import audit_seal
        from plaint.core.duties import register_duty
        from plaint.core.ratelimit import ratelimit_forget_old

        # First of all duties: seal the audit chains' heads.
        register_duty("core.audit_seal", audit_seal, label=_("Seal the audit trail"))
        register_duty(
            "core.ratelimit_prune",
            ratelimit_forget_old,
            label=_("Forget the public rate limit's old counters"),
        )
