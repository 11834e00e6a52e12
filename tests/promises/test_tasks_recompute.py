"""A regulatory pause (or a calendar change) is applied to the open complaints by a background job
that walks them in keyset batches, continues itself when its time budget runs out, and can run
twice without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from plaint.complaints.models import Complaint
from plaint.core.actors import Actor
from plaint.promises import services
from plaint.promises.models import PromiseCheck
from plaint.promises.services import recompute
from plaint.promises.tasks import recompute_promise_checks
from tests.factories import CategoryFactory, make_complaint
from tests.promises.factories import ACK_2_BD, RESPOND_10_BD, make_code

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 Tallinn
ORIGINAL_DUE = dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC)
PAUSED_DUE = dt.datetime(2026, 3, 23, 15, 0, tzinfo=UTC)  # one business week later


@pytest.fixture
def mortgages(manager):
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        make_code(manager, promises=[ACK_2_BD, RESPOND_10_BD])
    return CategoryFactory(code="mortgages")


def file(n: int, **fields) -> list[Complaint]:
    with time_machine.travel(T0, tick=False):
        return [make_complaint(**fields)[0] for _ in range(n)]


def pause(manager, category):
    return services.regulatory_pause_create(
        actor=Actor.staff(manager),
        starts_at=dt.datetime(2026, 3, 1, 22, 0, tzinfo=UTC),
        ends_at=dt.datetime(2026, 3, 8, 22, 0, tzinfo=UTC),
        reason="The regulator stopped the clock",
        category_code=category.code if category else "",
    )


def run_in_march(run_jobs) -> int:
    """The jobs run on Tuesday 3 March, while the checks are still pending."""
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        return run_jobs()


def due_dates(complaints) -> set[dt.datetime]:
    return set(
        Complaint.objects.filter(pk__in=[c.pk for c in complaints]).values_list(
            "response_due_at", flat=True
        )
    )


def test_creating_a_pause_enqueues_one_job_and_changes_nothing_in_the_request(mortgages, manager):
    inside = file(2, category="mortgages")
    pause(manager, mortgages)
    jobs = DBTaskResult.objects.filter(task_path=recompute_promise_checks.module_path)
    assert [j.args_kwargs["args"] for j in jobs] == [["pause", mortgages.pk, 0]]
    assert due_dates(inside) == {ORIGINAL_DUE}
    assert services.recompute_pending()


def test_the_job_walks_keyset_batches_and_continues_itself(
    mortgages, manager, run_jobs, monkeypatch
):
    inside = file(5, category="mortgages")
    outside = file(2)
    monkeypatch.setattr(recompute, "RECOMPUTE_BATCH", 2)
    monkeypatch.setattr(recompute, "RECOMPUTE_BUDGET_SECONDS", 0.0)  # one batch per job run
    run_jobs()  # the acknowledgement mails
    pause(manager, mortgages)
    # 5 complaints, 2 per batch: three runs (the third finds a short batch and stops)
    assert run_in_march(run_jobs) == 3
    assert due_dates(inside) == {PAUSED_DUE}
    assert due_dates(outside) == {ORIGINAL_DUE}
    assert {
        c.due_at for c in PromiseCheck.objects.filter(complaint__in=inside, promise__key="respond")
    } == {PAUSED_DUE}
    assert not services.recompute_pending()


def test_running_the_recomputation_again_changes_nothing(mortgages, manager, run_jobs):
    inside = file(3, category="mortgages")
    pause(manager, mortgages)
    run_in_march(run_jobs)
    stamps = dict(PromiseCheck.objects.values_list("pk", "updated_at"))
    versions = dict(Complaint.objects.values_list("pk", "updated_at"))
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        walked, after = services.promise_checks_recompute(kind="pause", target_id=mortgages.pk)
    assert (walked, after) == (3, None)
    assert dict(PromiseCheck.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Complaint.objects.values_list("pk", "updated_at")) == versions
    assert due_dates(inside) == {PAUSED_DUE}


def test_removing_the_pause_moves_the_dates_back(mortgages, manager, run_jobs):
    inside = file(2, category="mortgages")
    p = pause(manager, mortgages)
    run_in_march(run_jobs)
    services.regulatory_pause_delete(actor=Actor.staff(manager), pause_id=p.pk)
    assert due_dates(inside) == {PAUSED_DUE}
    run_in_march(run_jobs)
    assert due_dates(inside) == {ORIGINAL_DUE}


def test_a_pause_of_every_category_reaches_every_open_complaint(mortgages, manager, run_jobs):
    complaints = file(2, category="mortgages") + file(2)
    pause(manager, None)
    run_in_march(run_jobs)
    assert due_dates(complaints) == {PAUSED_DUE}


def test_batch_recomputation_reads_checks_once_per_batch(
    mortgages, manager, django_assert_max_num_queries
):
    complaints = file(6, category="mortgages")
    pause(manager, mortgages)
    services.active_promises()
    with (
        time_machine.travel(T0 + dt.timedelta(days=1), tick=False),
        django_assert_max_num_queries(8),  # token, batch + lock, checks, 2 bulk writes, end
    ):
        services.promise_checks_recompute(kind="pause", target_id=mortgages.pk)
    assert due_dates(complaints) == {PAUSED_DUE}
