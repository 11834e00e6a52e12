"""Who acts when an operator runs a ``plaint`` command: recorded in the audit trail."""

from __future__ import annotations

import os

from plaint.core.actors import Actor


def operator() -> Actor:
    """The command line, named by the operating-system account that ran it."""
    account = os.environ.get("SUDO_USER") or os.environ.get("USER") or os.environ.get("LOGNAME")
    return Actor.system(f"command line ({account or 'unknown'})")
