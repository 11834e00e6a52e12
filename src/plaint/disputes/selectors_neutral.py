"""Reads of the neutral's portal: a neutral sees only the disputes assigned to them, and of one
only what its parties are until they declared no conflict of interest; then its case (the
complaint's text, the file of both sides, the deadlines, the documents shared with the
complainant) and its case bundle. Every other dispute, complaint, document or person is "not
found"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import Reader, can_work_complaints, is_neutral, require
from plaint.accounts.models import User
from plaint.core.errors import NotFound
from plaint.core.models import Attachment
from plaint.disputes.models import Dispute, NeutralDeclaration, Obligation, Submission
from plaint.disputes.selectors_bundle import Bundle, bundle_build

USE = gettext_noop("use the neutral's portal")
PAGE = 200


def _assigned(actor: Reader) -> QuerySet[Dispute]:
    require(is_neutral, actor, USE)
    return Dispute.objects.filter(neutral_user_id=actor.pk)


@dataclass(frozen=True)
class NeutralRow:
    dispute: Dispute
    declaration: NeutralDeclaration | None


def neutral_disputes(*, actor: Reader) -> list[NeutralRow]:
    """The disputes assigned to the neutral, newest first, each with their declaration (two
    statements whatever their number)."""
    disputes = list(
        _assigned(actor).select_related("provider").order_by("-opened_at", "-pk")[:PAGE]
    )
    declared = {
        d.dispute_id: d
        for d in NeutralDeclaration.objects.filter(
            neutral_id=actor.pk, dispute_id__in=[d.pk for d in disputes]
        )
    }
    return [NeutralRow(d, declared.get(d.pk)) for d in disputes]


@dataclass(frozen=True)
class NeutralCase:
    dispute: Dispute
    declaration: NeutralDeclaration | None
    documents: list[Attachment]

    @property
    def open_to_neutral(self) -> bool:
        return self.declaration is not None and not self.declaration.conflict


def neutral_case(*, actor: Reader, dispute_id: int) -> NeutralCase:
    """One assigned dispute. Before the neutral declared no conflict, only its parties and
    provider are read (what a conflict check needs); after, its file, obligations and the
    complaint's shared documents."""
    dispute = (
        _assigned(actor)
        .select_related("provider", "complaint", "complaint__complainant")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound(_("No such dispute."))
    declaration = NeutralDeclaration.objects.filter(dispute=dispute, neutral_id=actor.pk).first()
    if declaration is None or declaration.conflict:
        return NeutralCase(dispute, declaration, [])
    dispute = (
        Dispute.objects.select_related("provider", "complaint", "complaint__complainant")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related("attachment").order_by("at", "pk"),
            ),
            Prefetch("obligations", queryset=Obligation.objects.order_by("due_on", "pk")),
        )
        .get(pk=dispute.pk)
    )
    return NeutralCase(dispute, declaration, _documents(dispute))


def _documents(dispute: Dispute) -> list[Attachment]:
    """The complaint's documents both sides have seen (not the organisation's internal ones)."""
    return list(
        Attachment.objects.filter(complaint_id=dispute.complaint_id, public=True)
        .exclude(file="")
        .order_by("uploaded_at", "pk")
    )


def neutral_document(*, actor: Reader, dispute_id: int, attachment_id: int) -> Attachment:
    """One document of an assigned dispute the neutral declared no conflict on; else not found."""
    case = neutral_case(actor=actor, dispute_id=dispute_id)
    found = next((a for a in case.documents if a.pk == attachment_id), None)
    if found is None:
        raise NotFound(_("No such document."))
    return found


def neutral_bundle(*, actor: Reader, dispute_id: int) -> Bundle:
    """The case bundle (the same file staff export for the provider) of an assigned dispute the
    neutral declared no conflict on; else not found, as for a dispute that does not exist."""
    case = neutral_case(actor=actor, dispute_id=dispute_id)
    if not case.open_to_neutral:
        raise NotFound(_("No such dispute."))
    return bundle_build(dispute=case.dispute)


def neutral_choices() -> list[User]:
    """The active neutral accounts staff may assign to a dispute."""
    return list(User.objects.filter(role="neutral", is_active=True).order_by("username"))


def neutral_panel(*, actor: Reader, dispute: Dispute) -> dict[str, object]:
    """What the staff workspace shows of a dispute's neutral: who, their declaration, and the
    accounts to assign (for staff who work disputes)."""
    declaration = None
    if dispute.neutral_user_id is not None:
        declaration = NeutralDeclaration.objects.filter(
            dispute=dispute, neutral_id=dispute.neutral_user_id
        ).first()
    worker = can_work_complaints(actor)
    return {
        "user": dispute.neutral_user,
        "declaration": declaration,
        "choices": neutral_choices() if worker else [],
        "worker": worker,
    }
