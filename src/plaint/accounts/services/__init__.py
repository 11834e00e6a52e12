"""Writes of accounts: users, teams, API tokens (sign-in and its throttle: ``services.login``)."""

from __future__ import annotations

import copy
import secrets
import threading

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from plaint.accounts.access import can_manage_accounts, require
from plaint.accounts.models import ApiToken, Role, Team, User
from plaint.accounts.services.login import api_address_check, api_address_failed
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.digest import sha256_hex
from plaint.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed

TOKEN_PREFIX = "plt_"  # noqa: S105 - a public marker, not a secret
TOKEN_AUDIT_CASE_TYPE = "api_token"  # noqa: S105 - an audit chain's name, not a secret


def token_digest(secret: str) -> str:
    return sha256_hex(secret)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    team: Team | None = None,
    language: str = "en",
    check_password: bool = True,
) -> User:
    """Create a staff user. Passwords are checked against Django's validators unless told otherwise
    (demo accounts)."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [gettext("This field is required.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [gettext("A user with this name exists.")]
    if role not in Role.values:
        errors["role"] = [
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(Role.values)}
        ]
    if password and check_password:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(gettext("The user could not be created."), fields=errors)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        language=language,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def team_create(*, name: str) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            gettext("Give the team a name."), fields={"name": [gettext("This field is required.")]}
        )
    team, _ = Team.objects.get_or_create(name=name)
    return team


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; the secret is returned once and only its digest is kept."""
    if not user.is_active:
        raise NotAllowed(gettext("An inactive user cannot hold API tokens."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=(name or "token")[:100], prefix=secret[:12], digest=token_digest(secret)
    )
    return token, secret


# Bearer-token lookups are remembered in each process for this many seconds (setting
# API_TOKEN_CACHE_SECONDS, 0 turns it off): a busy integration then costs no token query per
# request. The price: a token revoked, or a user deactivated or given another role, in ANOTHER
# process is still honoured by this one for at most that long (in this process at once).
TOKEN_CACHE_SECONDS = 5
_TOKEN_CACHE_MAX = 1000
_token_cache: dict[str, tuple[float, User]] = {}  # digest -> (expires at, epoch s; user)
_token_cache_lock = threading.Lock()


def _token_cache_seconds() -> float:
    return float(getattr(settings, "API_TOKEN_CACHE_SECONDS", TOKEN_CACHE_SECONDS))


def api_token_authenticate(*, secret: str, address: str | None = None) -> User | None:
    """The active user behind a token secret, or None. Remembered for ``TOKEN_CACHE_SECONDS``.

    With the client's ``address``, bad tokens are counted against it: an address at the limit
    gets ``LoginLocked`` for every token it has not already used (``services.login``)."""
    digest = token_digest(secret or "")
    now = timezone.now()
    seconds = _token_cache_seconds()
    hit = _token_cache.get(digest)
    if hit is not None and hit[0] > now.timestamp():
        return copy.copy(hit[1])  # a copy: requests never share one mutable User
    if address is not None:
        api_address_check(address=address)
    token = None
    if secret and secret.startswith(TOKEN_PREFIX) and len(secret) <= 100:
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True)
            .first()
        )
    if token is None or not token.user.is_active:
        _token_cache.pop(digest, None)
        if address is not None:
            api_address_failed(address=address)
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # at most one write per token per five minutes, so reads stay reads
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if seconds > 0:
        with _token_cache_lock:
            if len(_token_cache) >= _TOKEN_CACHE_MAX:
                _token_cache.clear()
            _token_cache[digest] = (now.timestamp() + seconds, copy.copy(token.user))
    return token.user


@transaction.atomic
def api_token_revoke(*, token_id: int, actor: Actor) -> ApiToken:
    """Revoke a token by id: refused at once by this process, by the others within
    ``TOKEN_CACHE_SECONDS``. Recorded in the audit trail (the token's own chain)."""
    if actor.kind == "staff":
        require(can_manage_accounts, actor.user, gettext_noop("revoke API tokens"))
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise NotFound(gettext("No API token with id %(id)s.") % {"id": token_id})
    if token.revoked_at is not None:
        raise Conflict(
            gettext("API token %(id)s was already revoked on %(when)s.")
            % {"id": token.pk, "when": token.revoked_at.strftime("%Y-%m-%d %H:%M UTC")}
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_append(
        case_type=TOKEN_AUDIT_CASE_TYPE,
        case_id=token.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="token_revoked",
        data={"user_id": token.user_id, "name": token.name, "prefix": token.prefix},
        at=token.revoked_at,
    )
    transaction.on_commit(lambda: _token_cache.pop(token.digest, None))
    _token_cache.pop(token.digest, None)
    return token
