"""Management-review benchmark: the pack of a year (every section, through the same selectors
the pages call) and its PDF, with many complaints loaded.

    .venv/bin/python bench/review_pdf.py [--complaints 20000]
    .venv/bin/python bench/review_pdf.py --complaints 1000000     # the target run (PostgreSQL)

Tops the database up to ``--complaints`` complaints with bench/load_queue.py (COPY; three years,
denser towards today), opens a review of the last twelve complete months and times building its
pack through ``services.review_pack_build`` (each section on its own, and the statements), then
the PDF of the frozen pack through ``core.pdf.render_pdf`` (WeasyPrint): seconds, bytes, pages.
Target (issue 10): the management-review PDF for a year of 1,000,000 complaints in under 30 s
(pack and PDF together). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, setup_django
from analysis_page import complaint_count, prepare
from pg import cluster

TARGET_S = 30.0


def timed_sections(timings: dict[str, float]) -> None:
    """Wrap each registered section so its time is recorded under its name."""
    from plaint.improvement import review_pack

    def wrap(builder):
        def run(ctx):
            t0 = time.perf_counter()
            try:
                return builder(ctx)
            finally:
                timings[builder.__name__] = time.perf_counter() - t0

        run.__name__ = builder.__name__
        return run

    review_pack.SECTIONS[:] = [(order, wrap(b)) for order, b in review_pack.SECTIONS]


def pages(data: bytes) -> int | None:
    try:
        import pypdf
    except ImportError:
        return None
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def run(url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from plaint.accounts.models import User
    from plaint.complaints.models import Complaint
    from plaint.core.actors import Actor
    from plaint.core.pdf import render_pdf
    from plaint.improvement import services
    from plaint.improvement.views_review import review_pdf_document
    from plaint.insights.selectors.filters import add_months, month_of, utc_start

    manager = User.objects.filter(role__in=["manager", "admin"], is_active=True).order_by("id")[0]
    end = add_months(month_of(timezone.now()), -1)
    start = add_months(end, -11)
    in_year = Complaint.objects.filter(
        received_at__gte=utc_start(start), received_at__lt=utc_start(add_months(end, 1))
    ).count()
    actor = Actor.staff(manager)
    review = services.review_create(
        actor=actor, title="Bench: the last twelve months", period_start=start, period_end=end
    )
    timings: dict[str, float] = {}
    timed_sections(timings)
    print(
        f"\n## {complaint_count(url):,} complaints, {in_year:,} in the review's year "
        f"{start:%Y-%m}..{end:%Y-%m}"
    )
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        review = services.review_pack_build(actor=actor, review_id=review.pk)
        pack_s = time.perf_counter() - t0
    slowest = sorted((float(q["time"]) for q in ctx.captured_queries), reverse=True)[:5]
    print(
        f"pack   {pack_s:6.2f}s  statements={len(ctx.captured_queries)} "
        f"slowest=[{', '.join(f'{s:.2f}' for s in slowest)}]s  html={len(review.pack_html):,} B"
    )
    for name, seconds in timings.items():
        print(f"  {name:<14} {seconds:6.2f}s")
    t0 = time.perf_counter()
    data = render_pdf(review_pdf_document(review))
    pdf_s = time.perf_counter() - t0
    print(f"pdf    {pdf_s:6.2f}s  {len(data):,} B, {pages(data)} pages")
    total = pack_s + pdf_s
    verdict = "ok" if total < TARGET_S else f"MISS (target {TARGET_S:.0f} s)"
    print(f"total  {total:6.2f}s  {verdict}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint management-review pack and PDF benchmark")
    parser.add_argument("--complaints", type=int, default=20_000)
    args = parser.parse_args(argv)
    with cluster() as url:
        prepare(url, args.complaints)
        setup_django(django_env(url, DEBUG="true"))  # DEBUG: the statements' times are kept
        run(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
