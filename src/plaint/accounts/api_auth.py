"""API authentication: ``Authorization: Bearer <token>`` for staff and integrations.

The token names a staff user (see ``accounts.services.api_token_create``); what that user may do is
decided per operation by ``plaint.accounts.access``, exactly as for the web pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from ninja.security import HttpBearer

from plaint.accounts.access import is_staff_member, require
from plaint.accounts.models import User
from plaint.accounts.services import api_token_authenticate
from plaint.accounts.services.login import client_address
from plaint.core.actors import Actor


class BearerToken(HttpBearer):
    """Resolves the bearer secret to its active staff user; anything else is a 401. Bad tokens
    count against the client's address: at the limit it gets a 429 for every token it has not
    used before (``LoginLocked``), so guessing gets nowhere and learns nothing.

    With ``check``, the user must also pass it (else ``NotAllowed``, a 403): Ninja authenticates
    before it reads the path, query and body, so a role that may not use an operation learns
    nothing of its fields from a 422."""

    def __init__(self, check: Callable[[User], bool] | None = None, what: str = "") -> None:
        super().__init__()
        self.check = check
        self.what = what

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(secret=token.strip(), address=client_address(request))
        if user is None or not is_staff_member(user):
            return None
        request.user = user
        if self.check is not None:
            require(self.check, user, self.what)
        return user


def may(check: Callable[[User], bool], what: str) -> BearerToken:
    """An operation's ``auth``: a valid token whose user passes ``check``, checked before its
    input is validated. ``what`` is the action in the infinitive, marked with
    ``gettext_noop`` (it is translated when refused), e.g. ``gettext_noop("write promises")``."""
    return BearerToken(check, what)


def api_user(request: HttpRequest) -> User:
    """The user the request's token belongs to (set by ``BearerToken``)."""
    # Ninja sets request.auth after authentication; HttpRequest's stubs do not declare it.
    return request.auth  # type: ignore[attr-defined]


def api_actor(request: HttpRequest) -> Actor:
    return Actor.staff(api_user(request))


def api_principal(request: HttpRequest) -> str:
    """Who owns an Idempotency-Key: keys of two users never collide."""
    return f"user:{api_user(request).pk}"


def api_require(request: HttpRequest, check, what: str) -> User:
    """Raise ``NotAllowed`` (403) unless the token's user passes ``check``; return the user."""
    user = api_user(request)
    require(check, user, what)
    return user
