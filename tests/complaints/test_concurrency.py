"""Two people changing the same complaint at once: one wins, the other is refused, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from plaint.complaints import services as s
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import Conflict, InvalidTransition
from tests.factories import make_complaint

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # the outcome is what we assert on
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_handlers_assessing_the_same_version_one_is_refused(handler, other_handler):
    complaint, _ = make_complaint()
    version = complaint.version
    outcomes = _race(
        lambda: s.complaint_assess(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            severity="low",
            expected_version=version,
        ),
        lambda: s.complaint_assess(
            complaint_id=complaint.pk,
            actor=Actor.staff(other_handler),
            severity="high",
            expected_version=version,
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict | InvalidTransition)
    complaint.refresh_from_db()
    assert complaint.version == version + 1
    assert audit_verify().breaks == []


def test_many_concurrent_messages_all_land_in_one_unbroken_chain(handler):
    complaint, _ = make_complaint()
    outcomes = _race(
        *[
            (
                lambda i=i: s.message_post(
                    complaint_id=complaint.pk,
                    actor=Actor.staff(handler),
                    body=f"note {i}",
                    internal=True,
                )
            )
            for i in range(8)
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert complaint.messages.count() == 8
    report = audit_verify()
    assert report.breaks == [] and report.events == 2 + 8


def test_concurrent_intakes_get_distinct_references_set_in_the_insert():
    outcomes = _race(*[lambda i=i: make_complaint(subject=f"parcel {i}")[0] for i in range(8)])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    references = {o.reference for o in outcomes}
    assert len(references) == 8
    for complaint in outcomes:
        complaint.refresh_from_db()  # what RETURNING gave is what was stored
        assert complaint.reference in references
