"""``plaint clusters``: look for recurring issues among recent complaints now (the worker does it
once a day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaint.improvement import services


class Command(BaseCommand):
    help = "Look for recurring issues among the complaints of the last days and record them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--window-days",
            type=int,
            default=services.WINDOW_DAYS,
            help=f"how many days back to look (1-366, default {services.WINDOW_DAYS})",
        )

    def handle(self, *args, window_days: int, **options) -> None:
        try:
            run = services.clusters_detect(window_days=window_days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{run.found} recurring issues among {run.scanned} complaints "
            f"({run.window_start:%Y-%m-%d} to {run.window_end:%Y-%m-%d})"
        )
        for cluster in run.clusters.all():
            self.stdout.write(f"  {cluster.size:>5}  {cluster.kind:<12}  {cluster.label}")
