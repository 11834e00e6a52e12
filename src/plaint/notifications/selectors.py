"""Reads of notifications: a person's list and unread count, their preferences, the teams'
categories. Each is a person's own data: nobody reads another's notifications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from plaint.accounts.access import Reader, can_configure, can_read_complaints
from plaint.accounts.models import Team
from plaint.complaints.models import Category
from plaint.complaints.visibility import Known, visible_complaints, visible_to
from plaint.core.errors import NotAllowed
from plaint.core.models import OutboundEmail
from plaint.core.pagination import page_size
from plaint.notifications.models import DEFAULTS, Kind, Notification, Preference, TeamCategory

UNREAD_SHOWN_UP_TO = 99  # the header says "99+" beyond: the count stops reading there


def preferences_of(*, user_ids: Iterable[int], kind: str) -> dict[int, tuple[bool, bool]]:
    """{user id: (in the app, by e-mail)} for ``kind``, the defaults where a person chose nothing.
    One query."""
    ids = set(user_ids)
    chosen = {
        user_id: (in_app, email)
        for user_id, in_app, email in Preference.objects.filter(
            user_id__in=ids, kind=kind
        ).values_list("user_id", "in_app", "email")
    }
    return {user_id: chosen.get(user_id, DEFAULTS[kind]) for user_id in ids}


def preferences_table(*, user: Reader) -> dict[str, tuple[bool, bool]]:
    """{kind: (in the app, by e-mail)} for every kind, as ``user`` chose or the defaults."""
    if not can_read_complaints(user):
        raise NotAllowed(_("Only staff members have notifications."))
    chosen = {
        kind: (in_app, email)
        for kind, in_app, email in Preference.objects.filter(user_id=user.pk or 0).values_list(
            "kind", "in_app", "email"
        )
    }
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in Kind.values}


def unread_count(*, user: Reader, known: Known | None = None) -> int:
    """How many of ``user``'s notifications are unread, counted up to ``UNREAD_SHOWN_UP_TO + 1``:
    one query on a partial index, for the header of every staff page. ``known``: who sees which
    case from the configuration cache (``complaints.visibility.visibility_known``), if at hand."""
    if not can_read_complaints(user):
        return 0
    unread = Notification.objects.filter(
        _shown(user, known), recipient_id=user.pk, read_at__isnull=True
    )
    # the ids of at most 100 + 1 rows, counted here: the same answer as ``.count()`` of the
    # slice, without the ORM's aggregate around a subquery (~300 function calls less per page)
    return len(unread.values_list("pk", flat=True)[: UNREAD_SHOWN_UP_TO + 1])


def _shown(user: Reader, known: Known | None = None) -> Q:
    """The notifications ``user`` still sees: of the cases they may read, and every one about a
    record of a higher app (a corrective action: every staff member reads those). No condition
    when the cached rule (``known``) lets them read every case: a notification's case exists
    while the notification does (deleted with it)."""
    if known is not None and can_read_complaints(user) and not visible_to(user, known=known):
        return Q()
    return Q(_readable(user, known)) | Q(complaint__isnull=True)


def _readable(user: Reader, known: Known | None = None) -> Exists:
    """Whether the notification's case is one ``user`` may read, asked of each notification (a
    look-up by primary key): a notification of a case that has since gone to another team (or
    into a restricted category) is no longer shown or counted. Not ``complaint_id IN (the
    readable cases)``: with a million cases that set does not fit PostgreSQL's memory for a
    hashed subplan, and it scanned every case once per unread notification (~1 s for the header
    of every staff page: bench/case_page.py)."""
    return Exists(visible_complaints(user, known=known).filter(pk=OuterRef("complaint_id")))


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_before: int | None  # the keyset of the next (older) page, None: the last page


def notification_list(
    *, user: Reader, before: int | None = None, limit: int | str | None = None
) -> NotificationPage:
    """``user``'s notifications, newest first, with their cases (reference, subject): one query
    whatever the page's length; ``before`` is the id the previous page ended at."""
    if not can_read_complaints(user):
        raise NotAllowed(_("Only staff members have notifications."))
    size = page_size(limit, default=50)
    qs: QuerySet[Notification] = (
        Notification.objects.filter(_shown(user), recipient_id=user.pk)
        .select_related("complaint")
        .only(
            "id",
            "kind",
            "created_at",
            "read_at",
            "complaint__id",
            "complaint__reference",
            "complaint__subject",
            "subject_ref",
            "subject_title",
            "subject_path",
        )
        .order_by("-id")
    )
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return NotificationPage(items=rows, next_before=rows[-1].pk if more and rows else None)


@dataclass(frozen=True)
class UndeliveredPage:
    items: list[OutboundEmail]
    total: int
    next_before: int | None  # the keyset of the next (older) page, None: the last page


def undelivered_mails(
    *, user: Reader, before: int | None = None, limit: int | str | None = None
) -> UndeliveredPage:
    """The mails the worker gave up on (a mail server's 5xx refusal, or every attempt failed),
    newest first, with their cases: for managers and admins, who can correct an address and
    write again. Two queries whatever the page's length."""
    if not can_configure(user):
        raise NotAllowed(_("Only managers and admins see undelivered mails."))
    size = page_size(limit, default=50)
    failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    qs = (
        failed.select_related("complaint")
        .only(
            "id",
            "created_at",
            "to",
            "subject",
            "kind",
            "attempts",
            "last_error",
            "complaint__id",
            "complaint__reference",
        )
        .order_by("-id")
    )
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return UndeliveredPage(
        items=rows, total=failed.count(), next_before=rows[-1].pk if more and rows else None
    )


def team_categories() -> tuple[list[Team], list[Category], set[tuple[int, int]]]:
    """Every team, every active category and which (team id, category id) pairs are looked after."""
    teams = list(Team.objects.order_by("name"))
    categories = list(Category.objects.filter(active=True).order_by("name"))
    pairs = set(TeamCategory.objects.values_list("team_id", "category_id"))
    return teams, categories, pairs
