"""Complaint history import: a regulator-style export of 1,000,000 complaints, as `plaint import
complaints` imports it.

    .venv/bin/python bench/complaint_import.py [--rows 1000000] [--reimport] [--profile]

Uses DATABASE_URL when it points at PostgreSQL, otherwise starts a throwaway cluster (bench/pg.py).
Writes a CSV in the column layout of the US CFPB Consumer Complaint Database (plus a "Date
closed"), ~1 % of rows bad (a date that is not one, an unknown channel), most cases acknowledged
and closed with dates. A code of two promises is published first, as an organisation would have
it; a promise applies to cases received after it took effect, so these past cases get their due
dates from the business calendar and no promise checks (the run prints the count). Then imports
the file through the service the command, the page and the API call, and prints rows/s, the peak
RSS of this process and of its building process (``importpipeline``: on PostgreSQL the next
chunks are read and built in a forked process), the RSS at each tenth of the file (flat memory:
the file is read as it goes and written 2,000 rows per transaction, COPY on PostgreSQL), and the
CPU of this process, of the building process and of PostgreSQL's processes, each per row.
Target (issue 11): 1,000,000 rows in under 5 minutes. ``--reimport`` imports the same file again
(every case found by its external ID, none added).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django
from pg import cluster

TARGET_SECONDS = 300.0
HEADER = (
    "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,"
    "Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,"
    "Submitted via,Date sent to company,Company response to consumer,Timely response?,"
    "Consumer disputed?,Complaint ID,Date closed\r\n"
)
PRODUCTS = ["Credit card", "Mortgage", "Checking or savings account", "Debt collection"]
ISSUES = ["Managing an account", "Fees or interest", "Trouble during payment process", "Fraud"]
VIA = ["Web", "Web", "Web", "Phone", "Referral", "Postal mail", "Email"]
RESPONSES = [
    "Closed with explanation",
    "Closed with explanation",
    "Closed with monetary relief",
    "Closed with non-monetary relief",
]
NARRATIVE = (
    '"I was charged a fee of $35 twice, and when I called, the agent said it ""would be '
    'fixed""; it was not."'
)
VALUES = {
    "channel": {"referral": "letter", "postal mail": "letter"},
    "remedy": {
        "closed with monetary relief": "compensation",
        "closed with explanation": "explanation",
        "closed with non-monetary relief": "other",
        "in progress": "",
    },
}


def write_file(path: Path, rows: int) -> int:
    rng = random.Random(20261205)
    start = dt.date(2021, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            received = start + dt.timedelta(days=rng.randrange(1400))
            sent = received + dt.timedelta(days=rng.choice([0, 1, 1, 2, 5]))
            closed = sent + dt.timedelta(days=rng.randrange(1, 60))
            open_case = rng.random() < 0.05
            via = "Carrier pigeon" if rng.random() < 0.005 else rng.choice(VIA)
            day = f"{received}" if rng.random() > 0.005 else "2024-13-45"
            narrative = NARRATIVE if i % 3 == 0 else ""
            response = "In progress" if open_case else rng.choice(RESPONSES)
            out.write(
                f"{day},{rng.choice(PRODUCTS)},,{rng.choice(ISSUES)},,{narrative},,"
                f"Example Bank N.A.,CA,940XX,,Consent provided,{via},{sent},{response},Yes,N/A,"
                f"{4_000_000 + i},{'' if open_case else closed}\r\n"
            )
    return path.stat().st_size


def make_promises(actor) -> None:
    from plaint.promises import services

    code = services.code_create(
        actor=actor, slug="service", title={"en": "Our promises"}, owner="Customer care"
    )
    for key, clock, amount in (
        ("acknowledge", "received_to_acknowledged", 2),
        ("respond", "received_to_decision", 20),
    ):
        services.promise_create(
            actor=actor,
            code_id=code.pk,
            key=key,
            texts={"en": key},
            clock=clock,
            limit_amount=amount,
            limit_unit="business_days",
            pauses_while_waiting=False,
        )
    services.code_transition(actor=actor, code_id=code.pk, step="publish")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def server_cpu() -> float:
    """CPU seconds of the PostgreSQL server's processes (the postmaster's children: this bench's
    backend, the WAL writer, the checkpointer …), read from /proc; an autovacuum worker that has
    ended is not counted."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds of this process's ended children: the import's building process
    (``complaints/services/importpipeline.py``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(
    path: Path, size: int, actor, profile: bool
) -> tuple[float, float, object, list[str]]:
    from plaint.complaints import services

    marks: list[str] = []
    next_mark = [0.1]
    started = time.perf_counter()
    cpu_started = time.process_time()

    def progress(report, position: int) -> None:
        if position / size >= next_mark[0]:
            elapsed = time.perf_counter() - started
            marks.append(
                f"  {position / size:4.0%}  {report.rows:>9,} rows  {elapsed:6.1f} s  "
                f"RSS {rss_mb():5.0f} MB"
            )
            next_mark[0] += 0.1

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    with path.open("rb") as handle:
        report = services.complaints_import(
            actor=actor,
            handle=handle,
            source="cfpb",
            file_name=path.name,
            values=VALUES,
            progress=progress,
        )
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    return time.perf_counter() - started, time.process_time() - cpu_started, report, marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint complaint history import benchmark")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reimport", action="store_true", help="import the same file again")
    parser.add_argument("--profile", action="store_true", help="print the import's cProfile top")
    args = parser.parse_args(argv)
    with cluster() as url:
        env = django_env(url)
        migrate(env)
        setup_django(env)
        from django.db import connection

        from plaint.accounts.models import User
        from plaint.core.actors import Actor

        manager, _created = User.objects.get_or_create(
            username="bench-history-manager", defaults={"role": "manager", "is_staff": True}
        )
        actor = Actor.staff(manager)
        make_promises(actor)
        path = Path(env["PLAINT_DATA_DIR"]) / "complaints.csv"
        size = write_file(path, args.rows)
        print(
            f"# {args.rows:,} rows, {size / 1e6:.1f} MB, RSS before {rss_mb():.0f} MB", flush=True
        )
        server_before, children_before = server_cpu(), children_cpu()
        seconds, cpu, report, marks = run_import(path, size, actor, args.profile)
        server, children = server_cpu() - server_before, children_cpu() - children_before
        print("\n".join(marks))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        verdict = "ok" if seconds < TARGET_SECONDS else f"MISS (target {TARGET_SECONDS:.0f} s)"
        print(
            f"import {seconds:7.1f} s  {report.rows / seconds:,.0f} rows/s  created={report.created:,} "
            f"refused={report.rejected:,}  peak RSS {peak_mb:,.0f} MB  {verdict}"
        )
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the building process {child_mb:,.0f} MB")
        print(f"CPU of this process {cpu:.1f} s ({cpu / report.rows * 1e6:,.0f} µs a row)")
        print(
            f"CPU of its building process {children:.1f} s "
            f"({children / report.rows * 1e6:,.0f} µs a row)"
        )
        print(
            f"CPU of PostgreSQL's processes {server:.1f} s ({server / report.rows * 1e6:,.0f} µs a row)"
        )
        with connection.cursor() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM complaints_complaint), "
                "(SELECT count(*) FROM core_auditevent), (SELECT count(*) FROM promises_promisecheck)"
            )
            complaints, events, checks = cur.fetchone()
        print(f"complaints {complaints:,}  audit events {events:,}  promise checks {checks:,}")
        if args.reimport:
            seconds, _cpu, report, _marks = run_import(path, size, actor, False)
            print(
                f"re-import {seconds:7.1f} s  {report.rows / seconds:,.0f} rows/s  "
                f"created={report.created:,} updated={report.updated:,} "
                f"unchanged={report.unchanged:,}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
