"""Finding a person's data: by e-mail, phone, name or a complaint's reference, every complainant
row that is theirs (the same e-mail or phone on other cases too), their cases, and their survey
rows (invitations, contacts, opt-outs, responses, call-backs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader
from plaint.complaints.models import Complainant, Complaint
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.privacy.access import can_handle_subject_requests
from plaint.privacy.models import LegalHold
from plaint.surveys.models import CallbackTask, Contact, Invitation, Response, Suppression

QUERY_MAX = 200
PHONE_KEY_DIGITS = 8  # the repeat rule's phone key (plaint.insights.sql): the last eight digits


@dataclass
class Subject:
    """One person's rows, found from ``query``. ``emails`` are lower-case; ``phones`` as stored."""

    query: str
    complainant_ids: list[int] = field(default_factory=list)
    complaint_ids: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    invitation_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    suppression_ids: list[int] = field(default_factory=list)
    response_ids: list[int] = field(default_factory=list)
    callback_ids: list[int] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.complainant_ids or self.invitation_ids or self.contact_ids)

    def needles(self) -> list[str]:
        """What must not remain anywhere after erasure: names, e-mails and phones, longest
        first (so a name inside an e-mail is replaced as part of the e-mail)."""
        values = {v for v in (*self.names, *self.emails, *self.phones) if len(v.strip()) >= 3}
        return sorted(values, key=len, reverse=True)


def digits(value: str) -> str:
    return re.sub(r"[^0-9]", "", value)


def phone_regex(phone: str) -> str | None:
    """A regular expression matching a stored phone whose last eight digits are ``phone``'s,
    however it is spaced (None for a number of fewer than seven digits: no phone key)."""
    number = digits(phone)
    if len(number) < 7:
        return None
    tail = number[-PHONE_KEY_DIGITS:]
    return "[^0-9]*".join(tail) + "[^0-9]*$"


def _classify(query: str) -> str:
    if "@" in query:
        return "email"
    if Complaint.objects.filter(reference__iexact=query).exists():
        return "reference"
    if len(digits(query)) >= 7 and not re.search(r"[^\d\s+()./-]", query):
        return "phone"
    return "name"


def _first_complainants(query: str) -> Q | None:
    kind = _classify(query)
    if kind == "email":
        return Q(email__iexact=query)
    if kind == "reference":
        return Q(complaints__reference__iexact=query)
    if kind == "phone":
        pattern = phone_regex(query)
        return Q(phone__regex=pattern) if pattern else None
    return Q(name__iexact=query)


def subject_find(*, actor: Reader, query: str) -> Subject:
    """The person ``query`` names. Raises ``NotAllowed`` for anyone who may not handle
    personal-data requests and ``ValidationFailed`` for an empty or overlong query."""
    if not can_handle_subject_requests(actor):
        raise NotAllowed(_("Your role may not handle requests about personal data."))
    return subject_lookup(query=query)


def subject_lookup(*, query: str) -> Subject:
    """``subject_find`` without the access check (the CLI runs as the operator)."""
    query = (query or "").strip()
    if not query or len(query) > QUERY_MAX or "\x00" in query:
        message = _("Enter an e-mail address, a phone number, a name or a case reference.")
        raise ValidationFailed(message, fields={"query": [message]})
    subject = Subject(query=query)
    first = _first_complainants(query)
    people = list(Complainant.objects.filter(first).distinct()) if first is not None else []
    emails = {p.email.strip().lower() for p in people if p.email.strip()}
    if "@" in query:
        emails.add(query.lower())
    phones = {p.phone for p in people if p.phone.strip()}
    # The same person on other cases: the same e-mail, or a phone with the same key.
    more = Q(pk__in=[p.pk for p in people])
    for email in emails:
        more |= Q(email__iexact=email)
    for phone in phones:
        pattern = phone_regex(phone)
        if pattern:
            more |= Q(phone__regex=pattern)
    people = list(Complainant.objects.filter(more).distinct()) if people or emails else []
    subject.complainant_ids = sorted(p.pk for p in people)
    subject.emails = emails | {p.email.strip().lower() for p in people if p.email.strip()}
    subject.phones = {p.phone.strip() for p in people if p.phone.strip()}
    subject.names = {p.name.strip() for p in people if p.name.strip()}
    cases = Complaint.objects.filter(complainant_id__in=subject.complainant_ids).order_by("pk")
    for pk, reference in cases.values_list("pk", "reference"):
        subject.complaint_ids.append(pk)
        subject.references.append(reference or "")
    _survey_rows(subject)
    return subject


def _survey_rows(subject: Subject) -> None:
    emails = sorted(subject.emails)
    invitations = Invitation.objects.filter(
        Q(email__in=emails) | Q(complaint_id__in=subject.complaint_ids)
    )
    subject.invitation_ids = sorted(invitations.values_list("pk", flat=True))
    contacts = Contact.objects.filter(email__in=emails)
    subject.contact_ids = sorted(contacts.values_list("pk", flat=True))
    subject.names |= {n.strip() for n in contacts.values_list("name", flat=True) if n.strip()}
    subject.names |= {n.strip() for n in invitations.values_list("name", flat=True) if n.strip()}
    subject.suppression_ids = sorted(
        Suppression.objects.filter(email__in=emails).values_list("pk", flat=True)
    )
    responses = Response.objects.filter(
        Q(invitation_id__in=subject.invitation_ids) | Q(complaint_id__in=subject.complaint_ids)
    )
    subject.response_ids = sorted(responses.values_list("pk", flat=True))
    callbacks = CallbackTask.objects.filter(
        Q(response_id__in=subject.response_ids) | Q(email__in=emails)
    )
    subject.callback_ids = sorted(callbacks.values_list("pk", flat=True))


def holds_in_force(subject: Subject) -> list[LegalHold]:
    """The legal holds in force on any of the person's cases or complainant rows."""
    return list(
        LegalHold.objects.filter(released_at__isnull=True)
        .filter(
            Q(complaint_id__in=subject.complaint_ids)
            | Q(complainant_id__in=subject.complainant_ids)
        )
        .select_related("complaint", "created_by")
    )


def hold_list(*, actor: Reader, in_force_only: bool = True) -> list[LegalHold]:
    if not can_handle_subject_requests(actor):
        raise NotAllowed(_("Your role may not handle requests about personal data."))
    holds = LegalHold.objects.select_related("complaint", "complainant", "created_by")
    if in_force_only:
        holds = holds.filter(released_at__isnull=True)
    return list(holds[:500])
