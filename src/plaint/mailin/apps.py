from django.apps import AppConfig


class MailinConfig(AppConfig):
    name = "plaint.mailin"
    label = "mailin"
    verbose_name = "E-mail intake"

    def ready(self) -> None:
        from plaint.mailin.handlers import subscribe_all  # models must be loaded first

        subscribe_all()
