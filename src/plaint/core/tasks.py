"""Background jobs of the core app. Jobs are idempotent and only call services."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_email(email_id: int) -> str:
    """One outbox mail. Workers now deliver the outbox directly (``email_deliver_due``); this job
    stays so that jobs queued by an earlier version still run (a delivered mail is skipped)."""
    from plaint.core.services import email_deliver

    return email_deliver(email_id=email_id)
