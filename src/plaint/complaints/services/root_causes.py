"""The root-cause taxonomy (configuration): causes a handler picks when recording findings."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import RootCause
from plaint.core.actors import Actor
from plaint.core.errors import NotFound, ValidationFailed
from plaint.core.limits import max_length


def root_cause_create(*, actor: Actor, name: str, code: str = "", parent: str = "") -> RootCause:
    """Add a cause to the taxonomy, under ``parent`` (a cause code) when given."""
    require(can_configure, actor.user, _("configure root causes"))
    name = (name or "").strip()
    code = slugify(code or name)[: max_length(RootCause, "code")]
    if not name or not code:
        raise ValidationFailed(
            _("Give the cause a name."), fields={"name": [_("This field is required.")]}
        )
    if len(name) > max_length(RootCause, "name"):
        raise ValidationFailed(
            _("Keep the name under 100 characters."), fields={"name": [_("Too long.")]}
        )
    under = None
    if parent:
        under = RootCause.objects.filter(code=parent).first()
        if under is None:
            raise ValidationFailed(
                _("There is no cause with the code %(code)s.") % {"code": parent},
                fields={"parent": [_("Unknown cause.")]},
            )
    with transaction.atomic():
        if RootCause.objects.filter(code=code).exists():
            raise ValidationFailed(
                _("A cause with this code exists."), fields={"code": [_("Already used.")]}
            )
        return RootCause.objects.create(code=code, name=name, parent=under)


def root_cause_set_active(*, actor: Actor, code: str, active: bool) -> RootCause:
    """Retire a cause from the choices (complaints that name it keep it) or bring it back."""
    require(can_configure, actor.user, _("configure root causes"))
    with transaction.atomic():
        cause = RootCause.objects.select_for_update().filter(code=code).first()
        if cause is None:
            raise NotFound(_("There is no such cause."))
        cause.active = active
        cause.save(update_fields=["active"])
        return cause
