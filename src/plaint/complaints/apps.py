from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "plaint.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from plaint.complaints.services import acknowledgement_email_context, case_mail_context
        from plaint.core.services import register_email_context

        register_email_context("acknowledgement", acknowledgement_email_context)
        register_email_context("case_mail", case_mail_context)
