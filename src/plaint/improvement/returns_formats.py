"""The two regulatory return formats as data: their reporting periods (half-years), the outcome
Plaint derives for a complaint, and each file's column dictionary (name, meaning, where Plaint
fills it from). docs/returns.md says the same in prose; the returns page and the API show these
dictionaries, so the three never disagree."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaint.complaints.models import RemedyKind
from plaint.core.errors import ValidationFailed
from plaint.improvement.models_returns import ReturnFormat, SourceKind

PERIOD_PATTERN = re.compile(r"^(\d{4})-H([12])$")
PERIODS_OFFERED = 6  # half-years offered on the page: the current one and five before it
FILE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Period:
    """A reporting half-year in the organisation's time zone: ``start`` inclusive, ``end``
    exclusive (aware datetimes)."""

    label: str  # "2026-H1"
    start: dt.datetime
    end: dt.datetime


def period_of(year: int, half: int, zone: ZoneInfo) -> Period:
    start = dt.datetime(year, 1 if half == 1 else 7, 1, tzinfo=zone)
    end = (
        dt.datetime(year, 7, 1, tzinfo=zone)
        if half == 1
        else dt.datetime(year + 1, 1, 1, tzinfo=zone)
    )
    return Period(f"{year}-H{half}", start, end)


def period_parse(value: str, zone: ZoneInfo) -> Period:
    """``YYYY-H1`` (January to June) or ``YYYY-H2`` (July to December); anything else is a
    ``ValidationFailed`` naming the ``period`` parameter."""
    found = PERIOD_PATTERN.match(value or "")
    if found is None or not 1900 <= int(found.group(1)) <= 9998:
        message = _("Give the period as a year and a half, e.g. 2026-H1 or 2026-H2.")
        raise ValidationFailed(message, fields={"period": [message]})
    return period_of(int(found.group(1)), int(found.group(2)), zone)


def periods_recent(today: dt.date, zone: ZoneInfo, count: int = PERIODS_OFFERED) -> list[Period]:
    """The half-year containing ``today`` and the ``count - 1`` before it, newest first."""
    year, half = today.year, 1 if today.month <= 6 else 2
    found = []
    for _step in range(count):
        found.append(period_of(year, half, zone))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return found


def period_default(today: dt.date, zone: ZoneInfo) -> Period:
    """The last complete half-year: what a return is usually filed for."""
    return periods_recent(today, zone, 2)[1]


# --- the outcome Plaint derives for a resolved complaint ----------------------------------------


class Outcome:
    """Plaint has no "upheld" field: the outcome of a resolved complaint is derived from how it
    ended and from the remedies of its latest proposal (``outcome_of``), and the mapping turns
    it into the regulator's code."""

    REMEDY = "remedy"  # a remedy beyond an explanation was offered
    NO_REMEDY = "no_remedy"  # an explanation only, or nothing
    WITHDRAWN = "withdrawn"
    OUT_OF_SCOPE = "out_of_scope"

    LABELS = {
        REMEDY: gettext_lazy("Resolved with a remedy (apology, refund, repair …)"),
        NO_REMEDY: gettext_lazy("Resolved with an explanation only, or no remedy"),
        WITHDRAWN: gettext_lazy("Withdrawn by the complainant"),
        OUT_OF_SCOPE: gettext_lazy("Out of scope"),
    }


# The strongest remedy of a complaint names it in the per-complaint file: money first, then what
# repairs the harm, then words.
REMEDY_RANK = (
    RemedyKind.COMPENSATION,
    RemedyKind.REFUND,
    RemedyKind.REPLACEMENT,
    RemedyKind.REPAIR,
    RemedyKind.OTHER,
    RemedyKind.APOLOGY,
    RemedyKind.EXPLANATION,
)


def outcome_of(
    *, resolved: bool, state: str, closure_reason: str, strongest_remedy: str | None
) -> str:
    """The outcome key of a complaint ("" while it is not resolved)."""
    if not resolved:
        return ""
    if state == "out_of_scope":
        return Outcome.OUT_OF_SCOPE
    if closure_reason == "withdrawn":
        return Outcome.WITHDRAWN
    if strongest_remedy and strongest_remedy != RemedyKind.EXPLANATION:
        return Outcome.REMEDY
    return Outcome.NO_REMEDY


# --- the column dictionaries ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file: stable, never translated
    meaning: Promise
    source: Promise  # where Plaint fills it from, or how it is filled when Plaint cannot know


HALF_YEARLY_COLUMNS = (
    Column(
        "product_group",
        gettext_lazy("The regulator's product or service group."),
        gettext_lazy("The complaint's product through the mapping (kind: product)."),
    ),
    Column(
        "cause_category",
        gettext_lazy("The regulator's category of the complaint's main cause."),
        gettext_lazy("The complaint's category through the mapping (kind: category)."),
    ),
    Column(
        "opened",
        gettext_lazy("Complaints received in the period."),
        gettext_lazy("Received time inside the period."),
    ),
    Column(
        "closed",
        gettext_lazy("Complaints given a final response in the period."),
        gettext_lazy(
            "The decision's time (or, for a case closed without a decision, its closing time) "
            "inside the period."
        ),
    ),
    Column(
        "closed_within_3_business_days",
        gettext_lazy("Of those closed, closed by the end of the third business day."),
        gettext_lazy("Counted on the organisation's default business calendar."),
    ),
    Column(
        "closed_within_time_limit",
        gettext_lazy("Of those closed, closed later than that but by the final-response limit."),
        gettext_lazy("The case's response due time (from its promises and regulatory profile)."),
    ),
    Column(
        "closed_after_time_limit",
        gettext_lazy("Of those closed, closed after the final-response limit."),
        gettext_lazy("The case's response due time (from its promises and regulatory profile)."),
    ),
    Column(
        "upheld",
        gettext_lazy("Of those closed, upheld (wholly or partly in the complainant's favour)."),
        gettext_lazy("The derived outcome through the mapping (kind: outcome) giving upheld."),
    ),
    Column(
        "redress_paid",
        gettext_lazy("Money paid or credited to complainants for the complaints closed."),
        gettext_lazy(
            "The amounts of refunds and compensation of the latest proposal, summed as recorded "
            "(whatever their currency)."
        ),
    ),
    Column(
        "open_at_end",
        gettext_lazy("Complaints still without a final response when the period ended."),
        gettext_lazy("Received before the period's end, no decision or closing before it."),
    ),
)

IDR_COLUMNS = (
    Column(
        "complaint_id",
        gettext_lazy("A unique identifier of the complaint, the same in every file."),
        gettext_lazy("The complaint's reference."),
    ),
    Column(
        "received_date",
        gettext_lazy("The day the complaint was received."),
        gettext_lazy("Received time, in the organisation's time zone."),
    ),
    Column(
        "closed_date",
        gettext_lazy("The day of the final response; blank while the complaint is open."),
        gettext_lazy("The decision's time, else the closing time; left blank when open."),
    ),
    Column(
        "status",
        gettext_lazy("open or closed at the end of the period."),
        gettext_lazy("Whether the final response came before the period's end."),
    ),
    Column(
        "complainant_type",
        gettext_lazy("Individual or small business."),
        gettext_lazy(
            "Plaint does not know it: the customer segment through the mapping (kind: segment); "
            "the seeded default gives every segment without a row of its own individual."
        ),
    ),
    Column(
        "channel",
        gettext_lazy("How the complaint was made."),
        gettext_lazy("The complaint's channel through the mapping (kind: channel)."),
    ),
    Column(
        "product",
        gettext_lazy("The product or service complained about."),
        gettext_lazy("The complaint's product through the mapping (kind: product)."),
    ),
    Column(
        "issue",
        gettext_lazy("What the complaint is about."),
        gettext_lazy("The complaint's category through the mapping (kind: category)."),
    ),
    Column(
        "issue_2",
        gettext_lazy("A second issue; blank when there is none."),
        gettext_lazy(
            "The root cause from the taxonomy through the mapping (kind: root cause); blank "
            "when the case names no cause."
        ),
    ),
    Column(
        "outcome",
        gettext_lazy("How the complaint was resolved; blank while open."),
        gettext_lazy("The derived outcome through the mapping (kind: outcome)."),
    ),
    Column(
        "remedy",
        gettext_lazy("The main remedy given; blank when none."),
        gettext_lazy(
            "The strongest remedy of the latest proposal through the mapping (kind: remedy)."
        ),
    ),
    Column(
        "monetary_amount",
        gettext_lazy("Money paid or credited; blank when none."),
        gettext_lazy("The refunds and compensation of the latest proposal, summed."),
    ),
    Column(
        "currency",
        gettext_lazy("The currency of that amount (ISO 4217)."),
        gettext_lazy("As recorded with the remedies; several are listed with spaces between."),
    ),
    Column(
        "days_to_close",
        gettext_lazy("Calendar days from receipt to the final response; blank while open."),
        gettext_lazy("Days between the two dates in the organisation's time zone."),
    ),
    Column(
        "response_due_date",
        gettext_lazy("The day the final response was due."),
        gettext_lazy("The case's response due time (from its promises and regulatory profile)."),
    ),
    Column(
        "within_time_limit",
        gettext_lazy("Y when the final response came by the limit, N when later; blank when open."),
        gettext_lazy("The final response's time against the response due time."),
    ),
)

COLUMNS = {ReturnFormat.HALF_YEARLY: HALF_YEARLY_COLUMNS, ReturnFormat.IDR: IDR_COLUMNS}

# The values each format codes through the mapping, in the order the page lists them.
KINDS = {
    ReturnFormat.HALF_YEARLY: (SourceKind.PRODUCT, SourceKind.CATEGORY, SourceKind.OUTCOME),
    ReturnFormat.IDR: (
        SourceKind.PRODUCT,
        SourceKind.CATEGORY,
        SourceKind.ROOT_CAUSE,
        SourceKind.OUTCOME,
        SourceKind.REMEDY,
        SourceKind.CHANNEL,
        SourceKind.SEGMENT,
    ),
}


def dictionary(report: str) -> list[dict[str, str]]:
    """A format's column dictionary in the active language (page, API)."""
    return [
        {"column": c.name, "meaning": str(c.meaning), "source": str(c.source)}
        for c in COLUMNS[ReturnFormat(report)]
    ]
