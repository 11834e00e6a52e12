"""``plaint createadmin``: create an administrator account.

The password comes from ``--password``, else ``PLAINT_ADMIN_PASSWORD``, else a prompt when run
at a terminal.
"""

from __future__ import annotations

import getpass
import os
import sys

from django.core.management.base import CommandError

from plaint.accounts.services import user_create
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand


class Command(PlaintCommand):
    help = "Create an administrator (password from --password, PLAINT_ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            default=None,
            help="Visible in the process list and shell history; prefer PLAINT_ADMIN_PASSWORD.",
        )

    def handle(self, *args, username: str, email: str, password: str | None, **options):
        password = password or os.environ.get("PLAINT_ADMIN_PASSWORD") or self._prompt()
        user = user_create(username=username, email=email, password=password, role="admin")
        self.stdout.write(self.style.SUCCESS(f"created administrator {user.username}"))

    def _prompt(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                "Give a password with --password or PLAINT_ADMIN_PASSWORD (no terminal to ask on).",
                returncode=EXIT_REFUSED,
            )
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            if first and first == getpass.getpass("Password (again): "):
                return first
            self.stderr.write("The passwords were empty or did not match; try again.")
        raise CommandError("No password given.", returncode=EXIT_REFUSED)
