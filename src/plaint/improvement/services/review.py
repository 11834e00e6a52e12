"""Management reviews (ISO 10002:2018 8.6; ISO 9001:2015 9.3): each write one transaction that
locks the review, checks its state against ``states_review.REVIEW_TRANSITIONS`` and the actor,
saves and appends its audit event to the review's own hash chain. Building the pack reads first
(it may take seconds over a large history) and then stores it in a short transaction; the
reminders of the meeting's actions go through the outbox like those of corrective actions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.core.selectors import organisation_get
from plaint.core.services import email_enqueue
from plaint.improvement.models import ManagementReview, ReviewAction
from plaint.improvement.review_pack import build_pack
from plaint.improvement.selectors_review import REVIEW_CASE_TYPE, review_sweep_due
from plaint.improvement.services.common import (
    audit,
    period_clean,
    require_manager,
    text_clean,
)
from plaint.improvement.states_review import (
    ACTIONS_OPEN,
    REVIEW_TRANSITIONS,
    ReviewState,
    ReviewStep,
)

log = logging.getLogger(__name__)
SWEEP = Actor.system("management-review sweep")


def _lock(review_id: int) -> ManagementReview:
    review = ManagementReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound(_("No such management review."))
    return review


def _gate(review: ManagementReview, step: ReviewStep) -> None:
    if review.state not in REVIEW_TRANSITIONS[step].sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the review is “%(state)s”.")
            % {"step": step.label, "state": ReviewState(review.state).label}
        )


def _move(
    review: ManagementReview,
    actor: Actor,
    step: ReviewStep,
    *,
    data: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
    now: dt.datetime | None = None,
) -> ManagementReview:
    """Take ``step`` on a locked review: check the table, set the state, save, audit."""
    _gate(review, step)
    before = review.state
    review.state = REVIEW_TRANSITIONS[step].target
    review.updated_at = now or timezone.now()
    changed = {"state", "updated_at", *fields}
    if review.state == ReviewState.CLOSED:
        review.closed_at = review.updated_at
        changed.add("closed_at")
    review.save(update_fields=sorted(changed))
    audit(
        REVIEW_CASE_TYPE,
        review.pk,
        actor,
        step.value,
        {"from": before, "to": review.state, **(data or {})},
        at=review.updated_at,
    )
    return review


@transaction.atomic
def review_create(
    *,
    actor: Actor,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    language: str = "",
    now: dt.datetime | None = None,
) -> ManagementReview:
    """Open a review of the whole months ``period_start``..``period_end`` (any days of them),
    its pack in ``language`` (default: the site's language, ``settings.LANGUAGE_CODE``)."""
    require_manager(actor)
    start, end = period_clean(period_start, period_end)
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"language": [_("Unknown language.")]}
        )
    now = now or timezone.now()
    review = ManagementReview.objects.create(
        title=text_clean(title, "title", limit=200),
        period_start=start,
        period_end=end,
        language=language,
        created_by=User.objects.get(pk=actor.user_id or 0),
        created_at=now,
        updated_at=now,
    )
    audit(
        REVIEW_CASE_TYPE,
        review.pk,
        actor,
        "created",
        {
            "title": review.title,
            "period": [f"{start:%Y-%m}", f"{end:%Y-%m}"],
            "language": language,
        },
        at=now,
    )
    return review


@transaction.atomic
def review_changes_record(
    *, actor: Actor, review_id: int, regulation: str, products: str, organisation: str
) -> ManagementReview:
    """The changes that bear on the system (ISO 9001 9.3.2 b). A built pack goes back to draft:
    it is built again to include them."""
    require_manager(actor)
    review = _lock(review_id)
    review.changes_regulation = text_clean(regulation, "regulation", required=False)
    review.changes_products = text_clean(products, "products", required=False)
    review.changes_organisation = text_clean(organisation, "organisation", required=False)
    return _move(
        review,
        actor,
        ReviewStep.RECORD_CHANGES,
        data={
            "regulation": review.changes_regulation,
            "products": review.changes_products,
            "organisation": review.changes_organisation,
        },
        fields=("changes_regulation", "changes_products", "changes_organisation"),
    )


def review_pack_build(
    *, actor: Actor, review_id: int, now: dt.datetime | None = None
) -> ManagementReview:
    """Build the pack in the review's language and freeze it on the review. The reading
    happens outside the transaction (over a large history it takes seconds); the review is
    then locked and its state checked again before the pack is stored."""
    require_manager(actor)
    review = ManagementReview.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFound(_("No such management review."))
    _gate(review, ReviewStep.BUILD_PACK)
    now = now or timezone.now()
    user = User.objects.get(pk=actor.user_id or 0)
    with translation.override(review.language):
        pack = build_pack(review=review, actor=user, now=now)
    with transaction.atomic():
        review = _lock(review_id)
        review.pack, review.pack_html = pack.figures, pack.html
        review.pack_built_at = now
        return _move(
            review,
            actor,
            ReviewStep.BUILD_PACK,
            data={
                "language": pack.language,
                "sections": [s["key"] for s in pack.figures["sections"]],
            },
            fields=("pack", "pack_html", "pack_built_at"),
            now=now,
        )


@transaction.atomic
def review_hold(
    *,
    actor: Actor,
    review_id: int,
    meeting_on: dt.date,
    attendees: str,
    decisions: str,
    now: dt.datetime | None = None,
) -> ManagementReview:
    """Record the meeting: when, who attended, what it decided (ISO 9001 9.3.3)."""
    require_manager(actor)
    review = _lock(review_id)
    if not isinstance(meeting_on, dt.date):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"meeting_on": [_("Enter a date.")]}
        )
    if meeting_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={"meeting_on": [_("The meeting cannot be in the future.")]},
        )
    review.meeting_on = meeting_on
    review.attendees = text_clean(attendees, "attendees", limit=2000)
    review.decisions = text_clean(decisions, "decisions", limit=20000)
    return _move(
        review,
        actor,
        ReviewStep.HOLD,
        data={
            "meeting_on": meeting_on.isoformat(),
            "attendees": review.attendees,
            "decisions": review.decisions,
        },
        fields=("meeting_on", "attendees", "decisions"),
        now=now,
    )


@transaction.atomic
def review_close(*, actor: Actor, review_id: int) -> ManagementReview:
    """Close a held review once every action it decided is done."""
    require_manager(actor)
    review = _lock(review_id)
    _gate(review, ReviewStep.CLOSE)
    if ReviewAction.objects.filter(review=review, done_at__isnull=True).exists():
        raise Conflict(_("Every action of the review must be done first."))
    return _move(review, actor, ReviewStep.CLOSE)


@transaction.atomic
def review_action_add(
    *,
    actor: Actor,
    review_id: int,
    description: str,
    owner_id: int,
    due_on: dt.date,
    now: dt.datetime | None = None,
) -> ReviewAction:
    """An action the meeting decided: what, who, by when (the review must be held)."""
    require_manager(actor)
    review = _lock(review_id)
    if review.state not in ACTIONS_OPEN:
        raise InvalidTransition(_("Actions are recorded once the meeting is held."))
    if not isinstance(due_on, dt.date):
        raise ValidationFailed(
            _("Check the highlighted fields."), fields={"due_on": [_("Enter a date.")]}
        )
    action = ReviewAction.objects.create(
        review=review,
        description=text_clean(description, "description"),
        owner=_owner_clean(owner_id),
        due_on=due_on,
    )
    review.updated_at = now or timezone.now()
    review.save(update_fields=["updated_at"])
    audit(
        REVIEW_CASE_TYPE,
        review.pk,
        actor,
        "action_added",
        {
            "action": action.pk,
            "description": action.description,
            "owner": action.owner.get_username(),
            "due_on": due_on.isoformat(),
        },
        at=now,
    )
    return action


def _owner_clean(owner_id: Any) -> User:
    """The owner of a review action is an active manager or admin: they can read the review."""
    user = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
    if user is None or not can_configure(user):
        raise ValidationFailed(
            _("Check the highlighted fields."),
            fields={"owner_id": [_("Choose an active manager or admin.")]},
        )
    return user


def _locked_action(action_id: int) -> tuple[ManagementReview, ReviewAction]:
    review_id = (
        ReviewAction.objects.filter(pk=action_id).values_list("review_id", flat=True).first()
    )
    if review_id is None:
        raise NotFound(_("No such action."))
    review = _lock(review_id)
    action = ReviewAction.objects.select_for_update().select_related("owner").get(pk=action_id)
    return review, action


@transaction.atomic
def review_action_done(
    *, actor: Actor, action_id: int, evidence: str = "", now: dt.datetime | None = None
) -> ReviewAction:
    """The action's owner (or a manager) marks it done with its evidence."""
    review, action = _locked_action(action_id)
    is_owner = actor.kind == "staff" and actor.user_id == action.owner_id
    if not is_owner:
        require_manager(actor)
    if review.state not in ACTIONS_OPEN:
        raise InvalidTransition(_("This action can no longer be changed."))
    if action.done_at is not None:
        raise Conflict(_("This action is already done."))
    action.done_at = now or timezone.now()
    action.evidence = text_clean(evidence, "evidence", required=False)
    action.save(update_fields=["done_at", "evidence"])
    audit(
        REVIEW_CASE_TYPE,
        review.pk,
        actor,
        "action_done",
        {"action": action.pk, "evidence": action.evidence},
        at=now,
    )
    return action


def _mail(person: User, what: str, review: ManagementReview, action: ReviewAction) -> None:
    """Mail a person about a review action through the outbox (caller's transaction)."""
    if not person.is_active or not person.email:
        return
    email_enqueue(
        to=person.email,
        kind="review_action",
        language=person.language,
        context={
            "organisation": organisation_get(),
            "what": what,
            "reference": review.reference,
            "title": review.title,
            "description": action.description,
            "due_on": action.due_on,  # written in the mail's language
            "url": f"{settings.BASE_URL}/staff/improvement/reviews/{review.pk}/",
        },
    )


@transaction.atomic
def review_action_remind(*, action_id: int) -> bool:
    """Remind the owner of an action due soon, once. True when a reminder was recorded."""
    review, action = _locked_action(action_id)
    if action.reminded_at is not None or action.done_at is not None:
        return False
    action.reminded_at = timezone.now()
    action.save(update_fields=["reminded_at"])
    _mail(action.owner, "reminder", review, action)
    audit(REVIEW_CASE_TYPE, review.pk, SWEEP, "action_reminded", {"action": action.pk})
    return True


@transaction.atomic
def review_action_overdue_alert(*, action_id: int) -> bool:
    """Tell the owner of an overdue action and the review's creator, once."""
    review, action = _locked_action(action_id)
    if action.overdue_alerted_at is not None or action.done_at is not None:
        return False
    action.overdue_alerted_at = timezone.now()
    action.save(update_fields=["overdue_alerted_at"])
    _mail(action.owner, "overdue", review, action)
    if review.created_by_id != action.owner_id:
        _mail(User.objects.get(pk=review.created_by_id), "overdue", review, action)
    audit(
        REVIEW_CASE_TYPE,
        review.pk,
        SWEEP,
        "action_overdue",
        {"action": action.pk, "due_on": action.due_on.isoformat()},
    )
    return True


def review_sweep() -> dict[str, int]:
    """One pass over the held reviews' actions: reminders and overdue alerts."""
    work = review_sweep_due(today=timezone.now().date())
    return {
        "reminded": sum(review_action_remind(action_id=pk) for pk in work.remind),
        "overdue": sum(review_action_overdue_alert(action_id=pk) for pk in work.overdue),
    }
