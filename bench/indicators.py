"""Indirect indicators at scale: bulk-load complaints, rebuild the monthly rollup, time the page's
indicators, and check them against the live computation.

    .venv/bin/python bench/indicators.py [--complaints 1000000] [--runs 7]

Uses DATABASE_URL when it points at PostgreSQL, otherwise starts a throwaway cluster (bench/pg.py).
Adds N complaints with bench/load_queue.py (three years of receipts, ~90% of older ones closed,
repeat complainants), runs ``indicator_months_rebuild`` (what ``plaint insights rebuild`` and the
worker's housekeeping run), then times ``selectors.indicators`` for the last 12 months including
the open one — the rollup up to its watermark, what came since live — and once more the same
figures computed entirely from the complaints (no rollup), which must be equal; finally the worst
case of a rollup as old as the open month. Target: < 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django
from pg import cluster


def _equal(a: dict, b: dict) -> list[str]:
    """The keys where two indicator results differ (floats to 1e-9 relative)."""
    diffs = []
    for ra, rb in zip(a["months"] + [a["summary"]], b["months"] + [b["summary"]], strict=True):
        for key, va in ra.items():
            vb = rb[key]
            if isinstance(va, list) and isinstance(vb, list):
                same = all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(va, vb, strict=True))
            elif isinstance(va, float) and isinstance(vb, float):
                same = math.isclose(va, vb, rel_tol=1e-9)
            else:
                same = va == vb
            if not same:
                diffs.append(f"{ra.get('month', 'summary')} {key}: {va} != {vb}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Indirect indicators benchmark")
    parser.add_argument("--complaints", type=int, default=1_000_000, help="complaints to add")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with cluster() as url:
        env = django_env(url)
        migrate(env)
        if args.complaints:
            import load_queue

            seconds = load_queue.load(url, args.complaints)
            print(f"loaded {args.complaints:,} complaints in {seconds:.0f}s", flush=True)
        setup_django(env)
        from plaint.accounts.models import User
        from plaint.complaints.models import Complaint
        from plaint.insights import selectors
        from plaint.insights.services import indicator_months_rebuild

        total = Complaint.objects.count()
        started = time.monotonic()
        done = indicator_months_rebuild(
            progress=lambda m: print(f"# [{time.monotonic() - started:6.1f}s] {m}", flush=True)
        )
        print(
            f"rollup rebuild: {done['seconds']:.1f}s ({done['months']} months up to "
            f"{done['watermark']:%Y-%m-%d %H:%M}, {total:,} complaints in the table)",
            flush=True,
        )
        actor = User.objects.filter(username="bench-auditor").first() or User.objects.create(
            username="bench-auditor", role="auditor"
        )
        end = dt.datetime.now(dt.UTC).date().replace(day=1)
        start = selectors.add_months(end, -11)
        result = selectors.indicators(actor=actor, start=start, end=end)  # warm
        timings = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = selectors.indicators(actor=actor, start=start, end=end)
            timings.append(time.perf_counter() - t0)
        median = statistics.median(timings)
        print(
            f"indicators {start:%Y-%m}..{end:%Y-%m} ({result['summary']['complaints']:,} complaints "
            f"received, {result['summary']['closed']:,} closed in the period; open month "
            f"{result['months'][-1]['complaints']:,} received): median {median * 1000:.0f} ms, "
            f"worst {max(timings) * 1000:.0f} ms over {args.runs} runs",
            flush=True,
        )
        t0 = time.perf_counter()
        live = selectors.indicators(actor=actor, start=start, end=end, use_rollup=False)
        live_s = time.perf_counter() - t0
        diffs = _equal(result, live)
        print(
            f"check: the same period computed from the complaints alone took {live_s:.1f}s; "
            + ("equal" if not diffs else f"DIFFERENT: {diffs[:5]}"),
            flush=True,
        )
        s = result["summary"]
        print(
            f"summary: repeat rate {s['repeat_rate']:.4f}, about the process "
            f"{s['about_process_share']:.4f}, days to resolve p50 {s['resolve_p50_days']:.2f} "
            f"p90 {s['resolve_p90_days']:.2f}",
            flush=True,
        )
        # The worst case: a rollup as old as the open month (the worker down for weeks), so the
        # whole open month is computed live.
        indicator_months_rebuild(now=dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC))
        stale = []
        for _ in range(3):
            t0 = time.perf_counter()
            selectors.indicators(actor=actor, start=start, end=end)
            stale.append(time.perf_counter() - t0)
        print(
            f"with the rollup from the start of the open month (whole open month live): median "
            f"{statistics.median(stale) * 1000:.0f} ms over 3 runs",
            flush=True,
        )
        indicator_months_rebuild()
        print(f"target < 1 s: {'met' if median < 1.0 else 'MISSED'}")
        return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
