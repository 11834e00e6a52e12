"""Queue benchmark: the staff queue page and the API list with many complaints loaded.

    .venv/bin/python bench/queue_pages.py --sizes 100000,1000000 [--repeat 30] [--http] [--explain]

For each size, tops the database up to that many complaints with bench/load_queue.py (COPY), then
measures four requests on two surfaces, the staff queue page ``/staff/`` (logged-in session) and
``GET /api/v1/complaints`` (Bearer token):
  first page; a deep page (the cursor reached by following ``next_cursor`` 50 pages);
  a filtered page (state + category); a text search (q=warranty, ~10% of descriptions).
Server time is measured in-process with Django's test Client (the whole request: middleware,
auth, selector, rendering; no network), with the median CPU time of this process per request
(``cpu=``: Python's share, without PostgreSQL's; the steadier figure on a shared machine);
statements per request with CaptureQueriesContext in a separate pass. ``--http`` adds the same requests over HTTP to gunicorn (2 gthread workers), one
keep-alive connection, sequential. ``--explain`` prints EXPLAIN ANALYZE of each statement.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, gunicorn, percentile, setup_django
from load_queue import SEARCH_WORD, load
from pg import cluster

SCENARIOS = ["first page", "deep page (50)", "state+category", f"q={SEARCH_WORD}"]


def complaint_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]


def queries_for(base: str, client, headers: dict[str, str]) -> dict[str, str]:
    """The query string of each scenario; the deep one by following next_cursor 50 pages."""
    state_cat = urlencode({"state": "investigating", "category": "delivery"})
    result = {
        # The queue's default filters written out: "/staff/" alone opens the last view its user
        # looked at (issue 16 item 9), which the other scenarios change.
        "first page": "sort=newest",
        "state+category": state_cat,
        f"q={SEARCH_WORD}": urlencode({"q": SEARCH_WORD}),
    }
    cursor = None
    for _ in range(50):
        response = client.get("/api/v1/complaints", {"cursor": cursor} if cursor else {}, **headers)
        cursor = response.json()["next_cursor"]
    result["deep page (50)"] = urlencode({"cursor": cursor})
    return result


def measure(url: str, args) -> list[tuple]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from plaint.accounts.models import User
    from plaint.accounts.services import api_token_create

    user = User.objects.get(username="bench-admin")
    _, secret = api_token_create(user=user, name="queue bench")
    api_headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    api_client = Client()
    staff_client = Client()
    staff_client.force_login(user)
    scenarios = queries_for(url, api_client, api_headers)
    surfaces = {
        "/staff/": (staff_client, "/staff/", {}),
        "/api/v1/complaints": (api_client, "/api/v1/complaints", api_headers),
    }
    rows = []
    for surface, (client, path, headers) in surfaces.items():
        for name in SCENARIOS:
            target = f"{path}?{scenarios[name]}" if scenarios[name] else path
            for _ in range(3):  # warm caches and connection
                response = client.get(target, **headers)
                assert response.status_code == 200, (target, response.status_code)
            counts = set()
            statements: list[str] = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as ctx:
                    client.get(target, **headers)
                counts.add(len(ctx.captured_queries))
                statements = [q["sql"] for q in ctx.captured_queries]
            reset_queries()
            times = []
            cpu = []  # this process's CPU per request: steadier than wall time on a shared machine
            deadline = time.monotonic() + 120
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(target, **headers)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                if time.monotonic() > deadline:
                    break
            times.sort()
            rows.append(
                (
                    surface,
                    name,
                    percentile(times, 50) * 1000,
                    percentile(times, 95) * 1000,
                    sorted(counts),
                    len(times),
                    statistics.median(cpu) * 1000,
                    target,
                )
            )
            if args.explain:
                explain(statements)
    return rows


def explain(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n      ".join(r[0] for r in cur.fetchall())
            print(f"    -- {sql[:300]}\n      {plan}")


def measure_http(env: dict[str, str], rows: list[tuple], repeat: int, secret_user: str) -> dict:
    """p50/p95 of each (surface, scenario) over HTTP to gunicorn, one keep-alive connection."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from plaint.accounts.services import api_token_create

    user = get_user_model().objects.get(username=secret_user)
    _, secret = api_token_create(user=user, name="queue bench http")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    out = {}
    with gunicorn(env, worker_class="gthread", threads=4) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for surface, name, *_rest, target in rows:
            headers = (
                {"Cookie": f"sessionid={session.session_key}"}
                if surface == "/staff/"
                else {"Authorization": f"Bearer {secret}"}
            )
            times = []
            for k in range(repeat + 3):
                t0 = time.perf_counter()
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{target}: HTTP {response.status}")
                if k >= 3:
                    times.append(time.perf_counter() - t0)
            times.sort()
            out[(surface, name)] = (percentile(times, 50) * 1000, percentile(times, 95) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint queue benchmark")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    with cluster() as url:
        env = django_env(url)
        django_ready = False
        for size in sizes:
            have = complaint_count(url) if django_ready else 0
            if not django_ready:
                try:
                    have = complaint_count(url)
                except Exception:
                    have = 0
            if have < size:
                seconds = load(url, size - have)
                print(f"# loaded {size - have:,} complaints in {seconds:.0f}s", flush=True)
            elif have > size:
                print(f"# note: {have:,} complaints present (more than {size:,})")
            if not django_ready:
                setup_django(env)
                django_ready = True
            total = complaint_count(url)
            print(f"\n## {total:,} complaints (server time in-process, Django test Client)")
            rows = measure(url, args)
            http_times = measure_http(env, rows, args.repeat, "bench-admin") if args.http else {}
            for surface, name, p50, p95, counts, n, cpu, _target in rows:
                line = (
                    f"{surface:<20} {name:<16} p50={p50:7.1f}ms p95={p95:7.1f}ms "
                    f"cpu={cpu:6.1f}ms statements={'/'.join(map(str, counts))} n={n}"
                )
                if (surface, name) in http_times:
                    h50, h95 = http_times[(surface, name)]
                    line += f"   http p50={h50:7.1f}ms p95={h95:7.1f}ms"
                limit = 200 if name.startswith("q=") else 50
                line += "  ok" if p95 < limit else f"  MISS (p95 target {limit} ms)"
                print(line, flush=True)
            print(f"median of p95s: {statistics.median(r[3] for r in rows):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
