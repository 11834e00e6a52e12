"""The ``plaint`` command: Django's management commands with Plaint's settings.

``plaint demo`` gets a few defaults of its own before the settings load (a development
environment, mails written to files when no SMTP server is configured, links that point at the
demo's port); every other command runs with the environment exactly as given.
"""

from __future__ import annotations

import argparse
import os
import sys

FILE_MAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def _demo_environment(args: list[str]) -> None:
    """Defaults for ``plaint demo`` that must be in place before the settings module is read."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--port", type=int, default=8000)
    known, _ = parser.parse_known_args(args)
    os.environ.setdefault("PLAINT_ENV", "development")
    os.environ.setdefault("PLAINT_BASE_URL", f"http://127.0.0.1:{known.port}")
    # A fresh machine has no SMTP server: keep the demo's mails as files unless one is configured.
    if "EMAIL_HOST" not in os.environ and "EMAIL_BACKEND" not in os.environ:
        os.environ["EMAIL_BACKEND"] = FILE_MAIL_BACKEND


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:] or ["help"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings")
    if args[0] == "demo":
        _demo_environment(args[1:])

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        data_dir = settings.DATA_DIR  # reading a setting loads them all: bad values fail here
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"plaint: configuration error: {exc}\n")
        raise SystemExit(2) from exc
    # SQLite, uploads and demo mail live in the data folder; create it so `plaint migrate` just works.
    data_dir.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["plaint", *args])


if __name__ == "__main__":
    main()
