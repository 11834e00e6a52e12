"""The throwaway Dovecot server (one for the session) and a fresh mailbox on it per test."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from plaint.mailin.imap import Mailbox
from tests.mailin.dovecot import DOVECOT, PASSWORD, Dovecot

_users = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot():
    """Skips when Dovecot is missing, unless PLAINT_REQUIRE_DOVECOT=1 (scripts/test sets it when
    it has Dovecot), so a broken setup fails CI instead of hiding."""
    if not os.path.exists(DOVECOT):
        message = f"Dovecot not found at {DOVECOT} (apt-get install dovecot-imapd)"
        if os.environ.get("PLAINT_REQUIRE_DOVECOT") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's temporary folder: its parents are private to this user, and as root
    # Dovecot's own users (dovecot, dovenull, nobody for the mail) must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="plaint-dovecot-"))
    server = Dovecot(folder).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def imap_box(dovecot, settings):
    """A fresh, empty mailbox on the test server, trusted by Plaint's TLS (its own CA file)."""
    settings.MAILIN_CA_FILE = str(dovecot.cert)
    user = f"intake{next(_users)}-{os.getpid()}"
    return Mailbox(
        name="support", host=dovecot.host, port=dovecot.port, user=user, password=PASSWORD
    )
