"""``plaint disputes import FILE --provider NAME [--mapping MAPPING.json] [--dry-run]``: import a
provider's export of past dispute outcomes (CSV or XLSX), read a row at a time."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from plaint.accounts.management.commands._operator import operator
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand
from plaint.disputes import services
from plaint.disputes.models import Provider


class Command(PlaintCommand):
    help = "External dispute resolution: import FILE (a provider's past outcomes)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imports = sub.add_parser(
            "import",
            help="A provider's export of past outcomes; the same provider reference is "
            "never imported twice.",
        )
        imports.add_argument("file")
        imports.add_argument("--provider", required=True, help="The provider's name or id.")
        imports.add_argument(
            "--mapping",
            help='A JSON file: {"columns": {field: column}, "values": {"outcome": {word: code}, '
            '"method": {…}, "dates": "day_first", "default_method": …}}.',
        )
        imports.add_argument("--encoding", default="auto", help="A CSV's encoding (auto).")
        imports.add_argument(
            "--dry-run", action="store_true", help="Read and check every row; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.", returncode=EXIT_REFUSED)
        name = options["provider"]
        provider = Provider.objects.filter(name__iexact=name).first()
        if provider is None and name.isdigit():
            provider = Provider.objects.filter(pk=int(name)).first()
        if provider is None:
            raise CommandError(f"No provider {name!r}.", returncode=EXIT_REFUSED)
        mapping: dict[str, Any] = {}
        if options.get("mapping"):
            try:
                mapping = json.loads(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    f"The mapping is not readable JSON: {exc}", returncode=2
                ) from exc
        with path.open("rb") as handle:
            report = services.dispute_outcomes_import(
                actor=operator(), handle=handle, provider_id=provider.pk,
                columns=mapping.get("columns"), values=mapping.get("values"),
                dry_run=options["dry_run"], encoding=options["encoding"], file_name=path.name,
            )  # fmt: skip
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report.rows} rows read: {report.created} disputes {verb} created, "
            f"{report.unchanged} already in Plaint, {report.rejected} refused "
            f"({report.unknown_complaints} naming no complaint Plaint knows)"
        )
        for line, problem in report.errors:
            self.stdout.write(f"line {line}: {problem}")
        if report.rejected > len(report.errors):
            self.stdout.write(f"… and {report.rejected - len(report.errors)} more refused rows")
