"""Codes of conduct (ISO 10001): create, edit while draft or pilot, move along the lifecycle
(``states.TRANSITIONS``), and copy into a new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.promises.models import Code, Promise
from plaint.promises.services.common import audit, strings_clean, texts_clean
from plaint.promises.services.snapshot import config_changed
from plaint.promises.states import EDITABLE, TRANSITIONS, CodeState, CodeStep, Origin


def audit_code(code: Code, actor: Actor, action: str, data: dict[str, Any]) -> None:
    audit("code", code.pk, actor, action, data)


CODE_FIELDS = (
    "title",
    "owner",
    "scope_products",
    "scope_channels",
    "scope_segments",
    "effective_from",
    "effective_to",
    "origin",
    "adopted_from",
    "source_document",
    "source_url",
)


def _clean_code_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(CODE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            clean[name] = texts_clean(value, name)
        elif name.startswith("scope_"):
            clean[name] = strings_clean(value, name)
        elif name == "origin":
            if value not in Origin.values:
                raise ValidationFailed(
                    _("Choose own or adopted."), fields={name: [_("Choose own or adopted.")]}
                )
            clean[name] = value
        elif name in {"effective_from", "effective_to"}:
            if value is not None and not isinstance(value, dt.date):
                raise ValidationFailed(_("Give a date."), fields={name: [_("A date.")]})
            clean[name] = value
        else:
            clean[name] = str(value or "").strip()[:500]
    return clean


def _check_code(code: Code) -> None:
    errors: dict[str, list[str]] = {}
    if code.origin == Origin.ADOPTED and not code.adopted_from:
        errors["adopted_from"] = [_("Name the body whose code you adopted.")]
    if code.effective_from and code.effective_to and code.effective_to < code.effective_from:
        errors["effective_to"] = [_("Must not be before the start.")]
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)


@transaction.atomic
def code_create(*, actor: Actor, slug: str = "", **fields: Any) -> Code:
    """A new code of conduct, as a draft, version 1."""
    require(can_configure, actor.user, _("write codes of conduct"))
    clean = _clean_code_fields(fields)
    if "title" not in clean:
        raise ValidationFailed(
            _("Give the code a title."), fields={"title": [_("This field is required.")]}
        )
    slug = slugify(slug or next(iter(clean["title"].values())))[:80]
    if not slug:
        raise ValidationFailed(_("Give the code a short name."), fields={"slug": [_("Required.")]})
    if Code.objects.filter(slug=slug).exists():
        raise ValidationFailed(
            _("A code with this short name exists."), fields={"slug": [_("Already used.")]}
        )
    code = Code(slug=slug, version=1, created_at=timezone.now(), **clean)
    _check_code(code)
    code.save()
    audit_code(code, actor, "code_created", {"slug": slug, "version": 1})
    return code


def code_lock(code_id: int) -> Code:
    code = Code.objects.select_for_update().filter(pk=code_id).first()
    if code is None:
        raise NotFound(_("No such code."))
    return code


def require_editable(code: Code) -> None:
    if code.state not in EDITABLE:
        raise InvalidTransition(
            _("Version %(v)s is %(state)s and cannot change; make a new version to change it.")
            % {"v": code.version, "state": CodeState(code.state).label}
        )


@transaction.atomic
def code_update(*, actor: Actor, code_id: int, **changes: Any) -> Code:
    """Edit a draft or pilot. Published, reviewed and retired versions are immutable."""
    require(can_configure, actor.user, _("write codes of conduct"))
    clean = _clean_code_fields(changes)
    code = code_lock(code_id)
    require_editable(code)
    for name, value in clean.items():
        setattr(code, name, value)
    _check_code(code)
    code.save(update_fields=[*clean, "updated_at"])
    audit_code(code, actor, "code_updated", {"fields": sorted(clean)})
    if code.state == CodeState.PILOT:
        config_changed()
    return code


@transaction.atomic
def code_transition(*, actor: Actor, code_id: int, step: str) -> Code:
    """Move a code along its lifecycle (``states.TRANSITIONS``). Publishing a version retires the
    version it replaces."""
    require(can_configure, actor.user, _("change codes of conduct"))
    try:
        chosen = CodeStep(step)
    except ValueError:
        raise ValidationFailed(_("Unknown step."), fields={"step": [_("Unknown step.")]}) from None
    code = code_lock(code_id)
    transition = TRANSITIONS[chosen]
    if code.state not in transition.sources:
        raise InvalidTransition(
            _("“%(step)s” is not possible while the code is “%(state)s”.")
            % {"step": chosen.label, "state": CodeState(code.state).label}
        )
    now = timezone.now()
    update = ["state", "updated_at"]
    if chosen in {CodeStep.PUBLISH, CodeStep.START_PILOT}:
        promises = list(code.promises.all())
        if not promises:
            raise InvalidTransition(_("A code needs at least one promise first."))
    if chosen == CodeStep.PUBLISH:
        code.published_at = now
        update.append("published_at")
        if code.effective_from is None:
            code.effective_from = timezone.localdate(now)
            update.append("effective_from")
        for older in (
            Code.objects.select_for_update()
            .filter(slug=code.slug, state__in=[CodeState.PUBLISHED, CodeState.UNDER_REVIEW])
            .exclude(pk=code.pk)
        ):
            older.state = CodeState.RETIRED
            older.effective_to = older.effective_to or timezone.localdate(now)
            older.save(update_fields=["state", "effective_to", "updated_at"])
            audit_code(older, actor, CodeStep.RETIRE.value, {"replaced_by": code.version})
    before = code.state
    code.state = transition.target
    code.save(update_fields=update)
    audit_code(code, actor, chosen.value, {"before": before, "after": code.state})
    config_changed()
    return code


@transaction.atomic
def code_new_version(*, actor: Actor, code_id: int) -> Code:
    """Copy a code and its promises into a new draft with the next version number."""
    require(can_configure, actor.user, _("write codes of conduct"))
    source = code_lock(code_id)
    if Code.objects.filter(slug=source.slug, state__in=list(EDITABLE)).exists():
        raise Conflict(_("This code already has a draft or pilot version; change that one."))
    latest = Code.objects.filter(slug=source.slug).aggregate(v=models.Max("version"))["v"]
    draft = Code(
        slug=source.slug,
        version=(latest or 0) + 1,
        previous=source,
        created_at=timezone.now(),
        **{f: getattr(source, f) for f in CODE_FIELDS},
        profile_key=source.profile_key,
    )
    draft.effective_from = None
    draft.effective_to = None
    draft.save()
    copies = []
    for p in source.promises.all():
        p.pk = None
        p.id = None
        p.code = draft
        copies.append(p)
    Promise.objects.bulk_create(copies)
    audit_code(draft, actor, "code_new_version", {"from": source.version, "to": draft.version})
    return draft
