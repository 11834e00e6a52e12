"""Fetching mail from IMAP mailboxes over TLS (``imap-tools``), one message at a time.

The order is what makes a killed fetcher safe: read the message without marking it
(``BODY.PEEK[]``), receive it (``mail_receive`` commits its case or message, or finds it was
received before), and only then flag it ``\\Seen`` or move it. A crash before the commit leaves the
message unseen on the server and it is fetched again; a crash after the commit and before the flag
fetches it again too, and deduplication (Message-ID, else the content hash) makes that a no-op.
Memory stays flat: one message is held at a time."""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from imap_tools import MailBox, MailMessageFlags

from plaint.mailin.models import InboundMail
from plaint.mailin.services import mail_receive

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailbox:
    name: str
    host: str
    port: int
    user: str
    password: str = field(repr=False)  # never printed, never logged
    folder: str = "INBOX"
    move_to: str = ""


@dataclass
class FetchResult:
    mailbox: str
    received: list[InboundMail] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def configured_mailboxes() -> list[Mailbox]:
    """The mailboxes the settings name (``PLAINT_MAILIN_MAILBOXES``, docs/email.md)."""
    return [Mailbox(**box) for box in settings.MAILIN_MAILBOXES]  # type: ignore[arg-type]


def tls_context() -> ssl.SSLContext:
    """Certificate and host name checked; an extra CA bundle may be trusted (a private CA)."""
    context = ssl.create_default_context()
    if settings.MAILIN_CA_FILE:
        context.load_verify_locations(cafile=settings.MAILIN_CA_FILE)
    return context


def mark_done(box: MailBox, mailbox: Mailbox, uid: str) -> None:
    """Tell the server the message is in Plaint: move it, or flag it \\Seen."""
    if mailbox.move_to:
        box.move(uid, mailbox.move_to)
    else:
        box.flag(uid, MailMessageFlags.SEEN, True)


def mailbox_fetch(
    mailbox: Mailbox, *, limit: int | None = None, timeout: float = 60
) -> FetchResult:
    """Receive the unseen messages of one mailbox (at most ``limit``), oldest first."""
    result = FetchResult(mailbox.name)
    with MailBox(mailbox.host, port=mailbox.port, timeout=timeout, ssl_context=tls_context()).login(
        mailbox.user, mailbox.password, initial_folder=mailbox.folder
    ) as box:
        uids = box.uids("UNSEEN")
        for uid in uids[:limit] if limit else uids:
            status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _raw_of(data) if status == "OK" else None
            if raw is None:  # gone meanwhile (another fetcher moved it): nothing to do
                continue
            result.received.append(mail_receive(raw=raw, source=f"imap:{mailbox.name}"))
            mark_done(box, mailbox, uid)
    return result


def _raw_of(data: list) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def fetch_all(*, limit: int | None = None) -> list[FetchResult]:
    """Fetch every configured mailbox; one that fails (server down, wrong password) is logged and
    the others are still fetched."""
    results = []
    for mailbox in configured_mailboxes():
        try:
            results.append(mailbox_fetch(mailbox, limit=limit))
        except Exception as exc:  # one broken mailbox must not stop the others
            log.error("mailbox %s: %s: %s", mailbox.name, type(exc).__name__, exc)
            results.append(FetchResult(mailbox.name, errors=[f"{type(exc).__name__}: {exc}"]))
    return results
