"""Survey measures over a million responses: bulk load, rebuild the aggregates, time the dashboard.

    .venv/bin/python bench/survey_measures.py [--responses 1000000]

Uses DATABASE_URL when it points at PostgreSQL, otherwise starts a throwaway cluster (bench/pg.py).
Loads one survey with 8 scale questions (overall 1-5, five attributes 1-5, NPS 0-10, effort 1-7)
and N submitted responses over 18 months by COPY, with correlated answers (a latent satisfaction
drives every answer), four channels, five languages, six products, four categories and ~3% of
answers left blank. Then runs ``plaint insights rebuild`` (set-based SQL) and times the dashboard's
numbers — measures with intervals and the weighted index, monthly trends, the importance-performance
analysis by regression, a segment breakdown — as the page computes them (selectors over the
aggregate tables), reporting the median and the worst of several runs, and peak memory. Target:
under 1 s. Finally checks the aggregates against COUNT(*) on the raw answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django
from pg import cluster

QUESTIONS = [  # code, kind, min, max, attribute, weight, overall
    ("overall", "rating", 1, 5, "", "1", True),
    ("speed", "rating", 1, 5, "speed", "3", False),
    ("fairness", "rating", 1, 5, "fairness", "2", False),
    ("clarity", "rating", 1, 5, "clarity", "2", False),
    ("courtesy", "rating", 1, 5, "courtesy", "1", False),
    ("outcome", "rating", 1, 5, "outcome", "3", False),
    ("nps", "nps", 0, 10, "", "1", False),
    ("effort", "ces", 1, 7, "", "1", False),
]
CHANNELS = ["web", "email", "phone", "letter"]
LANGUAGES = ["en", "et", "uk", "sv", "fa"]
PRODUCTS = ["Broadband", "Mobile", "TV", "Energy", "Insurance", "Parcel"]
MONTHS = 18
RESPONSE_COLS = (
    "id, survey_id, started_at, submitted_at, language, channel, category_id, product, segment, "
    "source, external_id, page"
)
ANSWER_COLS = "response_id, question_id, value, text, choices"


def prepare() -> tuple[int, list[int], list[int]]:
    """One active survey with the 8 questions, and four categories. Returns their ids."""
    from decimal import Decimal

    from django.utils import timezone

    from plaint.complaints.models import Category
    from plaint.surveys.models import Question, Survey

    survey = Survey.objects.filter(key="bench").first()
    if survey is None:
        survey = Survey.objects.create(
            key="bench",
            title={"en": "After your complaint"},
            kind="complaint_closed",
            state="active",
            created_at=timezone.now(),
        )
        for position, (code, kind, lo, hi, attribute, weight, overall) in enumerate(QUESTIONS, 1):
            Question.objects.create(
                survey=survey,
                position=position,
                code=code,
                kind=kind,
                scale_min=lo,
                scale_max=hi,
                text={"en": code.title()},
                attribute=attribute,
                weight=Decimal(weight),
                is_overall=overall,
            )
    categories = []
    for code in ("billing", "delivery", "service", "quality"):
        cat = Category.objects.filter(code=code).first() or Category.objects.create(
            code=code, name=code.title()
        )
        categories.append(cat.pk)
    qids = list(survey.questions.order_by("position").values_list("pk", flat=True))
    return survey.pk, qids, categories


def answers_for(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 8) answers; a latent satisfaction drives all of them; NaN-free ints, -1 = blank."""
    latent = rng.normal(0, 1, n)
    cols = []
    loadings = {"speed": 0.9, "fairness": 0.7, "clarity": 0.6, "courtesy": 0.4, "outcome": 1.0}
    attrs = {}
    for code, _k, lo, hi, _a, _w, _o in QUESTIONS[1:6]:
        x = 3.4 + loadings[code] * latent + rng.normal(0, 0.8, n)
        attrs[code] = np.clip(np.rint(x), lo, hi)
    overall = np.clip(
        np.rint(
            0.6
            + 0.25 * attrs["speed"]
            + 0.15 * attrs["fairness"]
            + 0.1 * attrs["clarity"]
            + 0.05 * attrs["courtesy"]
            + 0.3 * attrs["outcome"]
            + rng.normal(0, 0.6, n)
        ),
        1,
        5,
    )
    nps = np.clip(np.rint(7.5 + 1.8 * latent + rng.normal(0, 1.2, n)), 0, 10)
    effort = np.clip(np.rint(5 + 1.0 * latent + rng.normal(0, 1.0, n)), 1, 7)
    cols = [overall, *(attrs[c] for c in ("speed", "fairness", "clarity", "courtesy", "outcome"))]
    out = np.column_stack([*cols, nps, effort]).astype(np.int16)
    blank = rng.random(out.shape) < 0.03
    blank[:, 0] = False  # the overall question is required
    out[blank] = -1
    return out


def load(url: str, survey_id: int, qids: list[int], categories: list[int], count: int) -> float:
    import psycopg

    rng = np.random.default_rng(10004)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    span = MONTHS * 30.4 * 86400
    started = time.monotonic()
    batch = 100_000
    with psycopg.connect(url, autocommit=False) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT COALESCE(max(id), 0) FROM surveys_response")
            next_id = cur.fetchone()[0] + 1
        done = 0
        while done < count:
            size = min(batch, count - done)
            ids = np.arange(next_id, next_id + size)
            # Later months a little denser (growth), as real volumes tend to be.
            ages = (span * (1 - np.sqrt(rng.random(size)))).astype("timedelta64[s]")
            submitted = np.datetime64(now.replace(tzinfo=None), "s") - ages
            started_at = submitted - np.timedelta64(240, "s")
            sub_s = np.datetime_as_string(submitted, unit="s")
            start_s = np.datetime_as_string(started_at, unit="s")
            channel = rng.choice(CHANNELS, size, p=[0.55, 0.25, 0.15, 0.05])
            language = rng.choice(LANGUAGES, size, p=[0.4, 0.25, 0.15, 0.1, 0.1])
            product = rng.choice(PRODUCTS, size)
            category = rng.choice(categories, size)
            responses = "".join(
                f"{i}\t{survey_id}\t{a}+00\t{b}+00\t{lang}\t{ch}\t{cat}\t{prod}\t\timport\t\t1\n"
                for i, a, b, lang, ch, cat, prod in zip(
                    ids.tolist(),
                    start_s,
                    sub_s,
                    language,
                    channel,
                    category.tolist(),
                    product,
                    strict=True,
                )
            )
            # One staging row per response (id + 8 answers); the database unpivots them.
            values = answers_for(rng, size)
            staged = "".join(
                "\t".join(map(str, row)) + "\n" for row in np.column_stack([ids, values]).tolist()
            )
            with conn.cursor() as cur:
                with cur.copy(f"COPY surveys_response ({RESPONSE_COLS}) FROM STDIN") as cp:
                    cp.write(responses)
                cur.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS bench_stage (id bigint, "
                    + ", ".join(f"v{k} smallint" for k in range(len(qids)))
                    + ") ON COMMIT DELETE ROWS"
                )
                with cur.copy("COPY bench_stage FROM STDIN") as cp:
                    cp.write(staged)
                pairs = ", ".join(f"({qid}, s.v{k})" for k, qid in enumerate(qids))
                cur.execute(
                    f"INSERT INTO surveys_answer ({ANSWER_COLS}) "
                    "SELECT s.id, x.q, x.v, '', '[]'::jsonb FROM bench_stage s "
                    f"CROSS JOIN LATERAL (VALUES {pairs}) AS x(q, v) WHERE x.v >= 0"
                )
            conn.commit()
            next_id += size
            done += size
            rate = done / (time.monotonic() - started)
            print(f"# loaded {done:,}/{count:,} responses ({rate:,.0f}/s)", flush=True)
        with conn.cursor() as cur:
            for table in ("surveys_response", "surveys_answer"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE surveys_response")
        conn.execute("VACUUM ANALYZE surveys_answer")
    return time.monotonic() - started


def dashboard_numbers(actor, filters):
    from plaint.insights import selectors

    m = selectors.measures(actor=actor, filters=filters)
    t = selectors.trends(actor=actor, filters=filters)
    ipa = selectors.importance_performance(actor=actor, filters=filters)
    seg = selectors.segments(actor=actor, filters=filters, dimension="channel")
    return m, t, ipa, seg


def time_indicators(url: str, complaints: int, actor, filters, runs: int) -> None:
    """The indicators at the size of the complaints table (from the rollup when one was built;
    bench/indicators.py times them properly)."""
    from plaint.complaints.models import Complaint
    from plaint.insights import selectors

    if complaints:
        import load_queue

        seconds = load_queue.load(url, complaints)
        print(f"loaded {complaints:,} complaints in {seconds:.0f}s", flush=True)
    total = Complaint.objects.count()
    if not total:
        return
    selectors.indicators(actor=actor, start=filters.start, end=filters.end)
    timings = []
    for _ in range(max(3, runs // 2)):
        t0 = time.perf_counter()
        result = selectors.indicators(actor=actor, start=filters.start, end=filters.end)
        timings.append(time.perf_counter() - t0)
    print(
        f"indicators over {len(result['months'])} months, {total:,} complaints in the table "
        f"({result['summary']['complaints']:,} in the period): median "
        f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Survey measures benchmark")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--complaints",
        type=int,
        default=0,
        help="also load N complaints (bench/load_queue.py) and time the indirect indicators",
    )
    args = parser.parse_args(argv)
    with cluster() as url:
        env = django_env(url)
        migrate(env)
        setup_django(env)
        from django.db import connection, connections

        from plaint.accounts.models import User
        from plaint.insights.selectors import Filters
        from plaint.insights.services import aggregates_rebuild

        survey_id, qids, categories = prepare()
        connections.close_all()
        seconds = load(url, survey_id, qids, categories, args.responses)
        print(f"loaded {args.responses:,} responses x 8 questions in {seconds:.0f}s", flush=True)

        started = time.monotonic()
        totals = aggregates_rebuild(
            survey_id=survey_id,
            progress=lambda msg: print(f"# [{time.monotonic() - started:6.1f}s] {msg}", flush=True),
        )
        rebuild = time.monotonic() - started
        print(
            f"rebuild: {rebuild:.1f}s ({totals['answer_counts']:,} answer-count rows, "
            f"{totals['pair_counts']:,} pairwise rows)",
            flush=True,
        )
        with connection.cursor() as cur:
            cur.execute("ANALYZE insights_answercount")
            cur.execute("ANALYZE insights_paircount")

        actor = User.objects.filter(username="bench-auditor").first() or User.objects.create(
            username="bench-auditor", role="auditor"
        )
        today = dt.datetime.now(dt.UTC).date()
        filters = Filters.build(
            survey_key="bench",
            start=(today.replace(day=1) - dt.timedelta(days=365)).replace(day=1),
            end=today,
            method="regression",
        )
        dashboard_numbers(actor, filters)  # warm: imports, connection, plan cache
        timings = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            m, t, ipa, _seg = dashboard_numbers(actor, filters)
            timings.append(time.perf_counter() - t0)
        # Memory in a separate run: tracing allocations slows the code it measures.
        tracemalloc.start()
        dashboard_numbers(actor, filters)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        overall = next(q for q in m["questions"] if q["code"] == "overall")
        print(
            f"dashboard numbers (measures + index, {len(t['months'])}-month trends, "
            f"importance by regression, channel breakdown): median "
            f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
            f"over {args.runs} runs; peak Python memory {peak / 1e6:.1f} MB; "
            f"process max RSS {rss:.0f} MB",
            flush=True,
        )
        print(
            f"overall: n={overall['csat']['n']:,} CSAT={overall['csat']['value']:.4f} "
            f"[{overall['csat']['low']:.4f}, {overall['csat']['high']:.4f}] "
            f"mean={overall['mean']['value']:.3f}±{overall['mean']['moe']:.3f}; "
            f"index={m['index']['value']:.2f}±{m['index']['moe']:.2f}",
            flush=True,
        )
        print(
            "importance (regression beta): "
            + ", ".join(f"{a['attribute']}={a['importance']:.3f}" for a in ipa["attributes"]),
            flush=True,
        )
        # Check: the aggregate equals COUNT(*) on the raw answers for the same period.
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM surveys_answer a JOIN surveys_response r "
                "ON r.id = a.response_id WHERE a.question_id = %s AND r.submitted_at >= %s",
                [qids[0], dt.datetime.combine(filters.start, dt.time(), tzinfo=dt.UTC)],
            )
            raw = cur.fetchone()[0]
        scan = time.perf_counter() - t0
        status = "equal" if raw == overall["csat"]["n"] else "DIFFERENT"
        print(
            f"check: raw COUNT(*) of the overall question = {raw:,} ({status}); that one raw "
            f"count took {scan * 1000:.0f} ms",
            flush=True,
        )
        target = "met" if statistics.median(timings) < 1.0 else "MISSED"
        print(f"target < 1 s: {target}")
        time_indicators(url, args.complaints, actor, filters, args.runs)
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
