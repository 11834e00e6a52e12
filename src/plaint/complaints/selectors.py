"""Reads of complaints. Every page and endpoint fetches through here, and access is applied here."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import (
    STAFF_ROLES,
    Reader,
    can_read_complaints,
    can_read_internal_notes,
)
from plaint.accounts.models import Role, User
from plaint.complaints.models import (
    Category,
    Complaint,
    ComplaintQuerySet,
    Message,
    QueuePreference,
    Remedy,
    ReplyTemplate,
    SavedView,
)
from plaint.complaints.queue_views import BUILTIN_VIEWS, QueueView
from plaint.complaints.search import bare_number, search_words
from plaint.complaints.selectors_page import case_page_complaints
from plaint.complaints.services import BulkChange, Selection, tracking_digest
from plaint.complaints.visibility import Known, visible_complaints
from plaint.core.errors import NotFound, ValidationFailed, choose_one_of
from plaint.core.locales import text_in
from plaint.core.models import Attachment, AuditEvent
from plaint.core.pagination import page_size
from plaint.core.selectors import config_cached

SORTS = {
    "newest": ("-received_at", "-id"),
    "oldest": ("received_at", "id"),
    "due": ("response_due_at", "id"),
}


@dataclass
class QueueFilters:
    state: list[str] = field(default_factory=list)
    assignee: str = ""  # user id, "me" or "none"
    team: int | None = None
    category: str = ""
    channel: str = ""
    severity: str = ""
    overdue: bool = False
    safety: bool = False  # safety issues only
    due: str = ""  # "today" or "week": the response is due by the end of this day / week
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""
    sort: str = "newest"


# Queue counts are exact up to this many; beyond it a page says "more than COUNT_LIMIT".
COUNT_LIMIT = 10_000
# A text search counts to a lower limit: its count must test the words against every row it
# counts (at 1,000,000 complaints, 10,000 matches of a common word meant reading ~100,000 rows,
# 140 ms; 1,000 matches read ~10,000 rows). The page itself stops after one page of matches.
SEARCH_COUNT_LIMIT = 1_000


@dataclass
class Page:
    items: list[Complaint]
    next_cursor: str | None
    total: int | None  # None when not counted, or when there are more than COUNT_LIMIT
    total_exceeds: int | None = None  # COUNT_LIMIT when the count stopped there


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != 2:
            raise ValueError
        return [dt.datetime.fromisoformat(values[0]), int(values[1])]
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            _("The page cursor is not valid."), fields={"cursor": [_("Invalid cursor.")]}
        ) from exc


def complaint_queryset(*, actor: Reader, known: Known | None = None) -> ComplaintQuerySet:
    """The complaints ``actor`` may read (``visibility``): every list, case, search and export
    starts here. ``known``: the rule's configuration when the caller has it from the
    configuration cache (``visibility_known``), else the statement reads it."""
    if not can_read_complaints(actor):
        return Complaint.objects.none()
    return visible_complaints(
        actor,
        Complaint.objects.select_related("complainant", "category", "assignee", "team"),
        known=known,
    )


def _apply_filters(qs: ComplaintQuerySet, f: QueueFilters, actor: Reader) -> ComplaintQuerySet:
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.assignee == "me":
        qs = qs.filter(assignee_id=actor.pk)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee:
        try:
            qs = qs.filter(assignee_id=int(f.assignee))
        except ValueError as exc:
            raise ValidationFailed(
                _("Unknown assignee."), fields={"assignee": [_("Use a user id, me or none.")]}
            ) from exc
    if f.team:
        qs = qs.filter(team_id=f.team)
    if f.category:
        # The category's id as a scalar subquery, not a join on its code: PostgreSQL then knows
        # the id as one value and walks complaint_category_state_idx (category, state, newest
        # first) to the page's last row, instead of joining every matching complaint and sorting
        # them all (2,280 rows of 100,000 for one state and category: 13 ms against 0.5 ms).
        category_id = Category.objects.filter(code=f.category).order_by().values("pk")[:1]
        qs = qs.filter(category_id=Subquery(category_id))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.overdue:
        qs = qs.overdue(timezone.now())  # the same rule as the queue's red row
    if f.safety:
        qs = qs.filter(safety_issue=True)
    if f.due:
        qs = qs.filter(response_due_at__lt=due_by(f.due), response_paused=False)
    if f.received_from:
        qs = qs.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__date__lte=f.received_to)
    if f.q:
        term = f.q.strip()
        if term.upper().startswith("C-"):
            qs = qs.filter(reference__iexact=term)
        else:
            qs = _apply_text_search(qs, term)
    return qs


DUE_WINDOWS = ("today", "week")


def due_by(window: str, now: dt.datetime | None = None) -> dt.datetime:
    """The end of ``window`` ("today", or "week": the ISO week, Monday to Sunday) in the current
    time zone (the organisation's on staff pages): the "due by" filter's bound. A case due earlier
    (overdue ones included) is due by then; a stopped response clock is no deadline."""
    if window not in DUE_WINDOWS:
        raise ValidationFailed(
            _("Unknown due window."), fields={"due": [choose_one_of(DUE_WINDOWS)]}
        )
    today = timezone.localtime(now or timezone.now()).date()
    days = 1 if window == "today" else 7 - today.weekday()
    end = dt.datetime.combine(today + dt.timedelta(days=days), dt.time.min)
    return timezone.make_aware(end)


# Reference years a bare number is looked up in (``C-<year>-<number>``): an IN list the
# reference's unique index answers, rather than a LIKE '%-000303' that reads every row.
FIRST_REFERENCE_YEAR = 2000


def _apply_text_search(qs: ComplaintQuerySet, term: str) -> ComplaintQuerySet:
    """Every word of ``term`` as a substring of ``search_document`` (AND, any order), both in
    the form ``complaints.search.normalise`` gives. One column, one trigram index on
    PostgreSQL (migration 0003): a common word is found by walking the newest-first index until
    the page is full, a rare one from the trigram index. A query of digits only ("303",
    "000303") also finds the case with that reference number, in any year."""
    words = search_words(term)
    number = bare_number(words)
    if number is not None:
        years = range(FIRST_REFERENCE_YEAR, timezone.now().year + 2)
        references = [f"C-{year}-{number:06d}" for year in years]
        return qs.filter(Q(reference__in=references) | Q(search_document__contains=words[0]))
    for word in words:
        qs = qs.filter(search_document__contains=word)
    return qs


def _count_up_to(qs: QuerySet[Complaint], limit: int) -> int:
    """The number of rows, but stop counting after ``limit + 1``: a count of a million rows costs
    a scan of a million rows on every page view."""
    return qs.values("pk").order_by()[: limit + 1].count()


def complaint_list(
    *,
    actor: Reader,
    filters: QueueFilters,
    cursor: str | None = None,
    limit: int = 25,
    with_total: bool = True,
    known: Known | None = None,
) -> Page:
    """One page of the queue by keyset pagination: a constant number of queries at any depth.
    ``known`` as in ``complaint_queryset``."""
    if filters.sort not in SORTS:
        raise ValidationFailed(_("Unknown sort."), fields={"sort": [choose_one_of(SORTS)]})
    limit = page_size(limit, default=25)
    qs = complaint_queryset(actor=actor, known=known)
    qs = _apply_filters(qs, filters, actor)
    total = total_exceeds = None
    if with_total:
        searching = bool(filters.q.strip()) and not filters.q.strip().upper().startswith("C-")
        count_limit = SEARCH_COUNT_LIMIT if searching else COUNT_LIMIT
        counted = _count_up_to(qs, count_limit)
        if counted > count_limit:
            total_exceeds = count_limit
        else:
            total = counted
    order = SORTS[filters.sort]
    key_field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    if cursor:
        value, last_id = _decode_cursor(cursor, filters.sort)
        if descending:
            qs = qs.filter(
                Q(**{f"{key_field}__lt": value}) | Q(**{key_field: value, "id__lt": last_id})
            )
        else:
            qs = qs.filter(
                Q(**{f"{key_field}__gt": value}) | Q(**{key_field: value, "id__gt": last_id})
            )
    rows = list(qs.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode_cursor([getattr(last, key_field), last.pk])
    return Page(items=rows, next_cursor=next_cursor, total=total, total_exceeds=total_exceeds)


def complaint_register(
    *, actor: Reader, filters: QueueFilters, with_complainant: bool = False
) -> Iterator[Complaint]:
    """Every complaint the queue shows for ``filters``, in the queue's order, for the register
    export: one statement however many rows (``iterator``: a server-side cursor on PostgreSQL,
    chunked fetches on SQLite), so memory stays flat. The complainant is joined only when asked."""
    if filters.sort not in SORTS:
        raise ValidationFailed(_("Unknown sort."), fields={"sort": [choose_one_of(SORTS)]})
    qs = _apply_filters(complaint_queryset(actor=actor), filters, actor)
    related = ["category", "assignee", "team"] + (["complainant"] if with_complainant else [])
    qs = qs.select_related(None).select_related(*related)
    return qs.order_by(*SORTS[filters.sort]).iterator(chunk_size=REGISTER_CHUNK)


# Rows a register export fetches at a time (memory per chunk, not per file).
REGISTER_CHUNK = 2000


def complaint_get(
    *,
    actor: Reader,
    reference: str,
    known: Known | None = None,
    case_page: bool = False,
) -> Complaint:
    """A complaint by reference or id, or NotFound for what the actor may not see; with who sent
    the decision, in the same statement. ``case_page``: as the staff case page reads it
    (``selectors_page.case_page_complaints``: the names it shows instead of the related rows,
    the hash of the last audit event, the apps' annotations), still one statement. ``known`` as
    in ``complaint_queryset``."""
    if case_page:
        qs = visible_complaints(actor, case_page_complaints(), known=known)
    else:
        qs = complaint_queryset(actor=actor, known=known).select_related("decided_by")
    # References are "C-<year>-<number>", never digits only: a digit string is an id, looked up by
    # primary key in one query (not a reference lookup that cannot match, then the id).
    # Both are unique: the first row found, with no ORDER BY (``first()`` would add one, and its
    # compiling is a tenth of the case page's read of the case: bench/case_page.py).
    if reference.isdigit() and len(reference) <= 18:
        item = next(iter(qs.filter(pk=int(reference))[:1]), None)
    else:
        item = next(iter(qs.filter(reference=reference)[:1]), None)
    if item is None:
        raise NotFound(_("No such complaint."))
    return item


def complaint_get_by_token(*, token: str) -> Complaint:
    """The complaint whose tracking token this is: its first link (``Complaint.tracking_digest``)
    or one of the links its later mails carried (``TrackingLink``). Each lookup is by the token's
    SHA-256 in a unique index (one statement each, no OR across the two tables), so the time taken
    does not depend on how much of a guessed token is right."""
    if not token or len(token) > 100:
        raise NotFound(_("No such complaint."))
    digest = tracking_digest(token)
    cases = Complaint.objects.select_related("complainant", "category")
    item = cases.filter(tracking_digest=digest).first()
    if item is not None and hmac.compare_digest(item.tracking_digest, digest):
        return item
    item = cases.filter(tracking_links__digest=digest).first()
    if item is None:
        raise NotFound(_("No such complaint."))
    return item


def _messages(
    complaint: Complaint, actor: Reader | None, public_only: bool = False
) -> QuerySet[Message]:
    qs = complaint.messages.select_related("author").order_by("created_at", "id")
    if public_only or not can_read_internal_notes(actor):
        qs = qs.exclude(direction=Message.Direction.INTERNAL)
    return qs


def complaint_messages(
    *, complaint: Complaint, actor: Reader | None = None, public_only: bool = False
) -> list[Message]:
    return list(_messages(complaint, actor, public_only))


def complaint_message_get(*, complaint: Complaint, message_id: int) -> Message:
    """One of the complaint's messages with its author, by id (an API write answers with it)."""
    message = complaint.messages.select_related("author").filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("No such message."))
    return message


def complaint_attachments(*, complaint: Complaint, public_only: bool) -> list[Attachment]:
    qs = complaint.attachments.order_by("uploaded_at", "id")
    if public_only:
        qs = qs.filter(public=True)
    return list(qs)


def complaint_attachment(
    *, complaint: Complaint, attachment_id: int, public_only: bool
) -> Attachment | None:
    """One of the complaint's attachments (only a public one when ``public_only``), or None;
    None too for one whose file was erased (plaint.privacy keeps its row, not its file)."""
    qs = complaint.attachments.filter(pk=attachment_id).exclude(file="")
    if public_only:
        qs = qs.filter(public=True)
    return qs.first()


def complaint_events(*, complaint: Complaint) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk).order_by("seq")
    )


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # "event" or "message"
    event: AuditEvent | None = None
    message: Message | None = None


# What the case page's timeline shows of an event and of a message's author: the rows are read
# without the audit chain's hashes and data and without the author's account details.
TIMELINE_EVENT_FIELDS = ("id", "case_type", "case_id", "seq", "at", "actor_label", "action")
TIMELINE_AUTHOR_FIELDS = (
    "author__id",
    "author__username",
    "author__first_name",
    "author__last_name",
)


def complaint_timeline(*, complaint: Complaint, actor: Reader) -> list[TimelineEntry]:
    """Events and messages in one list, oldest first; internal notes only for staff. Two
    queries, each of the columns the timeline shows."""
    events = (
        AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk)
        .only(*TIMELINE_EVENT_FIELDS)
        .order_by("seq")
    )
    message_fields = [f.name for f in Message._meta.concrete_fields]
    messages = _messages(complaint, actor).only(*message_fields, *TIMELINE_AUTHOR_FIELDS)
    entries = [TimelineEntry(e.at, "event", event=e) for e in events]
    entries += [TimelineEntry(m.created_at, "message", message=m) for m in messages]
    entries.sort(key=lambda e: (e.at, 0 if e.kind == "event" else 1))
    return entries


def complaint_remedies(*, complaint: Complaint) -> list[Remedy]:
    """The remedies of the latest proposal: what is offered (``RemedyQuerySet.current``)."""
    return list(complaint.remedies.current())


@dataclass
class EarlierProposal:
    """The remedies of one proposal a later one replaced, for the case's history."""

    number: int
    proposed_at: dt.datetime
    superseded_at: dt.datetime
    remedies: list[Remedy]


def complaint_earlier_proposals(*, complaint: Complaint) -> list[EarlierProposal]:
    """The superseded proposals that had remedies, oldest first, each with its remedies."""
    return _by_proposal(complaint.remedies.superseded())


def complaint_remedy_rounds(*, complaint: Complaint) -> tuple[list[Remedy], list[EarlierProposal]]:
    """``complaint_remedies`` and ``complaint_earlier_proposals`` from one query, for the case
    page, which shows both."""
    rows = list(complaint.remedies.all())  # ordered as proposed (Remedy.Meta)
    current = [remedy for remedy in rows if remedy.is_current]
    return current, _by_proposal(remedy for remedy in rows if not remedy.is_current)


def _by_proposal(superseded: Iterable[Remedy]) -> list[EarlierProposal]:
    proposals: dict[int, EarlierProposal] = {}
    for remedy in superseded:
        assert remedy.superseded_at is not None  # only superseded remedies come here
        proposal = proposals.setdefault(
            remedy.proposal,
            EarlierProposal(remedy.proposal, remedy.proposed_at, remedy.superseded_at, []),
        )
        proposal.remedies.append(remedy)
    return list(proposals.values())


# --- categories ---------------------------------------------------------------------------------


def category_get(*, category_id: int) -> Category:
    """One category with its named readers (for its access page), or NotFound."""
    category = Category.objects.prefetch_related("readers").filter(pk=category_id).first()
    if category is None:
        raise NotFound(_("No such category."))
    return category


def categories_with_readers() -> list[Category]:
    """Every category with its named readers, for the categories page: two queries."""
    return list(Category.objects.prefetch_related("readers").order_by("name"))


def reader_choices() -> list[tuple[int, str]]:
    """The members of staff who may be named readers of a category: every active staff role."""
    people = User.objects.filter(is_active=True, role__in=list(STAFF_ROLES))
    return [(user.pk, f"{user} ({Role(user.role).label})") for user in people.order_by("username")]


# --- reply templates ---------------------------------------------------------------------------


def _reply_templates_active() -> list[ReplyTemplate]:
    return list(ReplyTemplate.objects.filter(active=True).order_by("name", "id"))


def reply_templates_for_case(*, complaint: Complaint, token: str) -> list[ReplyTemplate]:
    """The active templates a handler may insert on the case: those of its category first, then
    the general ones (templates of other categories are left out). The active templates are kept
    in the cache under the configuration ``token`` (their changes write a new one): no query
    when they were read before under it."""
    rows = config_cached("reply_templates", token=token, load=_reply_templates_active)
    wanted = [row for row in rows if row.category_id in (None, complaint.category_id)]
    return sorted(wanted, key=lambda row: row.category_id is None)


def reply_templates_all() -> list[ReplyTemplate]:
    """Every template for the managers' settings page, with its category."""
    return list(ReplyTemplate.objects.select_related("category").order_by("-active", "name", "id"))


def reply_template_text(template: ReplyTemplate, language: str) -> str:
    """The template's text in ``language``, else English, else its first language."""
    return text_in(template.texts, language)


def reply_template_fill(text: str, values: dict[str, str]) -> str:
    """Fill the known ``{placeholder}``s as plain text. Never a Django template (the text is what
    a person typed): any other braces stay as typed. One pass, so a filled value (a name with
    braces) is never filled again."""
    if not values:
        return text
    pattern = re.compile("|".join(re.escape("{" + key + "}") for key in values))
    return pattern.sub(lambda match: values[match.group(0)[1:-1]], text)


# --- the queue's views and bulk actions ----------------------------------------------------------


def queue_views_for(*, user: Reader) -> list[QueueView]:
    """The views ``user`` may choose on the queue: the built-in ones, the views shared with their
    team, and their own. One query."""
    if not can_read_complaints(user):
        return []
    mine = Q(owner_id=user.pk)
    team_id = getattr(user, "team_id", None)
    if team_id is not None:
        mine |= Q(team_id=team_id)
    saved = SavedView.objects.filter(mine).select_related("team").order_by("name", "id")
    return [*BUILTIN_VIEWS] + [
        QueueView(
            str(view.pk),
            view.name,
            view.query,
            team_name=view.team.name if view.team else "",
            owner_id=view.owner_id,
            team_id=view.team_id,
        )
        for view in saved
    ]


def _manageable(user: Reader, everything: bool) -> QuerySet[SavedView]:
    wanted = Q(owner_id=user.pk) | Q(team__isnull=False) if everything else Q(owner_id=user.pk)
    return SavedView.objects.filter(wanted).select_related("team", "owner")


def saved_views_manageable(*, user: Reader, everything: bool) -> list[SavedView]:
    """The saved views ``user`` manages: their own, and (``everything``: a manager) every view
    shared with a team. One query."""
    return list(_manageable(user, everything).order_by("name", "id"))


def saved_view_manageable(*, user: Reader, everything: bool, view_id: int) -> SavedView:
    """One of the views ``saved_views_manageable`` lists, or NotFound."""
    view = _manageable(user, everything).filter(pk=view_id).first()
    if view is None:
        raise NotFound(_("No such view."))
    return view


def queue_last_query(*, user: Reader) -> str | None:
    """The filters the queue remembers for ``user`` (None: nothing remembered yet)."""
    if user.pk is None:
        return None
    return (
        QueuePreference.objects.filter(user_id=user.pk).values_list("last_query", flat=True).first()
    )


@dataclass
class BulkPreview:
    """What a bulk action will do: the cases that will change, and those that will not (by
    reference, with the reason)."""

    cases: list[Complaint]
    refused: list[tuple[str, str]]


def bulk_preview(*, actor: Reader, change: BulkChange, cases: Selection) -> BulkPreview:
    """The confirmation page's answer, from the same rule as the action (``BulkChange.refusal``).
    One query, whatever the number of cases."""
    references = [reference for reference, _version in cases]
    found = complaint_queryset(actor=actor).in_bulk(references, field_name="reference")
    preview = BulkPreview(cases=[], refused=[])
    for reference in references:
        complaint = found.get(reference)
        if complaint is None:
            preview.refused.append((reference, _("No such complaint.")))
            continue
        reason = change.refusal(complaint)
        if reason is None:
            preview.cases.append(complaint)
        else:
            preview.refused.append((reference, reason))
    return preview
