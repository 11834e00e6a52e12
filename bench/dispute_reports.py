"""Dispute reports benchmark: ``/staff/disputes/reports/`` and the annual dispute report with many
complaints and disputes loaded.

    .venv/bin/python bench/dispute_reports.py [--complaints 1000000] [--disputes 100000] [--repeat 5]

Tops the database up to ``--complaints`` complaints with bench/load_queue.py (COPY; three years,
denser towards today), adds six providers with their methods and fees through the services, then
``--disputes`` disputes by COPY on randomly chosen complaints (opened 2-120 days after the
complaint; methods, outcomes, exits and open states in realistic shares; durations of days to
months) and an obligation or two for each outcome that asks something of the organisation (money
in EUR or SEK, most done on time, some late, some overdue), then VACUUM ANALYZE. Requests in-process
with Django's test Client (after one uncounted request that loads SciPy and the templates): the
reports page for the default period (the last twelve months), one
provider and one method, the annual report page for last year and its CSV; prints p50 and the
slowest of ``--repeat`` requests and each SQL statement's time of the last one. Target (issue 9):
under 1 s at 1,000,000 complaints and 100,000 disputes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, setup_django
from load_queue import load
from pg import cluster

TARGET_S = 1.0
PROVIDERS = 6
DISPUTE_COLS = (
    "complaint_id, provider_id, method, state, opened_via, provider_reference, neutral, "
    "binding_on_organisation, binding_on_complainant, claimed_amount, currency, opened_at, "
    "position_due, position_sent_at, file_complete_at, outcome_due, outcome, outcome_at, reasons, "
    "lessons, closed_at, version"
)
OBLIGATION_COLS = (
    "dispute_id, kind, description, amount, currency, due_on, owner_id, done_at, evidence"
)
OUTCOMES = {
    "facilitative": [("settled", 0.6), ("no_agreement", 0.4)],
    "advisory": [("recommendation", 0.7), ("no_agreement", 0.3)],
    "determinative": [("upheld", 0.35), ("partly_upheld", 0.25), ("not_upheld", 0.4)],
}
OWING = {"settled", "recommendation", "upheld", "partly_upheld"}


def count(url: str, table: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return 0


def providers(manager) -> list[tuple[int, str]]:
    """Six providers with all three methods (some with fees): (provider id, method) pairs."""
    from plaint.core.actors import Actor
    from plaint.disputes import services
    from plaint.disputes.models import ProviderMethod

    actor = Actor.staff(manager)
    for i in range(PROVIDERS - len(list(ProviderMethod.objects.values("provider_id").distinct()))):
        provider = services.provider_create(
            actor=actor, name=f"Bench provider {i + 1}", kind="adr_body", jurisdictions=["EE"]
        )
        currency = "SEK" if i % 2 else "EUR"
        services.provider_methods_set(
            actor=actor,
            provider_id=provider.pk,
            methods=[
                {"method": "facilitative"},
                {"method": "advisory", "fee": "25", "currency": currency, "fee_payer": "shared"},
                {
                    "method": "determinative",
                    "fee": str(50 + 10 * i),
                    "currency": currency,
                    "fee_payer": "organisation",
                    "binding_on_organisation": True,
                },
            ],
        )
    return list(ProviderMethod.objects.values_list("provider_id", "method"))


def _iso(value: dt.datetime | None) -> str:
    return r"\N" if value is None else value.isoformat()


def _dispute_line(rng: random.Random, complaint: tuple[int, dt.datetime], pair, now) -> str:
    complaint_id, received_at = complaint
    provider_id, method = pair
    opened = min(now, received_at + dt.timedelta(days=rng.uniform(2, 120)))
    outcome, outcome_at, closed_at, state = "", None, None, ""
    r = rng.random()
    if r < 0.08:
        state, closed_at = "withdrawn", opened + dt.timedelta(days=rng.uniform(1, 30))
    elif r < 0.13:
        state, closed_at = "out_of_scope", opened + dt.timedelta(days=rng.uniform(1, 20))
    else:
        outcome_at = opened + dt.timedelta(days=rng.lognormvariate(3.6, 0.5))
        if outcome_at > now:
            outcome_at, state = None, rng.choice(["notice", "position", "exchange"])
        else:
            names, weights = zip(*OUTCOMES[method], strict=True)
            outcome = rng.choices(names, weights)[0]
            closed_at = outcome_at + dt.timedelta(days=rng.uniform(0, 45))
            state = "closed" if closed_at <= now else "implementation"
            closed_at = closed_at if state == "closed" else None
    if closed_at is not None and closed_at > now:
        closed_at, state = None, "exchange"
    binding = "t" if method == "determinative" else "f"
    cells = [
        complaint_id, provider_id, method, state, "notice", "", "", binding, "f", r"\N", "",
        _iso(opened), r"\N", r"\N", r"\N", r"\N", outcome, _iso(outcome_at), "", "",
        _iso(closed_at), 1,
    ]  # fmt: skip
    return "\t".join(str(c) for c in cells) + "\n"


def load_disputes(url: str, size: int, manager_id: int, pairs, seed: int = 10003) -> None:
    import psycopg

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(url, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, received_at FROM complaints_complaint ORDER BY random() LIMIT %s", (size,)
        )
        complaints = cur.fetchall()
        lines = [_dispute_line(rng, c, rng.choice(pairs), now) for c in complaints]
        with cur.copy(f"COPY disputes_dispute ({DISPUTE_COLS}) FROM STDIN") as cp:
            cp.write("".join(lines))
        cur.execute(
            "SELECT id, outcome_at FROM disputes_dispute WHERE outcome = ANY(%s)", (list(OWING),)
        )
        obligations = []
        for dispute_id, outcome_at in cur.fetchall():
            for _ in range(rng.choice([1, 1, 2])):
                due = (outcome_at + dt.timedelta(days=rng.uniform(7, 30))).date()
                r = rng.random()
                done = None
                if r < 0.8:
                    done = dt.datetime.combine(due, dt.time(12), dt.UTC) - dt.timedelta(days=2)
                elif r < 0.9:
                    done = dt.datetime.combine(due, dt.time(12), dt.UTC) + dt.timedelta(days=5)
                done = done if done is None or done <= now else None
                money = rng.random() < 0.7
                cells = [
                    dispute_id, "refund" if money else "apology", "bench",
                    f"{rng.uniform(10, 900):.2f}" if money else r"\N",
                    rng.choice(["EUR", "SEK"]) if money else "", due.isoformat(), manager_id,
                    _iso(done), "",
                ]  # fmt: skip
                obligations.append("\t".join(str(c) for c in cells) + "\n")
        with cur.copy(f"COPY disputes_obligation ({OBLIGATION_COLS}) FROM STDIN") as cp:
            cp.write("".join(obligations))
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE disputes_dispute")
        conn.execute("VACUUM ANALYZE disputes_obligation")
    print(f"# loaded {size:,} disputes and {len(obligations):,} obligations", flush=True)


def measure(client, path: str, params: dict[str, str], repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    statements: list[float] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(path, params)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        statements = [float(q["time"]) for q in ctx.captured_queries]
    return times, statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint dispute reports benchmark")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--disputes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with cluster() as url:
        have = count(url, "complaints_complaint")
        if have < args.complaints:
            seconds = load(url, args.complaints - have)
            print(f"# loaded {args.complaints - have:,} complaints in {seconds:.0f}s", flush=True)
        setup_django(django_env(url, DEBUG="true"))  # DEBUG: the statements' times are kept
        from django.test import Client

        from plaint.accounts.models import User

        manager = User.objects.filter(role__in=["manager", "admin"]).order_by("id").first()
        pairs = providers(manager)
        have = count(url, "disputes_dispute")
        if have < args.disputes:
            load_disputes(url, args.disputes - have, manager.pk, pairs)
        client = Client()
        client.force_login(manager)
        year = str(time.gmtime().tm_year - 1)
        cases = {
            "reports, default (12 months)": ("/staff/disputes/reports/", {}),
            "reports, one provider": ("/staff/disputes/reports/", {"provider": str(pairs[0][0])}),
            "reports, determinative": ("/staff/disputes/reports/", {"method": "determinative"}),
            f"annual report {year}": ("/staff/disputes/reports/annual/", {"year": year}),
            f"annual report {year}, CSV": ("/staff/disputes/reports/annual.csv", {"year": year}),
        }
        started = time.perf_counter()  # the process's first page loads SciPy and the templates
        client.get("/staff/disputes/reports/")
        print(f"# first request of the process (not counted): {time.perf_counter() - started:.2f}s")
        print(
            f"\n## {count(url, 'complaints_complaint'):,} complaints, "
            f"{count(url, 'disputes_dispute'):,} disputes (in-process, test Client)"
        )
        for name, (path, params) in cases.items():
            times, statements = measure(client, path, params, args.repeat)
            worst = max(times)
            verdict = "ok" if worst < TARGET_S else f"MISS (target {TARGET_S:.0f} s)"
            print(
                f"{name:<30} p50={statistics.median(times):6.2f}s max={worst:6.2f}s "
                f"statements={len(statements)} "
                f"[{', '.join(f'{s:.2f}' for s in statements)}]s  {verdict}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
