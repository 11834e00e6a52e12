"""The seal log: every seal also written as one JSON line to a file outside the database.

The file is only ever appended to (``O_APPEND``, one ``write`` a line, ``fsync`` before the seal's
transaction commits), so any number of workers on the machine can share it. Point
``PLAINT_AUDIT_SEAL_LOG`` at storage the database's administrators cannot write (another disk,
a host that ships the file elsewhere, an append-only mount), and keep copies: ``plaint audit
verify`` compares the database against these lines.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings


def seal_log_path() -> Path:
    return Path(settings.AUDIT_SEAL_LOG)


def append(record: dict[str, Any], path: Path | None = None) -> None:
    """Append one seal as one line and wait until it is on disk."""
    path = path or seal_log_path()
    line = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("ascii"))  # one write: lines of concurrent writers never mix
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class LogLine:
    path: Path
    number: int  # line number in the file, from 1
    record: dict[str, Any] | None  # None: not a JSON object

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


def has_seals(path: Path | None = None) -> bool:
    path = path or seal_log_path()
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def read(paths: Iterable[Path]) -> tuple[list[LogLine], list[Path]]:
    """Every non-empty line of the given logs, and the logs that do not exist."""
    lines: list[LogLine] = []
    missing: list[Path] = []
    for path in paths:
        try:
            handle = path.open(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            missing.append(path)
            continue
        with handle:
            for number, raw in enumerate(handle, start=1):
                if raw.strip():
                    lines.append(LogLine(path, number, _parse(raw)))
    return lines, missing


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
