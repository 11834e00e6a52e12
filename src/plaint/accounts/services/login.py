"""Staff sign-in behind a brute-force throttle, counted in the database.

Wrong passwords are counted per account name and per client address (``LoginThrottle`` rows);
at a limit within the window that account or address is locked for a while. An attempt first
*claims* a slot with one conditional UPDATE (``failures < limit``), and only a claimed attempt
gets its password checked: concurrent attempts on any number of processes stop at exactly the
limit. Unknown names are counted and answered exactly like existing ones. Every lock and every
unlock is an event in the audit trail (one chain per throttle row).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from plaint.accounts.access import can_manage_accounts, require
from plaint.accounts.models import LoginThrottle, User
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.duties import register_duty
from plaint.core.errors import RateLimited

AUDIT_CASE_TYPE = "login_throttle"
Scope = LoginThrottle.Scope
# Bad API tokens are counted per address too, apart from the sign-in page's count (an
# integration with a stale token must not lock the office out of the sign-in page).
API_KEY_PREFIX = "api "


@dataclass(frozen=True)
class Limit:
    failures: int
    window: dt.timedelta
    lockout: dt.timedelta


def login_limit(scope: str) -> Limit:
    """The configured limit of a scope (settings ``LOGIN_*``)."""
    failures = (
        settings.LOGIN_ACCOUNT_MAX_FAILURES
        if scope == Scope.ACCOUNT
        else settings.LOGIN_ADDRESS_MAX_FAILURES
    )
    return Limit(
        failures=failures,
        window=dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS),
        lockout=dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS),
    )


class LoginLocked(RateLimited):
    """Sign-in refused unchecked: the account name (``scope`` "account"), the client address
    ("address") or the address's API tokens ("api") are locked until ``retry_at``."""

    def __init__(self, *, scope: str, retry_at: dt.datetime) -> None:
        self.scope = scope
        self.retry_at = retry_at
        seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
        self.minutes = math.ceil(seconds / 60)
        super().__init__(_locked_message(scope, self.minutes), retry_after=seconds)


def _locked_message(scope: str, minutes: int) -> str:
    values = {"minutes": minutes}
    if scope == Scope.ACCOUNT:
        return (
            ngettext(
                "This account is temporarily locked after too many failed sign-ins. "
                "Try again in %(minutes)d minute.",
                "This account is temporarily locked after too many failed sign-ins. "
                "Try again in %(minutes)d minutes.",
                minutes,
            )
            % values
        )
    if scope == "api":
        return (
            ngettext(
                "Too many requests with unknown API tokens from your address. "
                "Try again in %(minutes)d minute.",
                "Too many requests with unknown API tokens from your address. "
                "Try again in %(minutes)d minutes.",
                minutes,
            )
            % values
        )
    return (
        ngettext(
            "Too many failed sign-ins from your address. Try again in %(minutes)d minute.",
            "Too many failed sign-ins from your address. Try again in %(minutes)d minutes.",
            minutes,
        )
        % values
    )


def account_key(username: str) -> str:
    """The row key of an account name: the digest of its normalised, case-folded form (what was
    typed may be a password typed into the wrong field, so it is never kept in clear)."""
    return sha256_hex(unicodedata.normalize("NFKC", username or "").strip().casefold())


def client_address(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy rewrites it.
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return (address or "unknown")[:45]


def _throttle(scope: str, key: str, *, user: User | None = None) -> LoginThrottle:
    row, _created = LoginThrottle.objects.get_or_create(
        scope=scope, key=key, defaults={"user": user}
    )
    return row


def _claim(row: LoginThrottle, limit: Limit, now: dt.datetime) -> bool:
    """Take one attempt of the row's allowance; False when it is locked or used up."""
    rows = LoginThrottle.objects.filter(pk=row.pk)
    # A window that ended (and is not locked), or a lock that ran out, starts afresh. Each is a
    # single conditional UPDATE, so of concurrent callers exactly one restarts the window.
    rows.filter(
        Q(locked_until__lte=now)
        | Q(locked_until__isnull=True)
        & (Q(window_started_at__isnull=True) | Q(window_started_at__lte=now - limit.window))
    ).update(failures=0, window_started_at=now, locked_until=None)
    claimed = (
        rows.filter(failures__lt=limit.failures)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(failures=F("failures") + 1)
    )
    return claimed == 1


def _release(row: LoginThrottle) -> None:
    """Give back a claimed attempt that turned out not to be a failure."""
    LoginThrottle.objects.filter(pk=row.pk, failures__gt=0).update(failures=F("failures") - 1)


@transaction.atomic
def _failed(row: LoginThrottle, limit: Limit, now: dt.datetime) -> None:
    """A claimed attempt failed: it stays counted; the one that finds the allowance used up
    locks the row (a conditional UPDATE: one caller wins) and records the lock."""
    until = now + limit.lockout
    locked = (
        LoginThrottle.objects.filter(pk=row.pk, failures__gte=limit.failures)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(locked_until=until)
    )
    if locked:
        # the UPDATE holds the row's lock until commit: appends to this chain are ordered
        _audit(row, action="login_locked", actor=Actor.system(), at=now, until=until)


def _audit(
    row: LoginThrottle,
    *,
    action: str,
    actor: Actor,
    at: dt.datetime,
    until: dt.datetime | None = None,
    **details: object,
) -> None:
    data: dict[str, object] = {"scope": row.scope, "user_id": row.user_id, **details}
    if until is not None:
        data["locked_until"] = until.astimezone(dt.UTC).isoformat()
    audit_append(
        case_type=AUDIT_CASE_TYPE,
        case_id=row.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        # the address is personal data: outside the hashed part, so it can be erased
        personal={"address": row.key} if row.scope == Scope.ADDRESS else {},
        at=at,
    )


def _refusal(row: LoginThrottle, limit: Limit, now: dt.datetime) -> LoginLocked:
    until = LoginThrottle.objects.filter(pk=row.pk).values_list("locked_until", flat=True).first()
    # used up by attempts still in flight (no lock yet): at the latest when a lock would end
    retry_at = until if until is not None and until > now else now + limit.lockout
    return LoginLocked(scope=row.scope, retry_at=retry_at)


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User | None:
    """Check a staff sign-in through the throttle: the user, None for wrong credentials, or
    ``LoginLocked`` (the password is then not checked at all). A success clears the account
    name's count and gives back its attempt of the address's allowance."""
    now = timezone.now()
    by_address = _throttle(Scope.ADDRESS, client_address(request))
    by_account = _throttle(
        Scope.ACCOUNT,
        account_key(username),
        user=User.objects.filter(username=username).first(),
    )
    address_limit, account_limit = login_limit(Scope.ADDRESS), login_limit(Scope.ACCOUNT)
    if not _claim(by_address, address_limit, now):
        raise _refusal(by_address, address_limit, now)
    if not _claim(by_account, account_limit, now):
        _release(by_address)  # a refused attempt checks no password: it counts nowhere
        raise _refusal(by_account, account_limit, now)
    user = authenticate(request, username=username, password=password)
    if user is None:
        _failed(by_account, account_limit, timezone.now())
        _failed(by_address, address_limit, timezone.now())
        return None
    # a success clears the account's count (unless a concurrent failure locked it meanwhile)
    LoginThrottle.objects.filter(pk=by_account.pk).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ).update(failures=0, window_started_at=None, locked_until=None)
    _release(by_address)
    return user


def api_address_check(*, address: str) -> None:
    """Raise ``LoginLocked`` when ``address`` is locked out for bad API tokens (asked before a
    token is looked up, so a locked address learns nothing about any token)."""
    now = timezone.now()
    until = (
        LoginThrottle.objects.filter(
            scope=Scope.ADDRESS, key=API_KEY_PREFIX + address, locked_until__gt=now
        )
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None:
        raise LoginLocked(scope="api", retry_at=until)


def api_address_failed(*, address: str) -> None:
    """Count a request with an unknown, revoked or malformed token against its address."""
    now = timezone.now()
    limit = login_limit(Scope.ADDRESS)
    row = _throttle(Scope.ADDRESS, API_KEY_PREFIX + address)
    if _claim(row, limit, now):
        _failed(row, limit, now)


@dataclass(frozen=True)
class Unlocked:
    scope: str
    was_locked: bool
    failures: int


@transaction.atomic
def login_unlock(
    *, actor: Actor, username: str | None = None, address: str | None = None
) -> list[Unlocked]:
    """Clear the count and any lock of an account name and/or a client address (its sign-in
    page count and its API token count); each row cleared is recorded in the audit trail.
    Staff callers must be administrators; the command line acts as the operator."""
    if actor.kind == "staff":
        require(can_manage_accounts, actor.user, gettext_noop("unlock sign-ins"))
    wanted = Q(pk__in=[])
    if username:
        wanted |= Q(scope=Scope.ACCOUNT, key=account_key(username))
    if address:
        wanted |= Q(scope=Scope.ADDRESS, key__in=[address, API_KEY_PREFIX + address])
    now = timezone.now()
    done: list[Unlocked] = []
    for row in LoginThrottle.objects.select_for_update().filter(wanted).order_by("pk"):
        was_locked = row.locked_until is not None and row.locked_until > now
        if not was_locked and row.failures == 0:
            continue
        LoginThrottle.objects.filter(pk=row.pk).update(
            failures=0, window_started_at=None, locked_until=None
        )
        _audit(
            row,
            action="login_unlocked",
            actor=actor,
            at=now,
            was_locked=was_locked,
            failures=row.failures,
        )
        done.append(Unlocked(scope=row.scope, was_locked=was_locked, failures=row.failures))
    return done


def login_throttle_forget_old(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Housekeeping: drop rows with no lock and no window in the last ``older_than``."""
    cutoff = timezone.now() - older_than
    deleted, _ = (
        LoginThrottle.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=cutoff))
        .filter(Q(window_started_at__isnull=True) | Q(window_started_at__lt=cutoff))
        .delete()
    )
    return deleted


def register_duties() -> None:
    """The workers' duty of this module (``AccountsConfig.ready``): prune idle sign-in throttle
    rows."""
    register_duty(
        "accounts.login_throttle_prune",
        login_throttle_forget_old,
        label=gettext_lazy("Forget idle sign-in throttle counters"),
    )
