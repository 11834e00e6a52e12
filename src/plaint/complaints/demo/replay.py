"""The demo's clock: each step of a demo case is done through the services at its own moment in
the past, by freezing the clock at that moment while the service runs.

Why a frozen clock and not a ``now=`` argument: the services read the time themselves
(``timezone.now()`` for audit events, due dates, acknowledgement and closing times, outbox mails,
``auto_now_add`` fields, the task queue's timestamps), and that time is inside each audit event's
hash, so it cannot be corrected afterwards without forging the chain. Freezing the clock lets the
demo write a six-month history through the very same services, so its chains, mails and clocks
are real. This module is the only place outside the tests that uses ``time-machine``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager

import time_machine


def replay_at(moment: dt.datetime) -> AbstractContextManager[object]:
    """Within the block, every clock reads ``moment`` (it does not tick)."""
    return time_machine.travel(moment, tick=False)
