"""The one digest helper: SHA-256 of a text, as 64 hex characters.

Secrets handed to people (tracking links, survey links, API tokens) are stored only as this digest,
so a database leak reveals no working link or token.
"""

from __future__ import annotations

import hashlib


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
