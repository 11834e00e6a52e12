"""The staff case page's timeline, rendered once per state of the case's history and kept in
Django's cache: the one cached fragment of the case page (docs/performance.md).

The timeline is the page's longest part (every event and message of the case) and changes only
when the case gets an audit event: every step, message and broken-promise claim appends one, so
the hash of the case's last event (``selectors.history_head_subquery``, read in the complaint's
own statement) names what the timeline holds. The key adds the case's version, the language and
the time zone the page is written in, and whether the reader sees internal notes; anything else
the fragment shows is fixed with its event or message, except a staff member's name on their
messages, which a rename in Django's admin changes: the entry lives ``TIMELINE_CACHE_SECONDS``.

On a hit the page runs neither of the timeline's two statements nor renders its entries; on a
miss (the first view after a change) it does both, as before, and keeps the result.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from plaint.accounts.access import can_read_internal_notes
from plaint.complaints import selectors
from plaint.core.dates import DateTimeFormatter

# How long a rendered timeline is kept: bounds how long a renamed staff member's old name can
# still show on a case nobody changed since.
TIMELINE_CACHE_SECONDS = 600
TEMPLATE = "complaints/staff/_timeline.html"


def timeline_html(request: HttpRequest, complaint: Any) -> SafeString:
    """The case page's ``<ol id="timeline">``: from the cache when this state of the case was
    rendered before for the same language, time zone and kind of reader, else rendered and kept.
    A complaint read without ``history_head`` (``complaint_get(with_history_head=True)``) is
    rendered each time."""
    head = getattr(complaint, "history_head", None)
    if head is None:
        return _render(request, complaint)
    key = timeline_key(
        complaint,
        language=translation.get_language() or "",
        zone=timezone.get_current_timezone_name(),
        internal=can_read_internal_notes(request.user),
    )
    html = cache.get(key)
    if html is None:
        html = _render(request, complaint)
        cache.set(key, html, TIMELINE_CACHE_SECONDS)
    return SafeString(html)


def timeline_key(complaint: Any, *, language: str, zone: str, internal: bool) -> str:
    """The cache key of the case's timeline as it is now (``history_head``: the hash of its last
    audit event), for a page in ``language`` and time ``zone``; ``internal``: with internal
    notes."""
    parts = [str(complaint.pk), str(complaint.version), complaint.history_head, language, zone]
    return ":".join(["case-timeline", *parts, "internal" if internal else "public"])


def _render(request: HttpRequest, complaint: Any) -> SafeString:
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
    return render_to_string(TEMPLATE, {"timeline": entries})
