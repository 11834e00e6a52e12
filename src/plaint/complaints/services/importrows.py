"""The complaint history import's rows: which column is which Plaint field (header aliases and
the saved mapping), and one row read and checked into an ``ImportedCase`` or its problems. Reads
nothing from the database but what ``RowContext`` is given; writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from plaint.complaints.models import (
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    STEP_TEXT_MAX,
    Channel,
    Complainant,
    Complaint,
    RemedyKind,
)
from plaint.complaints.services.intake import LANGUAGE_CODES, subject_from_text
from plaint.complaints.states import ClosureReason, State
from plaint.core.bounds import CLOCK_SKEW, EARLIEST_DAY, moment_error
from plaint.core.errors import ValidationFailed
from plaint.core.limits import max_length

# Every field a column can fill, in the order the mapping step lists them.
TARGETS = (
    "external_id",
    "received_at",
    "subject",
    "description",
    "desired_outcome",
    "name",
    "email",
    "phone",
    "language",
    "channel",
    "category",
    "product",
    "segment",
    "acknowledged_at",
    "decided_at",
    "closed_at",
    "referred_at",
    "outcome",
    "remedy",
    "decision",
)
REQUIRED = ("external_id", "received_at")
DATE_TARGETS = ("received_at", "acknowledged_at", "decided_at", "closed_at", "referred_at")
# The kinds whose values a mapping may translate into Plaint's codes.
VALUE_KINDS = ("channel", "category", "product", "outcome", "remedy")
# Headers recognised without a saved mapping (compared as ``header_key`` gives them): the usual
# names in helpdesk exports and in regulators' complaint databases.
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("complaint id", "id", "case id", "case number", "ticket id", "external id"),
    "received_at": ("date received", "received", "received at", "created", "created at", "opened"),
    "subject": ("issue", "subject", "title", "summary"),
    "description": ("consumer complaint narrative", "description", "narrative", "details"),
    "desired_outcome": ("desired outcome", "requested resolution"),
    "name": ("name", "complainant", "customer", "customer name", "consumer name"),
    "email": ("email", "e mail", "email address"),
    "phone": ("phone", "telephone", "phone number"),
    "language": ("language", "lang"),
    "channel": ("submitted via", "channel", "received via", "origin"),
    "category": ("category", "complaint category", "type"),
    "product": ("product", "service", "product or service"),
    "segment": ("segment", "customer segment"),
    "acknowledged_at": ("date sent to company", "acknowledged", "acknowledged at"),
    "decided_at": ("date responded", "responded at", "response date", "decided at", "decided"),
    "closed_at": ("date closed", "closed at", "closed", "resolved at"),
    "referred_at": ("date referred", "referred at", "escalated at"),
    "outcome": ("outcome", "closure reason", "resolution"),
    "remedy": ("company response to consumer", "remedy", "relief"),
    "decision": ("company public response", "decision", "response"),
}
UNKNOWN_NAME = ""  # exports are often anonymised: the complainant is recorded without a name


def header_key(header: str) -> str:
    """A header compared without case, punctuation or repeated spaces ("E-mail?" = "e mail")."""
    return " ".join(re.sub(r"[^\w]+", " ", header.lower()).split())


def guess_columns(header: list[str]) -> dict[str, str]:
    """target → the file's header, for each target one of whose aliases is in the header."""
    by_key = {header_key(h): h for h in header if h}
    guessed: dict[str, str] = {}
    for target, aliases in ALIASES.items():
        for alias in (target.replace("_", " "), *aliases):
            if alias in by_key and by_key[alias] not in guessed.values():
                guessed[target] = by_key[alias]
                break
    return guessed


def check_columns(columns: Mapping[str, str], header: list[str]) -> dict[str, int]:
    """The mapping checked against the file: target → the column's index. Refuses an unknown
    target, a column not in the file, and a mapping without the required targets."""
    problems: list[str] = []
    index: dict[str, int] = {}
    for target, column in columns.items():
        if not column:
            continue
        if target not in TARGETS:
            problems.append(_("Unknown field “%(t)s”.") % {"t": target})
        elif column not in header:
            problems.append(_("The file has no column “%(c)s”.") % {"c": column})
        else:
            index[target] = header.index(column)
    for target in REQUIRED:
        if target not in index and target in TARGETS:
            problems.append(_("Choose the column of “%(t)s”.") % {"t": target})
    if problems:
        raise ValidationFailed(
            _("Please correct the column mapping."), fields={"columns": problems}
        )
    return index


@dataclass
class ImportedCase:
    """One row, read and checked: the case as it is to be recorded."""

    line: int
    external_id: str
    received_at: dt.datetime
    subject: str
    description: str
    channel: str
    desired_outcome: str = ""
    name: str = UNKNOWN_NAME
    email: str = ""
    phone: str = ""
    language: str = "en"
    category: str = ""  # the category's code
    category_id: int | None = None
    product: str = ""
    segment: str = ""
    acknowledged_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    referred_at: dt.datetime | None = None
    outcome: str = ""  # a ClosureReason, for closed cases
    remedy: str = ""  # a RemedyKind, offered at the decision
    decision: str = ""

    @property
    def state(self) -> str:
        """The state the dates lead to."""
        if self.referred_at:
            return State.REFERRED_EXTERNAL
        if self.closed_at:
            return State.CLOSED
        if self.decided_at:
            return State.DECISION_COMMUNICATED
        if self.acknowledged_at:
            return State.ACKNOWLEDGED
        return State.RECEIVED


@dataclass
class RowContext:
    """What each row is read against: the columns' places, the value mappings, the active
    categories by code, the organisation's time zone and the time of the import."""

    index: dict[str, int]
    values: dict[str, dict[str, str]]  # kind → {value in the file (lower case): code}
    categories: dict[str, int]
    tz: zoneinfo.ZoneInfo
    now: dt.datetime
    month_first: bool = True  # 03/04/2024 is 4 March (False) or 3 April (True)
    defaults: dict[str, str] = field(default_factory=dict)
    # kind → {code or label, lower case: code}, made once: a label is a lazy translation
    choices: dict[str, dict[str, str]] = field(init=False)
    earliest: dt.datetime = field(init=False)
    latest: dt.datetime = field(init=False)

    def __post_init__(self) -> None:
        kinds = {"channel": Channel, "outcome": ClosureReason, "remedy": RemedyKind}
        self.choices = {
            kind: {
                **{str(label).lower(): code for code, label in choices.choices},
                **{code.lower(): code for code in choices.values},
            }
            for kind, choices in kinds.items()
        }
        self.earliest = dt.datetime.combine(EARLIEST_DAY, dt.time(), tzinfo=dt.UTC)
        self.latest = self.now + CLOCK_SKEW


def value_maps(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The saved value mappings, keys compared without case or surrounding spaces."""
    clean: dict[str, dict[str, str]] = {}
    for kind in VALUE_KINDS:
        rules = values.get(kind) or {}
        if not isinstance(rules, Mapping):
            raise ValidationFailed(
                _("Please correct the value mapping."),
                fields={"values": [_("“%(k)s” needs a list of values.") % {"k": kind}]},
            )
        clean[kind] = {str(k).strip().lower(): str(v).strip() for k, v in rules.items()}
    return clean


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")


def parse_moment(value: str, tz: zoneinfo.ZoneInfo, month_first: bool = True) -> dt.datetime:
    """A date or time as exports write them: ISO 8601, 31.03.2026 [14:05], 03/31/2026 (or
    31/03/2026 with ``month_first`` False). Without a zone: the organisation's local time."""
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        formats = list(_DATE_FORMATS)
        slash = "%m/%d/%Y" if month_first else "%d/%m/%Y"
        formats += [slash, f"{slash} %H:%M", f"{slash} %H:%M:%S", f"{slash} %I:%M:%S %p"]
        for fmt in formats:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


class _Row:
    """The checking of one row: its cells and the problems found."""

    def __init__(self, cells: list[str], ctx: RowContext) -> None:
        self.cells = cells
        self.ctx = ctx
        self.problems: list[str] = []

    def text(self, target: str, limit: int | None = None) -> str:
        i = self.ctx.index.get(target)
        value = self.cells[i].strip() if i is not None and i < len(self.cells) else ""
        if limit is not None and len(value) > limit:
            self.problems.append(_("%(f)s: at most %(n)s characters.") % {"f": target, "n": limit})
            value = value[:limit]
        return value

    def moment(self, target: str) -> dt.datetime | None:
        value = self.text(target)
        if not value:
            return None
        try:
            moment = parse_moment(value, self.ctx.tz, self.ctx.month_first)
        except ValueError:
            self.problems.append(
                _("%(f)s: “%(v)s” is not a date (e.g. 2026-03-31 or 2026-03-31T14:05).")
                % {"f": target, "v": value}
            )
            return None
        if not self.ctx.earliest <= moment <= self.ctx.latest:
            self.problems.append(f"{target}: {moment_error(moment, past=True)}")
            return None
        return moment

    def code(self, kind: str) -> str:
        """A value mapped to one of the kind's codes: by the mapping, else by the code or the
        label itself (any case)."""
        value = self.text(kind)
        mapped = self.ctx.values.get(kind, {}).get(value.lower())
        if mapped is not None:
            value = mapped
        if not value:
            return self.ctx.defaults.get(kind, "")
        choices = self.ctx.choices[kind]
        code = choices.get(value.lower())
        if code is None:
            self.problems.append(
                _("%(f)s: “%(v)s” is not one of %(c)s; map it in the value mapping.")
                % {"f": kind, "v": value, "c": ", ".join(sorted(set(choices.values())))}
            )
        return code or ""


def _contact(row: _Row) -> tuple[str, str, str]:
    name = row.text("name", max_length(Complainant, "name"))
    email = row.text("email", max_length(Complainant, "email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.problems.append(_("email: “%(v)s” is not an e-mail address.") % {"v": email})
    phone = row.text("phone", max_length(Complainant, "phone"))
    return name, email, phone


def _order(row: _Row, case: ImportedCase) -> None:
    """The dates in the order the lifecycle takes them."""
    steps = [
        ("received_at", case.received_at),
        ("acknowledged_at", case.acknowledged_at),
        ("decided_at", case.decided_at),
        ("closed_at", case.closed_at),
    ]
    last_name, last = "received_at", case.received_at
    for name, moment in steps[1:]:
        if moment is None:
            continue
        if moment < last:
            row.problems.append(_("%(a)s is before %(b)s.") % {"a": name, "b": last_name})
        last_name, last = name, moment
    if case.referred_at and case.referred_at < case.received_at:
        row.problems.append(_("%(a)s is before %(b)s.") % {"a": "referred_at", "b": "received_at"})
    if case.referred_at and case.closed_at:
        row.problems.append(_("A case is either closed or referred, not both."))


def read_row(line: int, cells: list[str], ctx: RowContext) -> ImportedCase | list[str]:
    """One row as an ``ImportedCase``, or the list of what is wrong with it."""
    row = _Row(cells, ctx)
    external_id = row.text("external_id", max_length(Complaint, "external_id"))
    if not external_id:
        row.problems.append(_("external_id: empty; every imported case needs its ID."))
    received_at = row.moment("received_at")
    if received_at is None and not row.text("received_at"):
        row.problems.append(_("received_at: empty."))
    description = row.text("description", DESCRIPTION_MAX)
    subject = row.text("subject", max_length(Complaint, "subject"))
    if not description and not subject:
        row.problems.append(_("Neither a subject nor a description."))
    name, email, phone = _contact(row)
    language = (row.text("language") or "en").lower()
    if language not in LANGUAGE_CODES:
        row.problems.append(_("language: one of %(l)s.") % {"l": ", ".join(sorted(LANGUAGE_CODES))})
    category = row.text("category")
    category = (ctx.values["category"].get(category.lower(), category)) if category else ""
    if category and category not in ctx.categories:
        row.problems.append(_("category: unknown category “%(v)s”.") % {"v": category})
    product = row.text("product")
    product = ctx.values["product"].get(product.lower(), product)[
        : max_length(Complaint, "product")
    ]
    dates = {t: row.moment(t) for t in DATE_TARGETS[1:]}
    case = ImportedCase(
        line=line,
        external_id=external_id,
        received_at=received_at or ctx.now,
        subject=subject or subject_from_text(description),
        description=description or subject,
        desired_outcome=row.text("desired_outcome", DESIRED_OUTCOME_MAX),
        channel=row.code("channel") or Channel.WEB,
        name=name,
        email=email,
        phone=phone,
        language=language,
        category=category,
        category_id=ctx.categories.get(category),
        product=product,
        segment=row.text("segment", max_length(Complaint, "segment")).lower(),
        outcome=row.code("outcome"),
        remedy=row.code("remedy"),
        decision=row.text("decision", STEP_TEXT_MAX),
        **dates,
    )
    if received_at is not None:
        _order(row, case)
    if case.closed_at and not case.decided_at and case.outcome != ClosureReason.WITHDRAWN:
        case.outcome = case.outcome or ClosureReason.NO_ANSWER
    if case.closed_at and not case.outcome:
        case.outcome = ClosureReason.ACCEPTED
    return row.problems or case
