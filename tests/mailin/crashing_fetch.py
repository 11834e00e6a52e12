"""``plaint mail fetch --once`` that kills itself with SIGKILL at one point of its work, for the
crash tests: ``python -m tests.mailin.crashing_fetch POINT N``, POINT one of

- ``before-receive``: the N-th message was read from the server, nothing written yet;
- ``before-commit``: the N-th new message's case is written, its transaction not committed;
- ``after-commit``: the N-th message is committed, not yet flagged on the server;
- ``none``: no crash.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import django


def _die_on(n: int, original: Callable[..., Any], *, after: bool = False) -> Callable[..., Any]:
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls["n"] == n and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapper


def main() -> None:
    point, n = sys.argv[1], int(sys.argv[2])
    django.setup()
    from django.core.management import call_command

    from plaint.mailin import imap, services

    if point == "before-receive":
        imap.mail_receive = _die_on(n, imap.mail_receive)  # type: ignore[assignment]
    elif point == "before-commit":
        services._place = _die_on(n, services._place, after=True)  # type: ignore[assignment]
    elif point == "after-commit":
        imap.mark_done = _die_on(n, imap.mark_done)  # type: ignore[assignment]
    call_command("mail", "fetch", "--once")


if __name__ == "__main__":
    main()
