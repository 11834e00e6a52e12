"""``plaint token create --user NAME --name LABEL``: issue an API token; the secret is shown once."""

from __future__ import annotations

from django.core.management.base import CommandError

from plaint.accounts.models import User
from plaint.accounts.services import api_token_create
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand


class Command(PlaintCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create}")
        create = sub.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--name", required=True, help="A label, e.g. the integrating system.")

    def handle(self, *args, action: str, user: str, name: str, **options):
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.", returncode=EXIT_REFUSED)
        token, secret = api_token_create(user=owner, name=name)
        self.stderr.write(
            f"API token {token.name!r} for {owner.username} (role {owner.role}). "
            "This is the only time the secret is shown; store it now:"
        )
        self.stdout.write(secret)
