"""Where an intake's time goes: N API intakes in this process (Django test Client, no socket)
under cProfile, against PostgreSQL, with the SQL statements of one intake.

    DATABASE_URL=postgresql://... .venv/bin/python bench/profile_intake.py [--requests 300]

Without DATABASE_URL a throwaway cluster is started (bench/pg.py). Prints the statements of
one intake, wall and CPU time per intake unprofiled, then the same under cProfile with the
functions with the most cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate
from intake import payload, prepare
from pg import cluster


def run(database_url: str, requests: int, top: int) -> None:
    env = django_env(database_url)
    migrate(env)
    secret = prepare(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def post(i: int) -> None:
        response = client.post("/api/v1/complaints", payload(i), content_type="application/json")
        assert response.status_code == 201, response.content[:300]

    for i in range(30):  # warm-up: imports, caches, connection
        post(i)
    with CaptureQueriesContext(connection) as queries:
        post(10**6)
    print(f"## statements in one intake: {len(queries.captured_queries)}")
    for q in queries.captured_queries:
        print(f"  {q['time']:>6}s  {q['sql'][:150]}")
    # Unprofiled: wall time and this process's CPU time per intake. On a shared machine the CPU
    # time is the steadier figure (waiting for a core or for PostgreSQL is not in it).
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(requests):
        post(500_000 + i)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"\n## {requests} intakes unprofiled: {1000 * wall / requests:.1f} ms wall, "
        f"{1000 * cpu / requests:.1f} ms CPU of this process each"
    )
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(requests):
        post(1000 + i)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"\n## {requests} intakes in process: {1000 * elapsed / requests:.1f} ms each")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        run(url, args.requests, args.top)
        return 0
    with cluster() as url:
        run(url, args.requests, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
