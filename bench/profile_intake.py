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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a local process (its PostgreSQL backend), from /proc; 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(database_url: str, requests: int, top: int, floor: bool = False) -> None:
    env = django_env(database_url)
    migrate(env)
    secret = prepare(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    path = "/bench/floor/complaints" if floor else "/api/v1/complaints"

    def post(i: int) -> None:
        response = client.post(path, payload(i), content_type="application/json")
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    wall, cpu, db_cpu = time.perf_counter(), time.process_time(), _cpu_seconds(backend)
    for i in range(requests):
        post(500_000 + i)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    db_cpu = _cpu_seconds(backend) - db_cpu
    print(
        f"\n## {requests} intakes unprofiled: {1000 * wall / requests:.1f} ms wall, "
        f"{1000 * cpu / requests:.1f} ms CPU of this process and "
        f"{1000 * db_cpu / requests:.1f} ms of its PostgreSQL backend each"
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
    parser.add_argument(
        "--floor", action="store_true", help="the minimal endpoint instead (the yardstick)"
    )
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        run(url, args.requests, args.top, args.floor)
        return 0
    with cluster() as url:
        run(url, args.requests, args.top, args.floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
