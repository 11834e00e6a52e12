"""The complaint register as a file (CSV or XLSX), filtered exactly as the queue: the same filter
form parses the parameters (staff page and API alike) and the same selector reads the rows.

Coded values come as two columns, the stable code (for machines, the same in every language) and
its label in the reader's language; the header is in the reader's language too. Without
``include_personal`` no complainant data leaves: that option is for managers and admins only
(``accounts.access.can_export_personal_data``) and every use of it is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.accounts.access import Reader, can_export_personal_data
from plaint.complaints.forms_queue import QueueFilterForm
from plaint.complaints.models import Channel, Complaint, Priority, Severity
from plaint.complaints.queue_views import canonical_query
from plaint.complaints.selectors import QueueFilters, complaint_register
from plaint.complaints.states import ClosureReason, State
from plaint.core.errors import NotAllowed, ValidationFailed

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One register column: its header, how a complaint gives its value, and, for a coded value,
    the labels of its codes (then a second column "… (label)" follows)."""

    title: Any  # a lazy translation, translated when the header is written
    value: Callable[[Complaint], Any]
    labels: dict[str, str] | None = None


def _user(user: Any) -> str:
    return user.get_username() if user is not None else ""


def _labels(choices: Any) -> dict[str, str]:
    return dict(choices.choices)


COLUMNS = (
    Column(gettext_lazy("Reference"), lambda c: c.reference),
    Column(gettext_lazy("Received"), lambda c: c.received_at),
    Column(gettext_lazy("Channel"), lambda c: c.channel, _labels(Channel)),
    Column(gettext_lazy("Category"), lambda c: c.category.code if c.category else ""),
    Column(gettext_lazy("Product"), lambda c: c.product),
    Column(gettext_lazy("Segment"), lambda c: c.segment),
    Column(gettext_lazy("State"), lambda c: c.state, _labels(State)),
    Column(gettext_lazy("Severity"), lambda c: c.severity, _labels(Severity)),
    Column(gettext_lazy("Priority"), lambda c: c.priority, _labels(Priority)),
    Column(gettext_lazy("Assignee"), lambda c: _user(c.assignee)),
    Column(gettext_lazy("Team"), lambda c: c.team.name if c.team else ""),
    Column(gettext_lazy("Acknowledgement due"), lambda c: c.acknowledgement_due_at),
    Column(gettext_lazy("Acknowledged"), lambda c: c.acknowledged_at),
    Column(gettext_lazy("Response due"), lambda c: c.response_due_at),
    Column(gettext_lazy("Decision"), lambda c: c.decision_at),
    Column(gettext_lazy("Closed"), lambda c: c.closed_at),
    Column(gettext_lazy("Closure reason"), lambda c: c.closure_reason, _labels(ClosureReason)),
    Column(gettext_lazy("Safety issue"), lambda c: c.safety_issue),
    Column(gettext_lazy("Subject"), lambda c: c.subject),
)

PERSONAL_COLUMNS = (
    Column(gettext_lazy("Name"), lambda c: c.complainant.name),
    Column(gettext_lazy("E-mail"), lambda c: c.complainant.email),
    Column(gettext_lazy("Phone"), lambda c: c.complainant.phone),
)


def _columns(include_personal: bool) -> tuple[Column, ...]:
    return COLUMNS + (PERSONAL_COLUMNS if include_personal else ())


def register_header(*, include_personal: bool) -> list[str]:
    """The header row in the active language; a coded column is followed by its label column."""
    header: list[str] = []
    for column in _columns(include_personal):
        header.append(str(column.title))
        if column.labels is not None:
            header.append(_("%(column)s (label)") % {"column": column.title})
    return header


def _cell(value: Any, zone: dt.tzinfo) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(zone)
    return value


def register_rows(
    *, actor: Reader, filters: QueueFilters, include_personal: bool, zone: dt.tzinfo
) -> Iterator[list[Any]]:
    """The register's rows in the queue's order; times in ``zone`` (the organisation's)."""
    columns = _columns(include_personal)
    # Labels are looked up once (translated in the active language), not per row.
    labels = [
        None if column.labels is None else {k: str(v) for k, v in column.labels.items()}
        for column in columns
    ]
    for complaint in complaint_register(
        actor=actor, filters=filters, with_complainant=include_personal
    ):
        row: list[Any] = []
        for column, names in zip(columns, labels, strict=True):
            value = column.value(complaint)
            row.append(_cell(value, zone))
            if names is not None:
                row.append(names.get(value, value))
        yield row


@dataclass(frozen=True)
class RegisterRequest:
    """What an export asks for, parsed: the queue's filters, the format and whether personal
    data is included."""

    filters: QueueFilters
    format: str
    include_personal: bool
    query: str  # the queue's canonical filters, as the audit trail records them


def register_personal_refusal(user: Reader, params: QueryDict) -> None:
    """Refuse (``NotAllowed``) a request for personal data by a role that may not have it, before
    its other parameters are read: a refused role learns nothing of them."""
    if params.get("include_personal") == "1" and not can_export_personal_data(user):
        raise NotAllowed(_("Only managers and admins may export complainants' personal data."))


def register_request(params: QueryDict) -> RegisterRequest:
    """Parse an export's parameters with the queue's own filter form (so the file holds what the
    queue shows), plus ``format`` (csv or xlsx) and ``include_personal`` (1 or 0); a bad value
    is a ``ValidationFailed`` naming the parameter."""
    errors: dict[str, list[str]] = {}
    fmt = params.get("format", "csv")
    if fmt not in FORMATS:
        errors["format"] = [_("Choose csv or xlsx.")]
    personal = params.get("include_personal", "0")
    if personal not in ("0", "1"):
        errors["include_personal"] = [_("Use 1 or 0.")]
    form = QueueFilterForm(params)
    if not form.is_valid():
        errors.update({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    if errors:
        detail = "; ".join(f"{name}: {' '.join(found)}" for name, found in errors.items())
        raise ValidationFailed(
            _("The export's parameters are not valid (%(detail)s).") % {"detail": detail},
            fields=errors,
        )
    return RegisterRequest(
        filters=form.to_filters(),
        format=fmt,
        include_personal=personal == "1",
        query=canonical_query((k, v) for k, values in params.lists() for v in values),
    )
