"""What runs on each host of the multi-host test, one function per role: the PostgreSQL primary,
the object store, a web host (``plaint serve``), a worker host (``plaint worker``). Each process is
bound to its host's address; each Plaint host has a data folder of its own (nothing shared on
disk). ``start_replica`` makes a streaming replica host of the primary (``pg_basebackup -R`` over
the network): the web hosts' report pages read it, and the failover drill promotes it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import plaint
from tests.multihost.network import Host
from tests.objectstore import MotoServer

SRC = str(Path(plaint.__file__).resolve().parent.parent)  # the code under test, not an install
ROOT = str(Path(SRC).parent)  # for the hosts' settings module (tests/multihost/host_settings.py)
HOST_SETTINGS = "tests.multihost.host_settings"
DB_PORT = 5432
WEB_PORT = 8000
DB_PASSWORD = "plaint-multihost"


def pg_bin(name: str) -> str:
    """A PostgreSQL server program (``initdb``, ``pg_ctl``); empty when there is none."""
    found = shutil.which(name)
    if found and Path(found).resolve().parent.joinpath("postgres").exists():
        return str(Path(found).resolve())
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(directory, name).exists():
            return str(Path(directory, name))
    return ""


@dataclass
class Process:
    """A process started in a host's namespace; ``stop()`` ends it (SIGTERM, then SIGKILL)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    stop_signal: int = signal.SIGTERM

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_stop(self) -> None:
        """Ask it to stop without waiting (stop every host at once, then wait for each)."""
        if self.popen.poll() is None:
            self.popen.send_signal(self.stop_signal)

    def stop(self, timeout: float = 15) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(self.stop_signal)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def _start(host: Host, name: str, command: list[str], env: dict[str, str], log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [*host.run_prefix, *command], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    return Process(name, popen, log)


# --- the database host -----------------------------------------------------------------------


@dataclass
class Database:
    host: Host
    directory: Path
    port: int = DB_PORT

    @property
    def url(self) -> str:
        return self.url_as("plaint")

    def url_as(self, role: str) -> str:
        """The database as ``role``: ``plaint`` (the application), ``operator`` (may promote)."""
        return f"postgresql://{role}:{DB_PASSWORD}@{self.host.address}:{self.port}/plaint"

    def _as_postgres(self, *args: str, timeout: float = 120) -> None:
        command = [*self.host.run_prefix, "runuser", "-u", "postgres", "--", *args]
        env = {**os.environ, "PGPASSWORD": DB_PASSWORD}  # pg_basebackup's, for a replica
        done = subprocess.run(command, capture_output=True, timeout=timeout, cwd="/", env=env)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")

    def _start(self, data: Path) -> None:
        options = (
            f"-c listen_addresses={self.host.address} -c port={self.port}"
            f" -c unix_socket_directories={self.directory} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=100 -c wal_level=replica"
        )
        self._as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.directory / "server.log"),
                          "-w", "-t", "60", "-o", options, "start")  # fmt: skip

    def psql(self, statement: str, database: str = "postgres") -> None:
        self._as_postgres(pg_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.directory),
                          "-p", str(self.port), "-U", "postgres", "-d", database, "-c", statement)  # fmt: skip

    def stop(self) -> None:
        data = self.directory / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
                self._as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop")


def start_database(db: Database, subnet: str) -> Database:
    """The PostgreSQL primary, listening on its host's address only, open to the test network.
    ``db.stop()`` (registered by the caller first) also ends one that started half-way."""
    directory = db.directory
    directory.mkdir()
    subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], capture_output=True)
    shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    db._as_postgres(pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all {subnet} scram-sha-256\n")
        hba.write(f"host replication all {subnet} scram-sha-256\n")  # for a replica host
    db._start(data)
    db.psql(f"CREATE ROLE plaint LOGIN PASSWORD '{DB_PASSWORD}'")
    db.psql("CREATE DATABASE plaint OWNER plaint")
    db.psql(f"CREATE ROLE replicator REPLICATION LOGIN PASSWORD '{DB_PASSWORD}'")
    # the failover drill's role: may promote a replica (roles replicate), nothing else
    db.psql(f"CREATE ROLE operator LOGIN PASSWORD '{DB_PASSWORD}'")
    db.psql("GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer) TO operator", "plaint")
    return db


def start_replica(replica: Database, primary: Database) -> Database:
    """A streaming replica of ``primary`` on a host of its own: a base backup taken over the
    network (``-R``: it starts as a standby that follows the primary), then started on the
    replica host's address. ``replica.url`` reads from it."""
    replica.directory.mkdir()
    shutil.chown(replica.directory, "postgres", "postgres")
    data = replica.directory / "data"
    # a fast checkpoint: by default pg_basebackup waits for a spread one, which took ~75 s of
    # the deployment's ~95 s; no sync to disk, as the test's clusters run with fsync off
    replica._as_postgres(pg_bin("pg_basebackup"), "-h", primary.host.address, "-p", str(primary.port),
                         "-U", "replicator", "-D", str(data), "-R", "-X", "stream",
                         "--checkpoint=fast", "--no-sync")  # fmt: skip
    replica._start(data)
    return replica


# --- the object store host -------------------------------------------------------------------


def object_store(host: Host) -> MotoServer:
    """An S3-compatible server (moto's) for the host's address; ``start_object_store`` starts it."""
    return MotoServer(host.address, 9000, prefix=host.run_prefix)


def start_object_store(server: MotoServer, workdir: Path) -> MotoServer:
    """Start the object store and make the bucket Plaint uses."""
    server.start(workdir / "objectstore.log")
    server.bucket = server.new_bucket()
    return server


# --- Plaint's hosts --------------------------------------------------------------------------


@dataclass
class Site:
    """What every Plaint host of one deployment is given: the same database (and replica, for
    the report pages), object store, SMTP server, secret and audit key; ``extra`` for a test's
    own settings."""

    database_url: str
    store: MotoServer
    smtp: tuple[str, int]
    web_addresses: list[str]
    replica_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(60))
    audit_key: str = field(default_factory=lambda: f"multihost:{secrets.token_urlsafe(32)}")

    def environment(self, data_dir: Path) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join([SRC, ROOT]),
            "DJANGO_SETTINGS_MODULE": HOST_SETTINGS,
            "PLAINT_ENV": "development",
            "PLAINT_DATA_DIR": str(data_dir),
            "SECRET_KEY": self.secret_key,
            "PLAINT_AUDIT_KEY": self.audit_key,
            "DATABASE_URL": self.database_url,
            **({"DATABASE_REPLICA_URL": self.replica_url} if self.replica_url else {}),
            "ALLOWED_HOSTS": ",".join(self.web_addresses),
            "PLAINT_BASE_URL": f"http://{self.web_addresses[0]}:{WEB_PORT}",
            "EMAIL_HOST": self.smtp[0],
            "EMAIL_PORT": str(self.smtp[1]),
            "LOG_LEVEL": "WARNING",
            **self.store.environment(self.store.bucket),
            **self.extra,
        }


def _data_dir(workdir: Path, host: Host) -> Path:
    path = workdir / host.namespace
    path.mkdir(exist_ok=True)
    return path


def plaint(host: Host, site: Site, workdir: Path, *args: str, **env: str) -> str:
    """A ``plaint`` command run on the host, with the host's environment (and ``env``)."""
    environment = {**site.environment(_data_dir(workdir, host)), **env}
    command = [*host.run_prefix, sys.executable, "-m", "plaint.cli", *args]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"plaint {args[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def migrate(host: Host, site: Site, workdir: Path) -> None:
    """``plaint migrate`` from a web host, as after an upgrade."""
    plaint(host, site, workdir, "migrate", "--noinput")


def start_web(host: Host, site: Site, workdir: Path, *, workers: int = 2) -> Process:
    """``plaint serve`` (gunicorn) bound to the host's address."""
    env = site.environment(_data_dir(workdir, host))
    command = [sys.executable, "-m", "plaint.cli", "serve", "--host", host.address,
               "--port", str(WEB_PORT), "--workers", str(workers)]  # fmt: skip
    process = _start(host, f"web {host.address}", command, env, workdir / f"{host.namespace}.log")
    process.stop_signal = signal.SIGQUIT  # gunicorn's quick shutdown: no request is left to finish
    return process


def start_worker(host: Host, site: Site, workdir: Path) -> Process:
    """``plaint worker``: mails, jobs and housekeeping, claimed from the shared queue."""
    env = site.environment(_data_dir(workdir, host))
    command = [sys.executable, "-m", "plaint.cli", "worker", "--interval", "0.2"]
    return _start(host, f"worker {host.address}", command, env, workdir / f"{host.namespace}.log")


def kill_host(host: Host) -> list[int]:
    """Every process on the host killed at once (SIGKILL), as when the machine is lost: nothing
    finishes, nothing is cleaned up; the database sees its connections drop."""
    listed = subprocess.run(["ip", "netns", "pids", host.namespace],
                            capture_output=True, text=True, timeout=10, check=True)  # fmt: skip
    pids = [int(pid) for pid in listed.stdout.split()]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def wait_until_serving(process: Process, address: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://{address}:{WEB_PORT}/"
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(
        f"{process.name} did not answer on {url} within {timeout:g} s:\n{process.tail()}"
    )
