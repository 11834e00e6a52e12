"""The input and output schemas of the dispute case API. Every name starts with ``Dispute``:
Ninja keeps one component per class name across all routers and silently overwrites a second."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from plaint.complaints.schemas import Cursor, Id, NoNul, Version
from plaint.core.bounds import Day

Text = Annotated[str, NoNul]
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
DisputeMethod = Literal["facilitative", "advisory", "determinative"]
DisputeStateCode = Literal[
    "notice",
    "position",
    "exchange",
    "recommended",
    "implementation",
    "closed",
    "withdrawn",
    "out_of_scope",
]


class DisputeInput(Schema):
    model_config = ConfigDict(extra="forbid")


class DisputeStepIn(DisputeInput):
    expected_version: Version | None = Field(
        None,
        description="The version you last read; if the dispute changed since, the step is "
        "refused with 409 conflict",
    )


class DisputeListQuery(Schema):
    state: DisputeStateCode | None = None
    provider: Id | None = Field(None, description="Only this provider's disputes (its id)")
    method: DisputeMethod | None = None
    cursor: Cursor | None = None
    limit: int = Field(50, ge=1, le=200)


class DisputeConsentIn(DisputeInput):
    channel: Literal["tracking_page", "phone", "letter", "email", "in_person"]
    text_shown: Text = Field(max_length=5000, description="The exact words the complainant saw")
    language: Text = Field(max_length=8, description="The language they were shown in")


class DisputeReferralIn(DisputeInput):
    complaint: Text = Field(max_length=40, description="The complaint's reference")
    provider_id: Id
    method: DisputeMethod
    consent: DisputeConsentIn = Field(
        description="The complainant's informed consent; its time is the moment it is recorded"
    )
    claimed_amount: Amount | None = None
    currency: Text = Field("", max_length=3)


class DisputeNoticeIn(DisputeInput):
    provider_id: Id
    provider_reference: Text = Field(max_length=100, description="The provider's own reference")
    complaint: Text = Field("", max_length=100, description="The complaint reference it names")
    method: DisputeMethod
    details: Text = Field("", max_length=5000)


class DisputePositionIn(DisputeStepIn):
    position: Text = Field(max_length=5000)


class DisputeSubmissionIn(DisputeInput):
    side: Literal["organisation", "complainant", "provider"]
    kind: Literal["submission", "request", "answer"]
    body: Text = Field(max_length=5000)


class DisputeObligationIn(DisputeInput):
    kind: Literal["refund", "apology", "repair", "replacement", "compensation", "other"]
    description: Text = Field(max_length=5000)
    due_on: Day
    owner_id: Id
    amount: Amount | None = None
    currency: Text = Field("", max_length=3)


class DisputeOutcomeRecordIn(DisputeStepIn):
    outcome: Literal[
        "settled", "no_agreement", "recommendation", "upheld", "partly_upheld", "not_upheld"
    ]
    reasons: Text = Field(max_length=5000)
    neutral: Text = Field("", max_length=200)
    obligations: list[DisputeObligationIn] = Field(default_factory=list, max_length=50)


class DisputeAnswerIn(DisputeStepIn):
    accepted: StrictBool = Field(
        description="true: both sides accept the recommendation; false: a side rejects it"
    )
    note: Text = Field("", max_length=5000)


class DisputeDoneIn(DisputeInput):
    evidence: Text = Field(max_length=5000)


class DisputeCloseIn(DisputeStepIn):
    lessons: Text = Field(max_length=5000)


class DisputeExitIn(DisputeStepIn):
    step: Literal["withdraw", "out_of_scope"]
    reason: Text = Field(max_length=5000)


class DisputeOfferIn(DisputeInput):
    amount: Amount
    currency: Text = Field(max_length=3)
    terms: Text = Field(max_length=5000)


class DisputeSummaryOut(Schema):
    id: int
    reference: str
    complaint: str = Field(description="The complaint's reference")
    provider_id: int
    provider: str
    method: str
    state: str
    opened_via: str
    provider_reference: str
    neutral: str
    binding_on_organisation: bool
    binding_on_complainant: bool
    claimed_amount: Decimal | None
    currency: str
    opened_at: dt.datetime
    position_due: dt.datetime | None
    outcome_due: dt.datetime | None
    outcome: str
    outcome_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int


class DisputeListItemOut(DisputeSummaryOut):
    open_obligations: int


class DisputePageOut(Schema):
    items: list[DisputeListItemOut]
    next_cursor: str | None


class DisputeConsentOut(Schema):
    given_at: dt.datetime
    channel: str
    text_shown: str
    language: str
    recorded_by: str | None


class DisputeFileOut(Schema):
    """The file that came with a submission: it goes to the provider in the case bundle's ZIP
    and downloads on the dispute's page (files are added there, not through the API)."""

    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    erased: bool = Field(description="the file itself was erased (privacy); its row stays")


class DisputeSubmissionOut(Schema):
    id: int
    side: str
    kind: str
    text: str
    at: dt.datetime
    by: str | None
    file: DisputeFileOut | None = Field(description="the file added with it, if any")


class DisputeObligationOut(Schema):
    id: int
    kind: str
    description: str
    amount: Decimal | None
    currency: str
    due_on: dt.date
    owner: str
    done_at: dt.datetime | None
    evidence: str


class DisputeOfferOut(Schema):
    id: int
    amount: Decimal
    currency: str
    terms: str
    proposed_by: str
    proposed_at: dt.datetime
    needs_approval: bool
    approved_by: str | None
    approved_at: dt.datetime | None
    made_at: dt.datetime | None


class DisputeDetailOut(DisputeSummaryOut):
    position_sent_at: dt.datetime | None
    file_complete_at: dt.datetime | None
    reasons: str
    lessons: str
    next_steps: list[str] = Field(description="The lifecycle steps possible now")
    neutral_user: str | None = Field(description="The neutral's account assigned, if any")
    neutral_declaration: Literal["awaiting", "no_conflict", "conflict"] | None = Field(
        description="The assigned neutral's conflict-of-interest declaration: not made yet, "
        "no conflict, or a conflict (the case stays closed to them)"
    )
    consent: DisputeConsentOut | None
    submissions: list[DisputeSubmissionOut]
    obligations: list[DisputeObligationOut]
    offers: list[DisputeOfferOut]


class DisputeNoticeOut(Schema):
    result: Literal["opened", "merged", "held"] = Field(
        description="opened: a new dispute; merged: the notice joined a dispute (the same "
        "provider reference again, or the referral it follows); held: no known complaint, kept "
        "for matching"
    )
    dispute_id: int | None
    held_notice_id: int | None
