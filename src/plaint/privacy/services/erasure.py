"""Erasure on request (GDPR art. 17): first a dry run that lists what would change, then the
erasure itself, refused while a legal hold covers the person or one of their cases is open."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.complaints.states import OPEN
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import Conflict, NotAllowed, NotFound
from plaint.privacy.access import can_handle_subject_requests
from plaint.privacy.models import Erasure, LegalHold
from plaint.privacy.selectors import Subject, holds_in_force
from plaint.privacy.services.anonymise import Changes, anonymise, delete_files

ERASURE_CASE_TYPE = "erasure"  # one chain per erasure, with no personal data in it


@dataclass
class ErasurePlan:
    """What an erasure would do: rows per kind, the cases, and what stops it (holds, open cases)."""

    counts: dict[str, int]
    references: list[str]
    holds: list[LegalHold] = field(default_factory=list)
    open_references: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.holds or self.open_references)

    def refusal(self) -> str:
        if self.holds:
            return hold_refusal(self.holds)
        return _("These cases are still open: %(refs)s. Close or withdraw them before erasing.") % {
            "refs": ", ".join(self.open_references)
        }


def hold_refusal(holds: list[LegalHold]) -> str:
    hold = holds[0]
    what = hold.complaint.reference if hold.complaint else _("the person")
    return _(
        "A legal hold covers %(what)s (hold %(id)s, placed by %(by)s on %(date)s: “%(reason)s”). "
        "Release it first."
    ) % {
        "what": what,
        "id": hold.pk,
        "by": hold.created_by.get_username(),
        "date": date_format(timezone.localtime(hold.created_at), "DATE_FORMAT"),
        "reason": hold.reason,
    }


def _require(actor: Actor) -> None:
    if actor.kind == "system":
        return
    if actor.kind != "staff" or not can_handle_subject_requests(actor.user):
        raise NotAllowed(_("Your role may not handle requests about personal data."))


def erasure_plan(*, actor: Actor, subject: Subject) -> ErasurePlan:
    """The dry run: nothing is written."""
    _require(actor)
    if not subject.found:
        raise NotFound(_("Nobody with these details was found."))
    with transaction.atomic():
        changes = anonymise(subject, dry=True)
        transaction.set_rollback(True)  # a dry run writes nothing, whatever happens
    open_refs = list(
        Complaint.objects.filter(pk__in=subject.complaint_ids, state__in=list(OPEN))
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    return ErasurePlan(
        counts=dict(sorted(changes.counts.items())),
        references=[r for r in subject.references if r],
        holds=holds_in_force(subject),
        open_references=[r or "" for r in open_refs],
    )


def subject_erase(*, actor: Actor, subject: Subject) -> Erasure:
    """Anonymise every row of the person's, append an ``personal_data_erased`` event to each of
    their cases' chains and to a new ``erasure`` chain (counts only), then delete their files.
    Refused (``Conflict``) while a hold is in force or a case is open."""
    _require(actor)
    if not subject.found:
        raise NotFound(_("Nobody with these details was found."))
    erasure, changes = _erase(actor, subject)
    delete_files(changes.files)  # after the commit: a rolled-back erasure keeps its files
    return erasure


@transaction.atomic
def _erase(actor: Actor, subject: Subject) -> tuple[Erasure, Changes]:
    cases = list(
        Complaint.objects.select_for_update().filter(pk__in=subject.complaint_ids).order_by("pk")
    )
    holds = holds_in_force(subject)  # read under the cases' locks, which placing a hold takes too
    if holds:
        raise Conflict(hold_refusal(holds))
    open_refs = [c.reference or str(c.pk) for c in cases if c.state in OPEN]
    if open_refs:
        raise Conflict(
            _("These cases are still open: %(refs)s. Close or withdraw them before erasing.")
            % {"refs": ", ".join(open_refs)}
        )
    changes = anonymise(subject, dry=False)
    return erasure_record(actor, Erasure.Kind.REQUEST, cases, changes), changes


def erasure_record(actor: Actor, kind: str, cases: list[Complaint], changes: Changes) -> Erasure:
    """The evidence: an ``Erasure`` row and its chain, and an event on each case's chain."""
    counts = dict(sorted(changes.counts.items()))
    erasure = Erasure.objects.create(kind=kind, at=timezone.now(), by=actor.user, counts=counts)
    for case in cases:
        audit_append(
            case_type="complaint",
            case_id=case.pk,
            actor_id=actor.user_id,
            actor_label=actor.label,
            action="personal_data_erased",
            data={"erasure": erasure.pk, "kind": kind},
        )
    audit_append(
        case_type=ERASURE_CASE_TYPE,
        case_id=erasure.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="personal_data_erased",
        data={"kind": kind, "counts": counts, "cases": len(cases)},
    )
    return erasure


EXPORT_CASE_TYPE = "subject_export"  # one chain per member of staff who exports


def subject_export_record(*, actor: Actor, subject: Subject) -> None:
    """Check that ``actor`` may export a person's data and record that they did (who, when,
    how many cases; not the person)."""
    _require(actor)
    if not subject.found:
        raise NotFound(_("Nobody with these details was found."))
    with transaction.atomic():
        audit_append(
            case_type=EXPORT_CASE_TYPE,
            case_id=actor.user_id or 0,
            actor_id=actor.user_id,
            actor_label=actor.label,
            action="subject_exported",
            data={"cases": len(subject.complaint_ids), "responses": len(subject.response_ids)},
        )
