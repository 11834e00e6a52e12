"""The analysis page's figures one by one, from the monthly rollup, at N complaints.

    .venv/bin/python bench/analysis.py [--complaints 200000] [--repeat 5] [--exact]

Uses DATABASE_URL when it points at PostgreSQL, otherwise starts a throwaway cluster (bench/pg.py).
Tops the database up to ``--complaints`` with bench/load_queue.py (three years, denser towards
today; 60 products, three segments, 12 root causes on closed cases). Then:

1. with ``--exact``: the page's figures for the default filters computed from the complaints
   alone (no rollup: what the page did before), timed, kept to compare;
2. ``analysis_rollup_rebuild`` (what ``plaint analysis rebuild`` and the daily housekeeping run):
   its time and the rollup's rows (with ``--keep-rollup``, the rollup of the last run is kept);
3. for four filter sets, each figure of the page timed alone (p50 and the slowest of
   ``--repeat``): the counts (control chart and the four Pareto tables: ``complaint_analysis``),
   the process figures (``process_figures``: durations, decisions, promises from the rollup's
   rows plus the live part, and the open cases), the open cases alone (backlog by age, load per
   team and handler: one statement over the complaints open now), and the whole page through
   Django's test Client (after one warm-up request);
4. with ``--exact``: the rollup's figures against the exact ones (counts equal, durations within
   ``rollup.RELATIVE_ERROR``);
5. an incremental refresh after 1,000 complaints received in the last 60 days were changed.

Target (issue 10): every chart and table of the page in under 1 s at 1,000,000 complaints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django
from pg import cluster

TARGET_S = 1.0


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times), out


def figures(filters, now) -> dict[str, Any]:
    from plaint.improvement import tables
    from plaint.improvement.process import process_figures
    from plaint.improvement.selectors import complaint_analysis

    result = complaint_analysis(filters)
    process = process_figures(filters, now=now)
    shown = {"control": tables.control_table(result).rows}
    for dimension in ("category", "cause", "product", "channel"):
        shown[dimension] = tables.pareto_table(result, dimension).rows
    shown["promises"] = tables.promises_table(process).rows
    shown["open"] = (process.backlog, process.teams, process.handlers)
    return {"counts": shown, "durations": process.acknowledge + process.resolve}


def compare(exact: dict[str, Any], rolled: dict[str, Any]) -> list[str]:
    from plaint.improvement.rollup import RELATIVE_ERROR

    problems = [k for k in exact["counts"] if exact["counts"][k] != rolled["counts"][k]]
    for a, b in zip(exact["durations"], rolled["durations"], strict=True):
        for x, y in ((a.value, b.value), (a.low, b.low), (a.high, b.high)):
            if (x is None) != (y is None) or (x is not None and abs(x - y) > RELATIVE_ERROR * x):
                problems.append(f"q{a.q}: {x} vs {y}")
        if a.n != b.n:
            problems.append(f"q{a.q}: n {a.n} vs {b.n}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint analysis figures benchmark")
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exact", action="store_true", help="also time and compare the exact")
    parser.add_argument(
        "--keep-rollup", action="store_true", help="time the page on the rollup already there"
    )
    args = parser.parse_args(argv)
    with cluster() as url:
        env = django_env(url)
        migrate(env)
        import load_queue
        from analysis_page import complaint_count

        have = complaint_count(url)
        if have < args.complaints:
            seconds = load_queue.load(url, args.complaints - have)
            print(f"# loaded {args.complaints - have:,} complaints in {seconds:.0f}s", flush=True)
        setup_django(env)
        return run(url, args)


def run(url: str, args: argparse.Namespace) -> int:
    from analysis_page import complaint_count
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from plaint.accounts.models import Team, User
    from plaint.complaints.models import Category, Complaint
    from plaint.improvement import process, services
    from plaint.improvement.models import AnalysisMonth
    from plaint.improvement.selectors import AnalysisFilters, complaint_analysis
    from plaint.insights.selectors.filters import add_months, month_of

    now = timezone.now()
    end = month_of(now)
    default = AnalysisFilters(start=add_months(end, -11), end=end)
    year = end.year - 1
    cases = {
        "default (last 12 months)": default,
        "one category": AnalysisFilters(
            start=default.start, end=end, category=Category.objects.order_by("id").first().pk
        ),
        f"channel phone, {year}": AnalysisFilters(
            start=dt.date(year, 1, 1), end=dt.date(year, 12, 1), channel="phone"
        ),
        "team + product, 36 months": AnalysisFilters(
            start=add_months(end, -35),
            end=end,
            team=Team.objects.order_by("id").first().pk,
            product="Product 00",
        ),
    }
    print(f"\n## {complaint_count(url):,} complaints ({connection.vendor})", flush=True)
    exact = None
    if args.exact:
        services.analysis_rollup_discard()
        seconds, _worst, exact = timed(lambda: figures(default, now), 1)
        print(f"exact figures, default filters, no rollup: {seconds:.2f} s", flush=True)
    from plaint.improvement.models import AnalysisCase, AnalysisRollup

    if args.keep_rollup and AnalysisRollup.objects.exists() and not args.exact:
        print("rollup kept from the last run (--keep-rollup)")
    else:
        done = services.analysis_rollup_rebuild(now=now)
        rows = AnalysisMonth.objects.count()
        print(f"rollup rebuild: {done['months']} months, {rows:,} rows in {done['seconds']:.1f} s")
    print(f"rows per complaint (two or more filters): {AnalysisCase.objects.count():,}")
    manager = User.objects.filter(role__in=["manager", "admin"]).order_by("id").first()
    client = Client()
    client.force_login(manager)
    client.get("/staff/analysis/")  # warm-up: templates, translations
    print(f"{'filters':<28} {'figure':<36} {'p50':>7} {'max':>7}")
    for name, f in cases.items():
        params = {"start": f"{f.start:%Y-%m}", "end": f"{f.end:%Y-%m}"}
        for key in ("category", "product", "channel", "team"):
            if getattr(f, key):
                params[key] = str(getattr(f, key))
        parts = {
            "counts: control chart + 4 Paretos": lambda f=f: complaint_analysis(f),
            "process_figures (all but counts)": lambda f=f: process.process_figures(f),
            "open now: backlog, team/handler load": lambda f=f: process._open_load(f, now),
            "whole page (test Client)": lambda p=params: client.get("/staff/analysis/", p),
        }
        for label, fn in parts.items():
            p50, worst, _out = timed(fn, args.repeat)
            verdict = "" if worst < TARGET_S else "  MISS"
            print(f"{name:<28} {label:<36} {p50:6.3f}s {worst:6.3f}s{verdict}", flush=True)
    if exact is not None:
        problems = compare(exact, figures(default, now))
        print("rollup against exact, default filters:", problems if problems else "equal")
    recent = Complaint.objects.filter(received_at__gte=now - dt.timedelta(days=60))
    ids = list(recent.order_by("?").values_list("id", flat=True)[:1000])
    Complaint.objects.filter(id__in=ids).update(updated_at=timezone.now())
    later = timezone.now() + dt.timedelta(minutes=2)
    done = services.analysis_rollup_refresh(now=later)
    print(
        f"incremental refresh after 1,000 recent complaints changed: {done['months']} months "
        f"in {done['seconds']:.1f} s"
    )
    from plaint.improvement.services.analysis import _changed_months

    seconds, _worst, _months = timed(lambda: _changed_months(later), 3)
    print(f"  of which finding the changed months (a scan of updated_at): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
