"""``plaint mail fetch [--once] [--mailbox NAME]``: fetch the configured IMAP mailboxes — once
(for cron) or every ``PLAINT_MAILIN_FETCH_INTERVAL`` seconds until stopped. ``plaint worker``
fetches too; this command is for running intake on its own."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaint.mailin.imap import FetchResult, configured_mailboxes, fetch_all, mailbox_fetch


class Command(BaseCommand):
    help = "Fetch e-mail from the configured IMAP mailboxes into Plaint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        fetch = sub.add_parser("fetch", help="fetch new mail")
        fetch.add_argument("--once", action="store_true", help="one pass, then exit (cron)")
        fetch.add_argument("--mailbox", help="only this mailbox (its name in the settings)")
        fetch.add_argument("--limit", type=int, default=None, help="at most this many per box")

    def handle(self, *args: Any, **options: Any) -> None:
        boxes = configured_mailboxes()
        if not boxes:
            raise CommandError("no mailboxes configured (PLAINT_MAILIN_MAILBOXES, docs/email.md)")
        if options["mailbox"] and options["mailbox"] not in {b.name for b in boxes}:
            raise CommandError(f"no mailbox named {options['mailbox']!r} in the settings")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        failed = False
        while not stop.is_set():
            failed = self._pass(options["mailbox"], options["limit"])
            if options["once"]:
                break
            stop.wait(settings.MAILIN_FETCH_INTERVAL)
        if failed:
            raise CommandError("a mailbox could not be fetched (see above)")

    def _pass(self, only: str | None, limit: int | None) -> bool:
        results: list[FetchResult]
        if only:
            box = next(b for b in configured_mailboxes() if b.name == only)
            try:
                results = [mailbox_fetch(box, limit=limit)]
            except Exception as exc:  # reported like fetch_all does
                results = [FetchResult(box.name, errors=[f"{type(exc).__name__}: {exc}"])]
        else:
            results = fetch_all(limit=limit)
        for result in results:
            counts: dict[str, int] = {}
            for row in result.received:
                counts[row.status] = counts.get(row.status, 0) + 1
            summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing new"
            self.stdout.write(f"{result.mailbox}: {summary}")
            for error in result.errors:
                self.stderr.write(f"{result.mailbox}: {error}")
        return any(r.errors for r in results)
