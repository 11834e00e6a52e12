"""What the staff case page shows of the case's history — the timeline (rendered), the
attachments and the remedies, and the promise panel's broken-promise claims — read and rendered
once per state of that history and kept in Django's cache: the one cached part of the case page
(docs/performance.md).

These parts change when the case gets an audit event: every step, message (with its
attachments) and broken-promise claim appends one, and remedies are offered and superseded only
by the "propose response" step. So the hash of the case's last event
(``selectors_page.history_head_subquery``, read in the complaint's own statement) names what they
hold, with one exception: a file put in a dispute's file (``disputes``) becomes an attachment of
the complaint while its event goes to the dispute's chain, so the id of the case's newest
attachment (``newest_attachment_subquery``, in the same statement) is part of the key too. The
key adds the case's version, the language and the time zone the page is written in, and
whether the reader sees internal notes; anything else they show is fixed with their rows, except
a staff member's name on their messages, which no page of Plaint changes (the Django admin does not
list people; only a change made outside, in ``plaint shell``): an entry lives
``HISTORY_CACHE_SECONDS``.

On a hit the page runs none of the five statements of these parts nor renders the timeline's
entries; on a miss (the first view after a change) it does all of it, as before, and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from plaint.accounts.access import can_read_internal_notes
from plaint.complaints import selectors
from plaint.complaints.events import AttachmentNote, attachment_notes
from plaint.complaints.models import Remedy
from plaint.core.dates import DateTimeFormatter
from plaint.core.models import Attachment

T = TypeVar("T")

# How long a case's history is kept: bounds how long a renamed staff member's old name can still
# show on a case nobody changed since.
HISTORY_CACHE_SECONDS = 600
TIMELINE_TEMPLATE = "complaints/staff/_timeline.html"


@dataclass(frozen=True)
class CaseHistory:
    """The case page's parts that change only with the case's history."""

    timeline_html: SafeString  # the ``<ol id="timeline">``
    attachments: list[Attachment]
    # where an app above keeps a file (a dispute's file), by attachment id
    attachment_notes: dict[int, AttachmentNote]
    remedies: list[Remedy]  # offered now (the latest proposal)
    earlier_proposals: list[selectors.EarlierProposal]


def case_history(request: HttpRequest, complaint: Any) -> CaseHistory:
    """The case's history as the page shows it: from the cache when this state of the case was
    read before for the same language, time zone and kind of reader, else read, rendered and
    kept. A complaint read without ``history_head`` (only ``complaint_get(case_page=True)``
    reads it) is read and rendered each time."""
    return kept_with_history(complaint, request.user, "page", lambda: _read(request, complaint))


def kept_with_history(complaint: Any, user: Any, part: str, load: Callable[[], T]) -> T:
    """``load()``'s value for a ``part`` of the case page that changes only with the case's audit
    history, kept in the cache under the history's key (``history_key``) for the page's language
    and time zone and ``user``'s kind of reader: the history itself (``case_history``) and the
    promise panel's broken-promise claims (``promises.handlers``: a claim appends an event).
    Loaded each time for a complaint read without ``history_head``."""
    if getattr(complaint, "history_head", None) is None:
        return load()
    key = history_key(
        complaint,
        language=translation.get_language() or "",
        zone=timezone.get_current_timezone_name(),
        internal=can_read_internal_notes(user),
    )
    key = f"{key}:{part}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, HISTORY_CACHE_SECONDS)
    return value


def history_key(complaint: Any, *, language: str, zone: str, internal: bool) -> str:
    """The cache key of the case's history as it is now (``history_head``: the hash of its last
    audit event; ``newest_attachment``: the id of its newest file), for a page in ``language``
    and time ``zone``; ``internal``: with internal notes."""
    newest = str(getattr(complaint, "newest_attachment", None) or "-")
    parts = [str(complaint.pk), str(complaint.version), complaint.history_head, newest]
    parts += [language, zone]
    return ":".join(["case-history", *parts, "internal" if internal else "public"])


def _read(request: HttpRequest, complaint: Any) -> CaseHistory:
    remedies, earlier_proposals = selectors.complaint_remedy_rounds(complaint=complaint)
    attachments = selectors.complaint_attachments(complaint=complaint, public_only=False)
    return CaseHistory(
        timeline_html=_timeline_html(request, complaint),
        attachments=attachments,
        attachment_notes=attachment_notes(complaint, attachments),
        remedies=remedies,
        earlier_proposals=earlier_proposals,
    )


def _timeline_html(request: HttpRequest, complaint: Any) -> SafeString:
    when = DateTimeFormatter("DATETIME_FORMAT")  # the entries' dates: one look-up of the format
    entries = [
        (entry, when.iso(entry.at), when(entry.at))
        for entry in selectors.complaint_timeline(complaint=complaint, actor=request.user)
        # a message's own entry shows it; its "message_*" event would only repeat it
        if not (
            entry.kind == "event"
            and entry.event is not None
            and entry.event.action.startswith("message_")
        )
    ]
    # Jinja2 (plaint.site.jinja), named as the page names it (no search of Django's loaders
    # first), writes the entries escaped; its backend returns a plain str
    html = render_to_string(TIMELINE_TEMPLATE, {"timeline": entries}, using="jinja2")
    return mark_safe(html)  # noqa: S308
