"""The schemas of the dispute policy, legal referral and neutral-assignment API. Names start with
``DisputePolicy``, ``LegalReferral`` or ``DisputeNeutral``: Ninja keeps one component per class
name across all routers and silently overwrites a second."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, get_args

from django.conf import settings
from ninja import Field, Schema

from plaint.complaints.schemas import Id
from plaint.disputes.models import LegalReferralState, PolicyBinding
from plaint.disputes.schemas_cases import Amount, DisputeInput, Text

DisputePolicyLanguage = Literal["en", "et", "uk", "sv", "fa"]
DisputePolicyTexts = dict[DisputePolicyLanguage, Text]
DisputePolicyBindingCode = Literal["binding", "if_accepted", "not_binding", "per_provider"]
LegalReferralStateCode = Literal["proposed", "approved", "returned"]
# the schema's lists are the site's languages and the models' codes, nothing else
assert set(get_args(DisputePolicyLanguage)) == {code for code, _name in settings.LANGUAGES}
assert set(get_args(DisputePolicyBindingCode)) == set(PolicyBinding.values)
assert set(get_args(LegalReferralStateCode)) == set(LegalReferralState.values)


class DisputePolicyOut(Schema):
    version: int
    state: str
    title: dict[str, str] = Field(description="{language: text}")
    scope: dict[str, str] = Field(description="{language: which disputes it offers for}")
    body: dict[str, str] = Field(description="{language: the rest, blank-line paragraphs}")
    languages: list[str]
    min_value: Decimal | None
    max_value: Decimal | None
    currency: str
    binding: str
    change_note: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    effective_from: dt.date | None
    effective_to: dt.date | None


class DisputePolicyDraftIn(DisputeInput):
    """Only the fields given change; ``null`` clears a value limit."""

    title: DisputePolicyTexts | None = Field(
        None, description="{language: text}; the languages given replace theirs, a blank removes"
    )
    scope: DisputePolicyTexts | None = None
    body: DisputePolicyTexts | None = None
    min_value: Amount | None = None
    max_value: Amount | None = None
    currency: Text | None = Field(None, max_length=3)
    binding: DisputePolicyBindingCode | None = None
    change_note: Text | None = Field(None, max_length=500)


class LegalReferralListQuery(Schema):
    state: LegalReferralStateCode | None = None
    complaint: Text | None = Field(None, max_length=40, description="A complaint's reference")
    limit: int = Field(200, ge=1, le=200)


class LegalReferralIn(DisputeInput):
    complaint: Text = Field(max_length=40, description="The complaint's reference")
    authority: Text = Field(max_length=200, description="The legal or regulatory authority")
    reason: Text = Field(max_length=5000)


class LegalReferralReviewIn(DisputeInput):
    decision: Literal["approve", "return"]
    note: Text = Field("", max_length=5000, description="Required to return it: why")


class LegalReferralOut(Schema):
    id: int
    complaint: str = Field(description="The complaint's reference")
    authority: str
    reason: str
    state: str
    recorded_by: str
    recorded_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_note: str


class LegalReferralPageOut(Schema):
    items: list[LegalReferralOut]


class DisputeNeutralIn(DisputeInput):
    neutral_id: Id | None = Field(
        description="The account with the neutral role to assign; null takes the neutral off"
    )
    name: Text = Field(
        "", max_length=200, description="The neutral's name as the provider gives it"
    )
