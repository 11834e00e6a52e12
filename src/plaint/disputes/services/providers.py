"""The provider register (ISO 10003 clauses 5, 6 and 8): providers, their methods and fees, which
complaints each may take, and their yearly review. Managers and admins keep it; every change is a
hash-chained audit event of the provider."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.errors import NotFound
from plaint.core.selectors import organisation_today
from plaint.disputes.models import EligibilityRule, Provider, ProviderMethod, ProviderReview
from plaint.disputes.services.common import (
    amount,
    audit,
    country_codes,
    currency,
    invalid,
    language_codes,
    require_manager,
    text,
    time_limit,
)
from plaint.disputes.states import FeePayer, Method, ProviderKind, ReviewConclusion

_TEXTS = {  # field: (limit, required)
    "name": (200, True),
    "description": (5000, False),
    "website": (300, False),
    "email": (254, False),
    "phone": (40, False),
    "address": (1000, False),
    "how_to_submit": (5000, False),
    "independence": (5000, False),
    "competence": (5000, False),
}
_LIMITS = ("refer_within", "answer_within", "decide_within")
FIELDS = (
    *_TEXTS,
    "kind",
    "jurisdictions",
    "languages",
    *_LIMITS,
    *(f"{name}_unit" for name in _LIMITS),
    "evidence_review_due",
    "active",
)


def _snapshot(provider: Provider) -> dict[str, Any]:
    data = {name: getattr(provider, name) for name in FIELDS}
    data["evidence_review_due"] = (
        provider.evidence_review_due.isoformat() if provider.evidence_review_due else None
    )
    return data


def _clean(values: dict[str, Any], provider: Provider) -> dict[str, Any]:
    """The given fields, checked; the others are taken from ``provider`` where two depend."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise invalid(unknown[0], _("Unknown field."))
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in _TEXTS:
            limit, required = _TEXTS[name]
            cleaned[name] = text(value, name, required=required, limit=limit)
        elif name == "kind":
            if value not in ProviderKind.values:
                raise invalid(name, _("Choose the kind of provider."))
            cleaned[name] = value
        elif name == "jurisdictions":
            cleaned[name] = country_codes(value, name)
        elif name == "languages":
            cleaned[name] = language_codes(value, name)
        elif name == "evidence_review_due":
            if value is not None and not isinstance(value, dt.date):
                raise invalid(name, _("Enter a date."))
            cleaned[name] = value
        elif name == "active":
            cleaned[name] = bool(value)
    for name in _LIMITS:
        if name in values or f"{name}_unit" in values:
            cleaned[name], cleaned[f"{name}_unit"] = time_limit(
                values.get(name, getattr(provider, name)),
                values.get(f"{name}_unit", getattr(provider, f"{name}_unit")),
                name,
            )
    if "email" in cleaned and cleaned["email"] and "@" not in cleaned["email"]:
        raise invalid("email", _("Enter an e-mail address."))
    if cleaned.get("website") and not cleaned["website"].startswith(("https://", "http://")):
        raise invalid("website", _("Enter a web address that starts with https://."))
    return cleaned


def _name_free(name: str, provider_id: int | None) -> None:
    others = Provider.objects.filter(name__iexact=name)
    if provider_id is not None:
        others = others.exclude(pk=provider_id)
    taken = others.exists()
    if taken:
        raise invalid("name", _("Another provider has this name."))


@transaction.atomic
def provider_create(*, actor: Actor, now: dt.datetime | None = None, **values: Any) -> Provider:
    """Add a provider to the register. ``name`` and ``kind`` are required."""
    require_manager(actor)
    now = now or timezone.now()
    provider = Provider(created_at=now, updated_at=now)
    if "kind" not in values:
        raise invalid("kind", _("Choose the kind of provider."))
    for name, value in _clean({"name": values.get("name", ""), **values}, provider).items():
        setattr(provider, name, value)
    _name_free(provider.name, None)
    provider.save()
    audit(provider.pk, actor, "created", _snapshot(provider), now)
    return provider


def _locked(provider_id: int) -> Provider:
    provider = Provider.objects.select_for_update().filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("No such provider."))
    return provider


@transaction.atomic
def provider_update(
    *, actor: Actor, provider_id: int, now: dt.datetime | None = None, **changes: Any
) -> Provider:
    """Change the given fields; ``active=False`` stops offering the provider (kept for history)."""
    require_manager(actor)
    provider = _locked(provider_id)
    now = now or timezone.now()
    for name, value in _clean(changes, provider).items():
        setattr(provider, name, value)
    _name_free(provider.name, provider.pk)
    provider.updated_at = now
    provider.save()
    audit(provider.pk, actor, "changed", _snapshot(provider), now)
    return provider


def _method_clean(index: int, item: Any) -> ProviderMethod:
    field = f"methods.{index}"
    if not isinstance(item, dict):
        raise invalid(field, _("Each method is an object."))
    if item.get("method") not in Method.values:
        raise invalid(field, _("Choose facilitative, advisory or determinative."))
    payer = item.get("fee_payer", FeePayer.NONE)
    if payer not in FeePayer.values:
        raise invalid(field, _("Choose who pays the fee."))
    fee = amount(item.get("fee", 0), field) or 0
    code = currency(item.get("currency", ""), field, required=bool(fee))
    if payer == FeePayer.NONE and fee:
        raise invalid(field, _("A free method has no fee."))
    return ProviderMethod(
        method=item["method"],
        binding_on_organisation=item.get("binding_on_organisation") is True,
        binding_on_complainant=item.get("binding_on_complainant") is True,
        fee=fee,
        currency=code,
        fee_payer=payer,
        fee_note=text(item.get("fee_note", ""), field, limit=300),
    )


@transaction.atomic
def provider_methods_set(
    *, actor: Actor, provider_id: int, methods: list[dict[str, Any]], now: dt.datetime | None = None
) -> list[ProviderMethod]:
    """Replace the methods a provider offers (each at most once) with their fees and bindings."""
    require_manager(actor)
    provider = _locked(provider_id)
    rows = [_method_clean(i, item) for i, item in enumerate(methods)]
    if len({r.method for r in rows}) != len(rows):
        raise invalid("methods", _("Each method at most once."))
    provider.methods.all().delete()
    for row in rows:
        row.provider = provider
    ProviderMethod.objects.bulk_create(rows)
    now = now or timezone.now()
    data = [
        {
            "method": r.method,
            "binding_on_organisation": r.binding_on_organisation,
            "binding_on_complainant": r.binding_on_complainant,
            "fee": str(r.fee),
            "currency": r.currency,
            "fee_payer": r.fee_payer,
        }
        for r in rows
    ]
    audit(provider.pk, actor, "methods_set", {"methods": data}, now)
    return rows


@transaction.atomic
def eligibility_rule_add(
    *,
    actor: Actor,
    provider_id: int,
    category_ids: list[int] | None = None,
    products: list[str] | None = None,
    min_value: Any = None,
    max_value: Any = None,
    currency_code: str = "",
    jurisdictions: list[str] | None = None,
    max_days_since_final_response: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> EligibilityRule:
    """Say which complaints the provider may take; every condition given must hold."""
    require_manager(actor)
    provider = _locked(provider_id)
    low, high = amount(min_value, "min_value"), amount(max_value, "max_value")
    if low is not None and high is not None and low > high:
        raise invalid("max_value", _("The upper limit is below the lower one."))
    code = currency(currency_code, "currency", required=low is not None or high is not None)
    days = max_days_since_final_response
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise invalid("max_days_since_final_response", _("Enter a whole number of days."))
    categories = list(Category.objects.filter(pk__in=category_ids or []))
    if len(categories) != len(set(category_ids or [])):
        raise invalid("category_ids", _("Choose existing categories."))
    cleaned_products = [text(p, "products", required=True, limit=200) for p in products or []]
    rule = EligibilityRule.objects.create(
        provider=provider,
        products=cleaned_products,
        min_value=low,
        max_value=high,
        currency=code,
        jurisdictions=country_codes(jurisdictions or [], "jurisdictions"),
        max_days_since_final_response=days,
        note=text(note, "note", limit=300),
    )
    rule.categories.set(categories)
    data = {
        "rule": rule.pk,
        "categories": sorted(c.code for c in categories),
        "products": rule.products,
        "min_value": str(low) if low is not None else None,
        "max_value": str(high) if high is not None else None,
        "currency": code,
        "jurisdictions": rule.jurisdictions,
        "max_days_since_final_response": days,
    }
    audit(provider.pk, actor, "rule_added", data, now or timezone.now())
    return rule


@transaction.atomic
def eligibility_rule_remove(*, actor: Actor, rule_id: int, now: dt.datetime | None = None) -> None:
    require_manager(actor)
    rule = EligibilityRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such rule."))
    provider = _locked(rule.provider_id)
    rule.delete()
    audit(provider.pk, actor, "rule_removed", {"rule": rule_id}, now or timezone.now())


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def provider_review_record(
    *,
    actor: Actor,
    provider_id: int,
    reviewed_on: dt.date,
    conclusion: str,
    findings: str,
    next_review_due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ProviderReview:
    """Record the yearly review. "Suspend" stops offering the provider; the next review is due a
    year after this one unless another date is given."""
    require_manager(actor)
    provider = _locked(provider_id)
    now = now or timezone.now()
    today = organisation_today(now)
    if not isinstance(reviewed_on, dt.date) or reviewed_on > today:
        raise invalid("reviewed_on", _("The review cannot be in the future."))
    if conclusion not in ReviewConclusion.values:
        raise invalid("conclusion", _("Choose the review's conclusion."))
    due = next_review_due or _a_year_after(reviewed_on)
    if due <= reviewed_on:
        raise invalid("next_review_due", _("The next review comes after this one."))
    review = ProviderReview.objects.create(
        provider=provider,
        reviewed_on=reviewed_on,
        reviewer=actor.user,
        conclusion=conclusion,
        findings=text(findings, "findings", required=True),
        next_review_due=due,
        recorded_at=now,
    )
    if conclusion == ReviewConclusion.SUSPEND and provider.active:
        provider.active = False
        provider.updated_at = now
        provider.save(update_fields=["active", "updated_at"])
    data = {
        "review": review.pk,
        "reviewed_on": reviewed_on.isoformat(),
        "conclusion": conclusion,
        "next_review_due": due.isoformat(),
        "active": provider.active,
    }
    audit(provider.pk, actor, "reviewed", data, now)
    return review
