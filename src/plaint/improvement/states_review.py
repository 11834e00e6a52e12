"""The management-review lifecycle as data (ISO 10002:2018 8.6; ISO 9001:2015 9.3): its states,
the steps between them and the events its timeline names.

A review is opened for a period; the changes that bear on the system (regulation, products, the
organisation) are written down; the pack of inputs is built and frozen; the meeting is held and its
decisions and actions recorded; the review is closed once every action is done. Recording new
changes sends a built pack back to draft: the pack must be built again to include them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PACK_BUILT = "pack_built", _("Pack built")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class ReviewStep(models.TextChoices):
    RECORD_CHANGES = "record_changes", _("Record the changes")
    BUILD_PACK = "build_pack", _("Build the pack")
    HOLD = "hold", _("Record the meeting")
    CLOSE = "close", _("Close the review")


@dataclass(frozen=True)
class ReviewTransition:
    step: ReviewStep
    sources: frozenset[ReviewState]
    target: ReviewState


REVIEW_TRANSITIONS: dict[ReviewStep, ReviewTransition] = {
    t.step: t
    for t in [
        ReviewTransition(
            ReviewStep.RECORD_CHANGES,
            frozenset({ReviewState.DRAFT, ReviewState.PACK_BUILT}),
            ReviewState.DRAFT,
        ),
        ReviewTransition(
            ReviewStep.BUILD_PACK,
            frozenset({ReviewState.DRAFT, ReviewState.PACK_BUILT}),
            ReviewState.PACK_BUILT,
        ),
        ReviewTransition(ReviewStep.HOLD, frozenset({ReviewState.PACK_BUILT}), ReviewState.HELD),
        ReviewTransition(ReviewStep.CLOSE, frozenset({ReviewState.HELD}), ReviewState.CLOSED),
    ]
}

# Actions of the meeting are added and done while the review is held.
ACTIONS_OPEN = frozenset({ReviewState.HELD})

REVIEW_EVENT_LABELS = {
    "created": _("Review opened"),
    "action_added": _("Action recorded"),
    "action_done": _("Action done"),
    "action_reminded": _("Reminder sent"),
    "action_overdue": _("Overdue alert sent"),
}


def review_event_label(action: str) -> str:
    if action in ReviewStep.values:
        return str(ReviewStep(action).label)
    return str(REVIEW_EVENT_LABELS.get(action, action))


def review_steps(state: str) -> list[ReviewStep]:
    """The steps a manager may take on a review in ``state``."""
    return [t.step for t in REVIEW_TRANSITIONS.values() if state in t.sources]
