"""``plaint login list|unlock|reset-two-step``: the staff sign-in throttle's current locks, and
clearing them; removing a member's authenticator app.

``list`` shows account names and client addresses that are locked or have failed sign-ins
counted; ``unlock --user NAME`` and/or ``--address ADDR`` clears them; ``reset-two-step --user
NAME`` removes the member's authenticator (a lost phone). Each is recorded in the audit trail.
Limits are settings: docs/operations.md, "Security"."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from plaint.accounts.management.commands._operator import operator
from plaint.accounts.selectors import login_throttles_active
from plaint.accounts.services.login import API_KEY_PREFIX, login_unlock
from plaint.accounts.services.two_factor import two_factor_reset
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand


class Command(PlaintCommand):
    help = "Staff sign-in locks: list them, or unlock an account name or a client address."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{list,unlock,reset-two-step}"
        )
        sub.add_parser("list", help="Locked account names and addresses, and counted failures.")
        unlock = sub.add_parser("unlock", help="Clear the lock and count of a name or address.")
        unlock.add_argument("--user", default=None, help="The account name (username).")
        unlock.add_argument("--address", default=None, help="The client's IP address.")
        reset = sub.add_parser(
            "reset-two-step", help="Remove a member's authenticator app (a lost phone)."
        )
        reset.add_argument("--user", required=True, help="The account name (username).")

    def handle(self, *args, action: str, **options):
        if action == "list":
            self._list()
        elif action == "unlock":
            self._unlock(options["user"], options["address"])
        else:
            self._reset_two_step(options["user"])

    def _reset_two_step(self, username: str) -> None:
        if two_factor_reset(actor=operator(), username=username):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Removed the authenticator of {username}: they sign in with their password "
                    "(and enrol again first if their role requires two-step sign-in)."
                )
            )
        else:
            self.stdout.write(f"{username} has no authenticator app; nothing to reset.")

    def _list(self) -> None:
        now = timezone.now()
        rows = list(login_throttles_active(now=now))
        if not rows:
            self.stdout.write("No sign-in locks and no failed sign-ins counted.")
            return
        for row in rows:
            if row.scope == "account":
                who = f"account {row.user.username}" if row.user else "account (no such user)"
            elif row.key.startswith(API_KEY_PREFIX):
                who = f"address {row.key.removeprefix(API_KEY_PREFIX)} (API tokens)"
            else:
                who = f"address {row.key}"
            locked = row.locked_until is not None and row.locked_until > now
            state = (
                f"locked until {row.locked_until:%Y-%m-%d %H:%M:%S} UTC"
                if locked and row.locked_until
                else "not locked"
            )
            self.stdout.write(f"{who}: {row.failures} failed, {state}")

    def _unlock(self, username: str | None, address: str | None) -> None:
        if not username and not address:
            raise CommandError(
                "Name an account (--user) or an address (--address).", returncode=EXIT_REFUSED
            )
        cleared = login_unlock(actor=operator(), username=username, address=address)
        target = " and ".join(
            part
            for part in (
                f"account {username!r}" if username else "",
                f"address {address}" if address else "",
            )
            if part
        )
        if not cleared:
            self.stdout.write(f"Nothing to unlock for {target}: no lock and no failures counted.")
            return
        locks = sum(1 for c in cleared if c.was_locked)
        self.stdout.write(
            self.style.SUCCESS(
                f"Unlocked {target}: {locks} lock(s) lifted, "
                f"{sum(c.failures for c in cleared)} counted failure(s) cleared."
            )
        )
