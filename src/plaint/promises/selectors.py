"""Reads of codes, promises, checks and the scorecard, with access applied."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_read_complaints, require
from plaint.complaints.models import Complaint
from plaint.core.calendars import clock
from plaint.core.errors import NotFound
from plaint.core.selectors import calendar_get
from plaint.core.stats import wilson_interval
from plaint.promises.models import (
    BrokenPromiseClaim,
    Code,
    ProfileSelection,
    Promise,
    PromiseCheck,
    RegulatoryPause,
)
from plaint.promises.services import (
    ActivePromise,
    Snapshot,
    active_promises,
    clock_span,
    complaint_pauses,
)
from plaint.promises.states import PUBLIC, CheckStatus, Clock, CodeState

# --- codes --------------------------------------------------------------------------------------


def code_list(*, actor: Reader, state: str | None = None, limit: int = 200) -> list[Code]:
    """Every code version, newest version first per code (bounded), with promise counts."""
    require(can_read_complaints, actor, _("read codes of conduct"))
    qs = Code.objects.annotate(promise_count=Count("promises")).order_by("slug", "-version")
    if state:
        qs = qs.filter(state=state)
    return list(qs[:limit])


def code_get(*, actor: Reader, code_id: int) -> Code:
    require(can_read_complaints, actor, _("read codes of conduct"))
    code = Code.objects.filter(pk=code_id).prefetch_related("promises").first()
    if code is None:
        raise NotFound(_("No such code."))
    return code


def code_versions(*, code: Code) -> list[Code]:
    return list(
        Code.objects.filter(slug=code.slug)
        .order_by("-version")
        .only("id", "version", "state", "slug")
    )


def code_public_list() -> list[Code]:
    """Published codes (one row per code: the published version)."""
    return list(
        Code.objects.filter(state__in=list(PUBLIC))
        .prefetch_related("promises")
        .order_by("slug", "-version")
    )


def code_public_get(*, slug: str, version: int) -> Code:
    """A published version, or an earlier version that was published (retired after it)."""
    code = (
        Code.objects.filter(slug=slug, version=version, published_at__isnull=False)
        .prefetch_related("promises")
        .first()
    )
    if code is None:
        raise NotFound(_("No such published code."))
    return code


def code_languages(code: Code) -> list[str]:
    langs = set(code.title)
    for p in code.promises.all():
        langs |= set(p.texts)
    order = ["en", "et", "uk", "sv", "fa"]
    return sorted(langs, key=lambda lang: (order.index(lang) if lang in order else 99, lang))


def _code_lines(code: Code, language: str) -> list[str]:
    lines = [
        f"# {code.title_in(language)}",
        f"owner: {code.owner}",
        f"scope: products={code.scope_products} channels={code.scope_channels} "
        f"segments={code.scope_segments}",
        f"effective: {code.effective_from or '—'} - {code.effective_to or '—'}",
    ]
    for p in code.promises.all():
        lines += [
            "",
            f"## {p.key}",
            p.text_in(language),
            f"rule: {p.clock} within {p.limit_amount} {p.limit_unit}; calendar "
            f"{p.calendar_id or 'default'}; pauses while waiting: {p.pauses_while_waiting}; "
            f"regulatory pauses: {p.honours_regulatory_pauses}; target {p.target_rate}",
            f"applies to: categories={p.categories} channels={p.channels} "
            f"products={p.products} segments={p.segments}",
        ]
        if p.conditions:
            lines.append(f"conditions: {p.conditions}")
        if p.exclusions:
            lines.append(f"exclusions: {p.exclusions}")
    return lines


def code_diff(*, old: Code, new: Code, language: str = "en") -> list[tuple[str, str]]:
    """A line diff of two versions' texts and rules: (kind, line) with kind in ' ', '+', '-'."""
    out = []
    for line in difflib.ndiff(_code_lines(old, language), _code_lines(new, language)):
        kind = line[:1]
        if kind == "?":
            continue
        out.append((kind, line[2:]))
    return out


# --- checks on one complaint -------------------------------------------------------------------


@dataclass
class CheckView:
    check: PromiseCheck
    promise: Promise
    text: str
    due_at: dt.datetime | None
    elapsed: dt.timedelta | None = None
    paused: dt.timedelta | None = None
    remaining: dt.timedelta | None = None
    fraction_used: float | None = None
    at_risk: bool = False
    claims: list = field(default_factory=list)


def complaint_checks(
    *,
    complaint: Complaint,
    actor: Reader,
    now: dt.datetime | None = None,
    snapshot: Snapshot | None = None,
) -> list[CheckView]:
    """The complaint's promise checks with their clocks (elapsed, paused, remaining), in the
    order of their code and position. Two queries, one when the caller passes the
    configuration's ``snapshot`` (``active_promises``): the checks' own rows, their promises
    (with code) from the snapshot; a check of a promise no longer measured (its code retired)
    adds one statement for such promises."""
    require(can_read_complaints, actor, _("read complaints"))
    now = now or timezone.now()
    snap = snapshot or active_promises()
    by_id = {p.id: p for p in snap.promises}
    checks = list(PromiseCheck.objects.filter(complaint_id=complaint.pk))
    rows = snap.promise_rows
    missing = {c.promise_id for c in checks} - rows.keys()
    if missing:
        rows = rows | Promise.objects.select_related("code").in_bulk(missing)
    for c in checks:
        c.promise = rows[c.promise_id]
    checks.sort(key=lambda c: (c.promise.code.slug, c.promise.position, c.pk))
    language = getattr(getattr(complaint, "complainant", None), "language", "en")
    views = []
    for c in checks:
        p = c.promise
        view = CheckView(check=c, promise=p, text=p.text_in(language), due_at=c.due_at)
        active = by_id.get(p.id)
        if active is None and p.clock != Clock.MANUAL:
            active = ActivePromise.of(p, calendar_get(calendar_id=p.calendar_id))
        if active is not None and p.clock != Clock.MANUAL:
            start, stop = clock_span(complaint, active)
            if start is not None and c.status != CheckStatus.NOT_APPLICABLE:
                at = stop or now
                state = clock(
                    active.calendar,
                    start,
                    active.amount,
                    active.unit,
                    now=max(at, start),
                    pauses=complaint_pauses(complaint, active, snap.pauses),
                )
                view.elapsed, view.paused = state.elapsed, state.paused
                view.remaining, view.fraction_used = state.remaining, state.fraction_used
                view.at_risk = (
                    c.status == CheckStatus.PENDING
                    and state.fraction_used >= active.at_risk_fraction
                )
        views.append(view)
    return views


def promise_deadlines(*, complaint: Complaint) -> list[dict[str, Any]]:
    """The deadlines the complainant is promised (for the acknowledgement mail): one query."""
    language = complaint.complainant.language
    rows = (
        PromiseCheck.objects.filter(
            complaint_id=complaint.pk,
            promise__measured_only=False,
            status=CheckStatus.PENDING,
            due_at__isnull=False,
        )
        .select_related("promise")
        .order_by("due_at")
    )
    return [{"text": r.promise.text_in(language), "due_at": r.due_at} for r in rows]


def complaint_claims(*, complaint: Complaint) -> list[BrokenPromiseClaim]:
    return list(
        BrokenPromiseClaim.objects.filter(complaint_id=complaint.pk)
        .select_related("promise")  # the panel shows the promise's text, not its code
        .order_by("created_at")
    )


def claimable_promises() -> list[Promise]:
    """Promises of published codes a complaint can name as broken (also in the snapshot:
    ``Snapshot.claimable``)."""
    return list(
        Promise.objects.filter(code__state__in=list(PUBLIC))
        .select_related("code")
        .order_by("code__slug", "position")
    )


# --- pauses and profiles ------------------------------------------------------------------------


def regulatory_pause_list(*, actor: Reader, limit: int = 200) -> list[RegulatoryPause]:
    require(can_read_complaints, actor, _("read regulatory pauses"))
    return list(RegulatoryPause.objects.select_related("category", "created_by")[:limit])


def profile_selection_list(*, actor: Reader) -> list[ProfileSelection]:
    require(can_read_complaints, actor, _("read profile selections"))
    return list(ProfileSelection.objects.select_related("code", "category", "selected_by")[:200])


# --- scorecard ----------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    """One month of one promise. ``version`` is the newest code version whose promise produced the
    row's checks (or claims); the titles, text and target are that version's, never a draft's."""

    code_slug: str
    promise_key: str
    month: dt.date
    version: int = 0
    code_title: str = ""
    promise_text: str = ""
    target: float = 0.0
    cases: int = 0
    met: int = 0
    breached: int = 0
    pending: int = 0
    claims: int = 0
    claims_not_breached: int = 0
    rate: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def judged(self) -> int:
        return self.met + self.breached

    @property
    def broken(self) -> int:
        """Measured breaches plus claims on cases whose check was not breached."""
        return self.breached + self.claims_not_breached

    @property
    def below_target(self) -> bool:
        return self.high is not None and self.high < self.target


def _month_start(now: dt.datetime, months: int) -> dt.datetime:
    local = timezone.localtime(now)
    year, month = local.year, local.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def scorecard(
    *,
    actor: Reader,
    months: int = 12,
    code_slug: str | None = None,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> list[ScoreRow]:
    """Per code, promise (by key, across versions) and month of receipt: cases, met, breached,
    pending, claims and the fulfilment rate met / (met + breached) with a 95% Wilson interval.
    Titles and texts in ``language`` (default: the active language), falling back as the models
    do. At most four queries, whatever the number of complaints."""
    require(can_read_complaints, actor, _("read the promise scorecard"))
    now = now or timezone.now()
    since = _month_start(now, max(1, min(months, 60)))
    checks = PromiseCheck.objects.filter(complaint__received_at__gte=since).exclude(
        status=CheckStatus.NOT_APPLICABLE
    )
    claims = BrokenPromiseClaim.objects.filter(complaint__received_at__gte=since)
    if code_slug:
        checks = checks.filter(promise__code__slug=code_slug)
        claims = claims.filter(promise__code__slug=code_slug)
    tz = timezone.get_current_timezone()
    grouped = (
        checks.annotate(month=TruncMonth("complaint__received_at", tzinfo=tz))
        .values("promise__code__slug", "promise__key", "month")
        .annotate(
            version=Max("promise__code__version"),
            cases=Count("id"),
            met=Count("id", filter=Q(status=CheckStatus.MET)),
            breached=Count("id", filter=Q(status=CheckStatus.BREACHED)),
            pending=Count("id", filter=Q(status=CheckStatus.PENDING)),
        )
    )
    rows = _ScoreRows()
    for g in grouped:
        r = rows.row(g["promise__code__slug"], g["promise__key"], g["month"], g["version"])
        r.cases, r.met, r.breached, r.pending = g["cases"], g["met"], g["breached"], g["pending"]
    _count_claims(rows, claims, tz)
    _describe(rows, language or (get_language() or "en").split("-")[0])
    for r in rows.values():
        if r.judged:
            r.rate = r.met / r.judged
            r.low, r.high = wilson_interval(r.met, r.judged, 0.95)
    return sorted(rows.values(), key=lambda r: (r.code_slug, r.promise_key, r.month))


class _ScoreRows(dict[tuple[str, str, dt.date], ScoreRow]):
    """The scorecard's rows by (code slug, promise key, month), made on first use; each remembers
    the newest code version that produced its checks or claims."""

    def row(self, slug: str, key: str, month: dt.date | dt.datetime, version: int) -> ScoreRow:
        month_date = month.date() if isinstance(month, dt.datetime) else month
        k = (slug, key, month_date)
        if k not in self:
            self[k] = ScoreRow(code_slug=slug, promise_key=key, month=month_date)
        self[k].version = max(self[k].version, version)
        return self[k]


def _count_claims(rows: _ScoreRows, claims: QuerySet[BrokenPromiseClaim], tz: dt.tzinfo) -> None:
    """Add the broken-promise claims to the rows, by month of receipt; a claim on a case whose
    check was not breached counts as a broken promise the clock did not see."""
    claim_rows = list(
        claims.annotate(month=TruncMonth("complaint__received_at", tzinfo=tz)).values_list(
            "complaint_id", "promise__code__slug", "promise__key", "month", "promise__code__version"
        )
    )
    breached_claimed = (
        set(
            PromiseCheck.objects.filter(
                complaint_id__in={c[0] for c in claim_rows}, status=CheckStatus.BREACHED
            ).values_list("complaint_id", "promise__code__slug", "promise__key")
        )
        if claim_rows
        else set()
    )
    for complaint_id, slug, key, month, version in claim_rows:
        r = rows.row(slug, key, month, version)
        r.claims += 1
        if (complaint_id, slug, key) not in breached_claimed:
            r.claims_not_breached += 1


def _describe(rows: _ScoreRows, language: str) -> None:
    """Give each row the title, text and target of the promise version that produced it: one
    query over the measured versions only (a draft never produces checks, and is never read)."""
    wanted = {(r.code_slug, r.promise_key, r.version) for r in rows.values()}
    if not wanted:
        return
    promises = {
        (p.code.slug, p.key, p.code.version): p
        for p in Promise.objects.select_related("code")
        .filter(
            code__slug__in={w[0] for w in wanted},
            key__in={w[1] for w in wanted},
            code__version__in={w[2] for w in wanted},
        )
        .exclude(code__state=CodeState.DRAFT)
    }
    for r in rows.values():
        p = promises.get((r.code_slug, r.promise_key, r.version))
        r.code_title = p.code.title_in(language) if p else r.code_slug
        r.promise_text = p.text_in(language) if p else r.promise_key
        r.target = float(p.target_rate) if p else 0.0


@dataclass
class Performance:
    met: int
    cases: int

    @property
    def rate(self) -> float | None:
        return self.met / self.cases if self.cases else None


def public_performance(*, code: Code, now: dt.datetime | None = None) -> dict[str, Performance]:
    """Per promise key of this code (across its versions): fulfilment over the last 12 months of
    decided checks (met or breached). One query."""
    now = now or timezone.now()
    rows = (
        PromiseCheck.objects.filter(
            promise__code__slug=code.slug,
            complaint__received_at__gte=now - dt.timedelta(days=365),
            status__in=[CheckStatus.MET, CheckStatus.BREACHED],
        )
        .values("promise__key")
        .annotate(cases=Count("id"), met=Count("id", filter=Q(status=CheckStatus.MET)))
    )
    return {r["promise__key"]: Performance(met=r["met"], cases=r["cases"]) for r in rows}
