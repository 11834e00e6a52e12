from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created

from plaint.complaints.events import ComplaintsImported
from plaint.core.events import subscribe
from plaint.surveys.events import ResponseRecorded, ResponsesImported


class InsightsConfig(AppConfig):
    name = "plaint.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        # Here, not at the top: these modules import models, which exist once the apps are ready.
        from plaint.insights.handlers import (
            on_complaints_imported,
            on_response_recorded,
            on_responses_imported,
            register_duties,
        )
        from plaint.insights.sql import add_sqlite_functions

        subscribe(ResponseRecorded, on_response_recorded)
        subscribe(ResponsesImported, on_responses_imported)
        register_duties()
        subscribe(ComplaintsImported, on_complaints_imported)
        connection_created.connect(add_sqlite_functions, dispatch_uid="insights-sqlite-functions")
        for conn in connections.all(initialized_only=True):
            if conn.connection is not None:  # opened before the apps were ready
                add_sqlite_functions(conn)
