"""Analysis page benchmark: ``/staff/analysis/`` (the control chart, the Pareto tables and the
process figures) with many complaints loaded.

    .venv/bin/python bench/analysis_page.py [--complaints 1000000] [--repeat 5]

Tops the database up to ``--complaints`` complaints with bench/load_queue.py (COPY; three years,
denser towards today, so about half fall in the default period of the last twelve months), then
requests the page in-process with Django's test Client for three filter sets — the default
period, one category, one channel and a year — and prints p50 and the slowest of ``--repeat``
requests, and the time of each SQL statement of the last request. Target (issue 10): every chart
and table of the page in under 1 s at 1,000,000 complaints.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, setup_django
from load_queue import load
from pg import cluster

TARGET_S = 1.0


def complaint_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]


def prepare(url: str, size: int) -> None:
    try:
        have = complaint_count(url)
    except Exception:  # no tables yet
        have = 0
    if have < size:
        seconds = load(url, size - have)
        print(f"# loaded {size - have:,} complaints in {seconds:.0f}s", flush=True)


def measure(client, params: dict[str, str], repeat: int) -> tuple[list[float], list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    statements: list[float] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get("/staff/analysis/", params)
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        statements = [float(q["time"]) for q in ctx.captured_queries]
    return times, statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint analysis page benchmark")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with cluster() as url:
        prepare(url, args.complaints)
        setup_django(django_env(url, DEBUG="true"))  # DEBUG: the statements' times are kept
        from django.test import Client

        from plaint.accounts.models import User
        from plaint.complaints.models import Category

        manager = User.objects.filter(role__in=["manager", "admin"]).order_by("id").first()
        client = Client()
        client.force_login(manager)
        category = Category.objects.order_by("id").first()
        year = str(time.gmtime().tm_year - 1)
        cases = {
            "default (last 12 months)": {},
            f"category {category.code}": {"category": str(category.pk)},
            f"channel phone, {year}": {
                "channel": "phone",
                "start": f"{year}-01",
                "end": f"{year}-12",
            },
        }
        print(
            f"\n## {complaint_count(url):,} complaints: /staff/analysis/ (in-process, test Client)"
        )
        for name, params in cases.items():
            times, statements = measure(client, params, args.repeat)
            worst = max(times)
            verdict = "ok" if worst < TARGET_S else f"MISS (target {TARGET_S:.0f} s)"
            print(
                f"{name:<28} p50={statistics.median(times):6.2f}s max={worst:6.2f}s "
                f"statements={len(statements)} "
                f"[{', '.join(f'{s:.2f}' for s in statements)}]s  {verdict}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
