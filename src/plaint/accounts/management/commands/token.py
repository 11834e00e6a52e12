"""``plaint token create|list|revoke``: issue, list and revoke API tokens.

A secret is printed once, at creation; ``list`` shows only the first characters every token
starts with (enough to tell tokens apart, useless to sign in with)."""

from __future__ import annotations

from django.core.management.base import CommandError

from plaint.accounts.management.commands._operator import operator
from plaint.accounts.models import User
from plaint.accounts.selectors import api_tokens_list
from plaint.accounts.services import api_token_create, api_token_revoke
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


class Command(PlaintCommand):
    help = "Manage API tokens: create (prints the secret once), list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--name", required=True, help="A label, e.g. the integrating system.")
        listing = sub.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--all", action="store_true", help="Include revoked tokens.")
        revoke = sub.add_parser(
            "revoke", help="Revoke a token by its id (see `plaint token list`)."
        )
        revoke.add_argument("token_id", type=int, metavar="ID")

    def handle(self, *args, action: str, **options):
        if action == "create":
            self._create(options["user"], options["name"])
        elif action == "list":
            self._list(include_revoked=options["all"])
        else:
            self._revoke(options["token_id"])

    def _create(self, username: str, name: str) -> None:
        owner = User.objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"No user named {username!r}.", returncode=EXIT_REFUSED)
        token, secret = api_token_create(user=owner, name=name)
        self.stderr.write(
            f"API token {token.name!r} for {owner.username} (role {owner.role}). "
            "This is the only time the secret is shown; store it now:"
        )
        self.stdout.write(secret)

    def _list(self, *, include_revoked: bool) -> None:
        tokens = list(api_tokens_list(include_revoked=include_revoked))
        if not tokens:
            self.stdout.write("No API tokens." if include_revoked else "No active API tokens.")
            return
        header = ["ID", "USER", "NAME", "STARTS WITH", "CREATED", "LAST USED"]
        rows = [
            [
                str(t.pk),
                t.user.username,
                t.name,
                f"{t.prefix}…",
                _when(t.created_at),
                _when(t.last_used_at),
            ]
            + ([_when(t.revoked_at)] if include_revoked else [])
            for t in tokens
        ]
        if include_revoked:
            header.append("REVOKED")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )

    def _revoke(self, token_id: int) -> None:
        token = api_token_revoke(token_id=token_id, actor=operator())
        self.stdout.write(
            self.style.SUCCESS(
                f"Revoked API token {token.pk} ({token.name!r} of {token.user.username}); "
                "requests with it are refused within a few seconds on every server."
            )
        )
