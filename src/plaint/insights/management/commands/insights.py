"""``plaint insights rebuild``: recompute the survey aggregates from the raw answers and the
indicator rollup from the complaints;
``plaint insights import-volumes FILE --user NAME``: import monthly volumes from CSV."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.accounts.models import User
from plaint.core.errors import PlaintError
from plaint.insights.services import aggregates_rebuild, indicator_months_rebuild, volumes_import


class Command(BaseCommand):
    help = "Insights maintenance: rebuild the survey aggregates; import monthly volumes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser(
            "rebuild",
            help="Recompute the survey aggregates from the raw answers and the monthly rollup "
            "of the indirect indicators from the complaints.",
        )
        rebuild.add_argument(
            "--survey", type=int, help="Only this survey version (id); not the indicators."
        )
        imp = sub.add_parser("import-volumes", help="Import orders/customers per month (CSV).")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="Username of the manager importing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            self._rebuild(options.get("survey"))
        else:
            self._import(options["file"], options["user"])

    def _rebuild(self, survey_id: int | None) -> None:
        started = time.perf_counter()

        def say(message: str) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"[{elapsed:7.1f}s] {message}")
            self.stdout.flush()

        totals = aggregates_rebuild(survey_id=survey_id, progress=say)
        say(
            f"done: {totals['answer_counts']} answer-count rows, "
            f"{totals['pair_counts']} pairwise rows"
        )
        if survey_id is None:
            rollup = indicator_months_rebuild(progress=say)
            say(
                f"indicator rollup: {rollup['months']} months up to {rollup['watermark']:%Y-%m-%d %H:%M}"
            )

    def _import(self, file: str, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        path = Path(file)
        try:
            record = volumes_import(actor=user, content=path.read_bytes(), filename=path.name)
        except PlaintError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{record.rows_imported} of {record.rows_total} rows imported")
        for error in record.errors:
            self.stdout.write(f"line {error['line']}: {'; '.join(error['errors'])}")
