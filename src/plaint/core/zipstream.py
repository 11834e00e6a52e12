"""A ZIP file written in pieces as it is sent (a download of many stored files never sits whole
in memory): ``StreamSink`` is what ``zipfile`` writes into, drained after each step."""

from __future__ import annotations

import io
import re
from typing import Any

CHUNK = 64 * 1024  # how much of a stored file is read and written at a time


class StreamSink(io.RawIOBase):
    """What the ZIP writer writes into, drained after each step: the file never sits whole in
    memory (a ZIP written to a stream that cannot seek carries its sizes after each entry)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def safe_member_name(name: str) -> str:
    """A file name safe inside a ZIP on every system: letters of any script, digits, ``.``, ``-``
    and ``_``; at most 100 characters; never empty."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._")[:100] or "file"
