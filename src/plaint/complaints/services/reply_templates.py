"""Reply templates ("macros"): texts per language that managers keep ready for handlers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import REPLY_TEMPLATE_TEXT_MAX, Category, ReplyTemplate
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.limits import max_length
from plaint.core.services import config_changed

AUDIT_CASE_TYPE = "reply_template"


def _texts_clean(value: Any, errors: dict[str, list[str]]) -> dict[str, str]:
    known = [code for code, _name in settings.LANGUAGES]
    if not isinstance(value, dict):
        errors["texts"] = [_("A map of language to text.")]
        return {}
    texts = {}
    for code in known:
        text = str(value.get(code) or "").replace("\r\n", "\n").strip()
        if len(text) > REPLY_TEMPLATE_TEXT_MAX:
            errors[f"text_{code}"] = [
                _("At most %(max)d characters.") % {"max": REPLY_TEMPLATE_TEXT_MAX}
            ]
        elif text:
            texts[code] = text
    if set(value) - set(known):
        errors["texts"] = [_("Unknown language.")]
    elif not texts and not errors:
        errors["text_en"] = [_("Write the text in at least one language.")]
    return texts


def _clean(name: str, category_id: int | None, texts: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the template a name.")]
    elif len(name) > max_length(ReplyTemplate, "name"):
        errors["name"] = [_("The name is too long.")]
    category = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            errors["category"] = [_("No such category.")]
    clean_texts = _texts_clean(texts, errors)
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    return {"name": name, "category": category, "texts": clean_texts}


def _audit(template: ReplyTemplate, actor: Actor, action: str) -> None:
    audit_append(
        case_type=AUDIT_CASE_TYPE,
        case_id=template.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        data={
            "category": template.category.code if template.category else None,
            "languages": sorted(template.texts),
            "active": template.active,
        },
        personal={"name": template.name},
    )


def reply_template_create(
    *, actor: Actor, name: str, category_id: int | None = None, texts: dict[str, str]
) -> ReplyTemplate:
    require(can_configure, actor.user, _("configure reply templates"))
    values = _clean(name, category_id, texts)
    with transaction.atomic():
        template = ReplyTemplate.objects.create(**values)
        _audit(template, actor, "reply_template_created")
        config_changed()  # the case page keeps the active templates under the token
    return template


def _locked(template_id: int) -> ReplyTemplate:
    template = ReplyTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("No such reply template."))
    return template


def reply_template_update(
    *,
    actor: Actor,
    template_id: int,
    name: str,
    category_id: int | None = None,
    texts: dict[str, str],
    active: bool = True,
) -> ReplyTemplate:
    require(can_configure, actor.user, _("configure reply templates"))
    values = _clean(name, category_id, texts)
    with transaction.atomic():
        template = _locked(template_id)
        for field, value in values.items():
            setattr(template, field, value)
        template.active = bool(active)
        template.save(update_fields=[*values, "active", "updated_at"])
        _audit(template, actor, "reply_template_changed")
        config_changed()  # the case page keeps the active templates under the token
    return template


def reply_template_deactivate(*, actor: Actor, template_id: int) -> ReplyTemplate:
    require(can_configure, actor.user, _("configure reply templates"))
    with transaction.atomic():
        template = _locked(template_id)
        template.active = False
        template.save(update_fields=["active", "updated_at"])
        _audit(template, actor, "reply_template_deactivated")
        config_changed()  # the case page keeps the active templates under the token
    return template
