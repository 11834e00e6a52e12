"""``plaint serve``: the production web server (gunicorn), optionally with one job worker beside it.

Put it behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto. Run ``plaint migrate``
and ``plaint collectstatic --noinput`` after each upgrade, before starting it.
"""

from __future__ import annotations

import subprocess
import sys

from django.db import connections
from gunicorn.app.base import BaseApplication

from plaint.core.management.commands._common import PlaintCommand

WORKER_STOP_SECONDS = 30


class PlaintWSGI(BaseApplication):
    """gunicorn driven from Python: options come from ``plaint serve``, not from gunicorn's argv."""

    def __init__(self, options: dict[str, object]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from plaint.wsgi import application

        return application


class Command(PlaintCommand):
    help = "Serve Plaint with gunicorn (production)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Threads per worker process (default 1: gunicorn's sync workers).",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run one job worker (`plaint worker`) and stop it on exit.",
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        workers: int,
        threads: int,
        with_worker: bool,
        **options,
    ):
        job_worker = None
        if with_worker:
            job_worker = subprocess.Popen([sys.executable, "-m", "plaint.cli", "worker"])
            self.stdout.write(f"job worker started (pid {job_worker.pid})")
        # gunicorn forks its workers from this process: they must not share a database connection.
        connections.close_all()
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            PlaintWSGI(
                {
                    "bind": bind,
                    "workers": max(1, workers),
                    # More than one thread makes gunicorn use its gthread workers. For intake
                    # both serve about as much (bench/README.md); threads help where requests
                    # wait long (large exports, a slow client without a buffering proxy).
                    "threads": max(1, threads),
                    "accesslog": "-",
                    "errorlog": "-",
                    "proc_name": "plaint",
                }
            ).run()
        finally:
            if job_worker is not None:
                self._stop(job_worker)

    def _stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()  # SIGTERM: the worker finishes its current job, then exits
            try:
                process.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.stdout.write(f"job worker stopped (exit code {process.returncode})")
