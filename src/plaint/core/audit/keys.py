"""The keys that sign the seals: never in the database, so whoever can write the database cannot
write a seal that verifies.

Two sources, both read on each use: ``PLAINT_AUDIT_KEY`` (``id:secret``, the signing key) with
``PLAINT_AUDIT_KEY_FALLBACKS`` (older ``id:secret`` keys, kept to verify old seals); and the key
file (``PLAINT_AUDIT_KEY_FILE``, default ``$PLAINT_DATA_DIR/audit-keys``), one ``id secret`` a line,
the last line signing. The file is created (mode 0600) by the first seal when no key is set and no
seal exists yet; ``plaint audit rotate-key`` appends a new line to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from plaint.core.digest import hmac_sha256_hex
from plaint.core.errors import PlaintError

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MIN_SECRET_LENGTH = 32


class AuditKeyProblem(PlaintError):
    """The audit key is missing, unreadable or malformed: seals can be neither made nor checked."""

    code = "audit_key"


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes = field(repr=False)

    def sign(self, text: str) -> str:
        return hmac_sha256_hex(self.secret, text)


@dataclass(frozen=True)
class KeyRing:
    """Every key this installation knows; ``current`` signs new seals."""

    current: AuditKey | None
    keys: dict[str, AuditKey]

    def verifies(self, key_id: str, text: str, mac: str) -> bool | None:
        """Whether ``mac`` is the HMAC of ``text`` under key ``key_id``; None if the key is unknown."""
        key = self.keys.get(key_id)
        if key is None:
            return None
        return hmac.compare_digest(key.sign(text), mac)


def parse_key(entry: str, *, source: str, separator: str | None = ":") -> AuditKey:
    """An ``id:secret`` entry (environment), or ``id secret`` (key file: ``separator=None``)."""
    parts = entry.strip().split(separator, 1)
    key_id, secret = (parts[0], parts[1].strip()) if len(parts) == 2 else ("", "")
    if not key_id or not KEY_ID.match(key_id) or len(secret) < MIN_SECRET_LENGTH:
        raise AuditKeyProblem(
            f"{source}: an audit key is written as ID:SECRET (ID of letters, digits, '.', '_', '-'; "
            f"SECRET of at least {MIN_SECRET_LENGTH} characters)"
        )
    return AuditKey(key_id, secret.encode("utf-8"))


def key_file() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def _file_keys(path: Path) -> list[AuditKey]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise AuditKeyProblem(f"the audit key file {path} cannot be read: {exc.strerror}") from exc
    return [
        parse_key(line, source=f"{path}, line {number}", separator=None)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def load_keys() -> KeyRing:
    """The keys of the environment and of the key file; the environment's key signs if set."""
    keys: dict[str, AuditKey] = {}
    current = None
    for key in _file_keys(key_file()):
        keys[key.key_id] = current = key
    for entry in settings.AUDIT_KEY_FALLBACKS:
        key = parse_key(entry, source="PLAINT_AUDIT_KEY_FALLBACKS")
        keys[key.key_id] = key
    if settings.AUDIT_KEY:
        current = parse_key(settings.AUDIT_KEY, source="PLAINT_AUDIT_KEY")
        keys[current.key_id] = current
    return KeyRing(current, keys)


def missing_key_message() -> str:
    return (
        f"no audit key: set PLAINT_AUDIT_KEY (and PLAINT_AUDIT_KEY_FALLBACKS for older keys) or "
        f"restore the key file {key_file()} from where you keep it safe"
    )


def _new_key_line() -> str:
    key_id = f"{dt.datetime.now(dt.UTC):%Y%m%d}-{secrets.token_hex(3)}"
    return f"{key_id} {secrets.token_hex(32)}\n"


def create_key_file() -> None:
    """Write a first key to a new key file, readable by its owner only. The file appears whole
    (written aside, then hard-linked into place), and a second process racing here keeps the
    file the first one made."""
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("# Plaint audit seal keys: one 'id secret' a line; the last line signs.\n")
            out.write("# Keep every line: older keys verify older seals. Back this file up apart\n")
            out.write("# from the database.\n")
            out.write(_new_key_line())
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def rotate_key() -> AuditKey:
    """Append a new signing key to the key file; the older ones stay to verify older seals."""
    if settings.AUDIT_KEY:
        raise AuditKeyProblem(
            "the signing key comes from PLAINT_AUDIT_KEY: set a new ID:SECRET there and move the "
            "old one to PLAINT_AUDIT_KEY_FALLBACKS"
        )
    path = key_file()
    if not path.exists():
        create_key_file()
    else:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, _new_key_line().encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    current = load_keys().current
    assert current is not None  # the file has at least the line just written
    return current
