"""The promise sweep at scale: 1,000,000 complaints x 3 promises' checks in PostgreSQL, swept the
way the worker's housekeeping does (``promise_checks_sweep``).

    .venv/bin/python bench/promise_sweep.py --complaints 1000000      # throwaway cluster
    DATABASE_URL=postgresql://... .venv/bin/python bench/promise_sweep.py --complaints 1000000

Loads (by COPY) complainants, complaints and three checks per complaint in the state a running
system would have them in: three years of receipts, ~93% of cases older than 90 days finished
(their checks met or breached, breaches already notified), open cases spread over the lifecycle
with due and at-risk times around now; everything whose time passed before the previous sweep
(five minutes ago) already breached or notified, as earlier sweeps would have left it. The code
and its promises are made through the services.

Then each sweep runs in its own process (so its peak memory is its own) at now, now + 1 hour,
now + 1 day and now + 7 days (a worker that was down for a week), and prints the time, the peak
resident memory, and how many checks it changed and notified, next to how many exist.
Target: under 60 s and under 1 GiB per sweep; a sweep reads only checks whose state can change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, ROOT, django_env, migrate, setup_django
from load_queue import COMPLAINANT_COLS, OPEN_STATES, N, _iso

HANDLERS = 20
COMPLAINT_COLS = (
    "id, reference, complainant_id, channel, received_at, subject, description, desired_outcome, "
    "product, about_process, severity, priority, safety_issue, state, assignee_id, "
    "acknowledged_at, acknowledgement_due_at, response_due_at, decision_at, closed_at, "
    "closure_reason, out_of_scope_reason, findings, root_cause, decision, complainant_feedback, "
    "tracking_digest, version, updated_at, search_document"
)
CHECK_COLS = (
    "complaint_id, promise_id, started_at, due_at, at_risk_at, status, notifies, met_at, "
    "breached_at, notified_at_risk_at, notified_breach_at, updated_at"
)
ACK, RESPOND, REMEDY = dt.timedelta(days=2), dt.timedelta(days=28), dt.timedelta(days=10)


def prepare(env: dict[str, str]) -> tuple[list[int], list[int]]:
    """Staff (20 handlers, 2 managers) and a published code with three promises, through the
    services. Returns (handler ids, promise ids in the order ack, respond, remedy)."""
    setup_django(env)
    from django.db import connections

    from plaint.accounts.models import User
    from plaint.accounts.services import user_create
    from plaint.core.actors import Actor
    from plaint.promises import services
    from plaint.promises.models import Code

    def user(name: str, role: str) -> User:
        return User.objects.filter(username=name).first() or user_create(
            username=name, password=None, role=role, check_password=False,
            email=f"{name}@bench.example.org",
        )  # fmt: skip

    manager = user("sweep-manager-1", "manager")
    user("sweep-manager-2", "manager")
    handlers = [user(f"sweep-handler{k:02d}", "handler").pk for k in range(HANDLERS)]
    code = Code.objects.filter(slug="bench-promises").first()
    if code is None:
        actor = Actor.staff(manager)
        code = services.code_create(actor=actor, slug="bench-promises", title={"en": "Bench"})
        for key, clock, amount, unit in [
            ("acknowledge", "received_to_acknowledged", 2, "business_days"),
            ("respond", "received_to_decision", 20, "business_days"),
            ("remedy", "decision_to_remedy", 10, "calendar_days"),
        ]:
            services.promise_create(
                actor=actor, code_id=code.pk, key=key, texts={"en": key}, clock=clock,
                limit_amount=amount, limit_unit=unit,
            )  # fmt: skip
        services.code_transition(actor=actor, code_id=code.pk, step="publish")
    promises = list(code.promises.order_by("position").values_list("pk", flat=True))
    connections.close_all()
    return handlers, promises


def _check(
    complaint_id: int,
    promise_id: int,
    start: dt.datetime | None,
    length: dt.timedelta,
    stop: dt.datetime | None,
    last_sweep: dt.datetime,
    open_case: bool,
) -> str:
    """One check as a sweep-and-refresh-maintained system would hold it."""
    due = at_risk = met = breached = risk_note = breach_note = None
    if start is None:
        status = "pending" if open_case else "not_applicable"
    else:
        due, at_risk = start + length, start + length * 0.8
        if stop is not None:
            status = "met" if stop <= due else "breached"
            met, breached = (stop, None) if status == "met" else (None, due)
        elif not open_case:
            status = "not_applicable"
        elif due <= last_sweep:
            status, breached = "breached", due
        else:
            status = "pending"
        if status == "breached":
            breach_note = max(breached, last_sweep - dt.timedelta(minutes=1))
        if at_risk <= last_sweep and (status == "pending" or stop is None or stop > at_risk):
            risk_note = at_risk
        if status != "pending":
            at_risk = None
    return (
        f"{complaint_id}\t{promise_id}\t{_iso(start)}\t{_iso(due)}\t{_iso(at_risk)}\t{status}\tt\t"
        f"{_iso(met)}\t{_iso(breached)}\t{_iso(risk_note)}\t{_iso(breach_note)}\t"
        f"{_iso(last_sweep)}\n"
    )


def generate(
    rng: random.Random,
    first: int,
    count: int,
    handlers: list[int],
    promises: list[int],
    now: dt.datetime,
) -> tuple[str, str, str]:
    last_sweep = now - dt.timedelta(minutes=5)
    people, cases, checks = [], [], []
    ack_id, respond_id, remedy_id = promises
    for cid in range(first, first + count):
        days_ago = 1095 * rng.random() ** 1.6
        received = now - dt.timedelta(days=days_ago, seconds=rng.randrange(86400))
        closed = days_ago > 90 and rng.random() < 0.93
        state = "closed" if closed else rng.choice(OPEN_STATES)
        acknowledged = (
            None if state == "received" else received + dt.timedelta(hours=3 + rng.random() * 60)
        )
        decided = None
        if closed or state in {"decision_communicated", "accepted"}:
            decided = received + dt.timedelta(days=rng.uniform(2, 40))
            decided = min(decided, now - dt.timedelta(minutes=10))
        remedy_done = (
            decided + dt.timedelta(days=rng.uniform(0, 14)) if closed and decided else None
        )
        assignee = rng.choice(handlers) if state != "received" else None
        people.append(
            f"{cid}\tBench Person {cid}\tperson{cid}@example.org\t\ten\temail\t"
            f"{_iso(received)}\t{_iso(received)}\n"
        )
        digest = hashlib.sha256(f"sweep-{cid}".encode()).hexdigest()
        cases.append(
            "\t".join(
                [
                    str(cid),
                    f"C-{received.year}-{cid:07d}",
                    str(cid),
                    "web",
                    _iso(received),
                    "Late parcel",
                    "The parcel came late.",
                    "",
                    "",
                    "f",
                    "",
                    "normal",
                    "f",
                    state,
                    N if assignee is None else str(assignee),
                    _iso(acknowledged),
                    _iso(received + ACK),
                    _iso(received + RESPOND),
                    _iso(decided),
                    _iso(remedy_done if closed else None),
                    "accepted" if closed else "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    digest,
                    "3",
                    _iso(now),
                    "late parcel",
                ]
            )
            + "\n"
        )
        is_open = not closed
        checks.append(_check(cid, ack_id, received, ACK, acknowledged, last_sweep, is_open))
        checks.append(_check(cid, respond_id, received, RESPOND, decided, last_sweep, is_open))
        checks.append(_check(cid, remedy_id, decided, REMEDY, remedy_done, last_sweep, is_open))
    return "".join(people), "".join(cases), "".join(checks)


def load(database_url: str, count: int, *, batch: int = 50_000, seed: int = 10001) -> dt.datetime:
    import psycopg

    env = django_env(database_url)
    migrate(env)
    handlers, promises = prepare(env)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.monotonic()
    rng = random.Random(seed)
    with psycopg.connect(database_url, autocommit=False) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT COALESCE(max(id), 0) FROM complaints_complaint")
            first = cur.fetchone()[0] + 1
            cur.execute("SELECT COALESCE(max(id), 0) FROM complaints_complainant")
            if cur.fetchone()[0] >= first:
                raise SystemExit("use an empty database: complainant ids would collide")
        done = 0
        while done < count:
            size = min(batch, count - done)
            people, cases, checks = generate(rng, first + done, size, handlers, promises, now)
            with conn.cursor() as cur:
                with cur.copy(f"COPY complaints_complainant ({COMPLAINANT_COLS}) FROM STDIN") as cp:
                    cp.write(people)
                with cur.copy(f"COPY complaints_complaint ({COMPLAINT_COLS}) FROM STDIN") as cp:
                    cp.write(cases)
                with cur.copy(f"COPY promises_promisecheck ({CHECK_COLS}) FROM STDIN") as cp:
                    cp.write(checks)
            conn.commit()
            done += size
            rate = done / (time.monotonic() - started)
            print(f"# loaded {done:,}/{count:,} complaints ({rate:,.0f}/s)", flush=True)
    with psycopg.connect(database_url, autocommit=True) as conn:
        for table in ("complaints_complainant", "complaints_complaint", "promises_promisecheck"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
            conn.execute(f"VACUUM ANALYZE {table}")
    print(f"# loaded in {time.monotonic() - started:.0f}s", flush=True)
    return now


def sweep_child(now: str) -> int:
    """Run one sweep in this process (called in a subprocess) and print its figures as JSON."""
    setup_django(dict(os.environ))
    from django.db import connection

    from plaint.promises.services import promise_checks_sweep

    connection.ensure_connection()
    started = time.monotonic()
    result = promise_checks_sweep(now=dt.datetime.fromisoformat(now))
    seconds = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, **result.__dict__}))
    return 0


def counts(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM promises_promisecheck GROUP BY status"
        ).fetchall()
    return dict(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Promise sweep at scale (PostgreSQL)")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--sweep-only", metavar="NOW", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sweep_only:
        return sweep_child(args.sweep_only)
    from pg import cluster

    with cluster() as url:
        now = load(url, args.complaints)
        before = counts(url)
        print(f"# checks by status: {before} (total {sum(before.values()):,})", flush=True)
        env = django_env(url)
        for label, later in [
            ("now (5 min after the last sweep)", dt.timedelta()),
            ("now + 1 hour", dt.timedelta(hours=1)),
            ("now + 1 day", dt.timedelta(days=1)),
            ("now + 7 days (worker down a week)", dt.timedelta(days=7)),
        ]:
            out = subprocess.run(
                [PYTHON, __file__, "--sweep-only", (now + later).isoformat()],
                env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"sweep at {label}: {figures['seconds']:.2f} s, peak {figures['peak_mib']:.0f} MiB"
                f", breached {figures['breached']:,}, at-risk notified "
                f"{figures['at_risk_notified']:,}, breach notified {figures['breach_notified']:,}"
                f", mails {figures['mails']:,}",
                flush=True,
            )
        after = counts(url)
        print(f"# checks by status after: {after}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
