"""The one digest helper: SHA-256 of a text, as 64 hex characters (or, where a standard asks for
it, base64: a Content-Security-Policy hash source; and keyed: HMAC-SHA256 for the audit seals).

Secrets handed to people (tracking links, survey links, API tokens) are stored only as this digest,
so a database leak reveals no working link or token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sha256_hex(text: str | bytes) -> str:
    """The SHA-256 of a text (as UTF-8) or of bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def sha256_base64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def hmac_sha256_hex(key: bytes, text: str) -> str:
    """The HMAC-SHA256 of a text under a secret key (the audit seals), as 64 hex characters."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
