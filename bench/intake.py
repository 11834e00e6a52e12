"""Intake benchmark: complaints created per second through the API, with two floors.

    .venv/bin/python bench/intake.py [--requests 2000] [--workers sync,gthread]

Against PostgreSQL (DATABASE_URL, or a throwaway cluster from bench/pg.py), gunicorn with 2 workers
on 127.0.0.1, for each worker class: POST /api/v1/complaints (Bearer token) and the minimal floor
endpoint /bench/floor/complaints at concurrency 1 and 8, alternating in ``--rounds`` slices (on a
shared machine both then see the same foreign load, which keeps their ratio meaningful); then
floor (a), the same rows inserted by bare psycopg over 8 connections. One keep-alive connection per client thread. Prints rates,
p50/p95/p99 latencies and the ratios against the floors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_ROOTS,
    ROLE_ROOTS,
    Result,
    django_env,
    gunicorn,
    http_worker,
    migrate,
    run_concurrent,
    setup_django,
)
from pg import cluster, postmaster_pid

WORDS = [
    "parcel",
    "arrived",
    "late",
    "damaged",
    "box",
    "refund",
    "missing",
    "item",
    "courier",
    "invoice",
    "charged",
    "twice",
    "rude",
    "staff",
    "waiting",
    "hours",
    "broken",
    "warranty",
    "repair",
    "replacement",
    "store",
    "manager",
    "phone",
]


def payload(i: int) -> bytes:
    words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(40))
    return json.dumps(
        {
            "name": f"Bench Complainant {i}",
            "email": f"bench{i}@example.org",
            "subject": f"Order {100000 + i}: {WORDS[i % len(WORDS)]}",
            "description": f"Complaint number {i}. {words}.",
            "desired_outcome": "A refund.",
            "category": "delivery",
            "consent": True,
        }
    ).encode()


def prepare(env: dict[str, str]) -> str:
    """A handler with an API token and one category; returns the token's secret."""
    setup_django(env)
    from django.db import connections

    from plaint.accounts.models import User
    from plaint.accounts.services import api_token_create, user_create
    from plaint.complaints.models import Category
    from plaint.complaints.services import category_create
    from plaint.core.actors import Actor

    user = User.objects.filter(username="bench-admin").first() or user_create(
        username="bench-admin", password=None, role="admin", check_password=False
    )
    if not Category.objects.filter(code="delivery").exists():
        category_create(actor=Actor.staff(user), code="delivery", name="Delivery")
    _, secret = api_token_create(user=user, name="bench")
    connections.close_all()
    return secret


def psycopg_floor(database_url: str, concurrency: int, total: int) -> Result:
    import datetime as dt

    import psycopg
    from floor import insert_complaint

    def make():
        conn = psycopg.connect(database_url)

        def work(i: int) -> None:
            with conn.cursor() as cur:
                insert_complaint(cur, json.loads(payload(i)), dt.datetime.now(dt.UTC))
            conn.commit()

        return work

    return run_concurrent(f"floor(a) psycopg {concurrency} conns", concurrency, total, make)


def _merge(into: Result, part: Result) -> None:
    """Add one slice's figures to ``into`` (CPU shares weighted by each slice's duration)."""
    total = into.elapsed + part.elapsed
    if total:
        for name in ("client_cpu", "machine_cpu", "other_cpu"):
            weighted = getattr(into, name) * into.elapsed + getattr(part, name) * part.elapsed
            setattr(into, name, weighted / total)
    into.latencies.extend(part.latencies)
    into.errors += part.errors
    into.elapsed = total
    into.first_error = into.first_error or part.first_error
    for role, used in part.role_jiffies.items():
        into.role_jiffies[role] = into.role_jiffies.get(role, 0) + used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint intake benchmark")
    parser.add_argument("--requests", type=int, default=2000, help="per level (default 2000)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per level")
    parser.add_argument("--workers", default="sync,gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--levels", default="1,8")
    parser.add_argument(
        "--rounds", type=int, default=4, help="API and floor alternate in this many slices"
    )
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    results: dict[tuple[str, str, int], Result] = {}
    with cluster() as url:
        BENCH_ROOTS.add(postmaster_pid(url) or 0)
        ROLE_ROOTS["db"] = postmaster_pid(url) or 0
        env = django_env(url)
        migrate(env)
        secret = prepare(env)
        api_headers = {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
        }
        floor_headers = {"Content-Type": "application/json"}
        for worker_class in args.workers.split(","):
            threads = args.threads if worker_class == "gthread" else 1
            server = f"{worker_class}" + (f" 2x{threads}t" if threads > 1 else " 2w")
            with gunicorn(env, worker_class=worker_class, threads=threads) as port:
                targets = {
                    "api": lambda i: ("POST", "/api/v1/complaints", payload(i), api_headers),
                    "floor(b) endpoint": lambda i: (
                        "POST",
                        "/bench/floor/complaints",
                        payload(i),
                        floor_headers,
                    ),
                }
                for c in levels:
                    # API and floor alternate in slices, so both see the same foreign load
                    merged = {name: Result(f"{name} [{server}]", c) for name in targets}
                    for _ in range(args.rounds):
                        for name, build in targets.items():
                            r = run_concurrent(
                                f"{name} [{server}]",
                                c,
                                max(1, args.requests // args.rounds),
                                http_worker(port, build, {200, 201}),
                                time_limit=args.time_limit / args.rounds,
                            )
                            _merge(merged[name], r)
                            time.sleep(0.5)
                    for name, r in merged.items():
                        results[(name, worker_class, c)] = r
                        print(r.row(), flush=True)
                        if r.first_error:
                            print(f"    first error: {r.first_error}", flush=True)
        for c in levels:
            r = psycopg_floor(url, c, args.requests)
            results[("psycopg", "", c)] = r
            print(r.row(), flush=True)
    top = max(levels)
    best = max(
        (k for k in results if k[0] == "api" and k[2] == top),
        key=lambda k: results[k].rate,
        default=None,
    )
    if best is None or not results[best].latencies:
        print("\nno successful API requests: is POST /api/v1/complaints there?")
        return 1
    api = results[best]
    endpoint = results[("floor(b) endpoint", best[1], top)]
    raw = results[("psycopg", "", top)]
    print(f"\nbest API server: {best[1]} at c={top}: {api.rate:.1f}/s, p99 {api.ms(99):.1f} ms")
    print(f"API / floor(b) minimal endpoint: {api.rate / endpoint.rate:.2f}")
    print(f"API / floor(a) bare psycopg:     {api.rate / raw.rate:.2f}")
    checks = {
        f">= 300 complaints/s at c={top}": api.rate >= 300,
        "p99 < 50 ms": api.ms(99) < 50,
        ">= half the minimal endpoint's rate": api.rate >= endpoint.rate / 2,
    }
    for text, ok in checks.items():
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
