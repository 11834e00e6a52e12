"""Two-step sign-in for staff: a TOTP authenticator app (django-otp's ``TOTPDevice``).

A member enrols by scanning a QR code (or typing the secret) and confirming with a first code;
from then on the sign-in asks for a code after the password. The roles in
``TWO_FACTOR_REQUIRED_ROLES`` must enrol before their sign-in completes. Enrolment, turning it off
and an administrator's reset are events in the member's audit chain (``staff_user:<id>``).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.accounts.access import can_manage_accounts, require
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed

AUDIT_CASE_TYPE = "staff_user"
DEVICE_NAME = "authenticator app"


def two_factor_required(user: User) -> bool:
    """Whether ``user``'s role must use a second step (setting ``TWO_FACTOR_REQUIRED_ROLES``)."""
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def two_factor_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    uri: str  # otpauth://totp/… : what the QR code holds
    secret: str  # the key in base32, to type into an app that cannot scan

    @property
    def secret_grouped(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@transaction.atomic
def two_factor_enrolment(*, user: User) -> Enrolment:
    """The user's enrolment in progress: one unconfirmed device, made on the first call and shown
    again until it is confirmed (reloading the page does not change the secret)."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Enrolment(device=device, uri=device.config_url, secret=secret)


def _audit(user: User, *, actor: Actor, action: str) -> None:
    audit_append(
        case_type=AUDIT_CASE_TYPE,
        case_id=user.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data={"user_id": user.pk},
    )


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the enrolment with a first code from the app: the device becomes the user's only
    authenticator (an earlier one is removed)."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # orders this user's audit chain
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise NotFound(gettext("Start again: there is no enrolment in progress."))
    if not device.verify_token(_digits(code)):
        raise ValidationFailed(
            gettext("The code is not right."),
            fields={"code": [gettext("Enter the 6-digit code your app shows now.")]},
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(user, actor=Actor.staff(user), action="two_factor_enrolled")
    return device


def two_factor_verify(*, user: User, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``code`` now, or None. Wrong codes slow the device down
    (django-otp's throttling doubles the wait after each failure)."""
    device = two_factor_device(user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, _digits(code))


def two_factor_wait_seconds(*, user: User) -> int:
    """Seconds before the user's authenticator accepts another attempt (0: now)."""
    device = two_factor_device(user)
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or details.get("locked_until") is None:
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """The user turns the second step off for themselves (refused when their role requires it)."""
    if two_factor_required(user):
        raise NotAllowed(gettext("Your role must use two-step sign-in."))
    User.objects.select_for_update().filter(pk=user.pk).first()
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        _audit(user, actor=Actor.staff(user), action="two_factor_disabled")


@transaction.atomic
def two_factor_reset(*, actor: Actor, username: str) -> int:
    """An administrator removes a member's authenticator (a lost phone): they sign in with their
    password alone, or enrol again at their next sign-in if their role requires it."""
    if actor.kind == "staff":
        require(can_manage_accounts, actor.user, gettext_noop("reset two-step sign-in"))
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise NotFound(gettext("No user named %(name)s.") % {"name": username})
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        _audit(user, actor=actor, action="two_factor_reset")
    return deleted


def _digits(code: str) -> str:
    """What was typed, without the spaces apps show in the middle of a code."""
    return "".join((code or "").split())[:16]
