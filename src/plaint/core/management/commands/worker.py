"""``plaint worker``: run queued jobs (mail delivery, housekeeping) until told to stop.

Run any number of these on any machines; on PostgreSQL each job is claimed with SKIP LOCKED.
SIGTERM or Ctrl-C lets the job in hand finish, then the worker exits.
"""

from __future__ import annotations

import signal
import threading

from plaint.core.management.commands._common import PlaintCommand


class Command(PlaintCommand):
    help = "Run background jobs (e-mail delivery, audit sealing) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )

    def handle(self, *args, interval: float, **options):
        from plaint.core.worker import run_forever

        if interval <= 0:
            interval = 0.1
        stop = threading.Event()

        def request_stop(signum, frame):
            self.stderr.write(
                f"{signal.strsignal(signum)}: finishing the current job, then stopping"
            )
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(f"plaint worker running (queue poll every {interval:g}s); Ctrl-C stops")
        self.stdout.flush()
        try:
            run_forever(interval=interval, stop=stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("plaint worker stopped")
