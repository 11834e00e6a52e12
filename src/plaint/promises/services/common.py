"""Helpers the promises services share: the audit row of a promises change and the cleaning of
multilingual texts and name lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import ValidationFailed

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def language_or_english(value: str) -> str:
    return value if value in LANGUAGES else "en"


def audit(case_type: str, case_id: int, actor: Actor, action: str, data: dict[str, Any]) -> None:
    audit_append(
        case_type=case_type,
        case_id=case_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data=data,
    )


def texts_clean(value: Any, field: str, *, required: bool = True) -> dict[str, str]:
    """A map of language to text: known languages only, blank texts dropped, each at most 5,000
    characters; at least one text unless ``required`` is False."""
    if not isinstance(value, dict):
        raise ValidationFailed(
            _("Give the text per language."), fields={field: [_("A map of language to text.")]}
        )
    clean = {str(k): str(v).strip() for k, v in value.items() if str(v or "").strip()}
    unknown = sorted(set(clean) - LANGUAGES)
    if unknown:
        raise ValidationFailed(
            _("Unknown language."),
            fields={field: [_("Unknown language: %(l)s.") % {"l": ", ".join(unknown)}]},
        )
    if required and not clean:
        raise ValidationFailed(
            _("Write the text in at least one language."),
            fields={field: [_("This field is required.")]},
        )
    if any(len(v) > 5000 for v in clean.values()):
        raise ValidationFailed(_("The text is too long."), fields={field: [_("At most 5000.")]})
    return clean


def strings_clean(value: Any, field: str) -> list[str]:
    """A list of names (or a comma-separated string of them), blanks dropped, at most 100."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in (s.strip() for s in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("Give a list of names."), fields={field: [_("A list.")]})
    return [v.strip() for v in value if v.strip()][:100]
