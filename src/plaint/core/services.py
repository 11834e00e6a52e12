"""Writes of core data: the e-mail outbox and organisation settings."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plaint.core.errors import ValidationFailed
from plaint.core.models import Organisation, OutboundEmail

log = logging.getLogger(__name__)


def _render_email(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render ``emails/<language>/<kind>.txt`` (falling back to English). First line is the subject."""
    from plaint.core.selectors import organisation_get

    organisation = context.get("organisation")
    if not isinstance(organisation, Organisation):  # the caller has not read it already
        organisation = organisation_get()
    tz = organisation.timezone
    for lang in (language, "en"):
        try:
            with translation.override(lang), timezone.override(tz):
                text = render_to_string(f"emails/{lang}/{kind}.txt", context)
        except TemplateDoesNotExist:
            continue
        first, _, rest = text.lstrip().partition("\n")
        subject = first.removeprefix("Subject:").strip()
        return subject, rest.strip() + "\n", lang
    raise TemplateDoesNotExist(f"emails/en/{kind}.txt")


def email_enqueue(
    *, to: str, kind: str, language: str, context: dict[str, Any], complaint=None
) -> OutboundEmail:
    """Write a mail into the outbox and enqueue its delivery, inside the caller's transaction."""
    from plaint.core.tasks import deliver_email

    subject, body, used_language = _render_email(kind, language, context)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "plaint.local"
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject[:300],
        body=body,
        language=used_language,
        kind=kind,
        complaint=complaint,
        message_id=f"<{uuid.uuid4()}@{domain}>",
        next_attempt_at=timezone.now(),
    )
    deliver_email.enqueue(email.pk)
    return email


def _backoff(attempts: int) -> dt.timedelta:
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def email_deliver(*, email_id: int, lease: dt.timedelta = dt.timedelta(minutes=5)) -> str:
    """Send one outbox mail once.

    The mail is claimed with a lease in a short transaction (a conditional UPDATE, so of two jobs
    for the same mail only one wins), sent outside any transaction so a slow SMTP server never holds
    a database lock, then marked sent. A failure reschedules it with exponential backoff and a new
    job for that time. Only a crash between the SMTP server's "250 OK" and the final UPDATE can
    repeat a mail, after the lease expires; the stable Message-ID lets mail systems drop that copy.
    """
    from plaint.core.tasks import deliver_email

    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING)
        .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
        .update(claimed_until=now + lease, attempts=models.F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"},
    )
    try:
        get_connection(fail_silently=False).send_messages([message])
    except Exception as exc:  # any transport failure: keep the mail, try later
        with transaction.atomic():
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.claimed_until = None
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
                log.error("giving up on mail %s after %s attempts", email.pk, email.attempts)
            else:
                email.next_attempt_at = timezone.now() + _backoff(email.attempts)
                deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
            email.save(update_fields=["last_error", "claimed_until", "status", "next_attempt_at"])
        return "retry" if email.status == OutboundEmail.Status.PENDING else "failed"
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="", claimed_until=None
    )
    return "sent"


def email_requeue_stale(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Re-enqueue pending mails whose due time passed long ago (e.g. a worker died mid-job).
    Delivery is idempotent, so an extra job costs nothing."""
    from plaint.core.tasks import deliver_email

    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, next_attempt_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    with transaction.atomic():
        for pk in ids:
            deliver_email.enqueue(pk)
    return len(ids)


ORGANISATION_FIELDS = (
    "name",
    "country",
    "timezone",
    "acknowledgement_business_days",
    "response_business_days",
    "no_answer_close_days",
    "contact_email",
    "contact_phone",
)


@transaction.atomic
def organisation_update(*, actor, **changes: Any) -> Organisation:
    """Change the organisation's settings (managers and admins only)."""
    import zoneinfo

    import holidays

    from plaint.accounts.access import can_configure, require
    from plaint.core.audit import audit_append

    require(can_configure, actor.user, "change the organisation's settings")
    org = Organisation.objects.select_for_update().order_by("pk").first() or Organisation()
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown settings: {', '.join(sorted(unknown))}")
    errors: dict[str, list[str]] = {}
    if "country" in changes:
        changes["country"] = str(changes["country"]).upper()
        if changes["country"] not in holidays.list_supported_countries():
            errors["country"] = ["Not a country with a known holiday calendar."]
    if "timezone" in changes and changes["timezone"] not in zoneinfo.available_timezones():
        errors["timezone"] = ["Not a known time zone, e.g. Europe/Tallinn."]
    ack = changes.get("acknowledgement_business_days", org.acknowledgement_business_days)
    resp = changes.get("response_business_days", org.response_business_days)
    if ack > resp:
        errors["acknowledgement_business_days"] = ["Must not be longer than the response time."]
    if errors:
        raise ValidationFailed("Some settings are not valid.", fields=errors)
    before = {f: getattr(org, f) for f in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    org.save()
    audit_append(
        case_type="organisation",
        case_id=org.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="settings_changed",
        data={"before": before, "after": changes},
    )
    return org
