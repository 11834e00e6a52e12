from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "plaint.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from plaint.notifications.handlers import subscribe_all  # models must be loaded first

        subscribe_all()
