"""The organisation's dispute-resolution policy (ISO 10003 5.2): start a draft version, change
it, publish it. One draft at a time; publishing freezes the version and supersedes the one in
force, so every published text stays as it was read. Each step is audited (``dispute_policy``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.core.selectors import organisation_today
from plaint.disputes.models import DisputePolicy, PolicyBinding, PolicyState
from plaint.disputes.services.common import amount, currency, invalid, require_manager

POLICY_CASE_TYPE = "dispute_policy"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TITLE_LIMIT = 200
SCOPE_LIMIT = 5000
BODY_LIMIT = 20000
TEXTS = {"title": TITLE_LIMIT, "scope": SCOPE_LIMIT, "body": BODY_LIMIT}


def _audit(policy: DisputePolicy, actor: Actor, action: str, data: dict[str, Any]) -> None:
    audit_append(
        case_type=POLICY_CASE_TYPE,
        case_id=policy.version,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
        at=policy.updated_at,
    )


def _texts_clean(value: Any, field: str, limit: int) -> dict[str, str]:
    """{language: text}: known languages only; a blank text removes that language."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise invalid(field, _("A map of language to text."))
    unknown = sorted(set(map(str, value)) - set(LANGUAGES))
    if unknown:
        raise invalid(field, _("Unknown language: %(l)s.") % {"l": ", ".join(unknown)})
    clean = {str(k): v.strip() for k, v in value.items()}
    if any(len(v) > limit for v in clean.values()):
        raise invalid(field, _("At most %(n)s characters.") % {"n": limit})
    return clean


def _lock(version: int) -> DisputePolicy:
    found = DisputePolicy.objects.select_for_update().filter(version=version).first()
    if found is None:
        raise NotFound(_("No such policy version."))
    if found.state != PolicyState.DRAFT:
        raise InvalidTransition(
            _("Version %(v)s is published and cannot change; start a new version to change it.")
            % {"v": found.version}
        )
    return found


@transaction.atomic
def dispute_policy_draft_start(*, actor: Actor, now: dt.datetime | None = None) -> DisputePolicy:
    """A new draft with the next version number, a copy of the latest version (empty for the
    first). There is at most one draft at a time."""
    require_manager(actor)
    now = now or timezone.now()
    if DisputePolicy.objects.filter(state=PolicyState.DRAFT).exists():
        raise Conflict(_("A draft of the policy exists already; change that one."))
    latest = DisputePolicy.objects.select_for_update().order_by("-version").first()
    draft = DisputePolicy(
        version=(latest.version + 1) if latest else 1,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )
    if latest is not None:
        for name in ("title", "scope", "body", "min_value", "max_value", "currency", "binding"):
            setattr(draft, name, getattr(latest, name))
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:  # a draft started at the same moment by someone else
        raise Conflict(_("A draft of the policy exists already; change that one.")) from None
    _audit(draft, actor, "policy_draft_started", {"from": latest.version if latest else None})
    return draft


def _limits(policy: DisputePolicy, changes: dict[str, Any]) -> list[str]:
    """Apply the value limits and the binding given; the names of the fields changed."""
    changed: list[str] = []
    if "min_value" in changes or "max_value" in changes or "currency" in changes:
        low = amount(changes.get("min_value", policy.min_value), "min_value")
        high = amount(changes.get("max_value", policy.max_value), "max_value")
        code = currency(
            changes.get("currency", policy.currency),
            "currency",
            required=low is not None or high is not None,
        )
        if low is not None and high is not None and low > high:
            raise invalid("max_value", _("The upper limit must not be below the lower one."))
        policy.min_value, policy.max_value, policy.currency = low, high, code
        changed += ["min_value", "max_value", "currency"]
    if "binding" in changes:
        if changes["binding"] not in PolicyBinding.values:
            raise invalid("binding", _("Say whether outcomes bind the organisation."))
        policy.binding = changes["binding"]
        changed.append("binding")
    return changed


@transaction.atomic
def dispute_policy_draft_update(
    *, actor: Actor, version: int, now: dt.datetime | None = None, **changes: Any
) -> DisputePolicy:
    """Change a draft. ``title``, ``scope``, ``body``: {language: text}; the languages given
    replace theirs (a blank text removes one). ``min_value``, ``max_value``, ``currency``,
    ``binding``, ``change_note``: replaced when given."""
    require_manager(actor)
    unknown = set(changes) - {*TEXTS, "min_value", "max_value", "currency", "binding"}
    if unknown - {"change_note"}:
        raise invalid(sorted(unknown)[0], _("Unknown field."))
    policy = _lock(version)
    changed: list[str] = []
    for name, limit in TEXTS.items():
        if changes.get(name) is not None:
            merged = {**getattr(policy, name), **_texts_clean(changes[name], name, limit)}
            setattr(policy, name, {k: v for k, v in merged.items() if v})
            changed.append(name)
    changed += _limits(policy, changes)
    if changes.get("change_note") is not None:
        note = changes["change_note"].strip() if isinstance(changes["change_note"], str) else ""
        if len(note) > 500:
            raise invalid("change_note", _("At most %(n)s characters.") % {"n": 500})
        policy.change_note = note
        changed.append("change_note")
    policy.updated_at = now or timezone.now()
    policy.save(update_fields=[*changed, "updated_at"])
    _audit(
        policy, actor, "policy_draft_changed", {"fields": changed, "languages": policy.languages}
    )
    return policy


def _check_complete(policy: DisputePolicy) -> None:
    """Published only with a title and a scope in the organisation's language, the language
    every reader falls back to."""
    own = settings.LANGUAGE_CODE
    missing = _("Required in the organisation's language (%(l)s).") % {"l": own}
    errors = {name: [missing] for name in ("title", "scope") if not getattr(policy, name).get(own)}
    if errors:
        raise ValidationFailed(
            _("The policy is not complete in the organisation's language."), fields=errors
        )


@transaction.atomic
def dispute_policy_publish(
    *, actor: Actor, version: int, now: dt.datetime | None = None
) -> DisputePolicy:
    """Put a draft in force from today and freeze it; the version in force until now is
    superseded."""
    require_manager(actor)
    now = now or timezone.now()
    policy = _lock(version)
    _check_complete(policy)
    today = organisation_today(now)
    for older in DisputePolicy.objects.select_for_update().filter(state=PolicyState.PUBLISHED):
        older.state, older.effective_to, older.updated_at = PolicyState.SUPERSEDED, today, now
        older.save(update_fields=["state", "effective_to", "updated_at"])
        _audit(older, actor, "policy_superseded", {"by": policy.version})
    policy.state = PolicyState.PUBLISHED
    policy.published_at = policy.updated_at = now
    policy.published_by = actor.user
    policy.effective_from = today
    policy.save(
        update_fields=["state", "published_at", "published_by", "effective_from", "updated_at"]
    )
    _audit(policy, actor, "policy_published", {"languages": policy.languages})
    return policy
