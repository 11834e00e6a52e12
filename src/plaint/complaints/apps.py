from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "plaint.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        # The services import the models: only once the app registry is ready.
        from plaint.complaints.services import mails

        mails.register_email_contexts()
