"""Survey links: the secret token in an invitation's link, its URLs, and finding the invitation a
link names (checked for use) without saying more than "not valid"."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from plaint.core.digest import sha256_hex
from plaint.core.errors import InvalidTransition, NotFound
from plaint.surveys.models import Invitation
from plaint.surveys.states import InvitationState


def invitation_token(salt: str) -> str:
    """The link's secret: an HMAC of the invitation's salt under the site's secret key.

    Only the token's digest is stored, so the database alone reveals no links; reminders carry the
    same link because the worker can recompute it. Rotating SECRET_KEY invalidates open links."""
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"plaint.surveys.invitation:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def survey_url(token: str) -> str:
    return f"{settings.BASE_URL}/survey/{token}/"


def opt_out_url(token: str) -> str:
    return f"{settings.BASE_URL}/survey/{token}/opt-out/"


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link names, checked for use: NotFound for an unknown token, InvalidTransition
    (with ``reason``) for one already answered, opted out or expired. Never says more."""
    if not token or len(token) > 100:
        raise NotFound(_("This survey link is not valid."))
    qs = Invitation.objects.select_related("survey", "complaint", "contact")
    if lock:
        qs = qs.select_for_update(of=("self",))  # not the nullable joined rows
    invitation = qs.filter(token_digest=sha256_hex(token)).first()
    if invitation is None:
        raise NotFound(_("This survey link is not valid."))
    return invitation


class LinkUnusable(InvalidTransition):
    """The link was valid once but cannot be used now; ``reason`` says why (for the page)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_usable(invitation: Invitation, now: dt.datetime) -> None:
    """Raise LinkUnusable (used, expired, opted out) or NotFound unless the link may be answered."""
    if invitation.state == InvitationState.RESPONDED:
        raise LinkUnusable("used", _("This survey has already been answered with this link."))
    if invitation.state in {InvitationState.EXPIRED, InvitationState.CANCELLED} or (
        invitation.expires_at <= now
    ):
        raise LinkUnusable("expired", _("This survey link has expired."))
    if invitation.state == InvitationState.OPTED_OUT:
        raise LinkUnusable("opted_out", _("You have opted out of our surveys."))
    if invitation.state != InvitationState.SENT:
        raise NotFound(_("This survey link is not valid."))
