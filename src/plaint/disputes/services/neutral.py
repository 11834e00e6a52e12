"""The neutral on a dispute (ISO 10003 7.4, the provider's person who mediates, recommends or
decides): staff assign a neutral's account to a dispute; the neutral declares any conflict of
interest before seeing anything of it; a neutral who declared none asks either side for
information and records the outcome (``steps.dispute_outcome_record``, which calls the checks
here). Every step is an event in the dispute's hash chain; a conflict or a request tells staff.

A neutral acts as ``Actor("neutral", user, username)`` (``neutral_actor``): never a member of
staff, and only ever on a dispute assigned to them — any other dispute is "not found"."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints, is_neutral
from plaint.accounts.models import Role, User
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound
from plaint.disputes.models import Dispute, NeutralDeclaration, Submission
from plaint.disputes.services.cases import (
    DISPUTE_CASE_TYPE,
    audit,
    locked_open,
    locked_visible,
    require_worker,
)
from plaint.disputes.services.common import invalid, text
from plaint.notifications.models import Kind
from plaint.notifications.services import SubjectTell, subject_notifications_send

NEUTRAL = "neutral"  # the Actor kind of a neutral
ASKABLE = ("organisation", "complainant")


def neutral_actor(user: User) -> Actor:
    """The actor a signed-in neutral acts as (the portal's views make it)."""
    return Actor(NEUTRAL, user, user.get_username())


def _require_neutral(actor: Actor) -> None:
    if actor.kind != NEUTRAL or not is_neutral(actor.user):
        raise NotAllowed(_("Only the neutral assigned to the dispute may do this."))


@transaction.atomic
def dispute_neutral_assign(
    *,
    actor: Actor,
    dispute_id: int,
    neutral_id: int | None,
    name: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """Assign a neutral's account to an open dispute (or take it off with ``None``). ``name`` is
    the neutral's name as the provider gives it; by default the account's name. A new neutral
    declares their own conflict of interest before they see the case."""
    require_worker(actor)
    now = now or timezone.now()
    dispute = locked_open(dispute_id, actor)
    person: User | None = None
    if neutral_id is not None:
        person = User.objects.filter(pk=neutral_id).first()
        if person is None or not is_neutral(person):
            raise invalid("neutral", _("Choose an active account with the neutral role."))
    if person is not None and dispute.neutral_user_id == person.pk:
        raise Conflict(_("This neutral is already assigned to the dispute."))
    given = text(name, "name", limit=200)
    dispute.neutral_user = person
    dispute.neutral_assigned_by = actor.user if person is not None else None
    if person is not None:
        dispute.neutral = given or person.get_full_name() or person.get_username()
    elif given:
        dispute.neutral = given
    dispute.version += 1
    dispute.save(update_fields=["neutral_user", "neutral_assigned_by", "neutral", "version"])
    data = {"neutral_user": person.pk if person else None}
    audit(dispute, actor, "neutral_assigned" if person else "neutral_unassigned", data, now)
    return dispute


def _assigned(dispute_id: int, actor: Actor) -> Dispute:
    """The dispute, locked, if it is assigned to the acting neutral; else "not found", exactly
    as for a dispute that does not exist."""
    _require_neutral(actor)
    dispute = locked_visible(dispute_id, actor)
    if dispute.neutral_user_id != actor.user_id:
        raise NotFound(_("No such dispute."))
    return dispute


def declaration_of(dispute: Dispute) -> NeutralDeclaration | None:
    """The assigned neutral's declaration on the dispute, if they made one."""
    if dispute.neutral_user_id is None:
        return None
    return NeutralDeclaration.objects.filter(
        dispute=dispute, neutral_id=dispute.neutral_user_id
    ).first()


@transaction.atomic
def dispute_neutral_declare(
    *,
    actor: Actor,
    dispute_id: int,
    conflict: bool,
    details: str = "",
    now: dt.datetime | None = None,
) -> NeutralDeclaration:
    """The assigned neutral declares a conflict of interest (with what it is) or none, once.
    With a conflict the case stays closed to them and staff are told to assign another."""
    now = now or timezone.now()
    dispute = _assigned(dispute_id, actor)
    if declaration_of(dispute) is not None:
        raise Conflict(_("You have already made your declaration on this dispute."))
    said = text(details, "details", required=conflict, limit=5000)
    declaration = NeutralDeclaration.objects.create(
        dispute=dispute,
        neutral=actor.user,
        conflict=conflict,
        details=said if conflict else "",
        declared_at=now,
    )
    audit(dispute, actor, "neutral_declared", {"conflict": conflict}, now)
    if conflict:
        _tell_staff(dispute)
    return declaration


def require_no_conflict(dispute: Dispute) -> None:
    """The dispute's assigned neutral (if any) declared no conflict of interest: the rule for
    everything the neutral does on it, and for recording its outcome by anyone."""
    if dispute.neutral_user_id is None:
        return
    declaration = declaration_of(dispute)
    if declaration is None:
        raise NotAllowed(
            _("The neutral has not yet declared whether they have a conflict of interest.")
        )
    if declaration.conflict:
        raise NotAllowed(
            _("The neutral declared a conflict of interest: assign another neutral first.")
        )


def cleared(dispute_id: int, actor: Actor) -> Dispute:
    """The dispute, locked, if it is assigned to the acting neutral (else "not found") and they
    declared no conflict of interest (else not allowed)."""
    dispute = _assigned(dispute_id, actor)
    require_no_conflict(dispute)
    return dispute


@transaction.atomic
def dispute_neutral_request(
    *,
    actor: Actor,
    dispute_id: int,
    addressed_to: str,
    body: str,
    now: dt.datetime | None = None,
) -> Submission:
    """The neutral asks the organisation or the complainant for information: a request in the
    dispute's file, from the provider, addressed to that side; staff are told."""
    now = now or timezone.now()
    dispute = cleared(dispute_id, actor)
    if dispute.state in {"closed", "withdrawn", "out_of_scope"}:
        raise InvalidTransition(_("This dispute is over."))
    if addressed_to not in ASKABLE:
        raise invalid("addressed_to", _("Choose the organisation or the complainant."))
    submission = Submission.objects.create(
        dispute=dispute,
        side="provider",
        kind="request",
        addressed_to=addressed_to,
        text=text(body, "body", required=True),
        at=now,
        by=actor.user,
    )
    data = {"side": "provider", "kind": "request", "to": addressed_to, "submission": submission.pk}
    audit(dispute, actor, "submission", data, now)
    _tell_staff(dispute)
    return submission


def outcome_gate(actor: Actor, dispute_id: int) -> None:
    """Who may record an outcome: staff who work disputes, or the neutral assigned to this
    dispute (checked before the dispute is read, so no other neutral learns its state)."""
    if actor.kind != NEUTRAL:
        require_worker(actor)
        return
    _require_neutral(actor)
    if not Dispute.objects.filter(pk=dispute_id, neutral_user_id=actor.user_id).exists():
        raise NotFound(_("No such dispute."))


def obligation_owner(dispute: Dispute) -> int:
    """Who carries out what a neutral's outcome asks of the organisation (a neutral does not
    see the organisation's staff): whoever assigned the neutral, else the complaint's handler,
    else the first manager."""
    for person in (dispute.neutral_assigned_by, dispute.complaint.assignee):
        if person is not None and can_work_complaints(person):
            return person.pk
    manager = (
        User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True)
        .order_by("role", "pk")
        .first()
    )
    if manager is None:
        raise invalid("obligations", _("Nobody at the organisation can own the obligations."))
    return manager.pk


def _tell_staff(dispute: Dispute) -> int:
    """In the app: whoever assigned the neutral and the complaint's handler."""
    complaint = dispute.complaint
    people = [p for p in (dispute.neutral_assigned_by, complaint.assignee) if p is not None]
    path = reverse("disputes:dispute", kwargs={"dispute_id": dispute.pk})
    title = f"{complaint.reference} · {dispute.provider.name}"
    return subject_notifications_send(
        kind=Kind.DISPUTE_NEUTRAL,
        tells=[
            SubjectTell(p, DISPUTE_CASE_TYPE, dispute.pk, dispute.reference, title, path)
            for p in people
        ],
    )
