"""The code-of-conduct lifecycle as data, and the vocabularies of promises and their checks.

A code is written as a draft, may be piloted, is published (then immutable: a change is a new
version), may be put under review and is finally retired (ISO 10001:2018 clauses 6.3, 7 and 8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PILOT = "pilot", _("Pilot")
    PUBLISHED = "published", _("Published")
    UNDER_REVIEW = "under_review", _("Under review")
    RETIRED = "retired", _("Retired")


class CodeStep(models.TextChoices):
    START_PILOT = "start_pilot", _("Start a pilot")
    PUBLISH = "publish", _("Publish")
    START_REVIEW = "start_review", _("Put under review")
    END_REVIEW = "end_review", _("End the review, keep it published")
    RETIRE = "retire", _("Retire")


# Only these states may be edited; a published text never changes under the customer's eyes.
EDITABLE = frozenset({CodeState.DRAFT, CodeState.PILOT})
# The states whose promises are measured on complaints (a pilot is measured, not shown publicly).
MEASURED = frozenset({CodeState.PILOT, CodeState.PUBLISHED, CodeState.UNDER_REVIEW})
# The states the public pages show.
PUBLIC = frozenset({CodeState.PUBLISHED, CodeState.UNDER_REVIEW})


@dataclass(frozen=True)
class Transition:
    step: CodeStep
    sources: frozenset[CodeState]
    target: CodeState


TRANSITIONS: dict[CodeStep, Transition] = {
    t.step: t
    for t in [
        Transition(CodeStep.START_PILOT, frozenset({CodeState.DRAFT}), CodeState.PILOT),
        Transition(
            CodeStep.PUBLISH, frozenset({CodeState.DRAFT, CodeState.PILOT}), CodeState.PUBLISHED
        ),
        Transition(CodeStep.START_REVIEW, frozenset({CodeState.PUBLISHED}), CodeState.UNDER_REVIEW),
        Transition(CodeStep.END_REVIEW, frozenset({CodeState.UNDER_REVIEW}), CodeState.PUBLISHED),
        Transition(
            CodeStep.RETIRE,
            frozenset(
                {CodeState.DRAFT, CodeState.PILOT, CodeState.PUBLISHED, CodeState.UNDER_REVIEW}
            ),
            CodeState.RETIRED,
        ),
    ]
}


def allowed_code_steps(state: str) -> list[CodeStep]:
    return [t.step for t in TRANSITIONS.values() if state in t.sources]


class Origin(models.TextChoices):
    OWN = "own", _("Our own code")
    ADOPTED = "adopted", _("Adopted from an industry or regulatory body")


class Clock(models.TextChoices):
    RECEIVED_TO_ACKNOWLEDGED = "received_to_acknowledged", _("From received to acknowledged")
    RECEIVED_TO_DECISION = "received_to_decision", _("From received to decision communicated")
    DECISION_TO_REMEDY = "decision_to_remedy", _("From decision to remedy delivered")
    MANUAL = "manual", _("Manual check by staff")


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


FINAL_STATUSES = frozenset({CheckStatus.MET, CheckStatus.BREACHED, CheckStatus.NOT_APPLICABLE})
