"""Typed input and output shapes of the promises API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, TypeAlias

from ninja import Field, Schema
from pydantic import StringConstraints

from plaint.complaints.schemas import CategoryCode, Input, LanguageCode, NoNul
from plaint.core.bounds import Day, Flag, Moment
from plaint.core.calendars import Unit
from plaint.core.limits import max_length
from plaint.promises.models import TEXT_MAX, Code, ProfileSelection, Promise
from plaint.promises.states import CheckStatus, Clock, CodeState, CodeStep, Origin

# Bounds of the fields stored on a model come from the model (max_length, or TEXT_MAX next to it).
Slug: TypeAlias = Annotated[str, StringConstraints(max_length=max_length(Code, "slug")), NoNul]
Owner: TypeAlias = Annotated[str, StringConstraints(max_length=max_length(Code, "owner")), NoNul]
AdoptedFrom: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Code, "adopted_from")), NoNul
]
SourceDocument: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Code, "source_document")), NoNul
]
SourceUrl: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Code, "source_url")), NoNul
]
PromiseKey: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(Promise, "key")), NoNul
]
ProfileKey: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(ProfileSelection, "profile_key")), NoNul
]
ProductLine: TypeAlias = Annotated[
    str, StringConstraints(max_length=max_length(ProfileSelection, "product_line")), NoNul
]
PromiseText: TypeAlias = Annotated[str, StringConstraints(max_length=TEXT_MAX), NoNul]
# One entry of a scope list (products, channels, segments, category codes): no model field of its own.
Short: TypeAlias = Annotated[str, StringConstraints(max_length=200), NoNul]
Names: TypeAlias = list[Short]


class CodeIn(Input):
    slug: Slug = ""
    title: dict[LanguageCode, PromiseText]
    owner: Owner = ""
    scope_products: Names = Field(default_factory=list, max_length=100)
    scope_channels: Names = Field(default_factory=list, max_length=100)
    scope_segments: Names = Field(default_factory=list, max_length=100)
    effective_from: Day | None = None
    effective_to: Day | None = None
    origin: Origin = Origin.OWN
    adopted_from: AdoptedFrom = ""
    source_document: SourceDocument = ""
    source_url: SourceUrl = ""


class PromiseIn(Input):
    key: PromiseKey
    texts: dict[LanguageCode, PromiseText]
    clock: Clock
    limit_amount: int = Field(0, ge=0, le=10000)
    limit_unit: Unit = Unit.BUSINESS_DAYS
    calendar_id: int | None = Field(None, ge=1)
    pauses_while_waiting: Flag = True
    honours_regulatory_pauses: Flag = True
    target_rate: Decimal = Field(Decimal("0.95"), ge=0, le=1)
    at_risk_fraction: Decimal = Field(Decimal("0.8"), ge=Decimal("0.1"), le=Decimal("0.99"))
    measured_only: Flag = False
    categories: Names = Field(default_factory=list, max_length=100)
    channels: Names = Field(default_factory=list, max_length=100)
    products: Names = Field(default_factory=list, max_length=100)
    segments: Names = Field(default_factory=list, max_length=100)
    conditions: PromiseText = ""
    exclusions: PromiseText = ""


class CodeStepIn(Input):
    step: CodeStep


class ClaimIn(Input):
    promise_id: int = Field(ge=1)
    note: PromiseText = ""


class PromiseOut(Schema):
    id: int
    key: str
    position: int
    texts: dict[str, str]
    conditions: str
    exclusions: str
    clock: Clock
    limit_amount: int
    limit_unit: Unit
    calendar_id: int | None
    pauses_while_waiting: bool
    honours_regulatory_pauses: bool
    target_rate: Decimal
    at_risk_fraction: Decimal
    measured_only: bool
    categories: list[str]
    channels: list[str]
    products: list[str]
    segments: list[str]


class CodeOut(Schema):
    id: int
    slug: str
    version: int
    title: dict[str, str]
    owner: str
    state: CodeState
    origin: Origin
    adopted_from: str
    scope_products: list[str]
    scope_channels: list[str]
    scope_segments: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None
    source_document: str
    source_url: str
    published_at: dt.datetime | None


class CodeDetailOut(CodeOut):
    promises: list[PromiseOut]


class CheckOut(Schema):
    id: int
    promise_id: int
    code_slug: str
    promise_key: str
    status: CheckStatus
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    at_risk_at: dt.datetime | None
    met_at: dt.datetime | None
    breached_at: dt.datetime | None
    elapsed_seconds: float | None
    paused_seconds: float | None
    remaining_seconds: float | None


class ClaimOut(Schema):
    id: int
    promise_id: int
    note: str
    created_at: dt.datetime


class ScoreOut(Schema):
    code: str
    promise: str
    month: dt.date
    cases: int
    met: int
    breached: int
    pending: int
    claims: int
    broken: int
    fulfilment_rate: float | None
    wilson_low: float | None
    wilson_high: float | None
    target: float


# --- regulatory pauses and profiles ---------------------------------------------------------------


class PauseIn(Input):
    category: CategoryCode = Field("", description="A category code; empty: every category")
    starts_at: Moment
    ends_at: Moment
    reason: PromiseText


class PauseOut(Schema):
    id: int
    category: str | None = Field(description="The category code; null: every category")
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    created_at: dt.datetime
    created_by: str | None


class ProfilePromiseOut(Schema):
    key: str
    texts: dict[str, str]
    clock: Clock
    limit_amount: int = Field(description="0 where the limit comes from the organisation settings")
    limit_unit: Unit
    measured_only: bool
    pauses_while_waiting: bool
    conditions: str


class ProfileOut(Schema):
    key: str
    title: dict[str, str]
    body: str
    country: str
    source_document: str
    source_url: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    limits_from_organisation: bool
    promises: list[ProfilePromiseOut]


class SelectionIn(Input):
    profile: ProfileKey
    product_line: ProductLine = Field(
        "", description="A product line; empty: the whole organisation"
    )
    category: CategoryCode = Field("", description="A category code; empty: every category")


class SelectionOut(Schema):
    id: int
    profile: str
    product_line: str
    category: str | None
    code_id: int
    code_slug: str
    active: bool
    selected_at: dt.datetime
    selected_by: str | None
