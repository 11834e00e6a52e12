"""The ``plaint`` command: management commands through call_command, and the real console script
in subprocesses (worker and server start, answer and stop on SIGTERM)."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.complaints.states import State
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent
from tests.factories import advance, make_complaint

PLAINT = str(Path(sys.executable).with_name("plaint"))


def run(*args: str, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


# --- plaint demo --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_demo_no_serve_seeds_every_state_in_five_languages():
    output = run("demo", "--no-serve", "--complaints", "40")
    assert "seeded 40 complaints" in output
    assert "plaint-demo" in output and "handler2" in output and "auditor" in output
    assert "http://127.0.0.1:8000/staff/" in output
    assert set(Complaint.objects.values_list("state", flat=True)) == set(State.values)
    languages = Counter(Complaint.objects.values_list("complainant__language", flat=True))
    assert set(languages) == {"en", "et", "uk", "sv", "fa"}
    assert audit_verify().ok
    # the insights step after the surveys seeder counted every response of the bulk history
    from plaint.insights.models import AnswerCount
    from plaint.surveys.models import Response

    for survey_id, responses in Counter(
        Response.objects.filter(submitted_at__isnull=False).values_list("survey_id", flat=True)
    ).items():
        counted = AnswerCount.objects.filter(
            survey_id=survey_id, question__code="overall", dimension="all"
        ).values_list("count", flat=True)
        assert sum(counted) == responses
    # a second start keeps the data
    again = run("demo", "--no-serve")
    assert "not seeding" in again
    assert Complaint.objects.count() == 40


# transaction=True: on PostgreSQL, TRUNCATE (flush) refuses to run inside the transaction that
# wraps a plain db test once it has rows with deferred FK checks; the real command runs in autocommit.
@pytest.mark.django_db(transaction=True)
def test_demo_reset_replaces_the_data(handler):
    make_complaint()
    output = run("demo", "--no-serve", "--reset", "--complaints", "12")
    assert "database emptied" in output
    assert Complaint.objects.count() == 12
    assert not User.objects.filter(username="hans").exists()


# --- plaint audit -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_audit_verify_passes_then_names_the_tampered_event(handler):
    complaint, _ = make_complaint()
    advance(complaint, "investigating", by=handler)
    make_complaint(name="Jaan Tamm")
    assert "sealed 2 chains into seal #1" in run("audit", "seal")
    output = run("audit", "verify")
    assert "checked 2 chains" in output and "against 1 seals" in output
    assert "audit trail intact" in output

    target = AuditEvent.objects.get(case_type="complaint", case_id=complaint.pk, seq=3)
    AuditEvent.objects.filter(pk=target.pk).update(data={"after": {"state": "closed"}})
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=out)
    assert excinfo.value.returncode == 1
    text = out.getvalue()
    assert f"complaint {complaint.pk} event #3 (id {target.pk})" in text
    assert "altered" in text
    assert text.count("BROKEN:") == 1  # only the tampered chain, and only its first break


@pytest.mark.django_db
def test_audit_seal_then_a_deleted_chain_breaks_the_seal():
    complaint, _ = make_complaint()
    assert "sealed 1 chains into seal #1" in run("audit", "seal")
    assert "nothing to seal" in run("audit", "seal")
    AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).delete()
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", stdout=out)
    assert excinfo.value.returncode == 1
    assert f"BROKEN: complaint {complaint.pk} event #" in out.getvalue()
    assert "the whole chain is missing: seal #1 sealed it" in out.getvalue()


# --- the console script in real processes -------------------------------------------------------
@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A migrated SQLite data folder for subprocesses (they cannot see the test database)."""
    path = tmp_path_factory.mktemp("plaint-cli")
    result = subprocess.run(
        [PLAINT, "migrate", "--verbosity", "0"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return path


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PLAINT_", "DATABASE_", "EMAIL_"))
    }
    env.update(
        PLAINT_ENV="development",
        PLAINT_DATA_DIR=str(data_dir),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **extra,
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_line(process: subprocess.Popen, needle: str, timeout: float) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen += line
        if needle in line:
            return seen
    raise AssertionError(f"{needle!r} not printed within {timeout}s; got:\n{seen}")


def test_console_script_runs_django_commands_and_reports_bad_settings(data_dir):
    ok = subprocess.run(
        [PLAINT, "audit", "verify"], env=_env(data_dir), capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr
    assert "checked 0 chains" in ok.stdout
    bad = subprocess.run(
        [PLAINT, "check"],
        env=_env(data_dir, DEBUG="maybe"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "DEBUG" in bad.stderr and "maybe" in bad.stderr


def test_audit_verify_without_its_key_says_so_without_a_traceback(data_dir, tmp_path):
    seal_log = tmp_path / "seals.jsonl"
    seal_log.write_text('{"n": 1}\n')  # seals exist, but the key that signed them is gone
    missing = subprocess.run(
        [PLAINT, "audit", "verify"],
        env=_env(
            data_dir,
            PLAINT_AUDIT_SEAL_LOG=str(seal_log),
            PLAINT_AUDIT_KEY_FILE=str(tmp_path / "gone"),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "no audit key" in missing.stderr and str(tmp_path / "gone") in missing.stderr
    assert "Traceback" not in missing.stderr


def test_worker_stops_cleanly_on_sigterm(data_dir):
    worker = subprocess.Popen(
        [PLAINT, "worker", "--interval", "0.2"],
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(worker, "plaint worker running", timeout=60)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
        assert "plaint worker stopped" in worker.stdout.read()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)


def test_serve_answers_http_and_stops_its_worker(data_dir):
    port = _free_port()
    server = subprocess.Popen(
        [PLAINT, "serve", "--port", str(port), "--workers", "1", "--threads", "2", "--with-worker"],
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(server, "job worker started", timeout=60)
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5
                ) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.3)
        assert status == 200
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
        output = server.stdout.read()
        assert "job worker stopped" in output
        assert "Using worker: gthread" in output, "--threads 2: gunicorn's threaded workers"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
