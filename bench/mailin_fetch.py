"""E-mail intake throughput: messages received per second from a local Dovecot mailbox, and the
fetcher's resident memory along the run (it should stay flat: one message is held at a time).

    PYTHONPATH=src:. .venv/bin/python bench/mailin_fetch.py [--messages 10000] [--database-url URL]

Starts a throwaway Dovecot on 127.0.0.1 (tests/mailin/dovecot.py: TLS, its own config), seeds one
mailbox by IMAP APPEND with N messages shaped like the test corpus (five languages, code pages,
HTML-only, attachments; a Message-ID each), migrates a fresh SQLite data folder (or uses
DATABASE_URL), then fetches in batches of 1,000 through ``mailbox_fetch`` — the same path as
``plaint mail fetch`` — printing messages/s and RSS after each batch. Bounded: N messages, once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="plaint-mailin-bench-"))
    os.environ.update(PLAINT_ENV="development", PLAINT_DATA_DIR=str(data), LOG_LEVEL="WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # every message from its own sender: the per-sender hourly limit is not what is measured
    os.environ["PLAINT_MAILIN_SENDER_LIMIT_PER_HOUR"] = str(args.messages + 1)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from plaint.mailin.imap import Mailbox, mailbox_fetch
    from tests.mailin.corpus import corpus
    from tests.mailin.dovecot import PASSWORD, Dovecot

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="plaint-dovecot-bench-"))
    server = Dovecot(folder).start()
    try:
        shapes = [s.raw for s in corpus() if s.expect == "case" and b"Message-ID" in s.raw]
        started = time.perf_counter()
        with server.mailbox("bench") as box:
            for i in range(args.messages):
                raw = shapes[i % len(shapes)].replace(
                    b"Message-ID: <corpus-", f"Message-ID: <bench{i}-".encode(), 1
                )
                box.append(raw, "INBOX")
        print(f"seeded {args.messages} messages in {time.perf_counter() - started:.1f} s")
        settings.MAILIN_CA_FILE = str(server.cert)
        mailbox = Mailbox("bench", server.host, server.port, "bench", PASSWORD)
        total, started = 0, time.perf_counter()
        print(f"{'received':>9} {'msg/s (batch)':>14} {'msg/s (all)':>12} {'RSS MB':>8}")
        while total < args.messages:
            t0 = time.perf_counter()
            got = len(mailbox_fetch(mailbox, limit=args.batch).received)
            if not got:
                break
            total += got
            batch_rate = got / (time.perf_counter() - t0)
            overall = total / (time.perf_counter() - started)
            print(f"{total:>9} {batch_rate:>14.1f} {overall:>12.1f} {rss_mb():>8.1f}")
        print(f"received {total} messages at {total / (time.perf_counter() - started):.1f}/s")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
