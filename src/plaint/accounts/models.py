"""Staff users with one role each, teams, and hashed API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    HANDLER = "handler", _("Complaint handler")
    AUDITOR = "auditor", _("Auditor")
    # a person at a dispute-resolution provider: not staff; sees only the disputes assigned to
    # them, in the neutral's portal (plaint.disputes)
    NEUTRAL = "neutral", _("Neutral (dispute resolution)")


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.HANDLER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    language = models.CharField(max_length=8, default="en")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "manager", "handler", "auditor", "neutral"]),
                name="user_role_known",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """An API credential. Only the SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginThrottle(models.Model):
    """Failed staff sign-ins counted for one account name or one client address.

    ``failures`` counts the attempts of the current window whose password was checked and not
    accepted (an attempt in flight counts until it is known good); at the limit the row is locked
    until ``locked_until``. The counting is done by conditional UPDATEs (``services.login``), so
    concurrent attempts on any number of processes stop at exactly the limit.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("Account")
        ADDRESS = "address", _("Address")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    # account: SHA-256 of the case-folded name typed (it may be a password typed in the wrong
    # field, so never kept in clear); address: the client's address as the server saw it
    key = models.CharField(max_length=64)
    # account scope, when the name is an existing account's (unknown names are counted the same)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="login_throttles"
    )
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_one_row"),
            models.CheckConstraint(
                condition=models.Q(scope__in=["account", "address"]),
                name="login_throttle_scope_known",
            ),
        ]
        indexes = [models.Index(fields=["locked_until"], name="login_throttle_locked_idx")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:12]} ({self.failures})"
