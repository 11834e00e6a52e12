"""The one digest helper: SHA-256 of a text, as 64 hex characters (or, where a standard asks for
it, base64: a Content-Security-Policy hash source).

Secrets handed to people (tracking links, survey links, API tokens) are stored only as this digest,
so a database leak reveals no working link or token.
"""

from __future__ import annotations

import base64
import hashlib


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_base64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
