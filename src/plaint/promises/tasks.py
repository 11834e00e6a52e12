"""Background jobs of the promises app. Jobs are idempotent and only call services."""

from __future__ import annotations

from django_tasks import task

from plaint.promises.services.recompute import promise_checks_recompute


@task()
def recompute_promise_checks(kind: str, target_id: int | None = None, after_id: int = 0) -> int:
    """Recompute the checks (and due dates) of the open complaints a regulatory pause or a calendar
    change touches, in keyset batches from ``after_id``. When its time budget runs out it enqueues
    its own continuation, so a worker is never held for long; running it twice changes nothing."""
    done, next_after = promise_checks_recompute(kind=kind, target_id=target_id, after_id=after_id)
    if next_after is not None:
        recompute_promise_checks.enqueue(kind, target_id, next_after)
    return done
