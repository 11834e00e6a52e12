"""Bulk loader for the queue benchmark: N complaints (and their complainants) by COPY via psycopg.

    DATABASE_URL=postgresql://... .venv/bin/python bench/load_queue.py --complaints 1000000

Adds N rows to what is there (so 100,000 then 900,000 more gives 1,000,000). Staff users, teams
and categories are created once through the services; complaints and complainants are written
straight into their tables, with a realistic spread: three years of receipts (more recent ones
denser), ~90% of older cases closed, open ones spread over the lifecycle, Pareto-skewed
categories, 20 handlers in 4 teams (unassigned mostly before assessment), repeat complainants,
descriptions of 25-70 words from a Zipf-weighted vocabulary. References and tracking digests are
unique. Ends with VACUUM ANALYZE, as autovacuum would leave a steady-state table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, migrate, setup_django

SEARCH_WORD = "warranty"  # the word bench/queue_pages.py searches for; see VOCABULARY's weights
VOCABULARY = [
    "the",
    "a",
    "and",
    "to",
    "of",
    "was",
    "my",
    "in",
    "it",
    "for",
    "not",
    "is",
    "on",
    "i",
    "with",
    "that",
    "have",
    "they",
    "this",
    "but",
    "order",
    "had",
    "delivery",
    "at",
    "been",
    "no",
    "were",
    "from",
    "when",
    "me",
    "be",
    "service",
    "an",
    "product",
    "customer",
    "did",
    "after",
    "said",
    "days",
    "would",
    "we",
    "time",
    "told",
    "all",
    "again",
    "asked",
    "still",
    "received",
    "call",
    "phone",
    "refund",
    "week",
    "staff",
    "store",
    "parcel",
    "item",
    "back",
    "there",
    "or",
    "which",
    "could",
    "money",
    "payment",
    "get",
    "one",
    "about",
    "also",
    "account",
    "two",
    "promised",
    "manager",
    "email",
    "waiting",
    "hours",
    "wrong",
    "late",
    "box",
    "damaged",
    "replacement",
    "contract",
    "invoice",
    "charged",
    "twice",
    "broken",
    "missing",
    "support",
    "agent",
    "courier",
    "address",
    "bill",
    "fee",
    "price",
    "discount",
    "card",
    "bank",
    "online",
    "website",
    "app",
    "login",
    "password",
    "error",
    "cancelled",
    "booking",
    "flight",
    "train",
    "bus",
    "ticket",
    "seat",
    "luggage",
    "hotel",
    "room",
    "noise",
    "cleaning",
    "heating",
    "water",
    "electricity",
    "meter",
    "reading",
    "tariff",
    "internet",
    "connection",
    "router",
    "speed",
    "outage",
    "engineer",
    "appointment",
    "visit",
    "repair",
    "warranty",
    "guarantee",
    "receipt",
    "shop",
    "checkout",
    "queue",
    "rude",
    "unhelpful",
    "polite",
    "helpful",
    "answer",
    "letter",
    "complaint",
    "previous",
    "reference",
    "number",
    "month",
    "year",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "weekend",
    "morning",
    "evening",
    "colour",
    "size",
    "fit",
    "quality",
    "material",
    "smell",
    "taste",
    "food",
    "cold",
    "restaurant",
    "menu",
    "allergy",
    "insurance",
    "claim",
    "policy",
    "premium",
    "excess",
    "renewal",
    "loan",
    "interest",
    "mortgage",
    "statement",
    "overdraft",
    "branch",
    "closed",
    "open",
    "hours",
    "parking",
    "car",
    "tyre",
    "brake",
    "garage",
    "mechanic",
    "service",
    "warranty-card",
    "manual",
    "instructions",
    "assembly",
    "screws",
    "missing-parts",
    "furniture",
    "sofa",
    "table",
    "chair",
    "mattress",
    "kitchen",
    "oven",
    "fridge",
    "washing",
    "machine",
    "dryer",
    "dishwasher",
    "television",
    "laptop",
    "screen",
    "battery",
    "charger",
    "keyboard",
    "mouse",
    "printer",
    "ink",
]
# Zipf weights over the vocabulary order above: "the" is common, "ink" is rare.
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
FIRST = [
    "Mari",
    "Jaan",
    "Kadri",
    "Olena",
    "Taras",
    "Iryna",
    "Anders",
    "Sofia",
    "Erik",
    "Maryam",
    "Reza",
    "Zahra",
    "Leyla",
    "Tiit",
    "Karin",
    "Oleh",
    "Nils",
    "Parisa",
    "Kristjan",
    "Ingrid",
]
LAST = [
    "Tamm",
    "Saar",
    "Kask",
    "Shevchenko",
    "Bondarenko",
    "Kovalenko",
    "Johansson",
    "Andersson",
    "Lindqvist",
    "Ahmadi",
    "Hosseini",
    "Karimi",
    "Rebane",
    "Mägi",
    "Melnyk",
    "Nilsson",
    "Rahimi",
    "Sepp",
    "Berg",
    "Moradi",
]
CATEGORIES = [
    ("delivery", "Delivery", 30),
    ("billing", "Billing", 22),
    ("product-quality", "Product quality", 14),
    ("customer-service", "Customer service", 10),
    ("returns", "Returns and refunds", 7),
    ("website", "Website and app", 5),
    ("warranty", "Warranty and repair", 4),
    ("privacy", "Personal data", 3),
    ("accessibility", "Accessibility", 2),
    ("advertising", "Advertising", 1),
    ("pricing", "Pricing", 1),
    ("other", "Other", 1),
]
CHANNELS = (
    (["web"] * 45)
    + (["email"] * 25)
    + (["phone"] * 15)
    + (["api"] * 8)
    + ["letter"] * 4
    + ["in_person"] * 3
)
SEVERITIES = [""] * 30 + ["low"] * 30 + ["medium"] * 25 + ["high"] * 12 + ["critical"] * 3
PRIORITIES = ["normal"] * 70 + ["low"] * 12 + ["high"] * 14 + ["urgent"] * 4
OPEN_STATES = (
    ["received"] * 6 + ["acknowledged"] * 14 + ["assessed"] * 16 + ["investigating"] * 30
    + ["response_proposed"] * 10 + ["decision_communicated"] * 14 + ["accepted"] * 6
    + ["internal_review"] * 4
)  # fmt: skip
COMPLAINANT_COLS = "id, name, email, phone, language, preferred_channel, consent_at, created_at"
COMPLAINT_COLS = (
    "id, reference, complainant_id, channel, received_at, subject, description, desired_outcome, "
    "product, category_id, about_process, severity, priority, safety_issue, state, assignee_id, "
    "team_id, acknowledged_at, acknowledgement_due_at, response_due_at, decision_at, "
    "decided_by_id, closed_at, closure_reason, out_of_scope_reason, findings, root_cause, "
    "decision, complainant_feedback, tracking_digest, version, updated_at, search_document, "
    "segment, cause_code"
)
# The analysis page's dimensions (drawn from their own random stream, so every other column is
# what it was before they were added): 60 products (Zipf), three segments, and for closed cases
# one of 12 root causes.
PRODUCTS = [f"Product {k:02d}" for k in range(60)]
PRODUCT_WEIGHTS = [1 / (rank + 1) for rank in range(len(PRODUCTS))]
SEGMENTS = [""] * 50 + ["consumer"] * 35 + ["business"] * 15
CAUSES = [
    ("courier", "Courier partner"),
    ("stock", "Stock and ordering"),
    ("training", "Staff training"),
    ("billing-system", "Billing system"),
    ("pricing-rule", "Pricing rule"),
    ("website-bug", "Website defect"),
    ("supplier", "Supplier quality"),
    ("packaging", "Packaging"),
    ("policy", "Policy unclear"),
    ("process", "Handling process"),
    ("data-entry", "Data entry"),
    ("other", "Other cause"),
]
N = "\\N"
# migration complaints/0003: dropped before the COPY, built again after it
SEARCH_INDEX = "complaint_search_trgm"
SEARCH_INDEX_ON = "complaints_complaint USING gin (search_document gin_trgm_ops)"


def prepare(env: dict[str, str]) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """Staff users (with teams) and categories, through the services. Returns
    ([(handler id, team id)], {category code: id})."""
    setup_django(env)
    from django.db import connections

    from plaint.accounts.models import User
    from plaint.accounts.services import team_create, user_create
    from plaint.complaints.models import Category
    from plaint.complaints.services import category_create
    from plaint.core.actors import Actor

    admin = User.objects.filter(username="bench-admin").first() or user_create(
        username="bench-admin", password=None, role="admin", check_password=False
    )
    teams = [team_create(name=f"Team {name}") for name in ("North", "South", "East", "West")]
    handlers = []
    for k in range(20):
        user = User.objects.filter(username=f"handler{k:02d}").first() or user_create(
            username=f"handler{k:02d}",
            password=None,
            role="handler",
            check_password=False,
            team=teams[k % 4],
        )
        handlers.append((user.pk, teams[k % 4].pk))
    for code, name, _ in CATEGORIES:
        if not Category.objects.filter(code=code).exists():
            category_create(actor=Actor.staff(admin), code=code, name=name)
    from plaint.complaints.models import RootCause
    from plaint.complaints.services import root_cause_create

    for code, name in CAUSES:
        if not RootCause.objects.filter(code=code).exists():
            root_cause_create(actor=Actor.staff(admin), name=name, code=code)
    categories = dict(Category.objects.values_list("code", "id"))
    connections.close_all()
    return handlers, categories


def _iso(value: dt.datetime | None) -> str:
    return N if value is None else value.isoformat()


def generate(
    rng: random.Random,
    first_complainant: int,
    first_complaint: int,
    count: int,
    handlers: list[tuple[int, int]],
    categories: dict[str, int],
    now: dt.datetime,
) -> tuple[str, str, int]:
    """COPY text for ``count`` complaints; returns (complainants, complaints, complainants made)."""
    cat_ids = [categories[c] for c, _, _ in CATEGORIES]
    cat_weights = [w for _, _, w in CATEGORIES]
    cum = []
    total = 0.0
    for w in WEIGHTS:
        total += w
        cum.append(total)
    complainant_lines: list[str] = []
    complaint_lines: list[str] = []
    next_complainant = first_complainant
    variety = random.Random(first_complaint)  # the analysis dimensions' own stream
    people: dict[int, str] = {}  # complainant id -> "name e-mail" for the search document
    for k in range(count):
        cid = first_complaint + k
        days_ago = 1095 * rng.random() ** 1.6
        received = now - dt.timedelta(days=days_ago, seconds=rng.randrange(86400))
        if k > 100 and rng.random() < 0.08:  # a repeat complainant from this batch
            complainant_id = rng.randrange(first_complainant, next_complainant)
        else:
            complainant_id = next_complainant
            next_complainant += 1
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower()}{complainant_id}@example.org"
            people[complainant_id] = f"{first} {last} {email}"
            complainant_lines.append(
                f"{complainant_id}\t{first} {last}\t{email}\t\t"
                f"{rng.choice(['en', 'et', 'uk', 'sv', 'fa'])}\temail\t"
                f"{_iso(received)}\t{_iso(received)}\n"
            )
        if days_ago > 90 and rng.random() < 0.93:
            state = rng.choices(
                ["closed", "out_of_scope", "referred_external"], weights=[93, 5, 2]
            )[0]
        else:
            state = rng.choice(OPEN_STATES)
        assigned = state not in {"received", "acknowledged"} or rng.random() < 0.3
        assignee, team = rng.choice(handlers) if assigned else (None, None)
        words = rng.choices(VOCABULARY, cum_weights=cum, k=rng.randint(25, 70))
        description = " ".join(words).capitalize() + "."
        subject = " ".join(words[:6]).capitalize()
        acknowledged = None if state == "received" else received + dt.timedelta(hours=3)
        closed = state in {"closed", "out_of_scope", "referred_external"}
        decided = received + dt.timedelta(days=rng.randint(3, 50)) if closed else None
        category = rng.choices(cat_ids, weights=cat_weights)[0] if rng.random() > 0.05 else None
        digest = hashlib.sha256(f"bench-{cid}-{rng.random()}".encode()).hexdigest()
        fields = [
            str(cid),
            f"C-{received.year}-{cid:06d}",
            str(complainant_id),
            rng.choice(CHANNELS),
            _iso(received),
            subject,
            description,
            "",
            variety.choices(PRODUCTS, weights=PRODUCT_WEIGHTS)[0],
            N if category is None else str(category),
            "f",
            rng.choice(SEVERITIES),
            rng.choice(PRIORITIES),
            "f",
            state,
            N if assignee is None else str(assignee),
            N if team is None else str(team),
            _iso(acknowledged),
            _iso(received + dt.timedelta(days=2)),
            _iso(received + dt.timedelta(days=56)),
            _iso(decided),
            N if not closed or assignee is None else str(assignee),
            _iso(decided),
            "accepted" if state == "closed" else "",
            "Not about our products or services." if state == "out_of_scope" else "",
            "",
            "",
            "We apologise and have refunded the charge." if closed else "",
            "",
            digest,
            str(rng.randint(1, 9)),
            _iso(decided or received),
            # what complaints.services.search_document writes
            f"{subject} {description} {people[complainant_id]}".lower(),
            variety.choice(SEGMENTS),
            variety.choice(CAUSES)[0] if closed and variety.random() < 0.8 else N,
        ]
        complaint_lines.append("\t".join(fields) + "\n")
    return (
        "".join(complainant_lines),
        "".join(complaint_lines),
        next_complainant - first_complainant,
    )


def load(database_url: str, count: int, *, seed: int = 10002, batch: int = 50_000) -> float:
    """Append ``count`` complaints; returns seconds taken (COPY and VACUUM ANALYZE)."""
    import psycopg

    env = django_env(database_url)
    migrate(env)
    handlers, categories = prepare(env)
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(database_url, autocommit=True) as conn:
        # A GIN index is far cheaper to build once than to maintain row by row during COPY.
        conn.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    with psycopg.connect(database_url, autocommit=False) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT COALESCE(max(id), 0) FROM complaints_complainant")
            next_complainant = cur.fetchone()[0] + 1
            cur.execute("SELECT COALESCE(max(id), 0) FROM complaints_complaint")
            next_complaint = cur.fetchone()[0] + 1
        rng = random.Random(seed + next_complaint)
        done = 0
        while done < count:
            size = min(batch, count - done)
            people, cases, made = generate(
                rng, next_complainant, next_complaint, size, handlers, categories, now
            )
            with conn.cursor() as cur:
                with cur.copy(f"COPY complaints_complainant ({COMPLAINANT_COLS}) FROM STDIN") as cp:
                    cp.write(people)
                with cur.copy(f"COPY complaints_complaint ({COMPLAINT_COLS}) FROM STDIN") as cp:
                    cp.write(cases)
            conn.commit()
            next_complainant += made
            next_complaint += size
            done += size
            rate = done / (time.monotonic() - started)
            print(f"# loaded {done:,}/{count:,} ({rate:,.0f} complaints/s)", flush=True)
        with conn.cursor() as cur:
            for table in ("complaints_complainant", "complaints_complaint"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            # references were written here as C-<year>-<id>: new intakes must number after them
            cur.execute(
                "SELECT setval('complaint_reference_seq', max(id)) FROM complaints_complaint"
            )
        conn.commit()
    with psycopg.connect(database_url, autocommit=True) as conn:
        built = time.monotonic()
        conn.execute(f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {SEARCH_INDEX_ON}")
        print(f"# {SEARCH_INDEX} built in {time.monotonic() - built:.0f}s", flush=True)
        conn.execute("VACUUM ANALYZE complaints_complainant")
        conn.execute("VACUUM ANALYZE complaints_complaint")
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(description="Load complaints for bench/queue_pages.py")
    parser.add_argument("--complaints", type=int, default=100_000)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database (see bench/pg.py start)")
        return 2
    seconds = load(url, args.complaints)
    print(f"loaded {args.complaints:,} complaints in {seconds:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
