"""A throwaway PostgreSQL cluster on 127.0.0.1 for the benchmarks.

    python bench/pg.py start [--dir DIR]   # prints `export DATABASE_URL=...`; cluster keeps running
    python bench/pg.py stop  [--dir DIR]   # stops it and deletes DIR

Bench scripts call ``cluster()`` themselves when DATABASE_URL is not set. The server runs with
fsync and synchronous_commit ON (durable commits, as in production); ``shared_buffers=1GB`` and
``maintenance_work_mem=512MB`` so the 1,000,000-row load and its index builds stay in memory.
When run as root, PostgreSQL's tools run as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DEFAULT_DIR = Path(tempfile.gettempdir()) / "plaint-bench-pg"
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "on",
    "synchronous_commit": "on",
    "shared_buffers": "1GB",
    "maintenance_work_mem": "512MB",
    "max_connections": "100",
    "max_wal_size": "4GB",
}


def _bin(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/lib/postgresql/15/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(f"{name} not found: install PostgreSQL 15+ (apt-get install postgresql)")


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(directory: Path = DEFAULT_DIR) -> str:
    """Create and start a cluster in ``directory``; return its DATABASE_URL."""
    url_file = directory / "DATABASE_URL"
    if url_file.exists():
        return url_file.read_text().strip()
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    _run([_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
          "--locale=C.UTF-8"])  # fmt: skip
    port = _free_port()
    options = " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
    options += f" -p {port} -k {directory}"
    _run([_bin("pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-w",
          "-t", "60", "-o", options, "start"])  # fmt: skip
    url = f"postgresql://postgres@127.0.0.1:{port}/plaint"
    _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "plaint"])
    url_file.write_text(url + "\n")
    return url


def postmaster_pid(database_url: str) -> int | None:
    """The server's pid when it is one of our throwaway clusters (for CPU accounting)."""
    for url_file in Path(tempfile.gettempdir()).glob("plaint-bench-pg*/DATABASE_URL"):
        if url_file.read_text().strip() == database_url:
            pid_file = url_file.parent / "data" / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError):
                return int(pid_file.read_text().split()[0])
    return None


def stop(directory: Path = DEFAULT_DIR) -> None:
    data = directory / "data"
    if data.exists():
        with contextlib.suppress(subprocess.CalledProcessError):
            _run([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
    shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """DATABASE_URL from the environment, or a throwaway cluster for the duration of the block."""
    existing = os.environ.get("DATABASE_URL", "")
    if existing.startswith("postgres"):
        yield existing
        return
    directory = Path(tempfile.mkdtemp(prefix="plaint-bench-pg-"))
    try:
        started = time.monotonic()
        url = start(directory)
        print(f"# throwaway PostgreSQL at {url} ({time.monotonic() - started:.1f}s)", flush=True)
        yield url
    finally:
        stop(directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    if args.action == "start":
        print(f"export DATABASE_URL={start(args.dir)}")
    else:
        stop(args.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
