"""``plaint demo``: migrate, seed demo data into an empty database, and serve it with the job
worker running in this process. The quickest way to see Plaint; not for production."""

from __future__ import annotations

import logging
import signal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.servers.basehttp import run
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from plaint.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from plaint.complaints import demo as complaints_demo
from plaint.complaints.models import Complaint
from plaint.core.audit import audit_seal
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand
from plaint.core.worker import start_in_process
from plaint.disputes import demo as disputes_demo
from plaint.improvement import demo as improvement_demo
from plaint.insights import demo as insights_demo
from plaint.notifications import demo as notifications_demo
from plaint.organisation import demo as organisation_demo
from plaint.promises import demo as promises_demo
from plaint.surveys import demo as surveys_demo

# Each app seeds only its own data, in layer order, after the complaints: the calendars, then the
# promises (their checks need the complaints' histories), then the surveys (they need closed
# complaints), then insights (volumes, and the survey aggregates rebuilt from the responses the
# surveys seeder wrote in bulk: the cross-app step, which the surveys app may not call), and the
# teams' categories for notifications (whose new-case pass starts after the seeded cases), the
# dispute-resolution providers, and last the objectives and corrective actions, whose figures the
# indicators read from all of that.
OTHER_SEEDERS = (
    organisation_demo.seed_demo,
    promises_demo.seed_demo,
    surveys_demo.seed_demo,
    insights_demo.seed_demo,
    notifications_demo.seed_demo,
    disputes_demo.seed_demo,
    improvement_demo.seed_demo,
)


class Command(PlaintCommand):
    help = "Start Plaint with demo data at http://127.0.0.1:8000 (worker included)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Migrate and seed, then exit without serving."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every row in the database first, then seed fresh demo data.",
        )
        parser.add_argument(
            "--complaints", type=int, default=300, help="How many demo complaints to seed."
        )

    def handle(self, *args, port: int, no_serve: bool, reset: bool, complaints: int, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "plaint demo writes demo data and refuses to run with PLAINT_ENV=production.",
                returncode=EXIT_REFUSED,
            )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("database emptied (--reset)")
            self._set_the_seal_log_aside()
        summary = None
        if not Complaint.objects.exists():
            self.stdout.write(f"seeding {complaints} demo complaints …")
            self.stdout.flush()
            summary = complaints_demo.seed_demo(complaints=complaints)
            self.stdout.write(
                f"seeded {summary.complaints} complaints in {summary.seconds:.1f}s "
                f"({', '.join(f'{k} {v}' for k, v in sorted(summary.languages.items()))})"
            )
            self._seed_the_other_apps()
            audit_seal()  # the demo's history starts sealed, so `plaint audit verify` passes
        else:
            self.stdout.write("the database already holds complaints: not seeding (use --reset)")

        base = f"http://127.0.0.1:{port}"
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role, first, last, _lang, _team in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role:<8} {first} {last}")
        self.stdout.write("")
        self.stdout.write(f"  public site       {base}/")
        self.stdout.write(f"  staff console     {base}/staff/")
        self.stdout.write(f"  neutral's portal  {base}/neutral/")
        self.stdout.write(f"  API docs          {base}/api/v1/docs")
        self.stdout.write(f"  Django admin      {base}/django-admin/")
        if summary and summary.tracking_urls:
            self.stdout.write("  complainant views (secret tracking links):")
            for state, url in sorted(summary.tracking_urls.items()):
                self.stdout.write(f"    {state:<22} {url}")
        self.stdout.write(f"  e-mail            {self._mail_destination()}")
        self.stdout.write("")
        if no_serve:
            return
        self._serve(port)

    def _set_the_seal_log_aside(self) -> None:
        """The seals of the emptied database would all be reported missing from the new one."""
        log = Path(settings.AUDIT_SEAL_LOG)
        if log.exists():
            aside = log.with_name(f"{log.name}.before-reset-{timezone.now():%Y%m%d%H%M%S}")
            log.rename(aside)
            self.stdout.write(f"seal log of the emptied database moved to {aside}")

    def _seed_the_other_apps(self) -> None:
        """The other apps' demo data, in layer order (see ``OTHER_SEEDERS``)."""
        now = timezone.now()
        for seed in OTHER_SEEDERS:
            self.stdout.write(f"{seed(now=now)}")
            self.stdout.flush()

    def _mail_destination(self) -> str:
        backend = settings.EMAIL_BACKEND
        if backend.endswith("filebased.EmailBackend"):
            return f"written as files to {settings.EMAIL_FILE_PATH}"
        if backend.endswith("smtp.EmailBackend"):
            return f"sent through SMTP at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        return f"handled by {backend}"

    def _serve(self, port: int) -> None:
        def stop(signum, frame):
            raise KeyboardInterrupt

        # SIGINT too: a shell may start background jobs with Ctrl-C ignored.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # One log line per delivered mail would bury the request log.
        for name in ("django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(logging.WARNING)
        # WhiteNoise warns about a missing STATIC_ROOT; in the demo files come from the apps.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        worker_stop = start_in_process()
        self.stdout.write(f"serving at http://127.0.0.1:{port}/ with the job worker; Ctrl-C stops")
        self.stdout.flush()
        try:
            run("127.0.0.1", port, get_wsgi_application(), threading=True)
        except KeyboardInterrupt:
            self.stdout.write("\nstopping")
        except OSError as exc:
            raise CommandError(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; try --port",
                returncode=EXIT_REFUSED,
            ) from exc
        finally:
            worker_stop.set()
