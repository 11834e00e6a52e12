"""Reads of accounts: API tokens and the sign-in throttle's current locks, for the commands."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from plaint.accounts.models import ApiToken, LoginThrottle


def api_tokens_list(*, include_revoked: bool = False) -> QuerySet[ApiToken]:
    """Tokens with their users, oldest first; revoked ones only when asked."""
    tokens = ApiToken.objects.select_related("user").order_by("pk")
    return tokens if include_revoked else tokens.filter(revoked_at__isnull=True)


def login_throttles_active(*, now: dt.datetime | None = None) -> QuerySet[LoginThrottle]:
    """Rows locked now, or with failures counted: what an administrator may want to clear."""
    now = now or timezone.now()
    return (
        LoginThrottle.objects.select_related("user")
        .filter(Q(locked_until__gt=now) | Q(failures__gt=0))
        .order_by("scope", "-locked_until", "pk")
    )
