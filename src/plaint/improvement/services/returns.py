"""Writes of the regulatory returns: the mapping from Plaint's values to a regulator's codes,
kept as data and changed by managers and admins, each change in the audit trail; and the record
of each export (who, when, which return, which half-year, which format)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, can_export_returns, require
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import NotAllowed, NotFound, ValidationFailed
from plaint.improvement.models_returns import ReturnFormat, ReturnMapping, SourceKind
from plaint.improvement.returns_formats import KINDS
from plaint.improvement.services.common import audit

MAPPING_CASE_TYPE = "return_mapping"
# One chain per person who exports, as for the complaint register's exports.
EXPORT_CASE_TYPE = "return_export"
HALF_YEARLY_OUTCOMES = ("upheld", "not_upheld")
WHAT = gettext_noop("change the regulatory returns' mapping")


def _require(actor: Actor) -> None:
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, WHAT)


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Check the highlighted fields."), fields={name: [message]})


def _clean(report: str, kind: str, source: str, target: str) -> tuple[str, str, str, str]:
    if report not in ReturnFormat.values:
        raise _invalid("report", _("Choose one of the return formats."))
    if kind not in KINDS[ReturnFormat(report)]:
        raise _invalid("kind", _("This format does not code that kind of value."))
    source, target = (source or "").strip(), (target or "").strip()
    if not source or len(source) > 200:
        raise _invalid("source", _("Enter Plaint's value (at most 200 characters), or *."))
    if not target or len(target) > 100:
        raise _invalid("target", _("Enter the regulator's code (at most 100 characters)."))
    outcome = report == ReturnFormat.HALF_YEARLY and kind == SourceKind.OUTCOME
    if outcome and target not in HALF_YEARLY_OUTCOMES:
        raise _invalid("target", _("An outcome is coded upheld or not_upheld in this return."))
    return report, kind, source, target


@transaction.atomic
def return_mapping_set(
    *, actor: Actor, report: str, kind: str, source: str, target: str
) -> ReturnMapping:
    """Give one of Plaint's values its code in a format (a new row, or a changed code)."""
    _require(actor)
    report, kind, source, target = _clean(report, kind, source, target)
    mapping = (
        ReturnMapping.objects.select_for_update()
        .filter(report=report, kind=kind, source=source)
        .first()
    )
    before = mapping.target if mapping else None
    if mapping is None:
        mapping = ReturnMapping.objects.create(
            report=report, kind=kind, source=source, target=target
        )
    elif before != target:
        mapping.target = target
        mapping.save(update_fields=["target", "updated_at"])
    if before != target:
        audit(
            MAPPING_CASE_TYPE,
            mapping.pk,
            actor,
            "return_mapping_set",
            {"report": report, "kind": kind, "source": source, "before": before, "after": target},
        )
    return mapping


@transaction.atomic
def return_mapping_delete(*, actor: Actor, mapping_id: int) -> None:
    """Remove a value's code: the value is listed as a warning again (or takes the default)."""
    _require(actor)
    mapping = ReturnMapping.objects.select_for_update().filter(pk=mapping_id).first()
    if mapping is None:
        raise NotFound(_("That mapping does not exist."))
    audit(
        MAPPING_CASE_TYPE,
        mapping.pk,
        actor,
        "return_mapping_delete",
        {
            "report": mapping.report,
            "kind": mapping.kind,
            "source": mapping.source,
            "before": mapping.target,
            "after": None,
        },
    )
    mapping.delete()


@transaction.atomic
def return_export_record(*, actor: Actor, report: str, period: str, file_format: str) -> None:
    """Check that ``actor`` may export the organisation's returns and record that they did (the
    file itself is not kept)."""
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_export_returns, actor.user, gettext_noop("export regulatory returns"))
    audit_append(
        case_type=EXPORT_CASE_TYPE,
        case_id=actor.user_id or 0,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="return_exported",
        data={"report": report, "period": period, "format": file_format},
    )
