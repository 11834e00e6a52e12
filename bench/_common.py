"""Shared pieces of the benchmarks: Django environment, gunicorn, a keep-alive HTTP load client, stats.

Traffic goes only to 127.0.0.1. Every loop is bounded by a request count and a time limit.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
Request = tuple[str, str, bytes | None, dict[str, str]]


def _data_dir_for_this_run() -> str:
    """A temporary PLAINT_DATA_DIR (uploads, mail), removed when the bench exits: the bench's
    processes (gunicorn, workers) end before it."""
    path = tempfile.mkdtemp(prefix="plaint-b-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for Plaint processes in the bench (this one, migrate, gunicorn)."""
    env = dict(os.environ)
    env.update(
        {
            # Plaint's settings with the bench's URLconf (the intake floor): bench_settings.py
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DATABASE_URL": database_url,
            "PLAINT_ENV": "development",
            "PLAINT_DATA_DIR": env.get("PLAINT_DATA_DIR") or _data_dir_for_this_run(),
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # the plaint next to this bench/ (also when run from a git worktree), and bench/ itself
            # for bench_settings, bench_urls and floor
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT / "src"), str(BENCH), env.get("PYTHONPATH")])
            ),
        }
    )
    env.update(extra)
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()


def migrate(env: dict[str, str]) -> None:
    started = time.monotonic()
    subprocess.run(
        [PYTHON, "-m", "django", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=600,
        cwd=ROOT,
    )
    print(f"# migrated in {time.monotonic() - started:.1f}s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *, worker_class: str, workers: int = 2, threads: int = 1
) -> Iterator[int]:
    """A gunicorn serving plaint.wsgi on 127.0.0.1; yields its port."""
    port = free_port()
    args = [PYTHON, "-m", "gunicorn", "plaint.wsgi:application", "-b", f"127.0.0.1:{port}",
            "-w", str(workers), "-k", worker_class, "--threads", str(threads),
            "--keep-alive", "5", "--backlog", "128", "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(args, env=env, cwd=ROOT)
    ROLE_ROOTS["server"] = proc.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/openapi.json")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start in 60s") from None
                time.sleep(0.2)
        yield port
    finally:
        ROLE_ROOTS.pop("server", None)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def machine_loop_ms() -> float:
    """How fast this machine runs Python at the moment: the milliseconds of a fixed pure-Python
    loop (3,000,000 multiplications and remainders, the best of three). The development
    machine is a shared virtual machine whose speed moves by a third and more within minutes: a
    benchmark that prints this figure with its own says which kind of moment they come from."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(3_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def _tree_jiffies(roots: set[int]) -> int:
    """CPU jiffies (user+system) of the live processes under ``roots`` (roots included)."""
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
    total = 0
    for pid in used:
        p, hops = pid, 0
        while p and hops < 50:
            if p in roots:
                total += used[pid]
                break
            p, hops = parent.get(p, 0), hops + 1
    return total


# Process trees whose CPU counts as the benchmark's own (this process, gunicorn, the postmaster).
BENCH_ROOTS: set[int] = {os.getpid()}
# Trees whose CPU per request each row also prints: "server" (gunicorn), "db" (the postmaster).
ROLE_ROOTS: dict[str, int] = {}


@dataclass
class Result:
    label: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    elapsed: float = 0.0
    client_cpu: float = 0.0  # share of one core used by this client process
    machine_cpu: float = 0.0  # share of all cores busy during the run
    other_cpu: float = 0.0  # share of all cores busy with processes outside the bench
    role_jiffies: dict[str, int] = field(default_factory=dict)  # CPU of ROLE_ROOTS' trees
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def ms(self, pct: float) -> float:
        return percentile(sorted(self.latencies), pct) * 1000

    def row(self) -> str:
        return (
            f"{self.label:<34} c={self.concurrency:<2} n={len(self.latencies):<5} "
            f"err={self.errors:<3} {self.rate:8.1f}/s  p50={self.ms(50):6.1f}ms "
            f"p95={self.ms(95):6.1f}ms p99={self.ms(99):6.1f}ms  "
            f"client-cpu={self.client_cpu * 100:3.0f}% machine={self.machine_cpu * 100:3.0f}% "
            f"(others {self.other_cpu * 100:3.0f}%)"
            + "".join(
                f" {role}={1000 * used / CLOCK_TICKS / len(self.latencies):.2f}ms/req"
                for role, used in sorted(self.role_jiffies.items())
                if self.latencies
            )
        )


def run_concurrent(
    label: str,
    concurrency: int,
    total: int,
    make_worker: Callable[[], Callable[[int], str | None]],
    *,
    warmup: int = 20,
    time_limit: float = 120.0,
) -> Result:
    """Run ``total`` operations over ``concurrency`` threads, each with its own worker (its own
    connection). A worker call returns None on success or an error text. Warm-up calls per thread
    are not measured; the clock starts when every thread has warmed up."""
    result = Result(label, concurrency)
    counter = itertools.count()
    barrier = threading.Barrier(concurrency + 1)
    lock = threading.Lock()
    stop_at = [0.0]

    def thread_main() -> None:
        work = make_worker()
        for w in range(warmup):
            work(-1 - w)
        barrier.wait()
        local: list[float] = []
        errors = 0
        first_error = ""
        while True:
            i = next(counter)
            if i >= total or time.perf_counter() > stop_at[0]:
                break
            t0 = time.perf_counter()
            try:
                error = work(i)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
            t1 = time.perf_counter()
            if error is None:
                local.append(t1 - t0)
            else:
                errors += 1
                first_error = first_error or error
        with lock:
            result.latencies.extend(local)
            result.errors += errors
            result.first_error = result.first_error or first_error

    threads = [threading.Thread(target=thread_main, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + 10**6
    barrier.wait(timeout=300)
    cpu0, busy0, tree0 = time.process_time(), _cpu_busy(), _tree_jiffies(BENCH_ROOTS)
    roles0 = {role: _tree_jiffies({pid}) for role, pid in ROLE_ROOTS.items()}
    started = time.perf_counter()
    stop_at[0] = started + time_limit
    for t in threads:
        t.join(timeout=time_limit + 60)
    result.elapsed = time.perf_counter() - started
    busy1, tree1 = _cpu_busy(), _tree_jiffies(BENCH_ROOTS)
    result.role_jiffies = {
        role: max(0, _tree_jiffies({pid}) - roles0[role]) for role, pid in ROLE_ROOTS.items()
    }
    result.client_cpu = (time.process_time() - cpu0) / result.elapsed
    span = max(1, busy1[1] - busy0[1])
    result.machine_cpu = (busy1[0] - busy0[0]) / span
    own = max(0, tree1 - tree0)  # a process that exited takes its jiffies with it
    result.other_cpu = min(result.machine_cpu, max(0, busy1[0] - busy0[0] - own) / span)
    return result


def http_worker(port: int, build: Callable[[int], Request], expect: set[int]):
    """A worker factory: one keep-alive http.client connection per thread."""

    def make() -> Callable[[int], str | None]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def work(i: int) -> str | None:
            method, path, body, headers = build(i)
            for attempt in range(2):
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                    break
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    conn.close()  # a sync worker closed the connection: reconnect once
                    if attempt:
                        raise
            if response.status not in expect:
                return f"HTTP {response.status}: {payload[:300]!r}"
            return None

        return work

    return make
