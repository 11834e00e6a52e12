"""Mailbox settings: IMAP over TLS only, the password from a file or the environment, and a
configuration error that names the variable to fix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from plaint.settings import _mailbox


def test_a_mailbox_reads_its_password_from_a_secret_file(monkeypatch, tmp_path):
    secret = tmp_path / "imap-password"
    secret.write_text("s3cret\n")
    monkeypatch.setenv(
        "PLAINT_MAILIN_SUPPORT_URL", "imaps://help%40example.org@imap.example.org/Plaint%20In"
    )
    monkeypatch.setenv("PLAINT_MAILIN_SUPPORT_PASSWORD_FILE", str(secret))

    box = _mailbox("support")

    assert box == {
        "name": "support", "host": "imap.example.org", "port": 993, "user": "help@example.org",
        "password": "s3cret", "folder": "Plaint In", "move_to": "",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("url", "password", "names"),
    [
        ("imap://u@imap.example.org/INBOX", "x", "PLAINT_MAILIN_SUPPORT_URL"),  # no TLS: refused
        ("imaps://imap.example.org/INBOX", "x", "PLAINT_MAILIN_SUPPORT_URL"),  # no user
        ("imaps://u@imap.example.org/INBOX", "", "PLAINT_MAILIN_SUPPORT_PASSWORD_FILE"),
    ],
)
def test_a_bad_mailbox_setting_fails_loudly(monkeypatch, url, password, names):
    monkeypatch.setenv("PLAINT_MAILIN_SUPPORT_URL", url)
    monkeypatch.setenv("PLAINT_MAILIN_SUPPORT_PASSWORD", password)
    monkeypatch.delenv("PLAINT_MAILIN_SUPPORT_PASSWORD_FILE", raising=False)

    with pytest.raises(ImproperlyConfigured, match=names):
        _mailbox("support")
