"""Multi-host benchmark: public intake through 1 and then 2 web hosts against one PostgreSQL
primary, then the report pages read from its streaming replica; where the CPU goes, per host.

    sudo .venv/bin/python bench/multihost_intake.py [--requests 2000] [--concurrency 8]
                                                   [--report-requests 300] [--web-workers 2]

**Needs root** (network namespaces, ``ip netns``) and PostgreSQL's server programs: it builds its
hosts with the multi-host test's helpers (``tests/multihost/network.py``, ``roles.py``), and says
why and exits with code 2 where it cannot. Hosts, each a network namespace joined to one bridge by
a veth pair, every process bound to its host's address:

    db (PostgreSQL primary)   replica (streaming replica, pg_basebackup -R)   store (moto, S3)
    web-a, web-b (``plaint serve``, gunicorn, ``--web-workers`` processes each)

and this process on the bridge as the clients (``--clients`` addresses of its own, so the public
rate limit, counted per address, is no hot row; it is raised so that it refuses nothing).

Traffic goes only to the namespaces' private addresses (a random 10.x.y.0/24 that no route of the
machine covers, on a bridge that has no uplink): like 127.0.0.1, they never leave this machine.
Everything is removed at the end, whatever happened. Every loop is bounded by a count and a time.

Phases, each printing throughput, p50/p95 and the CPU time of each process tree (the web hosts'
gunicorn, the primary's and the replica's postmaster with their backends, the object store, this
client) per request and as cores used, so the bottleneck shows as it moves:

1. intake, 1 web host: ``--requests`` public form submissions (``POST /complain/``, CSRF and all,
   as a browser sends them) to web-a;
2. intake, 2 web hosts: as many again, alternating between web-a and web-b (the client is the load
   balancer);
3. reports: staff sessions reading the insights dashboard, the analysis page and the promise
   scorecard (``@report_page``: read from the replica) through both web hosts, after the rollups
   those pages read were rebuilt (``plaint analysis rebuild``, ``plaint insights rebuild``: the
   worker's duties, done once by hand; no worker host runs here, so the acknowledgements of the
   intake stay in the outbox and the workers' cost is not in these figures).

Before the measured phases the primary is vacuumed and analysed (what autovacuum would do after
the migrations and the warm-up). The report phase first shows each page's replica note: once
before and then after ``GRANT pg_read_all_stats TO plaint`` (docs/operations.md: without it
Plaint's role cannot see that the replica streams).

The PostgreSQL servers are the multi-host test's: ``fsync=off``, ``synchronous_commit=off``
(unlike ``bench/pg.py``), so commits cost less than on a production primary. On a machine with
few cores every host shares the same CPUs: the figures show the shape (which process saturates
first), not the ceiling of a deployment with a machine per host.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]

from _common import CLOCK_TICKS, percentile  # noqa: E402

from tests.multihost import roles  # noqa: E402
from tests.multihost.client import Browser  # noqa: E402
from tests.multihost.network import Host, Network, why_unavailable  # noqa: E402

STAFF_USER = "bench-manager"
STAFF_PASSWORD = "Bench-multihost-9f3k"  # noqa: S105 - a throwaway deployment's account
REPORT_PAGES = ["/staff/insights/", "/staff/analysis/", "/staff/promises/scorecard/"]


# --- CPU accounting ---------------------------------------------------------------------------


def _stat_table() -> tuple[dict[int, int], dict[int, int]]:
    """{pid: parent} and {pid: user+system jiffies} of every live process."""
    parent: dict[int, int] = {}
    used: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        used[int(entry)] = int(fields[11]) + int(fields[12])
    return parent, used


def _jiffies(roots: dict[str, int]) -> dict[str, int]:
    """CPU jiffies of each role's process tree (the root and everything under it)."""
    parent, used = _stat_table()
    owner = {pid: role for role, pid in roots.items()}
    totals = dict.fromkeys(roots, 0)
    for pid, jiffies in used.items():
        p, hops = pid, 0
        while p and hops < 50:
            if p in owner:
                totals[owner[p]] += jiffies
                break
            p, hops = parent.get(p, 0), hops + 1
    return totals


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


@dataclass
class Phase:
    label: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per role
    machine_busy: float = 0.0  # share of all cores
    others: float = 0.0  # share of all cores busy outside the roles

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0

    def ms(self, pct: float) -> float:
        return percentile(sorted(self.latencies), pct) * 1000

    def report(self) -> str:
        errors = sum(self.errors.values())
        lines = [
            f"{self.label:<34} c={self.concurrency:<2} n={self.done:<5} err={errors:<3} "
            f"{self.rate:7.1f}/s  p50={self.ms(50):6.1f}ms p95={self.ms(95):6.1f}ms  "
            f"machine={self.machine_busy * 100:3.0f}% (others {self.others * 100:3.0f}%)"
        ]
        if self.errors:
            lines.append(f"    errors: {self.errors}")
        busiest = max(self.cpu, key=lambda r: self.cpu[r]) if self.cpu else ""
        for role, seconds in self.cpu.items():
            per_request = 1000 * seconds / self.done if self.done else float("nan")
            cores = seconds / self.elapsed if self.elapsed else 0.0
            mark = "  <- busiest" if role == busiest else ""
            lines.append(
                f"    {role:<12} cpu {seconds:7.2f}s  {per_request:6.2f} ms/req  "
                f"{cores:4.2f} cores{mark}"
            )
        return "\n".join(lines)


def run_phase(
    label: str,
    total: int,
    concurrency: int,
    roots: dict[str, int],
    work: Callable[[int], int],
    *,
    time_limit: float,
) -> Phase:
    """``total`` calls of ``work(i)`` (returns the HTTP status; 200 is success) over
    ``concurrency`` threads, stopped at ``time_limit``; CPU of each role's tree around it."""
    phase = Phase(label, concurrency)
    counter = itertools.count()
    lock = threading.Lock()
    stop_at = time.perf_counter() + time_limit

    def thread_main() -> None:
        while True:
            i = next(counter)
            if i >= total or time.perf_counter() > stop_at:
                return
            started = time.perf_counter()
            try:
                status = work(i)
                error = "" if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                if error:
                    phase.errors[error] = phase.errors.get(error, 0) + 1
                else:
                    phase.latencies.append(took)

    before, busy0, client0 = _jiffies(roots), _machine(), time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(thread_main) for _ in range(concurrency)]:
            future.result()
    phase.elapsed = time.perf_counter() - started
    after, busy1 = _jiffies(roots), _machine()
    phase.cpu = {role: (after[role] - before[role]) / CLOCK_TICKS for role in roots}
    phase.cpu["client"] = time.process_time() - client0
    span = max(1, busy1[1] - busy0[1])
    phase.machine_busy = (busy1[0] - busy0[0]) / span
    ours = sum(after[r] - before[r] for r in roots) + phase.cpu["client"] * CLOCK_TICKS
    phase.others = max(0.0, (busy1[0] - busy0[0] - ours) / span)
    return phase


# --- the deployment ---------------------------------------------------------------------------


@dataclass
class Deployment:
    network: Network
    primary: roles.Database
    replica: roles.Database
    web: list[Host]
    processes: dict[str, roles.Process]
    site: roles.Site
    workdir: Path
    store_process: subprocess.Popen[bytes] | None = None

    def roots(self) -> dict[str, int]:
        """The process trees whose CPU each phase reports."""
        found = {name: p.popen.pid for name, p in self.processes.items()}
        for name, db in (("primary", self.primary), ("replica", self.replica)):
            found[name] = _postmaster(db)
        if self.store_process is not None:
            found["store"] = self.store_process.pid
        return found


def _postmaster(db: roles.Database) -> int:
    return int((db.directory / "data" / "postmaster.pid").read_text().split()[0])


def _plaint(host: Host, site: roles.Site, workdir: Path, *args: str, **env: str) -> str:
    """A ``plaint`` command run on ``host`` (its namespace and data folder); its output."""
    data_dir = workdir / host.namespace
    data_dir.mkdir(exist_ok=True)
    command = [*host.run_prefix, sys.executable, "-m", "plaint.cli", *args]
    done = subprocess.run(
        command,
        env={**site.environment(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"plaint {' '.join(args)} failed:\n{done.stdout}{done.stderr[-3000:]}")
    return done.stdout


def build(deployment_steps: list[Callable[[], None]], args: argparse.Namespace) -> Deployment:
    """Bridge, hosts, primary + replica, object store, migrations, a manager, two web hosts.
    Each step that needs undoing is pushed on ``deployment_steps`` before it can fail."""
    workdir = Path(tempfile.mkdtemp(prefix="plaint-mh-bench-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user walks through it to its data
    deployment_steps.append(lambda: shutil.rmtree(workdir, ignore_errors=True))
    network = Network()
    deployment_steps.append(network.close)
    network.open()
    db_host, replica_host = network.add_host("db"), network.add_host("replica")
    store_host = network.add_host("store")
    web = [network.add_host("web-a"), network.add_host("web-b")]
    primary = roles.Database(db_host, workdir / "db")
    replica = roles.Database(replica_host, workdir / "replica")
    store = roles.object_store(store_host)
    deployment_steps += [primary.stop, replica.stop, store.stop]
    roles.start_database(primary, str(network.subnet))
    roles.start_replica(replica, primary)
    roles.start_object_store(store, workdir)
    site = roles.Site(
        database_url=primary.url,
        store=store,
        smtp=(network.gateway, 25),  # no worker host: nothing sends mail
        web_addresses=[h.address for h in web],
        extra={
            "DATABASE_REPLICA_URL": replica.url,
            "PLAINT_PUBLIC_RATE_LIMIT_PER_HOUR": "1000000",  # counted, refusing nothing
        },
    )
    started = time.monotonic()
    roles.migrate(web[0], site, workdir)
    print(f"# migrated in {time.monotonic() - started:.1f} s", flush=True)
    _plaint(web[0], site, workdir, "createadmin", "--username", STAFF_USER,
            "--email", "bench@example.org", PLAINT_ADMIN_PASSWORD=STAFF_PASSWORD)  # fmt: skip
    processes: dict[str, roles.Process] = {}
    deployment_steps.append(lambda: [p.stop(timeout=10) for p in processes.values()])
    for host in web:
        processes[host.role] = roles.start_web(host, site, workdir, workers=args.web_workers)
    for host in web:
        roles.wait_until_serving(processes[host.role], host.address, timeout=120)
    return Deployment(network, primary, replica, web, processes, site, workdir, store.process)


# --- the clients ------------------------------------------------------------------------------


class StaffSession(Browser):
    """A signed-in member of staff: keeps every cookie (the session's too)."""

    def __init__(self, source: str):
        super().__init__(source)
        self.cookies: dict[str, str] = {}

    def request(self, host: str, method: str, path: str, body: bytes = b"", content_type: str = ""):
        self.cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(
            host, roles.WEB_PORT, timeout=60, source_address=(self.source, 0)
        )
        headers = {"Host": f"{host}:{roles.WEB_PORT}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            status, payload = response.status, response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
        finally:
            connection.close()
        return status, payload

    def sign_in(self, host: str) -> None:
        _, page = self.request(host, "GET", "/staff/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": STAFF_USER, "password": STAFF_PASSWORD}
        ).encode()
        status, answer = self.request(
            host, "POST", "/staff/login/", body, "application/x-www-form-urlencoded"
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"staff sign-in refused ({status}): {answer[:300]!r}")


def intake(dep: Deployment, label: str, hosts: list[str], browsers: list[Browser],
           args: argparse.Namespace, offset: int) -> Phase:  # fmt: skip
    def submit(i: int) -> int:
        n = offset + i
        answer = browsers[n % len(browsers)].complain(
            hosts[n % len(hosts)],
            f"mh-{n}@example.org",
            f"Complaint number {n}: the parcel was two weeks late and the box was crushed.",
        )
        return answer.status

    return run_phase(label, args.requests, args.concurrency, dep.roots(), submit,
                     time_limit=args.time_limit)  # fmt: skip


def _count(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as connection:
        return connection.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]


def _wait_for_replica(dep: Deployment, timeout: float = 60) -> None:
    """Until the replica holds every complaint the primary has (replay caught up)."""
    want = _count(dep.primary.url)
    deadline = time.monotonic() + timeout
    while _count(dep.replica.url) < want and time.monotonic() < deadline:
        time.sleep(0.5)


def _replica_note(session: StaffSession, host: str, page: str) -> str:
    status, body = session.request(host, "GET", page)
    note = re.search(rb'<p class="hint" id="replica-note">([^<]*)</p>', body)
    said = note.group(1).decode() if note else "NO REPLICA NOTE: read from the primary?"
    return f"{page}: {status}; {said}"


def _vacuum(url: str) -> None:
    """What autovacuum would do soon after the migrations and the first rows, done before the
    measured phases instead of during one of them."""
    import psycopg

    with psycopg.connect(url, connect_timeout=10, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def reports(dep: Deployment, args: argparse.Namespace, sources: list[str]) -> Phase:
    hosts = [h.address for h in dep.web]
    sessions = [StaffSession(sources[k % len(sources)]) for k in range(args.concurrency)]
    for k, session in enumerate(sessions):
        session.sign_in(hosts[k % 2])
    # Each page once (unmeasured): it must say it read the replica. Plaint's role sees whether
    # the replica streams (pg_stat_wal_receiver.status) only with pg_read_all_stats: first
    # without it, then with it (granted on the primary; roles replicate).
    print(f"# without pg_read_all_stats: {_replica_note(sessions[0], hosts[0], REPORT_PAGES[0])}")
    dep.primary.psql("GRANT pg_read_all_stats TO plaint")
    time.sleep(2)  # replayed on the replica
    for page in REPORT_PAGES:
        print(f"# {_replica_note(sessions[0], hosts[0], page)}", flush=True)
    local = threading.local()
    assigned = itertools.count()

    def read(i: int) -> int:
        if not hasattr(local, "session"):
            local.session = sessions[next(assigned) % len(sessions)]
        page = REPORT_PAGES[i % len(REPORT_PAGES)]
        status, _ = local.session.request(hosts[i % 2], "GET", page)
        return status

    return run_phase("reports, 2 web hosts (replica)", args.report_requests, args.concurrency,
                     dep.roots(), read, time_limit=args.time_limit)  # fmt: skip


def summary(one: Phase, two: Phase, rep: Phase) -> None:
    print("\n## where the work went")
    print(f"2 web hosts / 1 web host, intake rate: {two.rate / one.rate:.2f}x" if one.rate else "")
    for phase in (one, two):
        web = sum(s for r, s in phase.cpu.items() if r.startswith("web-"))
        db = phase.cpu.get("primary", 0.0)
        print(
            f"{phase.label}: web hosts {1000 * web / max(1, phase.done):.2f} ms CPU/req "
            f"({web / phase.elapsed:.2f} cores), primary {1000 * db / max(1, phase.done):.2f} "
            f"ms/req ({db / phase.elapsed:.2f} cores), machine {phase.machine_busy * 100:.0f}% busy"
        )
    print(
        f"{rep.label}: replica {rep.cpu.get('replica', 0.0):.2f}s CPU, "
        f"primary {rep.cpu.get('primary', 0.0):.2f}s CPU"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="submissions per intake phase")
    parser.add_argument("--report-requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--clients", type=int, default=32, help="client addresses")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per phase")
    args = parser.parse_args(argv)
    reason = why_unavailable()
    for program in ("initdb", "pg_ctl", "pg_basebackup"):
        if not reason and not roles.pg_bin(program):
            reason = f"PostgreSQL's {program} not found: apt-get install postgresql"
    if reason:
        print(f"multihost_intake: cannot build the hosts here: {reason}", file=sys.stderr)
        return 2
    cleanups: list[Callable[[], object]] = []
    try:
        started = time.monotonic()
        dep = build(cleanups, args)
        print(f"# {len(dep.network.hosts)} hosts up in {time.monotonic() - started:.1f} s on "
              f"{dep.network.subnet}; {args.web_workers} gunicorn workers per web host; "
              f"{os.cpu_count()} cores on this machine", flush=True)  # fmt: skip
        hosts = [h.address for h in dep.web]
        sources = dep.network.client_addresses(args.clients)
        browsers = [Browser(a) for a in sources]
        for k, browser in enumerate(browsers):  # each client's form from one host, posted to both
            browser.open_form(hosts[k % 2])
        warm = run_phase("warm-up", 40, args.concurrency, dep.roots(),
                         lambda i: browsers[i % len(browsers)].complain(
                             hosts[i % 2], f"warm-{i}@example.org", "Warm-up complaint.").status,
                         time_limit=60)  # fmt: skip
        print(f"# warm-up: {warm.done} submissions, errors {warm.errors or 'none'}", flush=True)
        _vacuum(dep.primary.url)
        one = intake(dep, "intake, 1 web host", hosts[:1], browsers, args, 0)
        print(one.report(), flush=True)
        two = intake(dep, "intake, 2 web hosts", hosts, browsers, args, args.requests)
        print(two.report(), flush=True)
        stored = _count(dep.primary.url)
        print(f"# complaints on the primary: {stored} (warm-up {warm.done} + "
              f"{one.done} + {two.done} accepted)", flush=True)  # fmt: skip
        for what in (("analysis", "rebuild"), ("insights", "rebuild")):
            _plaint(dep.web[0], dep.site, dep.workdir, *what)
        _wait_for_replica(dep)
        rep = reports(dep, args, sources)
        print(rep.report(), flush=True)
        summary(one, two, rep)
        return 0
    finally:
        for cleanup in reversed(cleanups):
            with contextlib.suppress(Exception):
                cleanup()


if __name__ == "__main__":
    sys.exit(main())
