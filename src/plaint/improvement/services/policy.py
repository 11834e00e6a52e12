"""The complaints-handling policy (ISO 10002:2018 5.2, 5.3): start a draft version, change it,
publish it. Publishing freezes the version and supersedes the one in force; a change after that
is a new version, so every published text stays as it was read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, require
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from plaint.improvement.models_policy import PolicyRole, PolicyState, PolicyVersion
from plaint.improvement.selectors_policy import own_language
from plaint.improvement.services.common import audit

POLICY_CASE_TYPE = "policy"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TITLE_LIMIT = 200
BODY_LIMIT = 20000
DUTY_LIMIT = 500
DUTIES_PER_ROLE = 20
WRITE = gettext_noop("write the complaints-handling policy")


def _require_writer(actor: Actor) -> None:
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, WRITE)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={field: [message]})


def _texts_clean(value: Any, field: str, limit: int) -> dict[str, str]:
    """{language: text}: known languages only; a blank text removes that language."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _invalid(field, _("A map of language to text."))
    unknown = sorted(set(map(str, value)) - set(LANGUAGES))
    if unknown:
        raise _invalid(field, _("Unknown language: %(l)s.") % {"l": ", ".join(unknown)})
    clean = {str(k): v.strip() for k, v in value.items()}
    if any(len(v) > limit for v in clean.values()):
        raise _invalid(field, _("At most %(n)s characters.") % {"n": limit})
    return clean


def _duties_clean(value: Any) -> dict[str, dict[str, list[str]]]:
    """{role: {language: [duty, …]}}: known roles and languages; an empty list removes them."""
    field = "responsibilities"
    if not isinstance(value, dict):
        raise _invalid(field, _("A map of role to duties per language."))
    unknown = sorted(set(map(str, value)) - set(PolicyRole.values))
    if unknown:
        raise _invalid(field, _("Unknown role: %(r)s.") % {"r": ", ".join(unknown)})
    clean: dict[str, dict[str, list[str]]] = {}
    for role, per_language in value.items():
        if not isinstance(per_language, dict) or set(map(str, per_language)) - set(LANGUAGES):
            raise _invalid(field, _("A map of language to a list of duties."))
        clean[role] = {}
        for language, duties in per_language.items():
            if not isinstance(duties, list) or not all(isinstance(d, str) for d in duties):
                raise _invalid(field, _("A map of language to a list of duties."))
            kept = [d.strip() for d in duties if d.strip()]
            if len(kept) > DUTIES_PER_ROLE or any(len(d) > DUTY_LIMIT for d in kept):
                raise _invalid(
                    field,
                    _("At most %(n)s duties of at most %(c)s characters each.")
                    % {"n": DUTIES_PER_ROLE, "c": DUTY_LIMIT},
                )
            clean[role][language] = kept
    return clean


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``old`` with ``new`` laid over it; empty values remove their key."""
    merged = {**old, **new}
    return {k: v for k, v in merged.items() if v}


def _lock(version: int) -> PolicyVersion:
    found = PolicyVersion.objects.select_for_update().filter(version=version).first()
    if found is None:
        raise NotFound(_("No such policy version."))
    return found


def _require_draft(policy: PolicyVersion) -> None:
    if policy.state != PolicyState.DRAFT:
        raise InvalidTransition(
            _("Version %(v)s is published and cannot change; start a new version to change it.")
            % {"v": policy.version}
        )


@transaction.atomic
def policy_draft_start(*, actor: Actor, now: dt.datetime | None = None) -> PolicyVersion:
    """A new draft with the next version number, a copy of the latest version (empty for the
    first). There is at most one draft at a time."""
    _require_writer(actor)
    now = now or timezone.now()
    if PolicyVersion.objects.filter(state=PolicyState.DRAFT).exists():
        raise Conflict(_("A draft of the policy exists already; change that one."))
    latest = PolicyVersion.objects.select_for_update().order_by("-version").first()
    draft = PolicyVersion(
        version=(latest.version + 1) if latest else 1,
        title=dict(latest.title) if latest else {},
        body=dict(latest.body) if latest else {},
        responsibilities=dict(latest.responsibilities) if latest else {},
        previous=latest,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:  # a draft started at the same moment by someone else
        raise Conflict(_("A draft of the policy exists already; change that one.")) from None
    audit(
        POLICY_CASE_TYPE,
        draft.version,
        actor,
        "policy_draft_started",
        {"version": draft.version, "from": latest.version if latest else None},
        at=now,
    )
    return draft


@transaction.atomic
def policy_draft_update(
    *,
    actor: Actor,
    version: int,
    title: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
    responsibilities: dict[str, dict[str, list[str]]] | None = None,
    change_note: str | None = None,
    now: dt.datetime | None = None,
) -> PolicyVersion:
    """Change a draft: the languages given replace theirs (a blank text removes one); the other
    languages stay as they are."""
    _require_writer(actor)
    policy = _lock(version)
    _require_draft(policy)
    changed: list[str] = []
    if title is not None:
        policy.title = _merged(policy.title, _texts_clean(title, "title", TITLE_LIMIT))
        changed.append("title")
    if body is not None:
        policy.body = _merged(policy.body, _texts_clean(body, "body", BODY_LIMIT))
        changed.append("body")
    if responsibilities is not None:
        duties = dict(policy.responsibilities)
        for role, per_language in _duties_clean(responsibilities).items():
            duties[role] = _merged(duties.get(role, {}), per_language)
        policy.responsibilities = {r: d for r, d in duties.items() if d}
        changed.append("responsibilities")
    if change_note is not None:
        note = change_note.strip() if isinstance(change_note, str) else ""
        if len(note) > 500:
            raise _invalid("change_note", _("At most %(n)s characters.") % {"n": 500})
        policy.change_note = note
        changed.append("change_note")
    policy.updated_at = now or timezone.now()
    policy.save(update_fields=[*changed, "updated_at"])
    audit(
        POLICY_CASE_TYPE,
        policy.version,
        actor,
        "policy_draft_changed",
        {"fields": changed, "languages": policy.languages},
        at=policy.updated_at,
    )
    return policy


@transaction.atomic
def policy_draft_create(
    *,
    actor: Actor,
    title: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
    responsibilities: dict[str, dict[str, list[str]]] | None = None,
    change_note: str | None = None,
) -> PolicyVersion:
    """Start a draft (a copy of the latest version) and lay the texts given over it."""
    draft = policy_draft_start(actor=actor)
    if title is None and body is None and responsibilities is None and change_note is None:
        return draft
    return policy_draft_update(
        actor=actor,
        version=draft.version,
        title=title,
        body=body,
        responsibilities=responsibilities,
        change_note=change_note,
    )


def _check_complete(policy: PolicyVersion, language: str) -> None:
    """A version is published only with a title, a text and responsibilities in the
    organisation's own language (the language every reader can fall back to)."""
    errors: dict[str, list[str]] = {}
    missing = _("Required in the organisation's language (%(l)s).") % {"l": language}
    if not policy.title.get(language):
        errors["title"] = [missing]
    if not policy.body.get(language):
        errors["body"] = [missing]
    if not any(per.get(language) for per in policy.responsibilities.values()):
        errors["responsibilities"] = [missing]
    if errors:
        raise ValidationFailed(
            _("The policy is not complete in the organisation's language."), fields=errors
        )


@transaction.atomic
def policy_publish(*, actor: Actor, version: int, now: dt.datetime | None = None) -> PolicyVersion:
    """Put a draft in force from today; the version in force until now is superseded."""
    _require_writer(actor)
    now = now or timezone.now()
    policy = _lock(version)
    _require_draft(policy)
    _check_complete(policy, own_language())
    today = timezone.localdate(now)
    for older in PolicyVersion.objects.select_for_update().filter(state=PolicyState.PUBLISHED):
        older.state = PolicyState.SUPERSEDED
        older.effective_to = today
        older.updated_at = now
        older.save(update_fields=["state", "effective_to", "updated_at"])
        audit(
            POLICY_CASE_TYPE,
            older.version,
            actor,
            "policy_superseded",
            {"by": policy.version},
            at=now,
        )
    policy.state = PolicyState.PUBLISHED
    policy.published_at = now
    policy.published_by = actor.user
    policy.effective_from = today
    policy.updated_at = now
    policy.save(
        update_fields=["state", "published_at", "published_by", "effective_from", "updated_at"]
    )
    audit(
        POLICY_CASE_TYPE,
        policy.version,
        actor,
        "policy_published",
        {"languages": policy.languages, "roles": sorted(policy.responsibilities)},
        at=now,
    )
    return policy
