"""Several sealers at once: worker processes sealing the same PostgreSQL database into one seal log
(and racing to create the first key) leave one numbered, linked seal per line; concurrent appends
to the seal log never mix their lines."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from plaint.core.audit import audit_verify
from plaint.core.audit.seallog import append
from plaint.core.models import AuditDigest

ROOT = Path(__file__).resolve().parents[2]
SEALERS = 4
ROUNDS = 8

# Each process files a complaint and seals, ROUNDS times, after all are ready.
SEALER = """
import os, sys, time
import django
django.setup()
from plaint.core.audit import audit_seal
from tests.factories import make_complaint
print("ready", flush=True)
deadline = time.monotonic() + 60
while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:
    time.sleep(0.01)
for i in range(int(sys.argv[2])):
    make_complaint(name=f"Person {os.getpid()} {i}", email=f"p{os.getpid()}x{i}@example.org")
    audit_seal()
print("done", flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgresql://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_sealers_in_parallel_leave_one_linked_seal_per_log_line(settings, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plaint.settings",
        "PLAINT_ENV": "test",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "PLAINT_AUDIT_KEY_FILE": str(settings.AUDIT_KEY_FILE),
        "PLAINT_AUDIT_SEAL_LOG": str(settings.AUDIT_SEAL_LOG),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PLAINT_AUDIT_KEY", None)
    go = tmp_path / "go"
    sealers = [
        subprocess.Popen(
            [sys.executable, "-c", SEALER, str(go), str(ROUNDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(SEALERS)
    ]
    try:
        for sealer in sealers:
            assert sealer.stdout.readline().strip() == "ready", sealer.stderr.read()
        go.touch()
        for sealer in sealers:
            _out, err = sealer.communicate(timeout=180)
            assert sealer.returncode == 0, err
    finally:
        for sealer in sealers:
            if sealer.poll() is None:
                sealer.kill()
                sealer.wait(timeout=10)
    lines = [json.loads(line) for line in settings.AUDIT_SEAL_LOG.read_text().splitlines()]
    numbers = sorted(AuditDigest.objects.values_list("number", flat=True))
    assert [line["n"] for line in lines] == numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= SEALERS  # some rounds find nothing new to seal; most do not
    assert len({line["key"] for line in lines}) == 1  # one key, though four processes raced for it
    report = audit_verify()
    assert report.ok and report.chains == SEALERS * ROUNDS, report.seal_problems


def _append_many(path: str, writer: int) -> None:
    for i in range(50):
        append({"writer": writer, "i": i, "pad": "x" * 20_000}, Path(path))


def test_concurrent_appends_to_the_seal_log_never_mix_lines(tmp_path):
    log = tmp_path / "seals.jsonl"
    context = multiprocessing.get_context("fork")  # the child only appends to a file
    writers = [context.Process(target=_append_many, args=(str(log), w)) for w in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert sorted((r["writer"], r["i"]) for r in records) == [
        (w, i) for w in range(4) for i in range(50)
    ]
    assert oct(os.stat(log).st_mode & 0o777) == "0o600"
