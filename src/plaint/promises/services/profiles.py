"""Regulatory profiles: adopting a shipped profile as a published code, and dropping it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.promises.models import Code, ProfileSelection, Promise
from plaint.promises.profiles import PROFILES, Profile, organisation_numbers
from plaint.promises.services.codes import audit_code, code_lock
from plaint.promises.services.snapshot import config_changed
from plaint.promises.states import CodeState, CodeStep, Origin


@transaction.atomic
def profile_select(
    *, actor: Actor, profile_key: str, product_line: str = "", category_code: str = ""
) -> ProfileSelection:
    """Adopt a shipped regulatory profile for the organisation or for one product line or
    category: a published code of origin "adopted" with the profile's promises. A profile selected
    before for the same scope is retired."""
    require(can_configure, actor.user, _("select regulatory profiles"))
    profile = PROFILES.get(profile_key)
    if profile is None:
        raise ValidationFailed(_("Unknown profile."), fields={"profile": [_("Unknown profile.")]})
    product_line = (product_line or "").strip()[:200]
    category = None
    if category_code:
        category = Category.objects.filter(code=category_code).first()
        if category is None:
            raise ValidationFailed(_("Unknown category."), fields={"category": [_("Unknown.")]})
    now = timezone.now()
    for old in ProfileSelection.objects.select_for_update().filter(
        active=True, product_line=product_line, category=category
    ):
        old.active = False
        old.save(update_fields=["active"])
        Code.objects.filter(pk=old.code_id).exclude(state=CodeState.RETIRED).update(
            state=CodeState.RETIRED, effective_to=timezone.localdate(now)
        )
    code = _profile_code(profile, product_line, category, now)
    selection = ProfileSelection.objects.create(
        profile_key=profile.key,
        product_line=product_line,
        category=category,
        code=code,
        selected_by=actor.user,
        selected_at=now,
    )
    audit_code(
        code,
        actor,
        "profile_selected",
        {"profile": profile.key, "product_line": product_line, "category": category_code or None},
    )
    config_changed()
    return selection


def _profile_code(
    profile: Profile, product_line: str, category: Category | None, now: dt.datetime
) -> Code:
    """The published, adopted code of the profile for this scope, with its promises."""
    scope = slugify(product_line or (category.code if category else "")) or "organisation"
    slug = f"{profile.key}-{scope}"[:80]
    version = (Code.objects.filter(slug=slug).aggregate(v=models.Max("version"))["v"] or 0) + 1
    code = Code.objects.create(
        slug=slug,
        version=version,
        title=dict(profile.title),
        owner=profile.body,
        scope_products=[product_line] if product_line else [],
        state=CodeState.PUBLISHED,
        origin=Origin.ADOPTED,
        adopted_from=profile.body,
        source_document=profile.source_document,
        source_url=profile.source_url,
        profile_key=profile.key,
        effective_from=profile.effective_from or timezone.localdate(now),
        effective_to=profile.effective_to,
        created_at=now,
        published_at=now,
    )
    Promise.objects.bulk_create(_profile_promises(profile, code, product_line, category))
    return code


def _profile_promises(
    profile: Profile, code: Code, product_line: str, category: Category | None
) -> list[Promise]:
    """The profile's promises on ``code``; a profile whose limits come from the organisation
    takes its settings' two numbers of business days."""
    numbers = organisation_numbers()
    promises = []
    for i, p in enumerate(profile.promises, start=1):
        amount = p.limit_for(numbers, profile.from_organisation)
        promises.append(
            Promise(
                code=code,
                position=i,
                key=p.key,
                texts={lang: numbers.fill(text) for lang, text in p.texts.items()},
                conditions=p.conditions,
                exclusions=p.exclusions,
                clock=p.clock,
                limit_amount=amount,
                limit_unit=p.limit_unit,
                pauses_while_waiting=p.pauses_while_waiting,
                honours_regulatory_pauses=p.honours_regulatory_pauses,
                target_rate=Decimal(p.target_rate),
                at_risk_fraction=Decimal(p.at_risk_fraction),
                measured_only=p.measured_only,
                products=[product_line] if product_line else [],
                categories=[category.code] if category else [],
            )
        )
    return promises


@transaction.atomic
def profile_deselect(*, actor: Actor, selection_id: int) -> ProfileSelection:
    require(can_configure, actor.user, _("select regulatory profiles"))
    selection = ProfileSelection.objects.select_for_update().filter(pk=selection_id).first()
    if selection is None or not selection.active:
        raise NotFound(_("No such active selection."))
    selection.active = False
    selection.save(update_fields=["active"])
    code = code_lock(selection.code_id)
    if code.state != CodeState.RETIRED:
        code.state = CodeState.RETIRED
        code.effective_to = timezone.localdate()
        code.save(update_fields=["state", "effective_to", "updated_at"])
        audit_code(code, actor, CodeStep.RETIRE.value, {"profile": selection.profile_key})
    config_changed()
    return selection
