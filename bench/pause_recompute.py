"""Applying a regulatory pause to 100,000 open complaints: the background job's work, on PostgreSQL.

    .venv/bin/python bench/pause_recompute.py --complaints 400000          # throwaway cluster
    DATABASE_URL=postgresql://... .venv/bin/python bench/pause_recompute.py --complaints 400000

Loads complaints and their three checks exactly as ``promise_sweep.py`` does (three years of
receipts; about a quarter of them open), records a regulatory pause of every category over the last
seven days through the service (which only enqueues the job), then runs the job's work
(``promise_checks_recompute``: keyset batches of 500, one transaction each, rows locked, checks read
once per batch, bulk writes) in its own process the way the worker does, continuation after
continuation, and prints the number of complaints walked, the time, the peak memory, and how many
checks and complaints it changed. Then it runs it a second time: idempotent, nothing changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, ROOT, django_env, setup_django
from promise_sweep import load


def pause_and_count(env: dict[str, str], now: dt.datetime) -> int:
    """Record the pause through the service; return how many open complaints it touches."""
    setup_django(env)
    from django.db import connections

    from plaint.accounts.models import User
    from plaint.core.actors import Actor
    from plaint.promises import services
    from plaint.promises.services import recompute

    manager = User.objects.get(username="sweep-manager-1")
    services.regulatory_pause_create(
        actor=Actor.staff(manager),
        starts_at=now - dt.timedelta(days=7),
        ends_at=now,
        reason="Bench: the regulator stopped every clock for a week",
    )
    affected = recompute._affected_complaints("pause", None).count()
    connections.close_all()
    return affected


def job_child() -> int:
    """Run the job's work to the end in this process, as the worker would run its continuations."""
    setup_django(dict(os.environ))
    from django.db import connection

    from plaint.promises import services
    from plaint.promises.models import PromiseCheck

    connection.ensure_connection()
    started = time.monotonic()
    since = dt.datetime.now(dt.UTC)
    walked, after, runs = 0, 0, 0
    while True:
        done, after = services.promise_checks_recompute(
            kind="pause", target_id=None, after_id=after
        )
        walked += done
        runs += 1
        if after is None:
            break
    seconds = time.monotonic() - started
    changed = PromiseCheck.objects.filter(updated_at__gte=since).count()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "walked": walked,
                "runs": runs,
                "checks_changed": changed,
                "peak_mib": peak_kib / 1024,
            }
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regulatory pause recompute at scale (PostgreSQL)")
    parser.add_argument("--complaints", type=int, default=400_000)
    parser.add_argument("--job-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job_only:
        return job_child()
    import contextlib

    from pg import cluster

    given = os.environ.get("DATABASE_URL")
    with contextlib.nullcontext(given) if given else cluster() as url:
        now = load(url, args.complaints)
        env = django_env(url)
        affected = pause_and_count(env, now)
        print(f"# the pause touches {affected:,} open complaints", flush=True)
        for label in ("job", "job again (idempotent)"):
            out = subprocess.run(
                [PYTHON, __file__, "--job-only"],
                env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=3600,
            )  # fmt: skip
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{label}: {f['walked']:,} complaints in {f['seconds']:.1f} s "
                f"({f['walked'] / f['seconds']:,.0f}/s), {f['runs']} run(s) of the 30 s budget, "
                f"checks changed {f['checks_changed']:,}, peak {f['peak_mib']:.0f} MiB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
