"""Report reads from a real PostgreSQL streaming replica (``DATABASE_REPLICA_URL``).

The test makes a primary and a standby of it (``pg_basebackup -R``), loads Plaint's schema into
the primary, and runs Plaint against both in a process of its own. With the standby's replay
paused, a complaint filed on the primary is on its case page (a handler's read: the primary) but
not yet in the register export (a report: the replica), and the insights page says how far
behind its figures may be; once replay resumes, the report has it. The export records itself in
the audit trail inside the report: that write goes to the primary (the standby refuses writes).
With the replica stopped, reports read the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.reliability.processes import database_url, pg_tool, primary_and_replica

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """
import json, os, subprocess, time
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
import psycopg
from tests.factories import UserFactory, make_complaint

setup_test_environment()
primary = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
replica = psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True)
seen = {}

def wait(what, check):
    deadline = time.monotonic() + 20
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)

# The insert position, not pg_current_wal_lsn() (the write position): the test's clusters commit
# asynchronously (synchronous_commit off), so a commit's record may still wait in the primary's
# WAL buffers, unsent, while the write position says the replica has everything.
def caught_up():  # the replica has replayed everything the primary wrote so far
    lsn = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    return replica.execute("SELECT pg_last_wal_replay_lsn() >= %s", [lsn]).fetchone()[0]

def received():  # the replica has received it (replay may be paused)
    lsn = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    return replica.execute("SELECT pg_last_wal_receive_lsn() >= %s", [lsn]).fetchone()[0]

def export_rows(client):
    response = client.get("/staff/export/", {"format": "csv"})
    assert response.status_code == 200, response.status_code
    return len(b"".join(response.streaming_content).decode().splitlines()) - 1

def insights_note(client):
    html = client.get("/staff/insights/").content.decode()
    start = html.index('id="replica-note">') + len('id="replica-note">')
    return html[start:html.index("</p>", start)]

client = Client()
client.force_login(UserFactory(username="maria", role="manager"))
first, _ = make_complaint(subject="Parcel lost")
wait("replica has the first complaint", caught_up)
seen["up_to_date"] = insights_note(client)
seen["rows_before"] = export_rows(client)
wait("replica has the export's audit event", caught_up)

replica.execute("SELECT pg_wal_replay_pause()")
second, _ = make_complaint(subject="Window broken")
wait("replica received the second complaint", received)
time.sleep(1.2)
case = client.get(f"/staff/complaints/{second.reference}/")
seen["case_page"] = [case.status_code, "Window broken" in case.content.decode()]
seen["rows_paused"] = export_rows(client)
seen["paused"] = insights_note(client)

replica.execute("SELECT pg_wal_replay_resume()")
wait("replica replayed the rest", caught_up)
seen["rows_after"] = export_rows(client)
wait("replica has the last export's audit event", caught_up)
seen["audit_on_replica"] = replica.execute(
    "SELECT count(*) FROM core_auditevent WHERE action = 'register_exported'"
).fetchone()[0]

# The replica goes down: reports read the primary and say nothing of a replica.
replica.close()
subprocess.run(json.loads(os.environ["STOP_REPLICA"]), check=True, capture_output=True)
down = client.get("/staff/insights/")
seen["replica_down"] = [down.status_code, 'id="replica-note"' in down.content.decode()]
seen["rows_down"] = export_rows(client)
print(json.dumps(seen), flush=True)
"""


def _load_schema(primary, folder: Path) -> None:
    """Plaint's tables into the primary, from this test's migrated database (faster than
    running the migrations again)."""
    dump = folder / "schema.dump"
    primary.run("pg_dump", "-Fc", "--no-owner", "--no-acl", "-f", str(dump),
                database_url(connection.settings_dict))  # fmt: skip
    primary.run("createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "plaint")
    primary.run("pg_restore", "--no-owner", "--no-acl", "-h", "127.0.0.1", "-p",
                str(primary.port), "-U", "postgres", "-d", "plaint", str(dump))  # fmt: skip


def _stop_command(replica) -> list[str]:
    stop = [pg_tool("pg_ctl"), "-D", str(replica.data), "-m", "fast", "-w", "stop"]
    return ["runuser", "-u", "postgres", "--", *stop] if os.geteuid() == 0 else stop


def test_reports_read_the_replica_and_say_how_stale(tmp_path):
    with primary_and_replica() as (primary, replica):
        _load_schema(primary, primary.folder)
        wait_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "plaint.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "PLAINT_ENV": "test",
            "PLAINT_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": primary.url(),
            "DATABASE_REPLICA_URL": replica.url(),
            "STOP_REPLICA": json.dumps(_stop_command(replica)),
            "DB_CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
        }
        wait_env.pop("PLAINT_TASKS_IMMEDIATE", None)
        done = subprocess.run(
            [sys.executable, "-c", SCENARIO],
            cwd=ROOT,
            env=wait_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["up_to_date"] == (
        "These figures come from the replica database, which is up to date with the main database."
    )
    assert seen["rows_before"] == 1
    # Paused: the handler's case page reads the primary, the report the replica.
    assert seen["case_page"] == [200, True]
    assert seen["rows_paused"] == 1
    assert seen["paused"].startswith("These figures come from the replica database and may be up")
    assert seen["paused"].endswith("seconds behind the main database.")
    assert seen["rows_after"] == 2
    assert seen["audit_on_replica"] == 3  # every export recorded, on the primary, replicated
    assert seen["replica_down"] == [200, False] and seen["rows_down"] == 2
