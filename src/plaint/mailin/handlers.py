"""How e-mail intake joins the worker (``plaint.core.events``): each worker pass fetches the
mailboxes when the fetch interval has passed (``OutboxDue``); housekeeping deletes the raw
messages of discarded mails past their retention; a case that came by e-mail gets a panel on its
staff page (``CasePageComposing``). Subscribed in ``MailinConfig.ready()``."""

from __future__ import annotations

import time

from django.conf import settings

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import CasePageComposing, Panel
from plaint.complaints.models import Channel
from plaint.core.events import HousekeepingDue, OutboxDue, subscribe
from plaint.mailin.imap import fetch_all
from plaint.mailin.selectors import case_mails
from plaint.mailin.services import mail_prune_raw

# When this process fetches next (monotonic seconds). Each worker process keeps its own: two
# workers fetching the same mailbox is safe (deduplication), only wasteful.
_next_fetch = {"at": 0.0}


def on_outbox_due(event: OutboxDue) -> None:
    if not settings.MAILIN_MAILBOXES or time.monotonic() < _next_fetch["at"]:
        return
    _next_fetch["at"] = time.monotonic() + settings.MAILIN_FETCH_INTERVAL
    for result in fetch_all(limit=event.limit):
        event.tried += len(result.received)


def on_housekeeping(event: HousekeepingDue) -> None:
    mail_prune_raw()


def on_case_page_composing(event: CasePageComposing) -> None:
    """The e-mail panel of a case that came by e-mail: the mail it came from, with the finished
    case it follows or the case that follows it. Other cases cost no statement."""
    if event.complaint.channel != Channel.EMAIL or not can_work_complaints(event.user):
        return
    mails = case_mails(complaint=event.complaint, actor=event.user)
    if mails:
        event.panels.append(Panel(template="mailin/_case_panel.html", context={"mails": mails}))


def subscribe_all() -> None:
    subscribe(OutboxDue, on_outbox_due)
    subscribe(HousekeepingDue, on_housekeeping)
    subscribe(CasePageComposing, on_case_page_composing)
