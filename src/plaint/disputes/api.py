"""The disputes API: the provider register and the eligibility of a complaint. Thin adapters over
the selectors and services: every staff role reads; managers and admins write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import StrictBool

from plaint.accounts.access import can_configure, can_read_complaints
from plaint.accounts.api_auth import BearerToken, api_actor, api_principal, api_user, may
from plaint.complaints.schemas import NoNul
from plaint.complaints.selectors import complaint_get
from plaint.core.idempotency import idempotent_run
from plaint.core.problem import Problem
from plaint.disputes import services
from plaint.disputes.models import Provider
from plaint.disputes.selectors import eligible_providers, provider_get, provider_list, review_due

router = Router(tags=["disputes"], auth=BearerToken())
Text = Annotated[str, NoNul]  # PostgreSQL stores no NUL: refused at the edge (422), not a 500

_READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
_WRITE_ERRORS: dict[int, Any] = {**_READ_ERRORS, 400: Problem, 409: Problem}
READ = gettext_noop("read the dispute-resolution providers")
WRITE = gettext_noop("keep the dispute-resolution providers")
Unit = Literal["business_days", "calendar_days", "weeks"]
Kind = Literal["adr_body", "ombudsman", "mediator", "arbitration"]


class ProviderIn(Schema):
    name: Text = Field(max_length=200)
    kind: Kind
    description: Text = Field("", max_length=5000)
    website: Text = Field("", max_length=300)
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=40)
    address: Text = Field("", max_length=1000)
    how_to_submit: Text = Field("", max_length=5000)
    jurisdictions: list[Text] = Field(default_factory=list, max_length=60)
    languages: list[Text] = Field(default_factory=list, max_length=30)
    refer_within: int | None = Field(None, ge=1, le=3650)
    refer_within_unit: Unit = "calendar_days"
    answer_within: int | None = Field(None, ge=1, le=3650)
    answer_within_unit: Unit = "business_days"
    decide_within: int | None = Field(None, ge=1, le=3650)
    decide_within_unit: Unit = "calendar_days"
    independence: Text = Field("", max_length=5000)
    competence: Text = Field("", max_length=5000)
    evidence_review_due: dt.date | None = None
    active: StrictBool = True


class ProviderChangeIn(Schema):
    name: Text | None = Field(None, max_length=200)
    kind: Kind | None = None
    description: Text | None = Field(None, max_length=5000)
    website: Text | None = Field(None, max_length=300)
    email: Text | None = Field(None, max_length=254)
    phone: Text | None = Field(None, max_length=40)
    address: Text | None = Field(None, max_length=1000)
    how_to_submit: Text | None = Field(None, max_length=5000)
    jurisdictions: list[Text] | None = Field(None, max_length=60)
    languages: list[Text] | None = Field(None, max_length=30)
    refer_within: int | None = Field(None, ge=1, le=3650)
    refer_within_unit: Unit | None = None
    answer_within: int | None = Field(None, ge=1, le=3650)
    answer_within_unit: Unit | None = None
    decide_within: int | None = Field(None, ge=1, le=3650)
    decide_within_unit: Unit | None = None
    independence: Text | None = Field(None, max_length=5000)
    competence: Text | None = Field(None, max_length=5000)
    evidence_review_due: dt.date | None = None
    active: StrictBool | None = None


class MethodIO(Schema):
    method: Literal["facilitative", "advisory", "determinative"]
    binding_on_organisation: StrictBool = False
    binding_on_complainant: StrictBool = False
    fee: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=2)
    currency: Text = Field("", max_length=3)
    fee_payer: Literal["none", "organisation", "complainant", "shared"] = "none"
    fee_note: Text = Field("", max_length=300)


class RuleIn(Schema):
    category_ids: list[int] = Field(default_factory=list, max_length=200)
    products: list[Text] = Field(default_factory=list, max_length=200)
    min_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    max_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: Text = Field("", max_length=3)
    jurisdictions: list[Text] = Field(default_factory=list, max_length=60)
    max_days_since_final_response: int | None = Field(None, ge=1, le=3650)
    note: Text = Field("", max_length=300)


class RuleOut(RuleIn):
    id: int


class ProviderReviewIn(Schema):
    reviewed_on: dt.date
    conclusion: Literal["keep", "watch", "suspend"]
    findings: Text = Field(max_length=5000)
    next_review_due: dt.date | None = None


class ProviderReviewOut(ProviderReviewIn):
    id: int
    reviewer: str


class ProviderOut(ProviderIn):
    id: int
    next_review_due: dt.date | None
    methods: list[MethodIO]
    rules: list[RuleOut]
    reviews: list[ProviderReviewOut] = Field(default_factory=list)


class EligibilityOut(Schema):
    provider_id: int
    provider: str
    eligible: bool
    reasons: list[str]
    refer_by: dt.date | None


class EligibilityQuery(Schema):
    complaint: Text = Field(max_length=40, description="The complaint's reference (or id)")
    value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: Text = Field("", max_length=3)
    country: Text = Field("", max_length=2, description="The complainant's country (ISO 3166)")


def _provider(p: Provider, *, reviews: bool = False) -> dict[str, Any]:
    data = {name: getattr(p, name) for name in ProviderIn.model_fields}
    data.update(id=p.pk, next_review_due=review_due(p))
    data["methods"] = [
        {name: getattr(m, name) for name in MethodIO.model_fields} for m in p.methods.all()
    ]
    data["rules"] = [
        {
            **{name: getattr(r, name) for name in RuleOut.model_fields if hasattr(r, name)},
            "category_ids": [c.pk for c in r.categories.all()],
        }
        for r in p.rules.all()
    ]
    data["reviews"] = (
        [
            {
                **{name: getattr(r, name) for name in ProviderReviewIn.model_fields},
                "id": r.pk,
                "reviewer": r.reviewer.get_username(),
            }
            for r in p.reviews.all()
        ]
        if reviews
        else []
    )
    return data


def _detail(request: HttpRequest, provider_id: int) -> dict[str, Any]:
    return _provider(provider_get(actor=api_user(request), provider_id=provider_id), reviews=True)


@router.get(
    "/disputes/providers",
    response={200: list[ProviderOut], **_READ_ERRORS},
    summary="The dispute-resolution providers, with their methods and eligibility rules",
    auth=may(can_read_complaints, READ),
)
def providers(request: HttpRequest):
    return [_provider(p) for p in provider_list(actor=api_user(request))]


@router.post(
    "/disputes/providers",
    response={200: ProviderOut, 201: ProviderOut, **_WRITE_ERRORS},
    summary="Add a provider to the register (honours an Idempotency-Key)",
    auth=may(can_configure, WRITE),
)
def provider_create(
    request: HttpRequest,
    payload: ProviderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    outcome = idempotent_run(
        key=idempotency_key,
        principal=api_principal(request),
        operation="dispute_provider_create",
        payload=lambda: payload.model_dump(mode="json"),
        action=lambda: (
            services.provider_create(actor=api_actor(request), **payload.model_dump()).pk
        ),
    )
    return Status(201 if not outcome.replayed else 200, _detail(request, outcome.result_id))


@router.get(
    "/disputes/providers/{provider_id}",
    response={200: ProviderOut, **_READ_ERRORS},
    summary="One provider with its methods, rules and reviews",
    auth=may(can_read_complaints, READ),
)
def provider_detail(request: HttpRequest, provider_id: int):
    return _detail(request, provider_id)


@router.patch(
    "/disputes/providers/{provider_id}",
    response={200: ProviderOut, **_WRITE_ERRORS},
    summary="Change a provider (the fields given); active: false stops offering it",
    auth=may(can_configure, WRITE),
)
def provider_change(request: HttpRequest, provider_id: int, payload: ProviderChangeIn):
    services.provider_update(
        actor=api_actor(request), provider_id=provider_id, **payload.model_dump(exclude_unset=True)
    )
    return _detail(request, provider_id)


@router.put(
    "/disputes/providers/{provider_id}/methods",
    response={200: ProviderOut, **_WRITE_ERRORS},
    summary="Replace the methods the provider offers, with their bindings and fees",
    auth=may(can_configure, WRITE),
)
def provider_methods(request: HttpRequest, provider_id: int, payload: list[MethodIO]):
    services.provider_methods_set(
        actor=api_actor(request),
        provider_id=provider_id,
        methods=[m.model_dump() for m in payload],
    )
    return _detail(request, provider_id)


@router.post(
    "/disputes/providers/{provider_id}/rules",
    response={200: ProviderOut, **_WRITE_ERRORS},
    summary="Add an eligibility rule: which complaints the provider may take",
    auth=may(can_configure, WRITE),
)
def provider_rule_add(request: HttpRequest, provider_id: int, payload: RuleIn):
    values = payload.model_dump()
    values["currency_code"] = values.pop("currency")
    services.eligibility_rule_add(actor=api_actor(request), provider_id=provider_id, **values)
    return _detail(request, provider_id)


@router.delete(
    "/disputes/rules/{rule_id}",
    response={204: None, **_WRITE_ERRORS},
    summary="Remove an eligibility rule",
    auth=may(can_configure, WRITE),
)
def rule_remove(request: HttpRequest, rule_id: int):
    services.eligibility_rule_remove(actor=api_actor(request), rule_id=rule_id)
    return Status(204, None)


@router.post(
    "/disputes/providers/{provider_id}/reviews",
    response={200: ProviderOut, **_WRITE_ERRORS},
    summary="Record the provider's (yearly) review; conclusion suspend stops offering it",
    auth=may(can_configure, WRITE),
)
def provider_review(request: HttpRequest, provider_id: int, payload: ProviderReviewIn):
    services.provider_review_record(
        actor=api_actor(request), provider_id=provider_id, **payload.model_dump()
    )
    return _detail(request, provider_id)


@router.get(
    "/disputes/eligibility",
    response={200: list[EligibilityOut], **_READ_ERRORS},
    summary="Which providers a complaint may go to, and why not the others",
    auth=may(can_read_complaints, READ),
)
def eligibility(request: HttpRequest, query: Query[EligibilityQuery]):
    complaint = complaint_get(actor=api_user(request), reference=query.complaint.strip())
    answers = eligible_providers(
        complaint, value=query.value, value_currency=query.currency, jurisdiction=query.country
    )
    return [
        {
            "provider_id": a.provider.pk,
            "provider": a.provider.name,
            "eligible": a.eligible,
            "reasons": a.reasons,
            "refer_by": a.refer_by,
        }
        for a in answers
    ]
