"""Receiving a complaint (ISO 10002 7.3) and its acknowledgement mail (7.5)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import (
    AcknowledgementComposing,
    ComplaintReceived,
    ComplaintReceiving,
)
from plaint.complaints.models import (
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    Category,
    Channel,
    Complainant,
    Complaint,
    ContactChannel,
)
from plaint.complaints.services.base import audit, search_document, tracking_digest, tracking_url
from plaint.complaints.sql import NextReference, active_category_sql
from plaint.complaints.states import State, Step
from plaint.core.actors import Actor
from plaint.core.bounds import check_past_moment
from plaint.core.db import allocate_ids, insert_together
from plaint.core.deadlines import complaint_due_dates
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed, choose_one_of
from plaint.core.events import publish
from plaint.core.limits import max_length
from plaint.core.models import Attachment
from plaint.core.selectors import CONFIG_TOKEN_SQL, organisation_get
from plaint.core.services import email_deferred_row
from plaint.core.uploads import CheckedUpload

if TYPE_CHECKING:
    from plaint.core.models import AuditEvent, Organisation, OutboundEmail


LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}

# How much of the complaint's text a subject made from it keeps: a title, not the text again.
SUBJECT_FROM_TEXT_LENGTH = 80
ELLIPSIS = "\u2026"


STAFF_INTAKE_CHANNELS = {Channel.PHONE, Channel.LETTER, Channel.IN_PERSON, Channel.EMAIL}


@dataclass
class ComplaintInput:
    name: str
    description: str
    subject: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"
    preferred_channel: str = ContactChannel.EMAIL
    product: str = ""
    segment: str = ""  # customer segment code (promises may be restricted to segments)
    category: str = ""  # category code
    desired_outcome: str = ""
    consent: bool = False
    about_process: bool = False
    attachments: list[CheckedUpload] = field(default_factory=list)


@dataclass(frozen=True)
class _Clean:
    """The checked, trimmed input of one complaint."""

    name: str
    description: str
    subject: str
    email: str
    phone: str
    segment: str
    category: Category | None


class _Errors(dict[str, list[str]]):
    """Field errors in the order they were found (the order the form and the API show them)."""

    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)

    def longer_than(self, name: str, value: str, limit: int) -> bool:
        if len(value) > limit:
            self.add(name, _("At most %(limit)s characters.") % {"limit": limit})
            return True
        return False

    def required(self, name: str, value: str, limit: int) -> str:
        value = (value or "").strip()
        if not value:
            self.add(name, _("This field is required."))
        else:
            self.longer_than(name, value, limit)
        return value


def _validate_input(data: ComplaintInput, channel: str, category: Category | None) -> _Clean:
    """The checked input; ``category`` is the active category ``data.category`` names, read with
    the new ids (None: no such category, or none named)."""
    errors = _Errors()
    name = errors.required("name", data.name, max_length(Complainant, "name"))
    description = errors.required("description", data.description, DESCRIPTION_MAX)
    subject = (data.subject or "").strip() or subject_from_text(description)
    errors.longer_than("subject", subject, max_length(Complaint, "subject"))
    email, phone = _check_contact(data, errors)
    _check_reply_channel(data, email, phone, errors)
    if channel in {Channel.WEB, Channel.API} and not data.consent:
        errors.add(
            "consent",
            _("We need your consent to process your personal data to handle the complaint."),
        )
    if data.category and category is None:
        errors.add("category", _("Unknown category."))
    errors.longer_than("product", data.product or "", max_length(Complaint, "product"))
    errors.longer_than("desired_outcome", data.desired_outcome or "", DESIRED_OUTCOME_MAX)
    segment = _check_segment(data.segment, errors)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=dict(errors))
    return _Clean(name, description, subject, email, phone, segment, category)


def subject_from_text(text: str) -> str:
    """A subject made from the complaint's text, on one line: the whole text when it fits in
    ``SUBJECT_FROM_TEXT_LENGTH`` characters (and the subject's ``max_length``), otherwise cut at the
    last word boundary that fits, with "…" (counted in the limit). A first word longer than the
    limit is cut inside it, never between a letter and its combining mark."""
    limit = min(SUBJECT_FROM_TEXT_LENGTH, max_length(Complaint, "subject"))
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if line[limit - 1] != " ":  # the cut falls inside a word: leave the word out
        cut = cut.rpartition(" ")[0] or cut
    while len(cut) > 1 and unicodedata.combining(line[len(cut)]):
        cut = cut[:-1]
    # "damaged,…" reads badly: no punctuation or space just before the ellipsis
    return (cut.rstrip(" ,;:-\u2013\u2014\u060c\u061b") or cut) + ELLIPSIS


def _check_contact(data: ComplaintInput, errors: _Errors) -> tuple[str, str]:
    """The e-mail address and phone number, trimmed; at least one unless replies go by letter."""
    email = (data.email or "").strip()
    phone = (data.phone or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("Enter a valid e-mail address, e.g. name@example.org."))
    if phone and (
        len(phone) > max_length(Complainant, "phone")
        or not all(c.isdigit() or c in "+-() ./" for c in phone)
    ):
        errors.add("phone", _("Use digits, spaces and + - ( ) only, at most 40 characters."))
    if not email and not phone and data.preferred_channel != ContactChannel.LETTER:
        errors.add("email", _("Give an e-mail address or a phone number so we can reply."))
    return email, phone


def _check_reply_channel(data: ComplaintInput, email: str, phone: str, errors: _Errors) -> None:
    """The language and the way to reply are known ones, and the way to reply can be used."""
    if data.language not in LANGUAGE_CODES:
        errors.add(
            "language",
            choose_one_of(sorted(LANGUAGE_CODES)),
        )
    if data.preferred_channel not in ContactChannel.values:
        errors.add(
            "preferred_channel",
            choose_one_of(ContactChannel.values),
        )
    elif data.preferred_channel == ContactChannel.EMAIL and not email and "email" not in errors:
        errors.add("email", _("You asked for replies by e-mail: give an e-mail address."))
    elif data.preferred_channel == ContactChannel.PHONE and not phone:
        errors.add("phone", _("You asked for replies by phone: give a phone number."))


def _check_segment(value: str, errors: _Errors) -> str:
    segment = (value or "").strip().lower()
    if segment and (
        len(segment) > max_length(Complaint, "segment")
        or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", segment)
    ):
        errors.add(
            "segment",
            _("A short code: letters, digits, - and _, at most 32 characters (e.g. business)."),
        )
    return segment


def _ack_email_context(
    complaint: Complaint, token: str | None, org: Organisation | None = None
) -> dict[str, Any]:
    org = org or organisation_get()
    context: dict[str, Any] = {
        "complaint": complaint,
        "organisation": org,
        "tracking_url": tracking_url(token) if token else "",
        "acknowledgement_due_at": complaint.acknowledgement_due_at,
        "response_due_at": complaint.response_due_at,
        "timezone": org.timezone,
    }
    # Higher apps add what they know about the case, e.g. promises its promised deadlines.
    publish(AcknowledgementComposing(complaint=complaint, context=context))
    return context


def acknowledgement_email_context(*, email: OutboundEmail, tracking_url: str) -> dict[str, Any]:
    """The acknowledgement's context, built by the worker when it sends the mail that
    ``complaint_submit`` wrote (the same ``_ack_email_context`` as every acknowledgement)."""
    if email.complaint_id is None:  # complaint_submit links the mail to its complaint
        raise NotFound(_("This acknowledgement e-mail is not linked to a complaint."))
    complaint = Complaint.objects.select_related("complainant", "category").get(
        pk=email.complaint_id
    )
    context = _ack_email_context(complaint, None)
    context["tracking_url"] = tracking_url
    return context


def _check_channel(channel: str, actor: Actor) -> None:
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Unknown channel %(channel)s.") % {"channel": repr(channel)},
            fields={"channel": [_("Unknown channel.")]},
        )
    if actor.kind == "staff":
        if not can_work_complaints(actor.user):
            raise NotAllowed(_("Your role may not log complaints."))
    elif channel not in {Channel.WEB, Channel.API, Channel.EMAIL}:
        raise NotAllowed(_("Only staff may log complaints received by phone, letter or in person."))


@transaction.atomic
def complaint_submit(
    *,
    data: ComplaintInput,
    channel: str,
    actor: Actor,
    received_at: dt.datetime | None = None,
    acknowledge: bool = False,
) -> tuple[Complaint, str]:
    """Receive a complaint (ISO 10002 7.3). Returns the complaint and its secret tracking token.

    Complaints from the web form or the API are acknowledged at once with an e-mail when an
    address is known; those logged by staff (phone, letter, in person) wait for the acknowledge step.
    ``acknowledge`` asks for the same at-once acknowledgement on another channel (e-mail intake
    answers a mail written by a person as the web form does).
    """
    _check_channel(channel, actor)
    # One statement: the ids of the two new rows, the configuration token and the category named.
    (complainant_id, complaint_id), (config_token, *category) = allocate_ids(
        Complainant,
        Complaint,
        also=[
            (CONFIG_TOKEN_SQL, []),
            *(active_category_sql(data.category) if data.category else []),
        ],
    )
    clean = _validate_input(data, channel, _category(data.category, *category))
    now = timezone.now()
    received_at = received_at or now
    check_past_moment(received_at, field="received_at")
    token = secrets.token_urlsafe(32)
    auto_ack = (acknowledge or channel in {Channel.WEB, Channel.API}) and bool(clean.email)
    complaint = _new_complaint(
        data, clean, channel, received_at, now, token, auto_ack, (complainant_id, complaint_id)
    )
    attachments = _attachments(complaint, data.attachments)
    # Promises sets the due dates (and its paused flags) from the promises that apply and adds
    # the new case's promise checks to ``receiving.rows``, inserted below with the case.
    receiving = ComplaintReceiving(complaint=complaint, now=now, config_token=config_token or "")
    publish(receiving)
    if complaint.acknowledgement_due_at is None or complaint.response_due_at is None:
        # No subscriber set them: the organisation's own deadlines (core.deadlines).
        ack_due, response_due = complaint_due_dates(received_at, organisation_get())
        complaint.acknowledgement_due_at = complaint.acknowledgement_due_at or ack_due
        complaint.response_due_at = complaint.response_due_at or response_due
    events = _intake_events(complaint, actor, data, auto_ack)
    mails = [_acknowledgement_mail(complaint, token)] if auto_ack else []
    # Everything the new case starts with, in one statement on PostgreSQL (core.db).
    insert_together(
        [complaint, complaint.complainant, *attachments, *events, *receiving.rows, *mails],
        returning=["reference"],
    )
    publish(ComplaintReceived(complaint=complaint, now=now, config_token=config_token or ""))
    return complaint, token


def _attachments(complaint: Complaint, uploads: list[CheckedUpload]) -> list[Attachment]:
    return [upload.attachment(complaint=complaint) for upload in uploads]


def _category(code: str, category_id: int | None = None, name: str = "") -> Category | None:
    """The category read with the ids, as a model instance (``Model.from_db``: no query)."""
    if category_id is None:
        return None
    return Category.from_db(
        DEFAULT_DB_ALIAS, ["id", "code", "name", "active"], [category_id, code, name, True]
    )


def _new_complaint(
    data: ComplaintInput,
    clean: _Clean,
    channel: str,
    received_at: dt.datetime,
    now: dt.datetime,
    token: str,
    auto_ack: bool,
    ids: tuple[int, int],
) -> Complaint:
    """The unsaved complaint and complainant, with their ids (the audit events need the case's)."""
    complainant_id, complaint_id = ids
    complainant = Complainant(
        pk=complainant_id,
        name=clean.name,
        email=clean.email,
        phone=clean.phone,
        language=data.language,
        preferred_channel=data.preferred_channel,
        consent_at=now if data.consent else None,
    )
    return Complaint(
        pk=complaint_id,
        complainant=complainant,
        channel=channel,
        received_at=received_at,
        subject=clean.subject,
        description=clean.description,
        desired_outcome=(data.desired_outcome or "").strip(),
        product=(data.product or "").strip(),
        segment=clean.segment,
        category=clean.category,
        about_process=data.about_process,
        state=State.ACKNOWLEDGED if auto_ack else State.RECEIVED,
        acknowledged_at=now if auto_ack else None,
        tracking_digest=tracking_digest(token),
        # Numbered in the INSERT (read back with RETURNING): no UPDATE, no global counter lock.
        reference=NextReference(f"C-{received_at.year}-"),
        search_document=search_document(
            subject=clean.subject,
            description=clean.description,
            name=complainant.name,
            email=complainant.email,
        ),
    )


def _intake_events(
    complaint: Complaint, actor: Actor, data: ComplaintInput, auto_ack: bool
) -> list[AuditEvent]:
    """The unsaved audit events a new case starts its chain with."""
    received = audit(
        complaint,
        actor,
        "received",
        {
            "state": complaint.state,
            "channel": complaint.channel,
            "category": complaint.category.code if complaint.category else None,
            "about_process": complaint.about_process,
            "acknowledgement_due_at": _iso(complaint.acknowledgement_due_at),
            "response_due_at": _iso(complaint.response_due_at),
            "attachments": [u.sha256 for u in data.attachments],
        },
        personal={"name": complaint.complainant.name},
        after=None,  # a new case starts a new chain: no need to look up its head
        save=False,
    )
    if not auto_ack:
        return [received]
    acknowledged = audit(
        complaint,
        Actor.system(),
        Step.ACKNOWLEDGE.value,  # the step's verb: one verb per event
        {"state": State.ACKNOWLEDGED, "by": "auto"},
        after=received,
        save=False,
    )
    return [received, acknowledged]


def _acknowledgement_mail(complaint: Complaint, token: str) -> OutboundEmail:
    """The unsaved outbox row of the acknowledgement. Rendered by the worker
    (``acknowledgement_email_context``), not in this request. The tracking link is the only place
    the token exists in clear: in this row until the mail is sent, then replaced by a placeholder
    (core.services.email_deliver_due)."""
    complainant = complaint.complainant
    return email_deferred_row(
        to=complainant.email,
        kind="acknowledgement",
        language=complainant.language,
        context_builder="acknowledgement",
        data={"tracking_url": tracking_url(token)},
        secret=("tracking_url",),
        complaint=complaint,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
