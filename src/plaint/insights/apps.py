from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "plaint.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from plaint.core.events import HousekeepingDue, subscribe
        from plaint.insights.handlers import on_housekeeping_due, on_response_recorded
        from plaint.surveys.events import ResponseRecorded

        subscribe(ResponseRecorded, on_response_recorded)
        subscribe(HousekeepingDue, on_housekeeping_due)
