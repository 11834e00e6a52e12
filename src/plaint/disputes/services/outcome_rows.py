"""The rows of a provider's export of past dispute outcomes: which column is which field (the
usual names, or the caller's mapping), the provider's words mapped to Plaint's outcomes and
methods, and one row read and checked. Reads nothing from the database; writes nothing. The
header matching and the dates are the complaint history import's (``complaints.services
.importrows``)."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from plaint.complaints.services.importrows import header_key, parse_moment
from plaint.core.bounds import CLOCK_SKEW, EARLIEST_DAY, moment_error
from plaint.core.errors import ValidationFailed
from plaint.disputes.lifecycle import OUTCOMES, Outcome, State
from plaint.disputes.services.common import amount, currency
from plaint.disputes.states import Method

# Every field a column can fill, in the order the mapping step lists them.
TARGETS = (
    "complaint",
    "provider_reference",
    "method",
    "outcome",
    "opened_at",
    "decided_at",
    "claimed_amount",
    "currency",
    "reasons",
)
REQUIRED = ("complaint", "provider_reference", "outcome", "decided_at")
VALUE_KINDS = ("outcome", "method")
# Two ways a case ends without an outcome; every other outcome code is a lifecycle ``Outcome``.
EXITS = {"withdrawn": State.WITHDRAWN, "out_of_scope": State.OUT_OF_SCOPE}
OUTCOME_CODES = (*Outcome.values, *EXITS)
ALIASES: dict[str, tuple[str, ...]] = {
    "complaint": (
        "complaint reference", "complaint", "trader reference", "company reference",
        "your reference", "organisation reference", "case reference",
    ),
    "provider_reference": (
        "provider reference", "case number", "case id", "file number", "our reference",
        "reference", "id",
    ),
    "method": ("method", "procedure", "process", "type of procedure"),
    "outcome": ("outcome", "result", "decision", "resolution"),
    "opened_at": ("opened", "opened at", "date received", "received", "filed", "date filed"),
    "decided_at": (
        "decided", "decided at", "decision date", "date of decision", "closed", "date closed",
        "closed at",
    ),
    "claimed_amount": ("claimed amount", "amount claimed", "claim", "amount", "value"),
    "currency": ("currency", "claim currency"),
    "reasons": ("reasons", "grounds", "summary"),
}  # fmt: skip


def value_key(value: str) -> str:
    """A provider's word compared without case or spaces around it, in one Unicode form, and
    with the Arabic yeh and kaf that Persian text often carries read as the Persian letters."""
    text = unicodedata.normalize("NFC", value).strip().casefold()
    return text.replace("\u064a", "\u06cc").replace("\u0643", "\u06a9")


def guess_columns(header: list[str]) -> dict[str, str]:
    """target → the file's header, for each target one of whose usual names is in the header."""
    by_key = {header_key(h): h for h in header if h}
    guessed: dict[str, str] = {}
    for target, aliases in ALIASES.items():
        for alias in (target.replace("_", " "), *aliases):
            if alias in by_key and by_key[alias] not in guessed.values():
                guessed[target] = by_key[alias]
                break
    return guessed


def _refuse(field_name: str, problems: list[str]) -> ValidationFailed:
    return ValidationFailed(_("Please correct the mapping."), fields={field_name: problems})


def check_columns(columns: Mapping[str, str], header: list[str]) -> dict[str, int]:
    """The column mapping checked against the file's header: target → the column's index."""
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
    problems += [_("Choose the column of “%(t)s”.") % {"t": t} for t in REQUIRED if t not in index]
    if problems:
        raise _refuse("columns", problems)
    return index


def value_maps(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The provider's words for each kind → Plaint's codes, each code checked."""
    known = {"outcome": set(OUTCOME_CODES), "method": set(Method.values)}
    clean: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for kind in VALUE_KINDS:
        rules = values.get(kind) or {}
        if not isinstance(rules, Mapping):
            raise _refuse("values", [_("“%(k)s” needs a list of values.") % {"k": kind}])
        clean[kind] = {value_key(str(k)): str(v).strip() for k, v in rules.items()}
        problems += [
            _("“%(v)s” is not one of %(c)s.") % {"v": code, "c": ", ".join(sorted(known[kind]))}
            for code in clean[kind].values()
            if code not in known[kind]
        ]
    default = str(values.get("default_method") or "")
    if default and default not in Method.values:
        problems.append(_("The default method is not one of %(c)s.") % {"c": ", ".join(Method)})
    if problems:
        raise _refuse("values", problems)
    return clean


@dataclass
class RowContext:
    index: dict[str, int]
    values: dict[str, dict[str, str]]
    tz: zoneinfo.ZoneInfo
    now: dt.datetime
    month_first: bool = True
    default_method: str = ""
    earliest: dt.datetime = field(init=False)

    def __post_init__(self) -> None:
        self.earliest = dt.datetime.combine(EARLIEST_DAY, dt.time(), tzinfo=dt.UTC)


@dataclass
class PastOutcome:
    """One row, read and checked: the dispute as it is to be recorded."""

    line: int
    complaint: str
    provider_reference: str
    method: str
    outcome: str  # an Outcome, or "" for a withdrawal or out of scope
    state: str
    decided_at: dt.datetime
    opened_at: dt.datetime
    claimed_amount: Decimal | None
    currency: str
    reasons: str


class _Row:
    def __init__(self, cells: list[str], ctx: RowContext) -> None:
        self.cells, self.ctx, self.problems = cells, ctx, list[str]()

    def text(self, target: str, limit: int = 5000) -> str:
        i = self.ctx.index.get(target)
        value = self.cells[i].strip() if i is not None and i < len(self.cells) else ""
        if len(value) > limit:
            self.problems.append(_("%(f)s: at most %(n)s characters.") % {"f": target, "n": limit})
        return value[:limit]

    def code(self, kind: str, known: tuple[str, ...] | list[str]) -> str:
        value = self.text(kind)
        mapped = self.ctx.values[kind].get(value_key(value), value)
        if mapped and value_key(mapped) in known:
            return value_key(mapped)
        if value:
            self.problems.append(
                _("%(f)s: “%(v)s” is not one of %(c)s; map it in the value mapping.")
                % {"f": kind, "v": value, "c": ", ".join(known)}
            )
        return ""

    def moment(self, target: str) -> dt.datetime | None:
        value = self.text(target)
        if not value:
            return None
        try:
            moment = parse_moment(value, self.ctx.tz, self.ctx.month_first)
        except ValueError:
            self.problems.append(
                _("%(f)s: “%(v)s” is not a date (e.g. 2026-03-31 or 31.03.2026).")
                % {"f": target, "v": value}
            )
            return None
        if not self.ctx.earliest <= moment <= self.ctx.now + CLOCK_SKEW:
            self.problems.append(f"{target}: {moment_error(moment, past=True)}")
            return None
        return moment

    def money(self) -> tuple[Decimal | None, str]:
        # "1 234,50" as Estonian and Swedish exports write it is 1234.50
        raw = self.text("claimed_amount").replace("\u00a0", "").replace(" ", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = amount(raw, "claimed_amount")
            code = currency(self.text("currency"), "currency", required=value is not None)
        except ValidationFailed as exc:
            self.problems += [f"{k}: {m}" for k, ms in exc.fields.items() for m in ms]
            return None, ""
        return value, code


def _method(row: _Row, outcome: str) -> str:
    method = row.code("method", Method.values) or row.ctx.default_method
    if not method and outcome in Outcome.values:
        fits = [m for m, allowed in OUTCOMES.items() if outcome in allowed]
        method = fits[0] if len(fits) == 1 else ""
    if not method:
        row.problems.append(_("method: empty, and the outcome does not say which method it was."))
    elif outcome in Outcome.values and outcome not in OUTCOMES[method]:
        row.problems.append(
            _("outcome: “%(o)s” is not an outcome of the %(m)s method.")
            % {"o": outcome, "m": method}
        )
    return method


def read_row(line: int, cells: list[str], ctx: RowContext) -> PastOutcome | list[str]:
    """One row as a ``PastOutcome``, or the list of what is wrong with it."""
    row = _Row(cells, ctx)
    complaint = row.text("complaint", 100)
    reference = row.text("provider_reference", 100)
    if not complaint:
        row.problems.append(_("complaint: empty; every outcome belongs to a complaint."))
    if not reference:
        row.problems.append(_("provider_reference: empty; it is what keeps a re-import single."))
    outcome = row.code("outcome", OUTCOME_CODES)
    if not outcome and not row.text("outcome"):
        row.problems.append(_("outcome: empty."))
    method = _method(row, outcome) if outcome else ""
    decided, opened = row.moment("decided_at"), row.moment("opened_at")
    if decided is None and not row.text("decided_at"):
        row.problems.append(_("decided_at: empty."))
    if decided and opened and opened > decided:
        row.problems.append(_("%(a)s is before %(b)s.") % {"a": "decided_at", "b": "opened_at"})
    claimed, code = row.money()
    if row.problems or decided is None:
        return row.problems
    return PastOutcome(
        line=line, complaint=complaint, provider_reference=reference, method=method,
        outcome="" if outcome in EXITS else outcome,
        state=EXITS.get(outcome, State.CLOSED), decided_at=decided, opened_at=opened or decided,
        claimed_amount=claimed, currency=code, reasons=row.text("reasons"),
    )  # fmt: skip
