"""Every write of e-mail intake: receiving one raw mail (``mail_receive``: a new case, a message on
a case, or the quarantine) and what staff do with a quarantined mail (attach, create a case,
discard).

``mail_receive`` is the one door for the IMAP fetcher and the HTTP endpoint alike. It writes the
mail's row and its case or message in one transaction, keyed by the Message-ID (or the hash of
the bytes when there is none), so receiving the same mail again changes nothing: a fetcher killed
after the commit and before it flagged the mail on the server fetches it again harmlessly."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.models import DESCRIPTION_MAX, MESSAGE_BODY_MAX, Complainant, Complaint
from plaint.complaints.services import (
    ComplaintInput,
    complaint_reopen,
    complaint_submit,
    message_post,
)
from plaint.complaints.states import OPEN, State
from plaint.complaints.visibility import can_read_case
from plaint.core.actors import Actor
from plaint.core.digest import sha256_hex
from plaint.core.errors import NotAllowed, NotFound, PlaintError, ValidationFailed
from plaint.core.limits import max_length
from plaint.core.models import OutboundEmail
from plaint.core.uploads import CheckedUpload, check_upload
from plaint.mailin.language import detect_language
from plaint.mailin.models import InboundMail, Reason, Status
from plaint.mailin.parsing import (
    REFERENCE_RE,
    MailParseError,
    ParsedMail,
    header_message_id,
    parse_mail,
)

log = logging.getLogger(__name__)

INTAKE_ACTOR = Actor.system("mailin")


@dataclass(frozen=True)
class _Match:
    complaint: Complaint
    how: str  # "thread", "plus-address", "subject"


def dedupe_key(raw: bytes) -> tuple[str, str, str]:
    """(key, Message-ID, SHA-256) of a raw mail: one row per Message-ID, or per content."""
    sha = sha256_hex(raw)
    message_id = header_message_id(raw)
    return (f"mid:{message_id}" if message_id else f"sha256:{sha}"), message_id, sha


def _store_raw(raw: bytes, sha: str, now: dt.datetime) -> str:
    """Keep the raw bytes (named by their hash, so storing the same mail twice keeps one file)."""
    name = f"mailin/{now:%Y/%m}/{sha}.eml"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    return name


def mail_receive(*, raw: bytes, source: str, now: dt.datetime | None = None) -> InboundMail:
    """Receive one raw mail; returns its row (the existing one when it was received before).
    Never raises for what is in the mail: a mail that cannot become a case or a message is
    quarantined with the reason."""
    key, message_id, sha = dedupe_key(raw)
    existing = InboundMail.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    row = InboundMail(
        source=source[:64],
        received_at=now,
        dedupe_key=key[:320],
        message_id=message_id,
        sha256=sha,
        size=len(raw),
        raw=_store_raw(raw, sha, now),
    )
    try:
        with transaction.atomic():
            _place(row, raw)
            row.save()
    except IntegrityError:
        existing = InboundMail.objects.filter(dedupe_key=key).first()
        if existing is None:
            raise
        return existing  # another fetcher received it at the same moment
    except DatabaseError:
        raise  # the database, not the mail (locked, gone away): not received, fetched again later
    except Exception as exc:  # one bad mail never stops the rest: quarantine it
        log.exception("mail %s could not be placed; quarantined", key)
        row.pk = None
        row.complaint = row.case_message = row.follows = None
        _quarantine(row, Reason.REFUSED, f"{type(exc).__name__}: {exc}")
        with transaction.atomic():
            row.save()
    return row


def _quarantine(row: InboundMail, reason: str, detail: str = "") -> None:
    row.status = Status.QUARANTINED
    row.reason = reason
    row.detail = "\n".join(p for p in (row.detail, detail) if p)[:10_000]


def _place(row: InboundMail, raw: bytes) -> None:
    """Decide what the mail becomes and write it (inside the caller's transaction)."""
    if len(raw) > settings.MAILIN_MAX_BYTES:
        return _quarantine(
            row,
            Reason.REFUSED,
            f"larger than the limit of {filesizeformat(settings.MAILIN_MAX_BYTES)}",
        )
    try:
        mail = parse_mail(raw)
    except MailParseError as exc:
        return _quarantine(row, Reason.PARSE_ERROR, str(exc))
    row.sender = mail.sender[:320]
    row.subject = mail.subject[:300]
    row.language = detect_language(f"{mail.subject}\n{mail.text}")
    if not _valid_address(mail.sender):
        return _quarantine(row, Reason.NO_SENDER)
    if mail.automatic:
        return _quarantine(row, Reason.AUTOMATIC, mail.automatic)
    if _over_rate_limit(mail.sender, row.received_at):
        return _quarantine(row, Reason.RATE_LIMITED)
    match = _match(mail)
    if match is not None and match.complaint.complainant.email.lower() != mail.sender.lower():
        return _quarantine(
            row, Reason.SENDER_MISMATCH, f"{match.complaint.reference} (by {match.how})"
        )
    try:
        if match is None:
            _new_case(row, mail, acknowledge=True)
        elif match.complaint.state in OPEN:
            _reply(row, mail, match.complaint)
        elif (
            settings.MAILIN_CLOSED_CASE_REPLY == "reopen" and match.complaint.state == State.CLOSED
        ):
            complaint_reopen(
                complaint_id=match.complaint.pk,
                actor=Actor.system("e-mail intake"),
                reason=_("The complainant wrote again by e-mail after the case was closed."),
            )
            _reply(row, mail, match.complaint)
        elif settings.MAILIN_CLOSED_CASE_REPLY in {"new_case", "reopen"}:
            row.follows = match.complaint  # out of scope or referred: a new case, linked
            _new_case(row, mail, acknowledge=True)
        else:
            _quarantine(row, Reason.CLOSED_CASE, match.complaint.reference)
    except ValidationFailed as exc:
        _quarantine(row, Reason.REFUSED, _error_text(exc))


def _error_text(exc: PlaintError) -> str:
    fields = getattr(exc, "fields", None) or {}
    parts = [f"{name}: {' '.join(map(str, errors))}" for name, errors in fields.items()]
    return " ".join([exc.message, *parts])


def _valid_address(address: str) -> bool:
    if not address or len(address) > max_length(Complainant, "email"):
        return False
    try:
        validate_email(address)
    except Exception:  # django's ValidationError: not an address we can answer
        return False
    return True


def _over_rate_limit(sender: str, now: dt.datetime) -> bool:
    recent = InboundMail.objects.filter(
        sender=sender, received_at__gt=now - dt.timedelta(hours=1)
    ).count()
    return recent >= settings.MAILIN_SENDER_LIMIT_PER_HOUR


def _match(mail: ParsedMail) -> _Match | None:
    """The case a mail answers: by its threading headers against the Message-IDs of our mails
    (and of the complainant's earlier mails), by a plus-addressed recipient, or by the reference
    in its subject — in that order."""
    ids = [*mail.in_reply_to, *mail.references]
    if ids:
        ours = (
            OutboundEmail.objects.filter(message_id__in=[f"<{i}>" for i in ids])
            .exclude(complaint=None)
            .values_list("complaint_id", flat=True)
            .first()
        )
        theirs = (
            InboundMail.objects.filter(message_id__in=ids)
            .exclude(complaint=None)
            .values_list("complaint_id", flat=True)
            .first()
        )
        found = ours or theirs
        if found is not None:
            return _Match(_case(pk=found), "thread")  # type: ignore[arg-type]
    plus = _plus_reference(mail)
    if plus:
        complaint = _case(reference=plus)
        if complaint is not None:
            return _Match(complaint, "plus-address")
    for reference in REFERENCE_RE.findall(mail.subject):
        complaint = _case(reference=reference)
        if complaint is not None:
            return _Match(complaint, "subject")
    return None


def _case(**lookup: object) -> Complaint | None:
    return Complaint.objects.select_related("complainant").filter(**lookup).first()


def _plus_reference(mail: ParsedMail) -> str:
    """The reference in a recipient like intake+C-2026-000123@example.org, when the intake
    address is set (``PLAINT_MAILIN_REPLY_ADDRESS``)."""
    address = settings.MAILIN_REPLY_ADDRESS
    if not address:
        return ""
    local, _, domain = address.rpartition("@")
    for recipient in mail.to:
        r_local, _, r_domain = recipient.rpartition("@")
        base, plus, tag = r_local.partition("+")
        if plus and base.lower() == local.lower() and r_domain.lower() == domain.lower():
            found = REFERENCE_RE.fullmatch(tag.upper())
            if found:
                return found.group(0)
    return ""


def _uploads(row: InboundMail, mail: ParsedMail) -> list[CheckedUpload]:
    """The mail's files that pass the upload rules (type, size, count); the others are named in
    the row's detail."""
    kept: list[CheckedUpload] = []
    left_out: list[str] = []
    for file in mail.files:
        if len(kept) >= settings.ATTACHMENT_MAX_COUNT:
            left_out.append(f"{file.name}: over the limit of {settings.ATTACHMENT_MAX_COUNT} files")
            continue
        try:
            kept.append(check_upload(SimpleUploadedFile(file.name, file.data, file.content_type)))
        except ValidationFailed as exc:
            left_out.append(exc.message)
    if left_out:
        shown = left_out[:20]
        more = len(left_out) - len(shown)
        row.detail = "\n".join(
            [_("Files left out:"), *shown, *([f"… +{more}"] if more > 0 else [])]
        )
    return kept


def _body(mail: ParsedMail, limit: int) -> str:
    return (mail.text or mail.subject)[:limit]


def _new_case(
    row: InboundMail, mail: ParsedMail, *, acknowledge: bool, actor: Actor = INTAKE_ACTOR
) -> None:
    name = mail.sender_name or mail.sender.partition("@")[0]
    complaint, _token = complaint_submit(
        data=ComplaintInput(
            name=name[: max_length(Complainant, "name")],
            email=mail.sender,
            subject=mail.subject[: max_length(Complaint, "subject")],
            description=_body(mail, DESCRIPTION_MAX),
            language=row.language or "en",
            attachments=_uploads(row, mail),
        ),
        channel="email",
        actor=actor,
        acknowledge=acknowledge,
    )
    row.status = Status.CASE
    row.reason = ""
    row.complaint = complaint


def _reply(row: InboundMail, mail: ParsedMail, complaint: Complaint) -> None:
    row.case_message = message_post(
        complaint_id=complaint.pk,
        actor=Actor.complainant(),
        body=_body(mail, MESSAGE_BODY_MAX),
        attachments=_uploads(row, mail),
    )
    row.status = Status.MESSAGE
    row.reason = ""
    row.complaint = complaint


# --- the quarantine: staff decide ---------------------------------------------------------------
def _lock_quarantined(mail_id: int, actor: Actor) -> InboundMail:
    if actor.kind != "staff" or not can_work_complaints(actor.user):
        raise NotAllowed(_("Only handlers and managers work the e-mail quarantine."))
    row = InboundMail.objects.select_for_update().filter(pk=mail_id).first()
    if row is None:
        raise NotFound(_("No such e-mail."))
    if row.status != Status.QUARANTINED:
        raise ValidationFailed(_("This e-mail has already been dealt with."))
    return row


def _reparse(row: InboundMail) -> ParsedMail:
    try:
        with default_storage.open(row.raw.name, "rb") as handle:
            return parse_mail(handle.read())
    except (OSError, ValueError, MailParseError) as exc:
        raise ValidationFailed(
            _("This e-mail cannot be read, so it can only be discarded.")
        ) from exc


def _handled(row: InboundMail, actor: Actor, status: str) -> InboundMail:
    row.status = status
    row.handled_by = actor.user
    row.handled_at = timezone.now()
    row.save(
        update_fields=["status", "complaint", "case_message", "detail", "handled_by", "handled_at"]
    )
    return row


@transaction.atomic
def quarantine_attach(*, actor: Actor, mail_id: int, reference: str) -> InboundMail:
    """Add a quarantined mail to a case as a message from its complainant."""
    row = _lock_quarantined(mail_id, actor)
    complaint = _case(reference=reference.strip().upper())
    if complaint is not None and not can_read_case(actor.user, complaint):
        complaint = None  # a case the member may not see answers like one that does not exist
    if complaint is None:
        raise ValidationFailed(
            _("No case has the reference %(reference)s.") % {"reference": reference},
            fields={"reference": [_("No case has this reference.")]},
        )
    mail = _reparse(row)
    _reply(row, mail, complaint)
    return _handled(row, actor, Status.MESSAGE)


@transaction.atomic
def quarantine_create_case(*, actor: Actor, mail_id: int) -> InboundMail:
    """Make a new case of a quarantined mail; its sender is acknowledged unless a machine sent it."""
    row = _lock_quarantined(mail_id, actor)
    mail = _reparse(row)
    if not _valid_address(mail.sender):
        raise ValidationFailed(
            _("This e-mail has no sender address to answer, so no case can be made of it.")
        )
    _new_case(row, mail, acknowledge=not mail.automatic, actor=actor)
    return _handled(row, actor, Status.CASE)


@transaction.atomic
def quarantine_discard(*, actor: Actor, mail_id: int) -> InboundMail:
    """Set a quarantined mail aside; its raw message is kept for the retention period."""
    row = _lock_quarantined(mail_id, actor)
    return _handled(row, actor, Status.DISCARDED)


def mail_prune_raw(*, now: dt.datetime | None = None) -> int:
    """Delete the raw messages of discarded mails older than the retention period."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.MAILIN_RAW_RETENTION_DAYS)
    pruned = 0
    old = InboundMail.objects.filter(status=Status.DISCARDED, handled_at__lt=cutoff).exclude(raw="")
    for row in old.iterator():
        default_storage.delete(row.raw.name)
        InboundMail.objects.filter(pk=row.pk).update(raw="")
        pruned += 1
    return pruned
