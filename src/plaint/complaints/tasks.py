"""Background jobs of the complaints app. Jobs are idempotent and only call services."""

from __future__ import annotations

from django_tasks import task

from plaint.complaints.services.importfiles import complaint_import_run


@task()
def run_complaint_import(import_id: int) -> int:
    """Run a recorded complaint history import (a large file): its record shows the progress.
    Running it again changes nothing (a record that is not pending is left as it is)."""
    record = complaint_import_run(import_id=import_id)
    return record.rows_read
