"""Writes of core data: the e-mail outbox (the organisation's settings and calendars are
``plaint.organisation``'s)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import OperationalError, models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.utils import is_locked_database_exception

from plaint.core.locales import one_digit_system, timezone_in_words
from plaint.core.models import ConfigurationToken, Organisation, OutboundEmail
from plaint.core.selectors import organisation_get

log = logging.getLogger(__name__)


EmailContext = Callable[..., dict[str, Any]]

# Builders of deferred mails' contexts by name, registered by the app that owns the mail in its
# ``AppConfig.ready()`` (the outbox row stores the name, never a dotted path to import).
EMAIL_CONTEXTS: dict[str, EmailContext] = {}
# Rows written before the registry stored the builder's dotted path; they still render.
LEGACY_EMAIL_CONTEXTS = {
    "plaint.complaints.services.acknowledgement_email_context": "acknowledgement",
}


def register_email_context(name: str, builder: EmailContext) -> None:
    """Let deferred mails name ``builder`` as ``context_builder=name``."""
    EMAIL_CONTEXTS[name] = builder


def _render_email(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render ``emails/<language>/<kind>.txt`` (falling back to English) in the organisation's
    time zone, which the context names in words as ``timezone_name``. First line is the subject."""
    organisation = context.get("organisation")
    if not isinstance(organisation, Organisation):  # the caller has not read it already
        organisation = organisation_get()
    tz = organisation.timezone
    for lang in (language, "en"):
        # Every mail may name the organisation's time zone in words, in its own language.
        words = {"timezone_name": timezone_in_words(tz, lang)}
        try:
            with translation.override(lang), timezone.override(tz):
                rendered = render_to_string(f"emails/{lang}/{kind}.txt", {**context, **words})
        except TemplateDoesNotExist:
            continue
        # One digit system per message: what the organisation or the complainant wrote with
        # Persian digits reads 0-9 like the dates and references around it (core.locales).
        text = one_digit_system(rendered)
        first, _, rest = text.lstrip().partition("\n")
        subject = first.removeprefix("Subject:").strip()
        return subject, rest.strip() + "\n", lang
    raise TemplateDoesNotExist(f"emails/en/{kind}.txt")


def email_enqueue(
    *,
    to: str,
    kind: str,
    language: str,
    context: dict[str, Any],
    complaint: models.Model | None = None,
) -> OutboundEmail:
    """Write a mail into the outbox and enqueue its delivery, inside the caller's transaction."""
    subject, body, used_language = _render_email(kind, language, context)
    return _outbox_write(
        to=to,
        subject=subject[:300],
        body=body,
        language=used_language,
        kind=kind,
        complaint=complaint,
    )


DEFERRED_MARK = '{"deferred":'  # the body of an outbox row the worker renders (subject empty)
REDACTED = "[removed after delivery]"


# The domain of the stand-in addresses ``plaint.privacy`` puts in place of an erased person's
# (RFC 2606 reserves it): a mail to one is written as given up, never sent.
ERASED_DOMAIN = "erased.invalid"


def _outbox_row(**fields: Any) -> OutboundEmail:
    """An unsaved outbox row with a fresh Message-ID, due now."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "plaint.local"
    email = OutboundEmail(
        **fields, message_id=f"<{uuid.uuid4()}@{domain}>", next_attempt_at=timezone.now()
    )
    if str(email.to).lower().endswith(f"@{ERASED_DOMAIN}"):
        email.status = OutboundEmail.Status.FAILED
        email.last_error = "the address was erased"
    return email


def _outbox_write(**fields: Any) -> OutboundEmail:
    """The outbox row, written in the caller's transaction: the row is the job. Workers deliver
    pending rows whose time has come (``email_deliver_due``), so a rolled-back change sends
    nothing and a committed one is delivered without a second queue to keep in step."""
    email = _outbox_row(**fields)
    email.save()
    return email


def email_deferred_row(
    *,
    to: str,
    kind: str,
    language: str,
    context_builder: str,
    data: dict[str, str],
    secret: tuple[str, ...] = (),
    complaint: models.Model | None = None,
) -> OutboundEmail:
    """The unsaved outbox row of ``email_enqueue_deferred``, for a caller that inserts it together
    with its other new rows (``core.db.insert_together``) in its transaction."""
    if context_builder not in EMAIL_CONTEXTS:
        raise ValueError(f"no e-mail context registered as {context_builder!r}")
    spec = {"context": context_builder, "data": data, "secret": list(secret)}
    return _outbox_row(
        to=to,
        subject="",
        body=json.dumps({"deferred": spec}, ensure_ascii=False),
        language=language,
        kind=kind,
        complaint=complaint,
    )


def email_enqueue_deferred(
    *,
    to: str,
    kind: str,
    language: str,
    context_builder: str,
    data: dict[str, str],
    secret: tuple[str, ...] = (),
    complaint: models.Model | None = None,
) -> OutboundEmail:
    """Like ``email_enqueue``, but the worker renders the mail just before sending it: the request
    only writes the row (rendering a template costs a few milliseconds of the intake).

    ``context_builder`` is the name a builder ``(*, email, **data) -> context`` was registered
    under (``register_email_context``); ``data`` is what it needs beyond the row (JSON strings). Until the mail is
    sent the row's subject is empty and its body holds ``{"deferred": …}``. The ``data`` keys
    named in ``secret`` (e.g. a tracking link, whose token is otherwise stored only as a digest)
    are replaced by ``REDACTED`` in the stored body once the mail is sent, or given up on."""
    email = email_deferred_row(
        to=to,
        kind=kind,
        language=language,
        context_builder=context_builder,
        data=data,
        secret=secret,
        complaint=complaint,
    )
    email.save()
    return email


def _deferred_spec(email: OutboundEmail) -> dict[str, Any] | None:
    if email.subject or not email.body.startswith(DEFERRED_MARK):
        return None
    return json.loads(email.body)["deferred"]


def _render_deferred(email: OutboundEmail, spec: dict[str, Any]) -> tuple[str, str, str]:
    name = LEGACY_EMAIL_CONTEXTS.get(spec["context"], spec["context"])
    builder = EMAIL_CONTEXTS.get(name)
    if builder is None:
        raise ValueError(f"no e-mail context registered as {name!r}")
    context = builder(email=email, **spec["data"])
    return _render_email(email.kind, email.language, context)


def _without_secrets(text: str, spec: dict[str, Any]) -> str:
    for key in spec["secret"]:
        value = spec["data"].get(key)
        if value:
            text = text.replace(value, REDACTED)
    return text


def _backoff(attempts: int) -> dt.timedelta:
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


Claimable = TypeVar("Claimable", bound=models.Model)


def outbox_claim_next(model: type[Claimable], lease: dt.timedelta) -> Claimable | None:
    """Claim the oldest due row of an outbox table (``OutboundEmail``, ``WebhookDelivery``: the
    fields ``status``, ``next_attempt_at``, ``claimed_until`` and ``attempts``) in a short
    transaction: its lease runs until ``now + lease`` and its attempt is counted.
    On PostgreSQL rows other workers are claiming are skipped (SKIP LOCKED), so workers take
    different rows; SQLite has one writer (a claim that finds the database locked claims nothing:
    the next pass tries again)."""
    try:
        return _claim(model, timezone.now(), lease)
    except OperationalError as exc:
        if not is_locked_database_exception(exc):
            raise
        return None


def _claim(model: type[Claimable], now: dt.datetime, lease: dt.timedelta) -> Claimable | None:
    due = model._default_manager.filter(
        models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now),
        status="pending",
        next_attempt_at__lte=now,
    )
    with transaction.atomic():
        row = due.order_by("next_attempt_at", "pk").select_for_update(skip_locked=True).first()
        if row is None:
            return None
        row.claimed_until = now + lease  # type: ignore[attr-defined]
        row.attempts += 1  # type: ignore[attr-defined]
        row.save(update_fields=["claimed_until", "attempts"])
    return row


def _permanent(exc: Exception) -> bool:
    """A 5xx answer of the mail server is final (RFC 5321 4.2.1): trying again sends nothing."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


def _headers(email: OutboundEmail) -> dict[str, str]:
    """Every mail says a machine sent it (RFC 3834: auto-replies to it are not sent) and carries
    the Message-ID stored in its row, which e-mail intake matches a reply's In-Reply-To against.
    A case's mail is also answered to the intake address plus-addressed with the case's
    reference when one is set (``PLAINT_MAILIN_REPLY_ADDRESS``: intake+C-2026-000001@…)."""
    headers = {"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"}
    address = settings.MAILIN_REPLY_ADDRESS
    if address and email.complaint_id is not None:
        local, _, domain = address.rpartition("@")
        reference = email.complaint.reference  # type: ignore[union-attr]
        headers["Reply-To"] = f"{local}+{reference}@{domain}"
    return headers


def _with_reference(email: OutboundEmail, subject: str) -> str:
    """A case's mail names the case's reference in its subject (the case's own templates do; a
    survey invitation after the case gets it added), so a reply that lost its threading headers
    still finds its case (e-mail intake)."""
    if email.complaint_id is None:
        return subject
    reference = email.complaint.reference  # type: ignore[union-attr]
    if not reference or reference in subject:
        return subject
    return f"{subject} [{reference}]"


def _send(email: OutboundEmail) -> str:
    """Render (when deferred) and send a mail this worker has claimed; record the outcome."""
    spec = _deferred_spec(email)
    try:
        subject, body = email.subject, email.body
        if spec is not None:  # rendered here, not in the request that wrote it
            subject, body, language = _render_deferred(email, spec)
        subject = _with_reference(email, subject)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers=_headers(email),
        )
        get_connection(fail_silently=False).send_messages([message])
    except Exception as exc:  # any transport or rendering failure: keep the mail, try later
        with transaction.atomic():
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.claimed_until = None
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS or _permanent(exc):
                email.status = OutboundEmail.Status.FAILED
                if spec is not None:  # never sent: drop the secrets it would have carried
                    for key in spec["secret"]:
                        spec["data"][key] = REDACTED
                    email.body = json.dumps({"deferred": spec}, ensure_ascii=False)
                log.error("giving up on mail %s after %s attempts", email.pk, email.attempts)
            else:
                email.next_attempt_at = timezone.now() + _backoff(email.attempts)
            email.save(
                update_fields=["last_error", "claimed_until", "status", "next_attempt_at", "body"]
            )
        return "retry" if email.status == OutboundEmail.Status.PENDING else "failed"
    sent: dict[str, Any] = {"subject": subject[:300]} if subject != email.subject else {}
    if spec is not None:  # keep what was sent, minus the secrets (e.g. the tracking link)
        sent = {
            "subject": subject[:300],
            "body": _without_secrets(body, spec),
            "language": language,
        }
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
        **sent,
    )
    return "sent"


def email_deliver_due(*, limit: int = 100, lease: dt.timedelta | None = None) -> int:
    """Deliver up to ``limit`` pending mails whose time has come, oldest first; returns how many
    this worker tried. Any number of workers may run this at once: each mail is claimed (with a
    lease) by one of them before it is sent. A mail whose worker died mid-delivery is tried again
    once its lease ends; one that failed is tried again at its ``next_attempt_at``, unless the mail
    server refused it for good (a 5xx answer): that one is given up at once, for staff to see."""
    lease = lease or dt.timedelta(seconds=settings.EMAIL_CLAIM_LEASE_SECONDS)
    tried = 0
    while tried < limit:
        email = outbox_claim_next(OutboundEmail, lease)
        if email is None:
            break
        _send(email)
        tried += 1
    return tried


def config_changed() -> None:
    """Write a new configuration token, in the caller's transaction: every process reloads what it
    cached from the configuration at its next read, and a rolled-back change invalidates nothing."""
    token = uuid.uuid4().hex
    if not ConfigurationToken.objects.filter(pk=1).update(token=token):
        ConfigurationToken.objects.create(pk=1, token=token)
