"""Real processes for the reliability figures: Plaint's own commands (``plaint worker``,
``plaint serve``) started with the test's database and mail server, and throwaway PostgreSQL
clusters to kill, dump and restore. Everything listens on 127.0.0.1 and is bounded in time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """The URL of a Django connection's database (pytest-django's test database)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    return (
        f"postgresql://{user}:{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
        f"{settings_dict['NAME']}"
    )


def plaint_env(*, database: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``plaint`` command run by a test."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plaint.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "PLAINT_ENV": "test",
        "DATABASE_URL": database,
        "PLAINT_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("PLAINT_TASKS_IMMEDIATE", None)
    return env


def plaint(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start ``plaint ARGS`` (its own process group), output to ``log``."""
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "plaint.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """SIGTERM (a worker finishes its job in hand), then SIGKILL if it lingers."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until(condition, *, timeout: float, every: float = 0.05, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(every)


# --- throwaway PostgreSQL clusters -------------------------------------------------------------


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """A PostgreSQL cluster of its own in ``folder``, durable as in production (fsync and
    synchronous_commit on), trust authentication on 127.0.0.1 only."""

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        # Not durable: fsync off, for clusters whose crash behaviour a test does not measure.
        self.durable = durable

    def url(self, database: str = "plaint") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres([pg_tool(args[0]), *args[1:]]),
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )

    def init(self) -> Cluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", *([] if self.durable else ["--no-sync"]))  # fmt: skip
        return self.start()

    def start(self, *, tries: int = 5) -> Cluster:
        """Start (again); after a crash, a backend that was still exiting can hold the shared
        memory for a moment, so a failed start is tried again, a few times."""
        sync = "on" if self.durable else "off"
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -k {self.folder} "
            f"-c fsync={sync} -c synchronous_commit={sync} -c max_connections=60"
        )
        for attempt in range(tries):
            try:
                self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                         "-w", "-t", "60", "-o", options, "start")  # fmt: skip
                return self
            except subprocess.CalledProcessError as exc:
                log = (self.folder / "server.log").read_text(errors="replace")[-1500:]
                if attempt == tries - 1:
                    raise AssertionError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from exc
                time.sleep(1)
        return self

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill_9(self) -> int:
        """SIGKILL to the postmaster and every backend at once, as a crash would; returns how many
        processes were killed."""
        pid = self.postmaster_pid()
        victims = [pid, *_children(pid)]
        if os.getpgid(pid) == pid:  # pg_ctl starts it in a group of its own: one kill, atomic
            os.killpg(pid, signal.SIGKILL)
        for victim in victims:
            with suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        for victim in victims:
            wait_until(lambda v=victim: not _alive(v), timeout=10, what=f"process {victim} to die")
        return len(victims)

    def standby(self, folder: Path) -> Cluster:
        """A streaming replica of this cluster in ``folder``: ``pg_basebackup -R`` (it writes the
        connection to this primary and the standby signal), started on a port of its own. It
        serves reads only and replays this cluster's changes as they come."""
        replica = Cluster(folder, durable=self.durable)
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast",
                 *([] if self.durable else ["--no-sync"]))  # fmt: skip
        return replica.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError):
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            # "pid (name) state ppid ...": the name may hold spaces, so split after its ")"
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with suppress(OSError):  # a zombie of a process we are not the parent of counts as gone
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        return state != "Z"
    return True


@contextmanager
def cluster(*, durable: bool = True) -> Iterator[Cluster]:
    """A fresh cluster for the block, in a folder of its own that the postgres user can reach
    (pytest's tmp_path is private to root); stopped and deleted after."""
    folder = Path(tempfile.mkdtemp(prefix="plaint-reliability-pg-"))
    made = Cluster(folder, durable=durable).init()
    try:
        yield made
    finally:
        made.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def primary_and_replica(*, durable: bool = False) -> Iterator[tuple[Cluster, Cluster]]:
    """A fresh primary and its streaming replica (``Cluster.standby``) for the block; both
    stopped and deleted after. Not durable by default (fsync off): quicker to make."""
    with cluster(durable=durable) as primary:
        folder = Path(tempfile.mkdtemp(prefix="plaint-reliability-standby-"))
        try:
            yield primary, primary.standby(folder)
        finally:
            Cluster(folder).stop()
            shutil.rmtree(folder, ignore_errors=True)
