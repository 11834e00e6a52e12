"""Typed input and output shapes of the complaints API (Django Ninja / pydantic).

Inputs refuse unknown fields and bound every string, so a malformed request is a 422 with field
errors before any service runs; the services still validate everything themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, TypeAlias

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from plaint.complaints.models import (
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    MESSAGE_BODY_MAX,
    REMEDY_DESCRIPTION_MAX,
    STEP_TEXT_MAX,
    Category,
    Channel,
    Complainant,
    Complaint,
    ContactChannel,
    Priority,
    RemedyKind,
    Severity,
)
from plaint.complaints.states import DisputeOutcome, State, Step
from plaint.core.bounds import Day, Flag, PastMoment, QueryFlag, matching
from plaint.core.limits import max_length


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters.")
    return value


# Every string input is bounded and free of NUL. The aliases are spelled out (not built by a
# function) so that type checkers see them as types: Annotated[str, StringConstraints(...), NoNul].
NoNul = AfterValidator(_no_nul)

# A field stored on a model takes its bound from the model (max_length, or the constant declared
# next to the model for a TextField): one declaration, read here and by the forms.
Name: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complainant, "name")), NoNul
]
Email: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complainant, "email")), NoNul
]
Phone: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complainant, "phone")), NoNul
]
LanguageCode: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complainant, "language")), NoNul
]
Subject: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complaint, "subject")), NoNul
]
Product: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complaint, "product")), NoNul
]
Segment: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complaint, "segment")), NoNul
]
CategoryCode: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Category, "code")), NoNul
]
Provider: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Complaint, "dispute_provider")), NoNul
]
Description: TypeAlias = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX), NoNul]
DesiredOutcome: TypeAlias = Annotated[str, StringConstraints(max_length=DESIRED_OUTCOME_MAX), NoNul]
StepText: TypeAlias = Annotated[str, StringConstraints(max_length=STEP_TEXT_MAX), NoNul]
MessageBody: TypeAlias = Annotated[str, StringConstraints(max_length=MESSAGE_BODY_MAX), NoNul]
RemedyDescription: TypeAlias = Annotated[
    str, StringConstraints(max_length=REMEDY_DESCRIPTION_MAX), NoNul
]
# Bounds of inputs that are no model field (a search, a cursor) and generic bounds other apps'
# schemas use for what has no model field behind it.
Text: TypeAlias = Annotated[str, StringConstraints(max_length=20000), NoNul]
LongText: TypeAlias = Annotated[str, StringConstraints(max_length=5000), NoNul]
Line: TypeAlias = Annotated[str, StringConstraints(max_length=200), NoNul]
Code: TypeAlias = Annotated[str, StringConstraints(max_length=50), NoNul]
Cursor: TypeAlias = Annotated[str, StringConstraints(max_length=500), NoNul]
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]
Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]

# The channels an API caller may file under: "api" itself, or what staff log by hand.
ApiIntakeChannel = Literal["api", "email", "phone", "letter", "in_person"]
assert set(ApiIntakeChannel.__args__) <= set(Channel.values)  # type: ignore[attr-defined]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- intake ---------------------------------------------------------------------------------


class ComplaintIn(Input):
    name: Name
    email: Email = ""
    phone: Phone = ""
    language: LanguageCode = "en"
    preferred_channel: ContactChannel = ContactChannel.EMAIL
    subject: Subject = ""
    description: Description
    desired_outcome: DesiredOutcome = ""
    product: Product = ""
    segment: Segment = Field(
        "", description="Customer segment code, e.g. business (promises may be restricted to it)"
    )
    category: CategoryCode = Field("", description="A category code")
    consent: Flag = Field(
        False, description="The complainant consents to the processing of their personal data"
    )
    about_process: Flag = False
    channel: ApiIntakeChannel = Field(
        "api",
        description="How the complaint came in; staff may log phone, letter, in_person, email",
    )
    received_at: PastMoment | None = Field(
        None,
        description="When it was received (defaults to now): text with a time zone, from "
        "2000-01-01 up to now (a few minutes of clock skew allowed)",
    )


class ComplaintCreatedOut(Schema):
    id: int
    reference: str
    state: str
    channel: str
    received_at: dt.datetime
    acknowledgement_due_at: dt.datetime
    response_due_at: dt.datetime
    version: int
    tracking_url: str | None = Field(
        description="The complainant's private tracking link; only in the response that created "
        "the complaint (a replay of the same Idempotency-Key gives null)"
    )


# --- reading --------------------------------------------------------------------------------


class QueueQuery(Schema):
    """The staff queue's filters, plus keyset pagination."""

    state: list[State] = Field(default_factory=list)
    assignee: (
        Annotated[str, matching(r"^(\d{1,18}|me|none)$", _("Use a user id, me or none."))] | None
    ) = Field(None, description="A user id, me or none")
    team: Id | None = None
    category: CategoryCode | None = None
    channel: Channel | None = None
    severity: Severity | None = None
    overdue: QueryFlag = Field(False, description="true or false")
    safety: QueryFlag = Field(False, description="Safety issues only (true or false)")
    due: Literal["today", "week"] | None = Field(
        None,
        description="The response is due by the end of today / of this week (Monday to Sunday) "
        "in the organisation's time zone, overdue ones included; stopped clocks excluded",
    )
    received_from: Day | None = None
    received_to: Day | None = None
    q: Line | None = None
    sort: Literal["newest", "oldest", "due"] = "newest"
    cursor: Cursor | None = None
    limit: int = Field(25, ge=1, le=200)


class ComplaintSummaryOut(Schema):
    id: int
    reference: str
    state: str
    channel: str
    subject: str
    complainant_name: str
    category: str | None
    severity: str
    priority: str
    safety_issue: bool
    assignee_id: int | None
    team_id: int | None
    received_at: dt.datetime
    acknowledgement_due_at: dt.datetime
    response_due_at: dt.datetime
    overdue: bool = Field(
        description="Open and past a due date whose clock runs (the queue's `overdue` filter)"
    )
    version: int

    @staticmethod
    def resolve_complainant_name(obj) -> str:
        return obj.complainant.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.code if obj.category_id else None


class ComplaintPageOut(Schema):
    items: list[ComplaintSummaryOut]
    next_cursor: str | None
    total: int | None = Field(description="How many match; null when there are very many")
    total_exceeds: int | None = Field(
        None, description="When total is null: at least this many match"
    )


class ComplainantOut(Schema):
    name: str
    email: str
    phone: str
    language: str
    preferred_channel: str


class MessageOut(Schema):
    id: int
    direction: Literal["in", "out", "note"]
    author: str | None
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.get_username() if obj.author_id else None


class RemedyOut(Schema):
    id: int
    kind: str
    description: str
    amount: Decimal | None
    currency: str
    proposed_at: dt.datetime
    proposal: int = Field(description="The proposal it belongs to: 1 for the first, and so on")
    superseded_at: dt.datetime | None = Field(
        None, description="When a later proposal replaced it; null for the current proposal"
    )


class KeptInOut(Schema):
    text: str = Field(description='In the caller\'s language: "in the file of dispute D-14"')
    url: str = Field(description="The staff page of the record that holds the file")
    api: str = Field(description='Its address in this API: "/api/v1/disputes/14"')


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    public: bool
    message_id: int | None
    kept_in: KeptInOut | None = Field(
        None,
        description="Where another part of Plaint keeps this file (a dispute's file: one side's "
        "submission); null for the case's own files",
    )

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name


class MessageWithFilesOut(MessageOut):
    attachments: list[AttachmentOut] = Field(description="The files stored with the message")


class ComplaintDetailOut(ComplaintSummaryOut):
    complainant: ComplainantOut
    description: str
    desired_outcome: str
    product: str
    segment: str
    about_process: bool
    acknowledged_at: dt.datetime | None
    decision_at: dt.datetime | None
    closed_at: dt.datetime | None
    closure_reason: str
    out_of_scope_reason: str
    findings: str
    root_cause: str
    cause: str | None = Field(None, description="The root cause's code from the taxonomy")
    decision: str
    complainant_feedback: str
    dispute_provider: str = ""
    dispute_outcome: str = Field("", description="Set once the external dispute has closed")
    dispute_closed_on: dt.date | None = None
    dispute_binding: bool | None = None
    updated_at: dt.datetime
    messages: list[MessageOut]
    remedies: list[RemedyOut] = Field(
        description="The remedies of the latest proposal: what is offered to the complainant"
    )
    earlier_remedies: list[RemedyOut] = Field(
        default_factory=list,
        description="The remedies of earlier proposals, replaced by a later one, oldest first",
    )
    attachments: list[AttachmentOut]
    allowed_steps: list[Step] = Field(
        description="The lifecycle steps the caller may take next, each POST .../steps/{step}"
    )
    paused_clocks: list[Literal["acknowledgement", "response"]] = Field(
        default_factory=list,
        description="Due dates whose clock is stopped while the case waits on the complainant: "
        "`acknowledgement_due_at` / `response_due_at` then show where the clock stood, not a deadline",
    )

    # --- writing --------------------------------------------------------------------------------

    @staticmethod
    def resolve_cause(obj) -> str | None:
        return obj.cause_id  # the code itself: no join


class StepIn(Input):
    expected_version: Version | None = Field(
        None,
        description="The version you last read; if the complaint changed since, the step is "
        "refused with 409 conflict",
    )


class AssessIn(StepIn):
    severity: Severity
    priority: Priority = Priority.NORMAL
    category: CategoryCode | None = None
    safety_issue: Flag = False
    assignee_id: Id | None = None
    team_id: Id | None = None
    about_process: Flag | None = None


class ReasonIn(StepIn):
    reason: StepText


class FindingsIn(StepIn):
    findings: StepText
    root_cause: StepText = ""
    cause: Code | None = Field(
        None, description="A root cause's code from the taxonomy; omitted keeps it, empty clears"
    )


class RemedyIn(Input):
    kind: RemedyKind
    description: RemedyDescription = ""
    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None
    currency: (
        Annotated[
            str, matching(r"^[A-Za-z]{3}$", _("Give a currency code of three letters, e.g. EUR."))
        ]
        | None
    ) = None


class ProposeResponseIn(StepIn):
    decision: StepText
    remedies: list[RemedyIn] = Field(default_factory=list, max_length=20)


class CloseIn(StepIn):
    reason: Literal["accepted", "no_answer"] = Field(
        description="accepted: after the complainant accepted; no_answer: after the answer period"
    )


class CommentIn(StepIn):
    comment: StepText = ""


class NoteIn(StepIn):
    note: StepText = ""


class DisputeOutcomeIn(StepIn):
    provider: Provider = Field(description="The dispute resolution provider (ISO 10003)")
    outcome: DisputeOutcome
    closed_on: Day = Field(
        description="When the dispute closed: not in the future, not before the referral"
    )
    binding: Flag = Field(description="Whether the outcome binds the organisation")
    note: StepText = ""


class AssignIn(StepIn):
    assignee_id: Id | None = Field(None, description="A handler, manager or admin; null unassigns")
    team_id: Id | None = None


class MessageIn(Input):
    body: MessageBody
    internal: Flag = Field(False, description="An internal note, never shown to the complainant")


class MessageFormIn(MessageIn):
    """``MessageIn`` as the fields of a multipart form, where a flag is the text true or false."""

    internal: QueryFlag = Field(
        False,
        description="true: an internal note (its files internal too); false: to the complainant",
    )
