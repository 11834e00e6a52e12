"""The promises of a code: create, edit and delete while the code is a draft or pilot."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import Category, Channel
from plaint.core.actors import Actor
from plaint.core.calendars import Unit
from plaint.core.errors import Conflict, NotFound, ValidationFailed
from plaint.core.models import BusinessCalendar
from plaint.promises.models import Promise
from plaint.promises.services.codes import audit_code, code_lock, require_editable
from plaint.promises.services.common import strings_clean, texts_clean
from plaint.promises.services.snapshot import config_changed
from plaint.promises.states import Clock, CodeState

PROMISE_FIELDS = (
    "key",
    "position",
    "texts",
    "conditions",
    "exclusions",
    "clock",
    "limit_amount",
    "limit_unit",
    "calendar_id",
    "pauses_while_waiting",
    "honours_regulatory_pauses",
    "target_rate",
    "at_risk_fraction",
    "measured_only",
    "categories",
    "channels",
    "products",
    "segments",
)


def _rate(value: Any, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Give a number."), fields={field: [_("A number.")]}) from None
    if not (low <= rate <= high):
        raise ValidationFailed(
            _("Out of range."),
            fields={field: [_("Between %(a)s and %(b)s.") % {"a": low, "b": high}]},
        )
    return rate


def _clean_promise_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes to a promise, each cleaned; raises with every field's error at once."""
    unknown = set(changes) - set(PROMISE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name == "texts":
            clean[name] = texts_clean(value, name)
        elif name == "key":
            clean[name] = slugify(value or "")[:80]
            if not clean[name]:
                errors[name] = [_("This field is required.")]
        elif name == "clock":
            if value not in Clock.values:
                errors[name] = [_("Choose a clock.")]
            clean[name] = value
        elif name == "limit_unit":
            if value not in Unit.values:
                errors[name] = [_("Choose a unit.")]
            clean[name] = value
        elif name in {"limit_amount", "position"}:
            try:
                clean[name] = int(value)
            except (TypeError, ValueError):
                errors[name] = [_("A whole number.")]
                continue
            if not 0 <= clean[name] <= 10000:
                errors[name] = [_("Between 0 and 10000.")]
        elif name == "calendar_id":
            if value in (None, ""):
                clean[name] = None
            elif not BusinessCalendar.objects.filter(pk=value).exists():
                errors[name] = [_("Unknown calendar.")]
            else:
                clean[name] = int(value)
        elif name == "target_rate":
            clean[name] = _rate(value, name, Decimal(0), Decimal(1))
        elif name == "at_risk_fraction":
            clean[name] = _rate(value, name, Decimal("0.1"), Decimal("0.99"))
        elif name in {"pauses_while_waiting", "honours_regulatory_pauses", "measured_only"}:
            clean[name] = bool(value)
        elif name in {"categories", "channels", "products", "segments"}:
            clean[name] = strings_clean(value, name)
        else:
            clean[name] = str(value or "").strip()[:5000]
    _check_names(clean, errors)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _check_names(clean: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Add an error for each category or channel named that does not exist."""
    if "categories" in clean:
        known = set(
            Category.objects.filter(code__in=clean["categories"]).values_list("code", flat=True)
        )
        missing = sorted(set(clean["categories"]) - known)
        if missing:
            errors["categories"] = [_("Unknown category: %(c)s.") % {"c": ", ".join(missing)}]
    if "channels" in clean:
        missing = sorted(set(clean["channels"]) - set(Channel.values))
        if missing:
            errors["channels"] = [_("Unknown channel: %(c)s.") % {"c": ", ".join(missing)}]


def _check_promise(promise: Promise) -> None:
    if (
        promise.clock != Clock.MANUAL
        and promise.limit_amount < 1
        and promise.limit_unit != Unit.HOURS
    ):
        raise ValidationFailed(_("Give the limit."), fields={"limit_amount": [_("At least 1.")]})


@transaction.atomic
def promise_create(*, actor: Actor, code_id: int, **fields: Any) -> Promise:
    require(can_configure, actor.user, _("write promises"))
    clean = _clean_promise_fields(fields)
    for needed in ("key", "texts", "clock"):
        if needed not in clean:
            raise ValidationFailed(
                _("Please correct the highlighted fields."),
                fields={needed: [_("This field is required.")]},
            )
    code = code_lock(code_id)
    require_editable(code)
    if code.promises.filter(key=clean["key"]).exists():
        raise ValidationFailed(
            _("This code has a promise with this key."), fields={"key": [_("Already used.")]}
        )
    if "position" not in clean:
        clean["position"] = code.promises.count() + 1
    promise = Promise(code=code, **clean)
    _check_promise(promise)
    promise.save()
    audit_code(code, actor, "promise_created", {"promise": promise.key})
    if code.state == CodeState.PILOT:
        config_changed()
    return promise


@transaction.atomic
def promise_update(*, actor: Actor, promise_id: int, **changes: Any) -> Promise:
    require(can_configure, actor.user, _("write promises"))
    clean = _clean_promise_fields(changes)
    promise = Promise.objects.select_related("code").filter(pk=promise_id).first()
    if promise is None:
        raise NotFound(_("No such promise."))
    code = code_lock(promise.code_id)
    require_editable(code)
    if "key" in clean and code.promises.filter(key=clean["key"]).exclude(pk=promise.pk).exists():
        raise ValidationFailed(
            _("This code has a promise with this key."), fields={"key": [_("Already used.")]}
        )
    for name, value in clean.items():
        setattr(promise, name, value)
    _check_promise(promise)
    promise.save(update_fields=list(clean))
    audit_code(code, actor, "promise_updated", {"promise": promise.key, "fields": sorted(clean)})
    if code.state == CodeState.PILOT:
        config_changed()
    return promise


@transaction.atomic
def promise_delete(*, actor: Actor, promise_id: int) -> None:
    require(can_configure, actor.user, _("write promises"))
    promise = Promise.objects.filter(pk=promise_id).first()
    if promise is None:
        raise NotFound(_("No such promise."))
    code = code_lock(promise.code_id)
    require_editable(code)
    if promise.checks.exists() or promise.claims.exists():
        raise Conflict(_("This promise was measured on complaints (pilot); retire the code."))
    key = promise.key
    promise.delete()
    audit_code(code, actor, "promise_deleted", {"promise": key})
