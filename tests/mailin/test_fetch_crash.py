"""A fetcher killed (SIGKILL) at any point of its work and started again loses nothing and
doubles nothing: real processes, a real Dovecot, a real SQLite database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.mailin.corpus import mail
from tests.mailin.dovecot import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# The fetcher processes use a SQLite file of their own whatever the suite runs on: once is enough.
pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="runs in the SQLite run only (its processes use their own SQLite file)",
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A migrated SQLite data folder for the fetcher processes (they cannot see the test database)."""
    path = tmp_path_factory.mktemp("mailin-crash")
    result = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        env=_env(path),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
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
        DJANGO_SETTINGS_MODULE="plaint.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **extra,
    )
    return env


def _fetch(data_dir: Path, dovecot, user: str, point: str, n: int) -> int:
    env = _env(
        data_dir,
        PLAINT_MAILIN_MAILBOXES="support",
        PLAINT_MAILIN_SUPPORT_URL=f"imaps://{user}@{dovecot.host}:{dovecot.port}/INBOX",
        PLAINT_MAILIN_SUPPORT_PASSWORD=PASSWORD,
        PLAINT_MAILIN_CA_FILE=str(dovecot.cert),
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.mailin.crashing_fetch", point, str(n)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode in {0, -9}, done.stderr
    return done.returncode


def _counts(data_dir: Path) -> tuple[int, int, int]:
    with sqlite3.connect(data_dir / "plaint.sqlite3") as db:
        mails = db.execute("SELECT count(*) FROM mailin_inboundmail").fetchone()[0]
        cases = db.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]
        acks = db.execute(
            "SELECT count(*) FROM core_outboundemail WHERE kind = 'acknowledgement'"
        ).fetchone()[0]
    return mails, cases, acks


def test_killing_the_fetcher_at_every_point_loses_nothing_and_doubles_nothing(data_dir, dovecot):
    user = "crash-test"
    messages = [mail(500 + i, f"Complaint number {i}.".encode()) for i in range(10)]
    # the 3rd without a Message-ID: found again by its content hash
    messages[2] = mail(600, b"No Message-ID here.", message_id=False)
    dovecot.append(user, messages)

    assert _fetch(data_dir, dovecot, user, "after-commit", 3) == -9  # 3rd committed, not flagged
    assert _counts(data_dir)[0] == 3
    assert dovecot.unseen(user) == 8  # only the first two were flagged

    assert _fetch(data_dir, dovecot, user, "before-commit", 2) == -9  # the 3rd again: a no-op
    assert _counts(data_dir)[0] == 4  # the 4th committed; the 5th written, rolled back
    assert dovecot.unseen(user) == 6  # 3rd and 4th flagged now
    assert _fetch(data_dir, dovecot, user, "before-receive", 3) == -9  # 5th, 6th; 7th read only
    assert _counts(data_dir)[0] == 6
    assert _fetch(data_dir, dovecot, user, "none", 0) == 0

    assert _counts(data_dir) == (10, 10, 10)  # every mail once, one case and one acknowledgement
    assert dovecot.unseen(user) == 0
