"""``plaint import complaints FILE [--mapping NAME] [--source CODE] [--dry-run]``: import
complaint history (CSV or XLSX) from another system, with a progress bar on the terminal."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from plaint.accounts.management.commands._operator import operator
from plaint.complaints import services
from plaint.complaints.models import ImportMapping
from plaint.core.management.commands._common import PlaintCommand

BAR = 30


class Command(PlaintCommand):
    help = "Import data from other systems: complaints FILE (CSV or XLSX complaint history)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        complaints = sub.add_parser(
            "complaints",
            help="Complaint history with dated lifecycle events; the same external ID updates.",
        )
        complaints.add_argument("file")
        complaints.add_argument("--mapping", help="A saved column mapping (its name).")
        complaints.add_argument(
            "--source",
            help="The system the file comes from (external IDs are unique per source); "
            "default: the mapping's source.",
        )
        complaints.add_argument("--encoding", default="auto", help="A CSV's encoding (auto).")
        complaints.add_argument(
            "--dry-run", action="store_true", help="Read and check every row; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.", returncode=2)
        columns: dict[str, str] | None = None
        values: dict[str, Any] = {}
        source = options.get("source") or ""
        if options.get("mapping"):
            mapping = ImportMapping.objects.filter(name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(f"No saved mapping {options['mapping']!r}.", returncode=2)
            columns, values = mapping.columns, mapping.values
            source = source or mapping.source
        if not source:
            raise CommandError("Give --source (or a --mapping that names one).", returncode=2)
        size = path.stat().st_size
        started = time.perf_counter()
        tty = sys.stderr.isatty()

        def progress(report: services.ImportReport, position: int) -> None:
            self._bar(report, position, size, time.perf_counter() - started, tty)

        with path.open("rb") as handle:
            report = services.complaints_import(
                actor=operator(),
                handle=handle,
                source=source,
                file_name=path.name,
                columns=columns,
                values=values,
                dry_run=options["dry_run"],
                encoding=options["encoding"],
                progress=progress,
            )
        if tty:
            sys.stderr.write("\n")
        elapsed = time.perf_counter() - started
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report.rows} rows read in {elapsed:.1f} s: {report.created} cases {verb} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} refused"
        )
        for line, problem in report.errors:
            self.stdout.write(f"line {line}: {problem}")
        if report.rejected > len(report.errors):
            self.stdout.write(f"… and {report.rejected - len(report.errors)} more refused rows")

    def _bar(
        self, report: services.ImportReport, position: int, size: int, elapsed: float, tty: bool
    ) -> None:
        share = min(position / size, 1.0) if size and position else 0.0
        filled = int(share * BAR)
        rate = report.rows / elapsed if elapsed else 0.0
        text = (
            f"[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} {report.rows:,} rows "
            f"{rate:,.0f} rows/s"
        )
        sys.stderr.write(("\r" + text) if tty else text + "\n")
        sys.stderr.flush()
