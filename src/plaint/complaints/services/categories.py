"""Complaint categories (configuration)."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.events import CategoriesChanged
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.errors import ValidationFailed
from plaint.core.events import publish
from plaint.core.limits import max_length


def category_create(*, actor: Actor, code: str, name: str) -> Category:
    require(can_configure, actor.user, _("configure categories"))
    code = slugify(code or name)[: max_length(Category, "code")]
    if not code or not (name or "").strip():
        raise ValidationFailed(
            _("Give the category a name."), fields={"name": [_("This field is required.")]}
        )
    if Category.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("A category with this code exists."), fields={"code": [_("Already used.")]}
        )
    category = Category.objects.create(code=code, name=name.strip())
    publish(CategoriesChanged())  # e.g. promises naming the category by its code now apply
    return category
