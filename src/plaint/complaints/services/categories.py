"""Complaint categories (configuration)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, can_read_complaints, require
from plaint.accounts.models import User
from plaint.complaints.events import CategoriesChanged
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.events import publish
from plaint.core.limits import max_length
from plaint.core.services import config_changed


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


@transaction.atomic
def category_access_set(
    *, actor: Actor, category_id: int, restricted: bool, reader_ids: Iterable[int]
) -> Category:
    """Restrict a category (or lift it) and name its readers (managers and admins): a restricted
    category's cases are read by its readers and by nobody else (``complaints.visibility``).
    Audited, with who was named and who was removed."""
    require(can_configure, actor.user, _("configure categories"))
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound(_("No such category."))
    wanted = set(reader_ids)
    readers = list(User.objects.filter(pk__in=wanted, is_active=True))
    if len(readers) != len(wanted) or not all(can_read_complaints(user) for user in readers):
        raise ValidationFailed(
            _("Readers must be active members of staff."),
            fields={"readers": [_("Choose active members of staff.")]},
        )
    if restricted and not readers:
        raise ValidationFailed(
            _("Name at least one reader of a restricted category."),
            fields={"readers": [_("Choose at least one reader.")]},
        )
    before = sorted(category.readers.values_list("pk", flat=True))
    was_restricted = category.restricted
    category.restricted = restricted
    category.save(update_fields=["restricted"])
    category.readers.set(readers)
    config_changed()  # the queue reads who sees what from the configuration cache
    audit_append(
        case_type="category",
        case_id=category.pk,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="access_changed",
        data={
            "before": {"restricted": was_restricted, "readers": before},
            "after": {"restricted": restricted, "readers": sorted(wanted)},
        },
    )
    return category
