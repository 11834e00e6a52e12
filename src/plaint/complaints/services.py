"""Every write to a complaint. Each function is one transaction: lock, check, change, audit, enqueue."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, Expression
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import (
    AcknowledgementComposing,
    CategoriesChanged,
    ComplaintChanged,
    ComplaintClosed,
    ComplaintReceiving,
    DisputeOutcomeRecorded,
)
from plaint.complaints.models import (
    MONEY_REMEDIES,
    Category,
    Channel,
    Complainant,
    Complaint,
    ContactChannel,
    Message,
    Priority,
    Remedy,
    RemedyKind,
    Severity,
)
from plaint.complaints.states import (
    COMPLAINANT,
    OPEN,
    STAFF,
    TRANSITIONS,
    ClosureReason,
    DisputeOutcome,
    State,
    Step,
)
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.db import allocate_ids, insert_together
from plaint.core.deadlines import complaint_due_dates
from plaint.core.digest import sha256_hex
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from plaint.core.events import publish
from plaint.core.models import Attachment
from plaint.core.selectors import organisation_get
from plaint.core.services import email_deferred_row, email_enqueue, email_enqueue_deferred
from plaint.core.uploads import CheckedUpload

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

    from plaint.accounts.models import User
    from plaint.core.models import AuditEvent, Organisation, OutboundEmail

CASE_TYPE = "complaint"
LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}
STAFF_INTAKE_CHANNELS = {Channel.PHONE, Channel.LETTER, Channel.IN_PERSON, Channel.EMAIL}


def tracking_digest(token: str) -> str:
    """Only the digest of a tracking token is stored; a database leak reveals no tracking links."""
    return sha256_hex(token)


def tracking_url(token: str) -> str:
    return f"{settings.BASE_URL}/track/{token}/"


# The next reference as a subquery per database (one ``%s``: the prefix); see ``NextReference``.
# PostgreSQL's complaint_reference_seq is created by migration 0003.
NEXT_REFERENCE_SQL = {
    "postgresql": "(SELECT %s || lpad(n::text, greatest(6, length(n::text)), '0') "
    "FROM (SELECT nextval('complaint_reference_seq') AS n) AS next_reference)",
    "sqlite": "(SELECT %s || printf('%%06d', COALESCE(MAX(seq), 0) + 1) FROM sqlite_sequence "
    "WHERE name = 'complaints_complaint')",
}


class NextReference(Expression):
    """``<prefix><number>`` computed by the database inside the complaint's INSERT, the number at
    least six digits. PostgreSQL takes the number from ``complaint_reference_seq`` (never blocks,
    never repeats; gaps after a rollback are fine). SQLite takes the id the row is about to get,
    ``sqlite_sequence`` + 1: SQLite has one writer at a time and the INSERT holds the write lock
    while it reads it, so two intakes cannot get the same number."""

    output_field = CharField()

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[str | int]]:
        vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        return NEXT_REFERENCE_SQL[vendor], [self.prefix]


def search_document(*, subject: str, description: str, name: str, email: str) -> str:
    """The text the queue's search (``q``) matches in: subject, description, the complainant's
    name and e-mail, lower-cased. Stored in ``Complaint.search_document``; a service that changes
    any of these must store it again (references are matched exactly, not through this)."""
    return " ".join(part for part in (subject, description, name, email) if part).lower()


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


def _validate_input(data: ComplaintInput, channel: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def need(name: str, value: str, limit: int) -> str:
        value = (value or "").strip()
        if not value:
            errors.setdefault(name, []).append(_("This field is required."))
        elif len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)s characters.") % {"limit": limit}
            )
        return value

    name = need("name", data.name, 200)
    description = need("description", data.description, 20000)
    subject = (data.subject or "").strip() or description[:80].split("\n")[0]
    if len(subject) > 200:
        errors.setdefault("subject", []).append(_("At most %(limit)s characters.") % {"limit": 200})
    email = (data.email or "").strip()
    phone = (data.phone or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(
                _("Enter a valid e-mail address, e.g. name@example.org.")
            )
    if phone and (len(phone) > 40 or not all(c.isdigit() or c in "+-() ./" for c in phone)):
        errors.setdefault("phone", []).append(
            _("Use digits, spaces and + - ( ) only, at most 40 characters.")
        )
    if not email and not phone and data.preferred_channel != ContactChannel.LETTER:
        errors.setdefault("email", []).append(
            _("Give an e-mail address or a phone number so we can reply.")
        )
    if data.language not in LANGUAGE_CODES:
        errors.setdefault("language", []).append(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(LANGUAGE_CODES))}
        )
    if data.preferred_channel not in ContactChannel.values:
        errors.setdefault("preferred_channel", []).append(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(ContactChannel.values)}
        )
    elif data.preferred_channel == ContactChannel.EMAIL and not email and "email" not in errors:
        errors.setdefault("email", []).append(
            _("You asked for replies by e-mail: give an e-mail address.")
        )
    elif data.preferred_channel == ContactChannel.PHONE and not phone:
        errors.setdefault("phone", []).append(
            _("You asked for replies by phone: give a phone number.")
        )
    if channel in {Channel.WEB, Channel.API} and not data.consent:
        errors.setdefault("consent", []).append(
            _("We need your consent to process your personal data to handle the complaint.")
        )
    category = None
    if data.category:
        category = Category.objects.filter(code=data.category, active=True).first()
        if category is None:
            errors.setdefault("category", []).append(_("Unknown category."))
    for name_, value, limit in (
        ("product", data.product, 200),
        ("desired_outcome", data.desired_outcome, 5000),
    ):
        if len(value or "") > limit:
            errors.setdefault(name_, []).append(
                _("At most %(limit)s characters.") % {"limit": limit}
            )
    segment = (data.segment or "").strip().lower()
    if segment and (len(segment) > 32 or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", segment)):
        errors.setdefault("segment", []).append(
            _("A short code: letters, digits, - and _, at most 32 characters (e.g. business).")
        )
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return {
        "segment": segment,
        "name": name,
        "description": description,
        "subject": subject,
        "email": email,
        "phone": phone,
        "category": category,
    }


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


def _notify_complainant(
    complaint: Complaint, kind: str, extra: dict[str, Any] | None = None
) -> None:
    complainant = complaint.complainant
    if not complainant.email:
        return
    context = {"complaint": complaint, "organisation": organisation_get(), **(extra or {})}
    email_enqueue(
        to=complainant.email,
        kind=kind,
        language=complainant.language,
        context=context,
        complaint=complaint,
    )


def _audit(
    complaint: Complaint,
    actor: Actor,
    action: str,
    data: dict[str, Any],
    personal: dict[str, Any] | None = None,
    after: Any = "lookup",
    save: bool = True,
) -> AuditEvent:
    return audit_append(
        case_type=CASE_TYPE,
        case_id=complaint.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        personal=personal,
        after=after,
        save=save,
    )


@transaction.atomic
def complaint_submit(
    *,
    data: ComplaintInput,
    channel: str,
    actor: Actor,
    received_at: dt.datetime | None = None,
) -> tuple[Complaint, str]:
    """Receive a complaint (ISO 10002 7.3). Returns the complaint and its secret tracking token.

    Complaints from the web form or the API are acknowledged at once with an e-mail when an
    address is known; those logged by staff (phone, letter, in person) wait for the acknowledge step.
    """
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
    clean = _validate_input(data, channel)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            _("The receipt time is in the future."), fields={"received_at": [_("In the future.")]}
        )
    # One statement: the ids of the two new rows (the audit events need the case's id).
    complainant_id, complaint_id = allocate_ids(Complainant, Complaint)[0]
    complainant = Complainant(
        pk=complainant_id,
        name=clean["name"],
        email=clean["email"],
        phone=clean["phone"],
        language=data.language,
        preferred_channel=data.preferred_channel,
        consent_at=now if data.consent else None,
    )
    token = secrets.token_urlsafe(32)
    auto_ack = channel in {Channel.WEB, Channel.API} and bool(clean["email"])
    complaint = Complaint(
        pk=complaint_id,
        complainant=complainant,
        channel=channel,
        received_at=received_at,
        subject=clean["subject"],
        description=clean["description"],
        desired_outcome=(data.desired_outcome or "").strip(),
        product=(data.product or "").strip(),
        segment=clean["segment"],
        category=clean["category"],
        about_process=data.about_process,
        state=State.ACKNOWLEDGED if auto_ack else State.RECEIVED,
        acknowledged_at=now if auto_ack else None,
        tracking_digest=tracking_digest(token),
        # Numbered in the INSERT (read back with RETURNING): no UPDATE, no global counter lock.
        reference=NextReference(f"C-{received_at.year}-"),
        search_document=search_document(
            subject=clean["subject"],
            description=clean["description"],
            name=complainant.name,
            email=complainant.email,
        ),
    )
    attachments = [
        Attachment(
            complaint=complaint,
            file=upload.file,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        for upload in data.attachments
    ]
    # Promises sets the due dates (and its paused flags) from the promises that apply and adds
    # the new case's promise checks to ``receiving.rows``, inserted below with the case.
    receiving = ComplaintReceiving(complaint=complaint, now=now)
    publish(receiving)
    if complaint.acknowledgement_due_at is None or complaint.response_due_at is None:
        # No subscriber set them: the organisation's own deadlines (core.deadlines).
        ack_due, response_due = complaint_due_dates(received_at, organisation_get())
        complaint.acknowledgement_due_at = complaint.acknowledgement_due_at or ack_due
        complaint.response_due_at = complaint.response_due_at or response_due
    first_event = _audit(
        complaint,
        actor,
        "received",
        {
            "state": complaint.state,
            "channel": channel,
            "category": complaint.category.code if complaint.category else None,
            "about_process": complaint.about_process,
            "acknowledgement_due_at": _iso(complaint.acknowledgement_due_at),
            "response_due_at": _iso(complaint.response_due_at),
            "attachments": [u.sha256 for u in data.attachments],
        },
        personal={"name": complainant.name},
        after=None,  # a new case starts a new chain: no need to look up its head
        save=False,
    )
    events = [first_event]
    if auto_ack:
        events.append(
            _audit(
                complaint,
                Actor.system(),
                Step.ACKNOWLEDGE.value,  # the step's verb: one verb per event
                {"state": State.ACKNOWLEDGED, "by": "auto"},
                after=first_event,
                save=False,
            )
        )
    mails = []
    if auto_ack:
        # Rendered by the worker (``acknowledgement_email_context``), not in this request. The
        # tracking link is the only place the token exists in clear: in this outbox row until
        # the mail is sent, then replaced by a placeholder (core.services.email_deliver).
        mails.append(
            email_deferred_row(
                to=complainant.email,
                kind="acknowledgement",
                language=complainant.language,
                context_builder="acknowledgement",
                data={"tracking_url": tracking_url(token)},
                secret=("tracking_url",),
                complaint=complaint,
            )
        )
    # Everything the new case starts with, in one statement on PostgreSQL (core.db).
    insert_together(
        [complaint, complainant, *attachments, *events, *receiving.rows, *mails],
        returning=["reference"],
    )
    return complaint, token


def _lock(complaint_id: int) -> Complaint:
    complaint = (
        Complaint.objects.select_for_update()
        .select_related("complainant")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def _begin(
    complaint_id: int, step: Step, actor: Actor, expected_version: int | None
) -> tuple[Complaint, State]:
    """Lock the case and check the step is allowed for this actor in its current state."""
    transition = TRANSITIONS[step]
    if actor.kind == "staff":
        if STAFF not in transition.actors or not can_work_complaints(actor.user):
            raise NotAllowed(_("Your role may not perform “%(step)s”.") % {"step": step.label})
    elif actor.kind == "complainant":
        if COMPLAINANT not in transition.actors:
            raise NotAllowed(_("Only staff may perform “%(step)s”.") % {"step": step.label})
    elif actor.kind != "system":
        raise NotAllowed(_("Unknown actor."))
    complaint = _lock(complaint_id)
    if expected_version is not None and complaint.version != expected_version:
        raise Conflict(
            _("Someone else changed this complaint since you opened it. Reload it and try again."),
            fields={
                "version": [_("Current version is %(version)s.") % {"version": complaint.version}]
            },
        )
    if complaint.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the complaint is “%(state)s”.")
            % {"step": step.label, "state": State(complaint.state).label},
        )
    return complaint, State(complaint.state)


def _finish(
    complaint: Complaint,
    step: Step,
    actor: Actor,
    before_state: State,
    changes: dict[str, Any],
    *,
    audit_extra: dict[str, Any] | None = None,
) -> Complaint:
    """Apply the target state and field changes, bump the version, and record the event."""
    target = TRANSITIONS[step].target
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if target is not None and target != before_state:
        changes["state"] = target
    for name, value in changes.items():
        old = getattr(complaint, name)
        setattr(complaint, name, value)
        if name.endswith("_id") or name in {
            "state",
            "severity",
            "priority",
            "safety_issue",
            "closure_reason",
        }:
            before[name], after[name] = _plain(old), _plain(value)
        elif isinstance(value, dt.datetime):
            after[name] = value.isoformat()
    complaint.version += 1
    complaint.save(update_fields=[*changes.keys(), "version", "updated_at"])
    _audit(complaint, actor, step.value, {"before": before, "after": after, **(audit_extra or {})})
    if target == State.CLOSED and before_state != State.CLOSED:  # close, withdraw: ISO 10002 8.3
        publish(ComplaintClosed(complaint=complaint))
    publish(
        ComplaintChanged(
            complaint=complaint,
            step=step.value,
            before_state=before_state.value,
            now=timezone.now(),
        )
    )
    return complaint


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


def complaint_acknowledge(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Acknowledge a complaint logged by staff (ISO 10002 7.5); mails the complainant if possible."""
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.ACKNOWLEDGE, actor, expected_version)
        changes: dict[str, Any] = {"acknowledged_at": timezone.now()}
        token = None
        if complaint.complainant.email:
            # The mail carries a fresh tracking link. Without an address the complainant keeps the
            # link staff gave them when the complaint was logged, so that one must stay valid.
            token = secrets.token_urlsafe(32)
            changes["tracking_digest"] = tracking_digest(token)
        complaint = _finish(complaint, Step.ACKNOWLEDGE, actor, before, changes)
        if token:
            # Like complaint_submit's: rendered by the worker, the link redacted once sent.
            email_enqueue_deferred(
                to=complaint.complainant.email,
                kind="acknowledgement",
                language=complaint.complainant.language,
                context_builder="acknowledgement",
                data={"tracking_url": tracking_url(token)},
                secret=("tracking_url",),
                complaint=complaint,
            )
        return complaint


def _staff_user(user_id: int | None, field_name: str) -> User | None:
    if user_id is None:
        return None
    from plaint.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not can_work_complaints(user):
        raise ValidationFailed(
            _("The assignee must be an active handler, manager or admin."),
            fields={field_name: [_("Not a user who can work complaints.")]},
        )
    return user


def complaint_assess(
    *,
    complaint_id: int,
    actor: Actor,
    severity: str,
    priority: str = Priority.NORMAL,
    category: str | None = None,
    safety_issue: bool = False,
    assignee_id: int | None = None,
    team_id: int | None = None,
    about_process: bool | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Initial assessment, in scope (ISO 10002 7.6): severity, priority, category, owner."""
    from plaint.accounts.models import Team

    errors: dict[str, list[str]] = {}
    if severity not in Severity.values:
        errors["severity"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Severity.values)}
        ]
    if priority not in Priority.values:
        errors["priority"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Priority.values)}
        ]
    cat = None
    if category:
        cat = Category.objects.filter(code=category).first()
        if cat is None:
            errors["category"] = [_("Unknown category.")]
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            errors["team"] = [_("Unknown team.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.ASSESS, actor, expected_version)
        changes: dict[str, Any] = {
            "severity": severity,
            "priority": priority,
            "safety_issue": bool(safety_issue),
            "assignee": _staff_user(assignee_id, "assignee") or complaint.assignee,
            "team": team or complaint.team,
        }
        if cat is not None:
            changes["category"] = cat
        if about_process is not None:
            changes["about_process"] = bool(about_process)
        return _finish(complaint, Step.ASSESS, actor, before, changes)


def complaint_reject_out_of_scope(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Initial assessment, out of scope: ends the case; the reason is sent to the complainant."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the complaint is out of scope; the complainant will receive this reason."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.REJECT_OUT_OF_SCOPE, actor, expected_version)
        now = timezone.now()
        complaint = _finish(
            complaint,
            Step.REJECT_OUT_OF_SCOPE,
            actor,
            before,
            {"out_of_scope_reason": reason, "closed_at": now},
        )
        _post_message(complaint, Message.Direction.OUTBOUND, reason, actor)
        _notify_complainant(complaint, "out_of_scope", {"reason": reason})
        return complaint


def complaint_start_investigation(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.START_INVESTIGATION, actor, expected_version)
        changes: dict[str, Any] = {}
        if complaint.assignee_id is None and actor.user is not None:
            changes["assignee"] = actor.user
        return _finish(complaint, Step.START_INVESTIGATION, actor, before, changes)


def complaint_record_findings(
    *,
    complaint_id: int,
    actor: Actor,
    findings: str,
    root_cause: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record what the investigation found (ISO 10002 7.7) and, where known, the root cause."""
    findings = (findings or "").strip()
    if not findings:
        raise ValidationFailed(
            _("Describe the findings."), fields={"findings": [_("This field is required.")]}
        )
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.RECORD_FINDINGS, actor, expected_version)
        return _finish(
            complaint,
            Step.RECORD_FINDINGS,
            actor,
            before,
            {"findings": findings, "root_cause": (root_cause or "").strip()},
            audit_extra={"root_cause_recorded": bool(root_cause)},
        )


@dataclass
class RemedyInput:
    kind: str
    description: str = ""
    amount: Decimal | None = None
    currency: str = ""


def _check_remedies(remedies: list[RemedyInput]) -> None:
    errors: list[str] = []
    for i, r in enumerate(remedies, start=1):
        if r.kind not in RemedyKind.values:
            errors.append(
                _("Remedy %(number)s: choose one of %(choices)s.")
                % {"number": i, "choices": ", ".join(RemedyKind.values)}
            )
        elif r.kind in MONEY_REMEDIES:
            if r.amount is None or r.amount < 0:
                errors.append(
                    _("Remedy %(number)s: a %(kind)s needs an amount of zero or more.")
                    % {"number": i, "kind": r.kind}
                )
            if not (r.currency and len(r.currency) == 3 and r.currency.isalpha()):
                errors.append(
                    _("Remedy %(number)s: give the currency as a three-letter code, e.g. EUR.")
                    % {"number": i}
                )
        elif r.amount is not None and r.amount < 0:
            errors.append(_("Remedy %(number)s: the amount cannot be negative.") % {"number": i})
    if errors:
        raise ValidationFailed(_("Please correct the remedies."), fields={"remedies": errors})


def complaint_propose_response(
    *,
    complaint_id: int,
    actor: Actor,
    decision: str,
    remedies: list[RemedyInput],
    expected_version: int | None = None,
) -> Complaint:
    """Propose the response and remedies (ISO 10002 7.8). In internal review the reviewer must be
    someone other than the person who made the decision under review."""
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(
            _("Write the proposed decision."), fields={"decision": [_("This field is required.")]}
        )
    _check_remedies(remedies)
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.PROPOSE_RESPONSE, actor, expected_version)
        if before == State.INTERNAL_REVIEW and complaint.decided_by_id == actor.user_id:
            raise NotAllowed(
                _(
                    "An internal review must be done by someone other than the person who made the decision."
                )
            )
        now = timezone.now()
        if before == State.RESPONSE_PROPOSED:  # a revised proposal replaces the earlier remedies
            complaint.remedies.all().delete()
        for r in remedies:
            Remedy.objects.create(
                complaint=complaint,
                kind=r.kind,
                description=(r.description or "").strip(),
                amount=r.amount,
                currency=(r.currency or "").upper(),
                proposed_at=now,
                proposed_by=actor.user,
            )
        return _finish(
            complaint,
            Step.PROPOSE_RESPONSE,
            actor,
            before,
            {"decision": decision},
            audit_extra={
                "remedies": [
                    {
                        "kind": r.kind,
                        "amount": str(r.amount) if r.amount is not None else None,
                        "currency": (r.currency or "").upper(),
                    }
                    for r in remedies
                ],
                "review": before == State.INTERNAL_REVIEW,
            },
        )


def complaint_communicate_decision(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Send the decision to the complainant (ISO 10002 7.9) and start the answer period."""
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.COMMUNICATE_DECISION, actor, expected_version)
        now = timezone.now()
        complaint = _finish(
            complaint,
            Step.COMMUNICATE_DECISION,
            actor,
            before,
            {"decision_at": now, "decided_by": actor.user},
        )
        remedies = list(complaint.remedies.all())
        _post_message(complaint, Message.Direction.OUTBOUND, complaint.decision, actor)
        _notify_complainant(
            complaint, "decision", {"decision": complaint.decision, "remedies": remedies}
        )
        return complaint


def complaint_accept_decision(
    *, complaint_id: int, actor: Actor, comment: str = "", expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.ACCEPT_DECISION, actor, expected_version)
        complaint = _finish(
            complaint,
            Step.ACCEPT_DECISION,
            actor,
            before,
            {"complainant_feedback": (comment or "").strip()},
        )
        if comment.strip():
            _post_message(complaint, Message.Direction.INBOUND, comment.strip(), actor)
        return complaint


def complaint_decline_decision(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """The complainant is not satisfied: the case goes to internal review by another person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Tell us why you are not satisfied, so the review can address it."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.DECLINE_DECISION, actor, expected_version)
        changes: dict[str, Any] = {"complainant_feedback": reason}
        if complaint.assignee_id is not None and complaint.assignee_id == complaint.decided_by_id:
            changes["assignee"] = None  # the reviewer must be someone else: back to the queue
        complaint = _finish(complaint, Step.DECLINE_DECISION, actor, before, changes)
        _post_message(complaint, Message.Direction.INBOUND, reason, actor)
        return complaint


def complaint_close(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Close (ISO 10002 7.10): after acceptance, or after the no-answer period since the decision."""
    if reason not in {ClosureReason.ACCEPTED, ClosureReason.NO_ANSWER}:
        raise ValidationFailed(
            _("Close as “accepted” or “no answer”; a withdrawal has its own step."),
            fields={"reason": [_("Choose accepted or no_answer.")]},
        )
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.CLOSE, actor, expected_version)
        if reason == ClosureReason.ACCEPTED and before != State.ACCEPTED:
            raise InvalidTransition(_("The complainant has not accepted the decision yet."))
        if reason == ClosureReason.NO_ANSWER:
            if before != State.DECISION_COMMUNICATED:
                raise InvalidTransition(
                    _("“No answer” applies only while waiting for the complainant.")
                )
            days = organisation_get().no_answer_close_days
            if complaint.decision_at is None:  # set with the state; an older row may lack it
                raise InvalidTransition(
                    _("The decision has no recorded time, so the answer period cannot be counted.")
                )
            waited = timezone.now() - complaint.decision_at
            if waited < dt.timedelta(days=days):
                remaining = dt.timedelta(days=days) - waited
                left = max(1, remaining.days + (1 if remaining.seconds else 0))
                raise InvalidTransition(
                    ngettext(
                        "The complainant has %(days)d day to answer.",
                        "The complainant has %(days)d days to answer.",
                        days,
                    )
                    % {"days": days}
                    + " "
                    + ngettext("%(left)d day remains.", "%(left)d days remain.", left)
                    % {"left": left}
                )
        return _finish(
            complaint,
            Step.CLOSE,
            actor,
            before,
            {"closed_at": timezone.now(), "closure_reason": reason},
        )


def complaint_withdraw(
    *, complaint_id: int, actor: Actor, comment: str = "", expected_version: int | None = None
) -> Complaint:
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.WITHDRAW, actor, expected_version)
        complaint = _finish(
            complaint,
            Step.WITHDRAW,
            actor,
            before,
            {"closed_at": timezone.now(), "closure_reason": ClosureReason.WITHDRAWN},
        )
        if comment.strip():
            direction = (
                Message.Direction.INBOUND
                if actor.kind == "complainant"
                else Message.Direction.INTERNAL
            )
            _post_message(complaint, direction, comment.strip(), actor)
        return complaint


def complaint_refer_external(
    *, complaint_id: int, actor: Actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    """End the internal process: the case goes to external dispute resolution (ISO 10003)."""
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.REFER_EXTERNAL, actor, expected_version)
        complaint = _finish(
            complaint, Step.REFER_EXTERNAL, actor, before, {"closed_at": timezone.now()}
        )
        if note.strip():
            _post_message(complaint, Message.Direction.INTERNAL, note.strip(), actor)
        _notify_complainant(complaint, "referred_external", {"note": note.strip()})
        return complaint


def complaint_assign(
    *,
    complaint_id: int,
    actor: Actor,
    assignee_id: int | None,
    team_id: int | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Give an open case to a person and/or a team."""
    from plaint.accounts.models import Team

    if actor.kind != "staff" or not can_work_complaints(actor.user):
        raise NotAllowed(_("Your role may not assign complaints."))
    assignee = _staff_user(assignee_id, "assignee")
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise ValidationFailed(_("Unknown team."), fields={"team": [_("Unknown team.")]})
    with transaction.atomic():
        complaint = _lock(complaint_id)
        if expected_version is not None and complaint.version != expected_version:
            raise Conflict(
                _(
                    "Someone else changed this complaint since you opened it. Reload it and try again."
                )
            )
        if complaint.state not in OPEN:
            raise InvalidTransition(_("A finished complaint cannot be reassigned."))
        if (
            complaint.state == State.INTERNAL_REVIEW
            and assignee is not None
            and assignee.pk == complaint.decided_by_id
        ):
            raise NotAllowed(
                _("The internal review must go to someone other than the person who decided.")
            )
        before = {"assignee_id": complaint.assignee_id, "team_id": complaint.team_id}
        complaint.assignee = assignee
        complaint.team = team
        complaint.version += 1
        complaint.save(update_fields=["assignee", "team", "version", "updated_at"])
        _audit(
            complaint,
            actor,
            "assigned",
            {
                "before": before,
                "after": {"assignee_id": complaint.assignee_id, "team_id": complaint.team_id},
            },
        )
        return complaint


def _post_message(complaint: Complaint, direction: str, body: str, actor: Actor) -> Message:
    message = Message.objects.create(
        complaint=complaint,
        direction=direction,
        author=actor.user if actor.kind == "staff" else None,
        body=body,
        created_at=timezone.now(),
    )
    _audit(complaint, actor, f"message_{direction}", {"message_id": message.pk})
    return message


def message_post(
    *,
    complaint_id: int,
    actor: Actor,
    body: str,
    internal: bool = False,
    attachments: list[CheckedUpload] | None = None,
) -> Message:
    """Add a message: from the complainant (more information), to the complainant, or an internal note."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            _("Write a message."), fields={"body": [_("This field is required.")]}
        )
    if len(body) > 20000:
        raise ValidationFailed(
            _("The message is too long."),
            fields={"body": [_("At most %(limit)s characters.") % {"limit": 20000}]},
        )
    if actor.kind == "staff":
        if not can_work_complaints(actor.user):
            raise NotAllowed(_("Your role may not write on complaints."))
        direction = Message.Direction.INTERNAL if internal else Message.Direction.OUTBOUND
    elif actor.kind == "complainant":
        if internal:
            raise NotAllowed(_("Only staff write internal notes."))
        direction = Message.Direction.INBOUND
    else:
        raise NotAllowed(_("Unknown actor."))
    with transaction.atomic():
        complaint = _lock(complaint_id)
        if complaint.state not in OPEN and direction != Message.Direction.INTERNAL:
            raise InvalidTransition(
                _("This complaint is finished; messages can no longer be added.")
            )
        message = _post_message(complaint, direction, body, actor)
        if (
            direction == Message.Direction.INBOUND
            and complaint.state == State.WAITING_ON_COMPLAINANT
        ):
            complaint = _resume(complaint, actor)  # the information arrived: the clocks run again
        for upload in attachments or []:
            Attachment.objects.create(
                complaint=complaint,
                message=message,
                file=upload.file,
                original_name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                public=direction != Message.Direction.INTERNAL,
            )
        complaint.version += 1
        complaint.save(update_fields=["version", "updated_at"])
        if direction == Message.Direction.OUTBOUND:
            _notify_complainant(complaint, "message", {"body": body})
        return message


def category_create(*, actor: Actor, code: str, name: str) -> Category:
    from django.utils.text import slugify

    from plaint.accounts.access import can_configure, require

    require(can_configure, actor.user, _("configure categories"))
    code = slugify(code or name)[:50]
    if not code or not (name or "").strip():
        raise ValidationFailed(
            _("Give the category a name."), fields={"name": [_("This field is required.")]}
        )
    if Category.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("A category with this code exists."), fields={"code": [_("Already used.")]}
        )
    category = Category.objects.create(code=code, name=name.strip())
    publish(CategoriesChanged())  # e.g. promises naming the category by its code now apply
    return category


def complaint_request_information(
    *, complaint_id: int, actor: Actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """Ask the complainant for information: the case waits on them, which stops the promise
    clocks that pause while waiting; their answer on the tracking page (or ``resume``) restarts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say what information you need; the complainant receives this text."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        complaint, before = _begin(complaint_id, Step.REQUEST_INFORMATION, actor, expected_version)
        periods = [*complaint.paused_periods, [timezone.now().isoformat(), None]]
        complaint = _finish(
            complaint,
            Step.REQUEST_INFORMATION,
            actor,
            before,
            {"resume_state": before.value, "paused_periods": periods},
        )
        _post_message(complaint, Message.Direction.OUTBOUND, reason, actor)
        _notify_complainant(complaint, "message", {"body": reason})
        return complaint


def _resume(complaint: Complaint, actor: Actor) -> Complaint:
    """Back to the state the case waited from; closes the open waiting period."""
    periods = [list(p) for p in complaint.paused_periods]
    if periods and periods[-1][1] is None:
        periods[-1][1] = timezone.now().isoformat()
    return _finish(
        complaint,
        Step.RESUME,
        actor,
        State.WAITING_ON_COMPLAINANT,
        {
            "state": complaint.resume_state or State.ACKNOWLEDGED,
            "resume_state": "",
            "paused_periods": periods,
        },
    )


def complaint_resume(
    *, complaint_id: int, actor: Actor, expected_version: int | None = None
) -> Complaint:
    """Staff resume a case that waited on the complainant (e.g. the answer came by phone)."""
    with transaction.atomic():
        complaint, _before = _begin(complaint_id, Step.RESUME, actor, expected_version)
        return _resume(complaint, actor)


def complaint_record_remedy_delivered(
    *,
    complaint_id: int,
    actor: Actor,
    delivered_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record that the remedy was delivered (refund paid, replacement sent): stops the promise
    clock from decision to remedy."""
    now = timezone.now()
    delivered_at = delivered_at or now
    if delivered_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            _("The delivery time is in the future."), fields={"delivered_at": [_("In the future.")]}
        )
    with transaction.atomic():
        complaint, before = _begin(
            complaint_id, Step.RECORD_REMEDY_DELIVERED, actor, expected_version
        )
        if complaint.remedy_delivered_at is not None:
            raise InvalidTransition(_("The remedy delivery is already recorded."))
        if complaint.decision_at and delivered_at < complaint.decision_at:
            raise ValidationFailed(
                _("The remedy cannot be delivered before the decision."),
                fields={"delivered_at": [_("Before the decision.")]},
            )
        return _finish(
            complaint,
            Step.RECORD_REMEDY_DELIVERED,
            actor,
            before,
            {"remedy_delivered_at": delivered_at},
        )


def complaint_record_dispute_outcome(
    *,
    complaint_id: int,
    actor: Actor,
    provider: str,
    outcome: str,
    closed_on: dt.date,
    binding: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record how the external dispute resolution ended (ISO 10003), once, and invite the
    complainant to the dispute-closed survey if one is active."""
    errors: dict[str, list[str]] = {}
    provider = (provider or "").strip()
    if not provider:
        errors["provider"] = [_("Name the dispute resolution provider.")]
    elif len(provider) > 200:
        errors["provider"] = [_("At most 200 characters.")]
    if outcome not in DisputeOutcome.values:
        errors["outcome"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(DisputeOutcome.values)}
        ]
    # Dates are the organisation's: "today" and the referral day where its office is.
    office = ZoneInfo(organisation_get().timezone)
    if closed_on > timezone.localdate(timezone=office):
        errors["closed_on"] = [_("The dispute cannot have closed in the future.")]
    if errors:
        raise ValidationFailed(_("The dispute outcome is not complete."), fields=errors)
    with transaction.atomic():
        complaint, before = _begin(
            complaint_id, Step.RECORD_DISPUTE_OUTCOME, actor, expected_version
        )
        if complaint.dispute_outcome:
            raise InvalidTransition(_("The dispute's outcome is already recorded."))
        if complaint.closed_at and closed_on < timezone.localdate(complaint.closed_at, office):
            raise ValidationFailed(
                _("The dispute cannot have closed before the complaint was referred."),
                fields={"closed_on": [_("Before the referral.")]},
            )
        outcome = DisputeOutcome(outcome).value
        complaint = _finish(
            complaint,
            Step.RECORD_DISPUTE_OUTCOME,
            actor,
            before,
            {
                "dispute_provider": provider,
                "dispute_outcome": outcome,
                "dispute_closed_on": closed_on,
                "dispute_binding": bool(binding),
                "dispute_note": note.strip(),
            },
            audit_extra={
                "dispute": {
                    "provider": provider,
                    "outcome": outcome,
                    "closed_on": closed_on.isoformat(),
                    "binding": bool(binding),
                }
            },
        )
        publish(DisputeOutcomeRecorded(complaint=complaint))
        return complaint


STEP_SERVICES: dict[Step, Callable[..., Complaint]] = {
    Step.ACKNOWLEDGE: complaint_acknowledge,
    Step.ASSESS: complaint_assess,
    Step.REJECT_OUT_OF_SCOPE: complaint_reject_out_of_scope,
    Step.START_INVESTIGATION: complaint_start_investigation,
    Step.RECORD_FINDINGS: complaint_record_findings,
    Step.PROPOSE_RESPONSE: complaint_propose_response,
    Step.COMMUNICATE_DECISION: complaint_communicate_decision,
    Step.ACCEPT_DECISION: complaint_accept_decision,
    Step.DECLINE_DECISION: complaint_decline_decision,
    Step.CLOSE: complaint_close,
    Step.WITHDRAW: complaint_withdraw,
    Step.REFER_EXTERNAL: complaint_refer_external,
    Step.REQUEST_INFORMATION: complaint_request_information,
    Step.RESUME: complaint_resume,
    Step.RECORD_REMEDY_DELIVERED: complaint_record_remedy_delivered,
    Step.RECORD_DISPUTE_OUTCOME: complaint_record_dispute_outcome,
}


@dataclass(frozen=True)
class CaseClocks:
    """A complaint's due dates and whether each one's clock is stopped, as the promises compute
    them. A due date of None keeps the stored one (a stopped clock keeps where it stood)."""

    acknowledgement_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    acknowledgement_paused: bool
    response_paused: bool


CLOCK_FIELDS = (
    "acknowledgement_due_at",
    "response_due_at",
    "acknowledgement_paused",
    "response_paused",
)


def _clock_values(clocks: CaseClocks) -> dict[str, Any]:
    values = {name: getattr(clocks, name) for name in CLOCK_FIELDS}
    return {name: value for name, value in values.items() if value is not None}


def complaint_clocks_set(*, clocks: Mapping[int, CaseClocks]) -> int:
    """Store the due dates and paused flags of complaints (by id); returns how many changed.

    Derived values, recomputed from the promise checks whenever a case or the configuration
    changes: only the complaints whose values differ are written, in one statement (or a read and
    one bulk write for several), with no audit event and no new version (the case did not change)."""
    if not clocks:
        return 0
    if len(clocks) == 1:
        ((complaint_id, one),) = clocks.items()
        values = _clock_values(one)
        return Complaint.objects.filter(pk=complaint_id).exclude(**values).update(**values)
    changed = []
    for row in Complaint.objects.filter(pk__in=list(clocks)).only("pk", *CLOCK_FIELDS):
        values = _clock_values(clocks[row.pk])
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        Complaint.objects.bulk_update(changed, list(CLOCK_FIELDS), batch_size=1000)
    return len(changed)
