"""What every ``plaint`` command shares: the one mapping of service errors to exit codes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plaint.core.errors import PlaintError

# Exit codes: 0 done, 1 a check found a problem (e.g. a broken audit chain), 2 refused input.
EXIT_REFUSED = 2


def command_error(exc: PlaintError) -> CommandError:
    lines = [exc.message]
    for field, problems in exc.fields.items():
        lines.extend(f"  {field}: {problem}" for problem in problems)
    return CommandError("\n".join(lines), returncode=EXIT_REFUSED)


class PlaintCommand(BaseCommand):
    """A management command whose service errors become a clear message and exit code 2."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except PlaintError as exc:
            raise command_error(exc) from exc
