"""Survey response import: a file of 100,000 rows from another tool, as a manager imports it.

    .venv/bin/python bench/survey_import.py [--rows 100000] [--encoding cp1252]

Uses DATABASE_URL when it points at PostgreSQL, otherwise starts a throwaway cluster (bench/pg.py).
Writes a CSV the way a survey tool exports it — in an 8-bit code page by default, with a header,
an id, a date, five 1-5 ratings (about 3% "NA", 1% out of range), an NPS, a yes/no and a comment
with quotes and commas — then times the two steps a person goes through, through the services the
page and the API call:

  read     the upload: encoding detected, dialect decided, rows parsed, the file kept on the server
  import   every row checked, the good ones written (responses, answers, the insights aggregates
           of each response, in one transaction)

and prints rows per second, the peak memory of this process, and what the report said. Target
(issue 11): 100,000 rows in under 30 s. Finally checks the aggregates against the answers.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django
from pg import cluster

TARGET_SECONDS = 30.0
RATINGS = ["overall", "speed", "fairness", "clarity", "courtesy"]
COMMENTS = [
    'Björn ringde tillbaka, "snabbt", tack',
    "Svar på två dagar; bra",
    "Ärendet löstes, men det tog tid",
    "",
]


def write_file(path: Path, rows: int, encoding: str) -> int:
    """The export of another tool: the answers driven by one latent satisfaction."""
    rng = np.random.default_rng(20261205)
    latent = rng.normal(0, 1, rows)
    with path.open("w", encoding=encoding, newline="") as out:
        out.write("ResponseID,Date,Q1,Q2,Q3,Q4,Q5,Recommend,Solved,Comment\r\n")
        for i in range(rows):
            ratings = np.clip(np.round(3 + latent[i] + rng.normal(0, 0.8, 5)), 1, 5).astype(int)
            cells = [str(v) for v in ratings]
            for j in range(5):
                u = rng.random()
                if u < 0.03:
                    cells[j] = "NA"
                elif u < 0.04:
                    cells[j] = "9"  # out of range: left unanswered and reported
            nps = int(np.clip(np.round(5 + 2.5 * latent[i] + rng.normal(0, 1.5)), 0, 10))
            solved = "Yes" if latent[i] + rng.normal(0, 0.7) > -0.3 else "No"
            comment = COMMENTS[i % len(COMMENTS)].replace('"', '""')
            day = 1 + i % 28
            out.write(
                f"R{i},2026-{1 + i % 11:02d}-{day:02d},{','.join(cells)},{nps},{solved},"
                f'"{comment}"\r\n'
            )
    return path.stat().st_size


def make_survey(actor):
    from plaint.surveys import services

    survey = services.survey_create(
        actor=actor, key="imported", kind="relationship", title={"en": "Imported survey"}
    )
    add = lambda **q: services.question_add(actor=actor, survey_id=survey.pk, **q)  # noqa: E731
    for code in RATINGS:
        add(
            kind="rating",
            code=code,
            text={"en": code},
            scale_min=1,
            scale_max=5,
            attribute="" if code == "overall" else code,
            is_overall=code == "overall",
            required=code == "overall",
        )
    add(kind="nps", code="nps", text={"en": "Recommend?"})
    add(kind="yesno", code="solved", text={"en": "Solved?"})
    add(kind="text", code="comment", text={"en": "Anything else?"})
    return services.survey_activate(actor=actor, survey_id=survey.pk)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint survey response import benchmark")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--encoding", default="cp1252")
    parser.add_argument("--profile", action="store_true", help="print the import's cProfile top")
    args = parser.parse_args(argv)
    with cluster() as url:
        env = django_env(url)
        migrate(env)
        setup_django(env)
        from django.db import connection

        from plaint.accounts.models import User
        from plaint.core.actors import Actor
        from plaint.surveys import services

        manager, _created = User.objects.get_or_create(
            username="bench-import-manager", defaults={"role": "manager", "is_staff": True}
        )
        actor = Actor.staff(manager)
        survey = make_survey(actor)
        path = Path(env["PLAINT_DATA_DIR"]) / "export.csv"
        size = write_file(path, args.rows, args.encoding)
        print(f"# {args.rows:,} rows, {size / 1e6:.1f} MB, {args.encoding}", flush=True)
        mapping = {
            "ResponseID": "external_id",
            "Date": "submitted_at",
            **{f"Q{i + 1}": f"question:{code}" for i, code in enumerate(RATINGS)},
            "Recommend": "question:nps",
            "Solved": "question:solved",
            "Comment": "question:comment",
        }
        t0 = time.perf_counter()
        stored = services.import_upload_store(actor=actor, data=path.read_bytes())
        read_s = time.perf_counter() - t0
        profiler = cProfile.Profile() if args.profile else None
        t0, cpu0 = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = services.responses_import_csv(
            actor=actor,
            survey_id=survey.pk,
            data=services.import_upload_text(upload_id=stored.id),
            mapping=mapping,
        )
        if profiler:
            profiler.disable()
        import_s, import_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        services.import_upload_discard(upload_id=stored.id)
        total = read_s + import_s
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"read    {read_s:6.1f} s  encoding={stored.encoding} guessed={not stored.sure} "
            f"rows={stored.row_count:,}"
        )
        print(
            f"import  {import_s:6.1f} s  imported={report.imported:,} rejected={report.rejected:,} "
            f"answers left out={len(report.skipped):,} NA={report.missing_values:,}  "
            f"CPU of this process {import_cpu:.1f} s"
        )
        verdict = "ok" if total < TARGET_SECONDS else f"MISS (target {TARGET_SECONDS:.0f} s)"
        print(
            f"total   {total:6.1f} s  {args.rows / total:,.0f} rows/s  peak RSS {peak_mb:,.0f} MB"
            f"  {verdict}"
        )
        with connection.cursor() as cur:
            cur.execute(
                "SELECT (SELECT COALESCE(SUM(count), 0) FROM insights_answercount a "
                "JOIN surveys_question q ON q.id = a.question_id WHERE q.code = 'overall' "
                "AND a.dimension = 'all'), (SELECT COUNT(*) FROM surveys_answer a JOIN "
                "surveys_question q ON q.id = a.question_id WHERE q.code = 'overall')"
            )
            aggregated, answers = cur.fetchone()
        print(f"aggregates: overall counted {aggregated:,}, answers {answers:,}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
