"""Case page benchmark: the staff page of one complaint, ``/staff/complaints/<reference>/``, with
many complaints loaded.

    .venv/bin/python bench/case_page.py [--complaints 1000000] [--repeat 100] [--profile] [--explain]

Tops the database up to ``--complaints`` complaints with bench/load_queue.py (COPY), gives the
loaded complaints a short audit history (received, acknowledged, closed: one ``INSERT … SELECT``,
so the audit table has the size it would have), publishes a code of two promises, then files a
few cases through the services:

  big     50 audit events (intake, steps, 10 messages, findings and reassignments),
          10 messages (outbound, internal, from the complainant), 5 attachments, 2 promise checks
  small   1 audit event, no message, no attachment (logged by staff from a phone call)
  one-each 1 message and 1 attachment on top of intake
  loaded  one of the complaints loaded by COPY (open, its 2 history events)

and measures the staff case page for each in-process with Django's test Client (the whole
request: middleware, session, access, selectors, the promise panel, rendering; no network):
p50/p95 of wall time over ``--repeat`` requests (100: the p95 is then the sixth-slowest, not
one of two outliers of a shared machine), the median CPU time of this process per request
(``cpu=``, Python's share without PostgreSQL's: the steadier figure on a shared machine), the
Python function calls per request under cProfile (``calls=``: unmoved by the machine's load) and
the SQL statements per request. The statement count must be the same for every case. These
rows view an unchanged case again and again, so its history (timeline, attachments, remedies,
broken-promise claims) comes from Django's cache (``complaints.views_history``); the row
``big-first`` is the first view after a change (the history's keys forgotten before each request:
its five statements run and the timeline is rendered). Two lines put the rows in scale: the
machine's speed at the start and at the end (``_common.machine_loop_ms``: a fixed Python loop),
and the smallest staff page (the person's notification settings: the staff header and a short
form, no case) measured the same way in the same moment.
``--profile`` runs the big case's requests under cProfile and prints the top of it;
``--explain`` prints EXPLAIN ANALYZE of the big case's statements; ``--breakdown`` times each
read of the page alone, and the timeline's rendering with its dates written by ``core.dates``
and with Django's ``date`` filter per entry.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_env, machine_loop_ms, percentile, setup_django
from load_queue import load
from pg import cluster

TARGET_P95_MS = 12.0
BIG_SUBJECT = "Case page bench: the long case, with promises"
SMALL_SUBJECT = "Case page bench: one event, with promises"
ONE_EACH_SUBJECT = "Case page bench: one of each, with promises"
CODE_SLUG = "case-page-bench"
# Two promises of a published code: the bench's cases get their checks (the panel's clocks) and
# the claim form its choices, as in the demo. The loaded complaints have no checks.
PROMISES = [
    {
        "key": "acknowledge",
        "texts": {"en": "We acknowledge within 2 business days."},
        "clock": "received_to_acknowledged",
        "limit_amount": 2,
        "limit_unit": "business_days",
        "pauses_while_waiting": False,
    },
    {
        "key": "respond",
        "texts": {"en": "We decide within 10 business days."},
        "clock": "received_to_decision",
        "limit_amount": 10,
        "limit_unit": "business_days",
        "pauses_while_waiting": True,
    },
]
BIG_EVENTS = 50
BIG_MESSAGES = 10

# One history per loaded complaint that has none: received, then acknowledged (when it was),
# then the closing event (when it is closed). The hashes are filler: the page does not verify
# chains, and these rows only give the audit table and its index their real size.
HISTORY_SQL = """
INSERT INTO core_auditevent
    (case_type, case_id, seq, at, actor_id, actor_label, action, data, personal, prev_hash, hash,
     hash_version)
SELECT 'complaint', c.id, e.seq, e.at, NULL, e.label, e.action, '{}'::jsonb, '{}'::jsonb,
       repeat('0', 64), md5(c.id::text || '-' || e.seq) || md5(e.seq || '-' || c.id::text), 2
FROM complaints_complaint c
CROSS JOIN LATERAL (VALUES
    (1, c.received_at, 'Complainant', 'received'),
    (2, c.acknowledged_at, 'System', 'acknowledge'),
    (3, c.closed_at, 'Staff', 'close')
) AS e(seq, at, label, action)
WHERE e.at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM core_auditevent a
                  WHERE a.case_type = 'complaint' AND a.case_id = c.id)
"""


@dataclass
class Row:
    name: str
    reference: str
    events: int
    messages: int
    attachments: int
    p50: float
    p95: float
    cpu: float
    statements: list[int]
    n: int
    calls: int


def complaint_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]


def give_loaded_complaints_a_history(url: str) -> None:
    import psycopg

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        added = conn.execute(HISTORY_SQL).rowcount
        if added:
            conn.execute("VACUUM ANALYZE core_auditevent")
    print(f"# audit history: {added:,} events added in {time.monotonic() - started:.0f}s")


def _upload(name: str, body: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plaint.core.uploads import check_uploads

    return check_uploads([SimpleUploadedFile(name, body, content_type="text/plain")])


def _file(subject: str, *, email: str, channel: str, actor, attachments: int):
    from plaint.complaints.services import ComplaintInput, complaint_submit

    data = ComplaintInput(
        name="Kadri Tamm",
        email=email,
        phone="" if email else "+372 5555 0101",
        preferred_channel="email" if email else "phone",
        subject=subject,
        description="The washing machine broke twice within the warranty and the repair "
        "visit was cancelled without notice.",
        desired_outcome="A replacement machine.",
        product="Washing machine",
        category="warranty",
        consent=True,
        attachments=[
            upload
            for k in range(attachments)
            for upload in _upload(f"receipt-{k + 1}.txt", f"Receipt {k + 1}\n".encode())
        ],
    )
    complaint, _token = complaint_submit(data=data, channel=channel, actor=actor)
    return complaint


def _events(complaint) -> int:
    from plaint.core.models import AuditEvent

    return AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).count()


def make_big_case(admin, handlers: list) -> None:
    """Intake with 3 attachments, three steps, 10 messages (2 with an attachment), then findings
    and reassignments until the case has 50 audit events. Everything through the services."""
    from plaint.complaints import services as s
    from plaint.core.actors import Actor

    staff = Actor.staff(admin)
    complaint = _file(
        BIG_SUBJECT,
        email="kadri.tamm@example.org",
        channel="web",
        actor=Actor.complainant(),
        attachments=3,
    )
    s.complaint_assess(
        complaint_id=complaint.pk, actor=staff, severity="high", assignee_id=handlers[0].pk
    )
    s.complaint_start_investigation(complaint_id=complaint.pk, actor=staff)
    for k in range(BIG_MESSAGES):
        kind = ("outbound", "internal", "inbound")[k % 3]
        s.message_post(
            complaint_id=complaint.pk,
            actor=Actor.complainant() if kind == "inbound" else staff,
            body=f"Message {k + 1} on the case.\nThe engineer's report is attached."
            if k in (1, 4)
            else f"Message {k + 1} on the case.",
            internal=kind == "internal",
            attachments=_upload(f"report-{k + 1}.txt", b"Engineer's report\n")
            if k in (1, 4)
            else None,
        )
    turn = 0
    while _events(complaint) < BIG_EVENTS:
        if turn % 3 == 2:
            s.complaint_record_findings(
                complaint_id=complaint.pk,
                actor=staff,
                findings=f"Findings, round {turn + 1}: the door seal was fitted wrongly.",
                root_cause="Assembly instructions unclear.",
            )
        else:
            s.complaint_assign(
                complaint_id=complaint.pk,
                actor=staff,
                assignee_id=handlers[turn % len(handlers)].pk,
            )
        turn += 1


def publish_code(staff) -> None:
    from plaint.promises import services
    from plaint.promises.models import Code

    if Code.objects.filter(slug=CODE_SLUG).exists():
        return
    code = services.code_create(
        actor=staff, slug=CODE_SLUG, title={"en": "Our service promises"}, owner="Customer care"
    )
    for fields in PROMISES:
        services.promise_create(actor=staff, code_id=code.pk, **fields)
    services.code_transition(actor=staff, code_id=code.pk, step="publish")


def make_cases(admin, handlers: list) -> None:
    """The cases the page is measured on, filed once (a second run finds them)."""
    from plaint.complaints import services as s
    from plaint.complaints.models import Complaint
    from plaint.core.actors import Actor

    if Complaint.objects.filter(subject=BIG_SUBJECT).exists():
        return
    started = time.monotonic()
    staff = Actor.staff(admin)
    publish_code(staff)
    make_big_case(admin, handlers)
    _file(SMALL_SUBJECT, email="", channel="phone", actor=staff, attachments=0)
    one = _file(ONE_EACH_SUBJECT, email="", channel="phone", actor=staff, attachments=0)
    s.message_post(
        complaint_id=one.pk,
        actor=staff,
        body="Called back; the photo is attached.",
        internal=True,
        attachments=_upload("call-notes.txt", b"Call notes\n"),
    )
    print(f"# filed the bench's cases through the services in {time.monotonic() - started:.1f}s")


def cases() -> dict[str, object]:
    from plaint.complaints.models import Complaint

    found = {
        "big": Complaint.objects.get(subject=BIG_SUBJECT),
        "small": Complaint.objects.get(subject=SMALL_SUBJECT),
        "one-each": Complaint.objects.get(subject=ONE_EACH_SUBJECT),
    }
    # a loaded complaint that is open and assigned, from the middle of the table
    loaded = (
        Complaint.objects.filter(state="investigating", assignee__isnull=False)
        .exclude(subject__startswith="Case page bench")
        .order_by("id")
    )
    found["loaded"] = loaded[loaded.count() // 2]
    return found


def forget_history(complaint, user):
    """What a change to the case does to the page's cached history (``views_history``): the
    next view reads and renders it again. Called before each request of a "first view" row."""
    from django.core.cache import cache

    from plaint.complaints import selectors
    from plaint.complaints.views_history import history_key
    from plaint.core.selectors import organisation_get

    case = selectors.complaint_get(actor=user, reference=complaint.reference, case_page=True)
    key = history_key(case, language="en", zone=organisation_get().timezone, internal=True)
    return lambda: cache.delete_many([f"{key}:page", f"{key}:claims"])


@dataclass
class Timed:
    times: list[float]  # seconds, sorted
    cpu: float  # median CPU seconds of this process per request
    statements: list[int]
    calls: int


def time_path(client, path: str, repeat: int, before_each=None) -> Timed:
    """``repeat`` GETs of ``path`` (after three to warm up): their wall and CPU times, the
    statements of three more, the Python function calls of five under cProfile."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    before_each = before_each or (lambda: None)
    for _ in range(3):  # warm the connection, the session and the template cache
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    counts = set()
    for _ in range(3):
        before_each()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        counts.add(len(ctx.captured_queries))
    reset_queries()
    times: list[float] = []
    cpu: list[float] = []
    deadline = time.monotonic() + 120
    for _ in range(repeat):
        before_each()
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(path)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if time.monotonic() > deadline:
            break
    times.sort()
    profiler = cProfile.Profile()  # Python function calls: a figure the machine's load leaves alone
    profiler.enable()
    for _ in range(5):
        before_each()
        client.get(path)
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls // 5
    return Timed(times, statistics.median(cpu), sorted(counts), calls)


def measure_one(client, name: str, complaint, repeat: int, before_each=None) -> Row:
    timed = time_path(client, f"/staff/complaints/{complaint.reference}/", repeat, before_each)
    return Row(
        name=name,
        reference=complaint.reference,
        events=_events(complaint),
        messages=complaint.messages.count(),
        attachments=complaint.attachments.count(),
        p50=percentile(timed.times, 50) * 1000,
        p95=percentile(timed.times, 95) * 1000,
        cpu=timed.cpu * 1000,
        statements=timed.statements,
        n=len(timed.times),
        calls=timed.calls,
    )


def measure_floor(client, repeat: int) -> str:
    """For scale, in the same moment: the smallest staff page (the signed-in person's
    notification settings: a form of a few checkboxes in the staff header, no case), measured
    the same way. What the case page costs above it is the case's own."""
    path = "/staff/notifications/settings/"
    timed = time_path(client, path, repeat)
    return (
        f"for scale {path}: p50={percentile(timed.times, 50) * 1000:6.1f}ms "
        f"p95={percentile(timed.times, 95) * 1000:6.1f}ms cpu={timed.cpu * 1000:5.1f}ms "
        f"calls={timed.calls:,} statements={'/'.join(map(str, timed.statements))} "
        f"n={len(timed.times)}"
    )


def profile(client, complaint, repeat: int) -> None:
    path = f"/staff/complaints/{complaint.reference}/"
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    print(out.getvalue())


def explain(client, complaint) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/staff/complaints/{complaint.reference}/")
    with connection.cursor() as cur:
        for query in ctx.captured_queries:
            sql = query["sql"]
            print(f"-- {sql[:400]}")
            if sql.lstrip().upper().startswith("SELECT"):
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("   " + "\n   ".join(r[0] for r in cur.fetchall()))


def breakdown(complaint, user, repeat: int = 200) -> None:
    """CPU and wall time of each read the page makes, alone, and of the timeline's rendering with
    and without its two dates per entry: where a request's time goes."""
    from django.db import connection
    from django.template import engines
    from django.utils import timezone, translation

    from plaint.complaints import forms, selectors
    from plaint.core.dates import DateTimeFormatter
    from plaint.core.selectors import config_token, organisation_get
    from plaint.promises import selectors as promises

    translation.activate("en")
    entries = selectors.complaint_timeline(complaint=complaint, actor=user)
    page = Path(selectors.__file__).parent / "jinja2/complaints/staff/_timeline.html"
    timeline = page.read_text()  # Jinja2 (plaint.site.jinja), as the page renders it
    # the same with Django's date filter twice per entry, as the page was before core.dates
    filtered = timeline.replace("{{ at_iso }}", '{{ entry.at|date("c") }}').replace(
        "{{ at_text }}", '{{ entry.at|date("DATETIME_FORMAT") }}'
    )

    compiled = engines["jinja2"].from_string(timeline)  # compiled once, as the loader keeps it
    compiled_filtered = engines["jinja2"].from_string(filtered)

    def rows() -> list:
        when = DateTimeFormatter("DATETIME_FORMAT")
        return [(e, when.iso(e.at), when(e.at)) for e in entries]

    parts = {
        "complaint_get": lambda: selectors.complaint_get(actor=user, reference=complaint.reference),
        "complaint_timeline (2 statements)": lambda: selectors.complaint_timeline(
            complaint=complaint, actor=user
        ),
        "complaint_attachments": lambda: selectors.complaint_attachments(
            complaint=complaint, public_only=False
        ),
        "complaint_remedy_rounds": lambda: selectors.complaint_remedy_rounds(complaint=complaint),
        "reply_templates_for_case (cached)": lambda: selectors.reply_templates_for_case(
            complaint=complaint, token=config_token()
        ),
        "organisation_get": organisation_get,
        "config_token": config_token,
        "complaint_checks (token + checks)": lambda: promises.complaint_checks(
            complaint=complaint, actor=user
        ),
        "complaint_claims": lambda: promises.complaint_claims(complaint=complaint),
        "AssignForm (people + teams; its own page now)": lambda: forms.AssignForm(initial={}),
        "SELECT 1 (a bare round trip)": lambda: connection.cursor().execute("SELECT 1"),
        f"timeline template, {len(entries)} entries (dates: core.dates)": lambda: compiled.render(
            {"timeline": rows()}
        ),
        "the same with the date filter per entry": lambda: compiled_filtered.render(
            {"timeline": [(e, None, None) for e in entries]}
        ),
    }
    print(f"\n## where the time goes ({complaint.reference}), each part alone x{repeat}")
    with timezone.override("Europe/Tallinn"):
        for label, call in parts.items():
            call()
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(repeat):
                call()
            cpu = (time.process_time() - c0) / repeat * 1000
            wall = (time.perf_counter() - t0) / repeat * 1000
            print(f"{label:<36} cpu={cpu:6.2f}ms wall={wall:6.2f}ms")


def prepare(url: str, size: int) -> None:
    try:
        have = complaint_count(url)
    except Exception:  # no tables yet
        have = 0
    if have < size:
        seconds = load(url, size - have)
        print(f"# loaded {size - have:,} complaints in {seconds:.0f}s", flush=True)
    give_loaded_complaints_a_history(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plaint case page benchmark")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args(argv)
    with cluster() as url:
        prepare(url, args.complaints)
        setup_django(django_env(url))
        from django.test import Client

        from plaint.accounts.models import User

        admin = User.objects.get(username="bench-admin")
        handlers = list(User.objects.filter(username__startswith="handler").order_by("id")[:4])
        make_cases(admin, handlers)
        client = Client()
        client.force_login(handlers[0])  # a handler: the page with its forms
        found = cases()
        print(f"\n## {complaint_count(url):,} complaints: /staff/complaints/<reference>/ "
              "(server time in-process, Django test Client)")  # fmt: skip
        print(f"# machine: a fixed Python loop takes {machine_loop_ms():.0f} ms (lower: faster)")
        rows = [measure_one(client, name, c, args.repeat) for name, c in found.items()]
        # the first view after a change: the history read and rendered, not from the cache
        forget = forget_history(found["big"], handlers[0])
        rows.append(measure_one(client, "big-first", found["big"], args.repeat, forget))
        for r in rows:
            verdict = "ok" if r.p95 < TARGET_P95_MS else f"MISS (p95 target {TARGET_P95_MS} ms)"
            print(
                f"{r.name:<9} {r.reference:<15} events={r.events:<3} messages={r.messages:<3} "
                f"attachments={r.attachments:<2} p50={r.p50:6.1f}ms p95={r.p95:6.1f}ms "
                f"cpu={r.cpu:5.1f}ms calls={r.calls:,} "
                f"statements={'/'.join(map(str, r.statements))} "
                f"n={r.n}  {verdict}",
                flush=True,
            )
        print(measure_floor(client, args.repeat))
        print(f"# machine after the rows: {machine_loop_ms():.0f} ms")
        # A case that came by e-mail shows its e-mail panel (mailin), one more read, whatever the
        # case's size; the count must not grow with events, messages or attachments.
        by_mail = {name for name, c in found.items() if c.channel == "email"}
        counts = {
            tuple(r.statements) for r in rows if r.name != "big-first" and r.name not in by_mail
        }
        print(
            "statements: "
            + ("the same for every case" if len(counts) == 1 else "DIFFER")
            + (
                f" (by e-mail, with its e-mail panel: {', '.join(sorted(by_mail))})"
                if by_mail
                else ""
            )
        )
        if args.profile:
            profile(client, found["big"], args.repeat)
        if args.explain:
            explain(client, found["big"])
        if args.breakdown:
            breakdown(found["big"], handlers[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
