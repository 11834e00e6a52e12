"""How e-mail intake joins the worker: two periodic duties (``plaint.core.duties``) fetch the
mailboxes every fetch interval and delete the raw messages of discarded mails past their
retention; a case that came by e-mail gets a panel on its
staff page (``CasePageComposing``). Subscribed in ``MailinConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import can_work_complaints
from plaint.complaints.events import CasePageComposing, Panel
from plaint.complaints.models import Channel
from plaint.core.duties import register_duty
from plaint.core.events import subscribe
from plaint.mailin.imap import fetch_all
from plaint.mailin.selectors import case_mails
from plaint.mailin.services import mail_prune_raw

FETCH_LIMIT = 100  # mails per mailbox and fetch


def mailboxes_fetch() -> int:
    """The fetch duty: every configured mailbox, once per ``PLAINT_MAILIN_FETCH_INTERVAL``
    whatever the number of workers (two fetching at once would be safe, by deduplication, but
    wasteful). Returns how many mails came in."""
    return sum(len(result.received) for result in fetch_all(limit=FETCH_LIMIT))


def register_duties() -> None:
    register_duty(
        "mailin.fetch",
        mailboxes_fetch,
        label=_("Fetch the intake mailboxes"),
        every=lambda: dt.timedelta(seconds=settings.MAILIN_FETCH_INTERVAL),
        enabled=lambda: bool(settings.MAILIN_MAILBOXES),
    )
    register_duty(
        "mailin.prune_raw", mail_prune_raw, label=_("Delete raw e-mails past their retention")
    )


def on_case_page_composing(event: CasePageComposing) -> None:
    """The e-mail panel of a case that came by e-mail: the mail it came from, with the finished
    case it follows or the case that follows it. Other cases cost no statement."""
    if event.complaint.channel != Channel.EMAIL or not can_work_complaints(event.user):
        return
    mails = case_mails(complaint=event.complaint, actor=event.user)
    if mails:
        event.panels.append(Panel(template="mailin/_case_panel.html", context={"mails": mails}))


def subscribe_all() -> None:
    register_duties()
    subscribe(CasePageComposing, on_case_page_composing)
