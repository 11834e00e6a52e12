"""Periodic duties with two worker hosts (core/duties.py): each duty runs once per period whatever
the number of workers, and a worker host killed in the middle of a duty loses nothing: its lease
ends, the other worker takes the duty over and the work is done once.

The hosts run the test's app (tests/multihost/ledger, through host_settings.py): every run of
every duty is recorded with the worker that claimed it, and one slow duty, the ledger, works
through numbered items one transaction at a time."""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict

import psycopg
import pytest

from tests.multihost import roles
from tests.multihost.conftest import DUTY_PERIOD

pytestmark = pytest.mark.multihost

LEDGER = "multihost.ledger"
LEDGER_ITEMS = 12  # 0.4 s each: about 5 s of work in all
LEDGER_LEASE = 2  # seconds (tests/multihost/ledger/duties.py)


def _rows(deployment, sql: str, *params) -> list[tuple]:
    with psycopg.connect(deployment.database.url, connect_timeout=10) as connection:
        return connection.execute(sql, params).fetchall()


def _wait(what: str, check, *, timeout: float, every: float = 0.1, hosts=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    logs = "".join(
        f"\n--- {h.role}:\n{hosts.processes[h.role].tail()}"
        for h in (hosts.workers if hosts else [])
    )
    raise AssertionError(f"{what}: not within {timeout:g} s{logs}")


def _agreeing_runs(deployment) -> tuple[dict[str, list[tuple]], dict[str, int]] | None:
    """Each duty's recorded runs (start, holder) and its count of runs, read in one snapshot
    (repeatable read), or None while they differ."""
    with psycopg.connect(deployment.database.url, connect_timeout=10) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction():
            recorded = connection.execute(
                "SELECT duty, holder, started_at FROM multihost_ledger_dutyrun ORDER BY id"
            ).fetchall()
            counted = dict(
                connection.execute("SELECT name, runs FROM core_duty WHERE runs > 0").fetchall()
            )
    runs: dict[str, list[tuple]] = defaultdict(list)
    for duty, holder, started in recorded:
        runs[duty].append((started, holder))
    agree = set(runs) == set(counted) and all(len(runs[d]) == n for d, n in counted.items())
    return (runs, counted) if agree else None


def _worker_pids(deployment) -> dict[int, str]:
    """The worker processes' pids (``ip netns exec`` execs the command: the same pid)."""
    return {deployment.processes[h.role].popen.pid: h.role for h in deployment.workers}


def test_each_duty_runs_once_per_period_with_two_worker_hosts(deployment):
    def enough() -> bool:  # every duty in use has run three periods, both workers are at it
        ((few, many, workers),) = _rows(
            deployment,
            "SELECT count(*) FILTER (WHERE runs BETWEEN 1 AND 2), count(*) FILTER (WHERE runs >= 3),"
            " (SELECT count(DISTINCT holder) FROM multihost_ledger_dutyrun) FROM core_duty",
        )
        return few == 0 and many >= 10 and workers >= 2

    _wait("three runs of every duty", enough, timeout=120, every=0.5, hosts=deployment)
    # The workers keep running: a run is counted when it is claimed and recorded a moment later,
    # so the two are compared in one snapshot at a moment no run is between the two. A run
    # that was never recorded keeps them apart, and the wait fails.
    runs, counted = _wait(
        "the duties' counts and the recorded runs agree in one snapshot",
        lambda: _agreeing_runs(deployment),
        timeout=30,
        every=0.05,
        hosts=deployment,
    )

    assert len(counted) >= 10, sorted(counted)
    shortest = float("inf")
    for duty, starts in runs.items():
        starts.sort()
        gaps = [(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= DUTY_PERIOD, f"{duty} ran twice in a period: {gaps}"
        shortest = min(shortest, *gaps)
    workers = _worker_pids(deployment)
    by_worker = Counter(
        workers.get(int(holder.rsplit(":", 1)[1]), holder)
        for starts in runs.values()
        for _started, holder in starts
    )
    assert set(by_worker) == {h.role for h in deployment.workers}, by_worker  # both took duties
    print(
        f"\n{len(runs)} duties, {sum(by_worker.values())} runs with 2 worker hosts "
        f"({dict(by_worker)}), each once per {DUTY_PERIOD} s period: closest runs "
        f"{shortest:.2f} s apart"
    )


def test_a_worker_host_killed_mid_duty_loses_nothing(deployment):
    workers = _worker_pids(deployment)
    with psycopg.connect(deployment.database.url, connect_timeout=10) as connection:
        connection.execute(
            "INSERT INTO multihost_ledger_ledgeritem (number, times_done, done_by) "
            "SELECT n, 0, '' FROM generate_series(1, %s) n",
            (LEDGER_ITEMS,),
        )

    def midway() -> str:  # a third of the items done, the duty running on one of the workers
        ((holder, outcome, done),) = _rows(
            deployment,
            "SELECT d.lease_holder, d.last_outcome, (SELECT count(*) FROM "
            "multihost_ledger_ledgeritem WHERE times_done > 0) FROM core_duty d WHERE name = %s",
            LEDGER,
        )
        return holder if outcome == "running" and done >= LEDGER_ITEMS // 3 else ""

    holder = _wait("the ledger a third done", midway, timeout=60, hosts=deployment)
    role = workers[int(holder.rsplit(":", 1)[1])]  # one of the worker hosts holds it
    victim = next(h for h in deployment.workers if h.role == role)
    survivor = next(h for h in deployment.workers if h is not victim)
    roles.kill_host(victim)
    killed_at = time.monotonic()
    deployment.processes[victim.role].popen.wait(timeout=10)
    (done_by_victim,) = _rows(
        deployment, "SELECT count(*) FROM multihost_ledger_ledgeritem WHERE done_by = %s", holder
    )[0]

    def finished() -> bool:
        rows = _rows(deployment, "SELECT last_outcome FROM core_duty WHERE name = %s", LEDGER)
        return rows[0][0] == "ok"

    _wait("the ledger finished by the other worker", finished, timeout=60, hosts=deployment)
    took = time.monotonic() - killed_at
    items = _rows(deployment, "SELECT number, times_done, done_by FROM multihost_ledger_ledgeritem")
    assert sorted(n for n, _times, _by in items) == list(range(1, LEDGER_ITEMS + 1))
    assert [times for _n, times, _by in items] == [1] * LEDGER_ITEMS  # each once: none lost
    holders = Counter(by for _n, _times, by in items)
    survivor_pid = deployment.processes[survivor.role].popen.pid
    (new_holder,) = [h for h in holders if h != holder]
    assert new_holder.endswith(f":{survivor_pid}")
    assert (
        holders[holder] == done_by_victim and holders[new_holder] == LEDGER_ITEMS - done_by_victim
    )
    ((runs, takeovers, lease_holder),) = _rows(
        deployment, "SELECT runs, takeovers, lease_holder FROM core_duty WHERE name = %s", LEDGER
    )
    assert (runs, takeovers, lease_holder) == (2, 1, new_holder)
    assert took >= LEDGER_LEASE - 0.5  # not taken before the lease ended
    print(
        f"\nledger: {done_by_victim} items done on {victim.role} before it was killed, the other "
        f"{LEDGER_ITEMS - done_by_victim} on {survivor.role} after taking over; finished "
        f"{took:.1f} s after the kill (lease {LEDGER_LEASE} s), each item once"
    )
    # the host comes back (the deployment goes on with two workers)
    deployment.start_worker(victim)
