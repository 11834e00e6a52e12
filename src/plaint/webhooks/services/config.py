"""Managing webhooks (admins and managers): create, change, rotate the secret, delete. Each
change is audited on the webhook's own chain and renews the configuration token, so every process
reads the new subscriptions at its next event."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.core.services import config_changed
from plaint.webhooks.models import URL_MAX, EventName, Webhook

CASE_TYPE = "webhook"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
NAME_MAX = 100


def _require(actor: Actor) -> None:
    if actor.kind != "staff" or not can_configure(actor.user):
        raise NotAllowed(_("Only managers and admins manage webhooks."))


def webhook_url_check(url: str) -> str:
    """``url`` if Plaint may POST to it: https, or http to this machine when the settings allow it
    (``WEBHOOK_ALLOW_LOCAL_HTTP``: development and tests, never production)."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if len(url) > URL_MAX or not host or parts.username or parts.password:
        raise ValidationFailed(_("Enter a valid URL."), fields={"url": [_("Enter a valid URL.")]})
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and host in LOCAL_HOSTS and settings.WEBHOOK_ALLOW_LOCAL_HTTP:
        return url
    message = _("A webhook's URL must start with https://.")
    raise ValidationFailed(message, fields={"url": [message]})


def _events_check(events: Iterable[str]) -> list[str]:
    wanted = sorted(set(events))
    unknown = [e for e in wanted if e not in EventName.values]
    if not wanted or unknown:
        message = _("Choose one or more of: %(events)s.") % {"events": ", ".join(EventName.values)}
        raise ValidationFailed(message, fields={"events": [message]})
    return wanted


def _name_check(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        message = _("Give the webhook a name of at most %(max)s characters.") % {"max": NAME_MAX}
        raise ValidationFailed(message, fields={"name": [message]})
    return name


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _audit(actor: Actor, webhook: Webhook, action: str) -> None:
    audit_append(
        case_type=CASE_TYPE,
        case_id=webhook.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        # never the secret: the audit trail is read by auditors and exported
        data={
            "name": webhook.name,
            "url": webhook.url,
            "events": webhook.events,
            "active": webhook.active,
        },
    )


@transaction.atomic
def webhook_create(
    *, actor: Actor, name: str, url: str, events: Iterable[str], active: bool = True
) -> tuple[Webhook, str]:
    """A new webhook and its secret (the only time the secret is handed out)."""
    _require(actor)
    webhook = Webhook(
        name=_name_check(name),
        url=webhook_url_check(url),
        events=_events_check(events),
        active=active,
        secret=new_secret(),
        created_by=actor.user,
    )
    webhook.save()
    _audit(actor, webhook, "webhook_created")
    config_changed()
    return webhook, webhook.secret


def _locked(webhook_id: int) -> Webhook:
    webhook = Webhook.objects.select_for_update().filter(pk=webhook_id).first()
    if webhook is None:
        raise NotFound(_("No such webhook."))
    return webhook


@transaction.atomic
def webhook_update(
    *,
    actor: Actor,
    webhook_id: int,
    name: str | None = None,
    url: str | None = None,
    events: Iterable[str] | None = None,
    active: bool | None = None,
) -> Webhook:
    """Change what is given (None: keep); the secret stays."""
    _require(actor)
    webhook = _locked(webhook_id)
    if name is not None:
        webhook.name = _name_check(name)
    if url is not None:
        webhook.url = webhook_url_check(url)
    if events is not None:
        webhook.events = _events_check(events)
    if active is not None:
        webhook.active = active
    webhook.save(update_fields=["name", "url", "events", "active"])
    _audit(actor, webhook, "webhook_changed")
    config_changed()
    return webhook


@transaction.atomic
def webhook_secret_rotate(*, actor: Actor, webhook_id: int) -> tuple[Webhook, str]:
    """A new secret (returned once); deliveries not yet sent are signed with it."""
    _require(actor)
    webhook = _locked(webhook_id)
    webhook.secret = new_secret()
    webhook.secret_rotated_at = timezone.now()
    webhook.save(update_fields=["secret", "secret_rotated_at"])
    _audit(actor, webhook, "webhook_secret_rotated")
    config_changed()
    return webhook, webhook.secret


@transaction.atomic
def webhook_delete(*, actor: Actor, webhook_id: int) -> str:
    """Delete a webhook with its delivery log (the audit trail keeps that it existed)."""
    _require(actor)
    webhook = _locked(webhook_id)
    _audit(actor, webhook, "webhook_deleted")
    name = webhook.name
    webhook.delete()
    config_changed()
    return name
