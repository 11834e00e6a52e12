"""``plaint analysis rebuild``: rebuild the analysis page's monthly rollup from the complaints;
``plaint analysis refresh``: recompute only the months changed since the last refresh (what the
worker does every five minutes)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from plaint.improvement import services


class Command(BaseCommand):
    help = "The analysis page's monthly rollup: rebuild it, or refresh the changed months."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="Recompute every month from the complaints.")
        sub.add_parser("refresh", help="Recompute the months changed since the last refresh.")

    def handle(self, *args: Any, **options: Any) -> None:
        done: dict[str, Any] | None
        if options["action"] == "rebuild":
            done = services.analysis_rollup_rebuild(progress=lambda m: self.stdout.write(f"  {m}"))
        else:
            done = services.analysis_rollup_refresh()
        if done is None:
            self.stdout.write("analysis rollup: refreshed under a minute ago, nothing to do")
            return
        self.stdout.write(
            f"analysis rollup: {done['months']} months up to "
            f"{done['watermark']:%Y-%m-%d %H:%M} UTC in {done['seconds']:.1f} s"
        )
