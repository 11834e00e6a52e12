"""What happens to complaints that higher apps react to (``plaint.core.events``).

Published by ``plaint.complaints.services`` inside the change's transaction. Subscribers today:
promises (deadlines and promise checks), surveys (the ISO 10002 8.3 survey after closing) and
notifications (telling staff of an assignment or a complainant's message) and webhooks
(telling other systems).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plaint.core.events import Event, publish

if TYPE_CHECKING:
    from django.db.models import Model

    from plaint.complaints.models import Complaint


@dataclass(frozen=True)
class ComplaintReceiving(Event):
    """A new complaint is about to be written (``complaint_submit``). ``complaint`` is unsaved but
    has its id. A handler may set the complaint's due dates (``acknowledgement_due_at``,
    ``response_due_at``) and append rows to ``rows`` that are inserted together with it (e.g. its
    promise checks). ``config_token`` is the configuration token (``core.selectors.config_token``)
    read in the same statement as the new ids, so a handler finds its cached configuration without
    a query of its own (None: not read)."""

    complaint: Complaint
    now: dt.datetime
    rows: list[Model] = field(default_factory=list)
    config_token: str | None = None
    # Shared by the events of one batch of new cases (a chunk of an import): a handler may keep
    # here what it read once for the whole batch (e.g. the promises' configuration snapshot),
    # under a key of its own. None: a case on its own.
    batch: dict[str, Any] | None = None


@dataclass(frozen=True)
class ComplaintReceived(Event):
    """A new complaint was written, with its reference (after ``ComplaintReceiving``, in the same
    transaction). ``config_token`` as in ``ComplaintReceiving``."""

    complaint: Complaint
    now: dt.datetime
    config_token: str | None = None


@dataclass(frozen=True)
class ComplaintsImported(Event):
    """A chunk of the complaint history import was written (``services.imports``), in its
    transaction: ``created_ids`` new cases (their promise checks were planned with them, through
    ``ComplaintReceiving``) and ``updated_ids`` existing cases whose history changed. The cases
    are dated in the past, so figures rolled up before (insights) must be recomputed."""

    created_ids: tuple[int, ...]
    updated_ids: tuple[int, ...]
    now: dt.datetime


@dataclass(frozen=True)
class ComplaintChanged(Event):
    """A step was done or the case was edited (after the row is saved and audited)."""

    complaint: Complaint
    step: str
    before_state: str
    now: dt.datetime


@dataclass(frozen=True)
class ComplaintClosed(Event):
    """The case reached ``closed`` (closed or withdrawn): ISO 10002 8.3 may invite to a survey."""

    complaint: Complaint


@dataclass(frozen=True)
class DisputeOutcomeRecorded(Event):
    """The outcome of an external dispute was recorded on the case."""

    complaint: Complaint


@dataclass(frozen=True)
class AcknowledgementComposing(Event):
    """The acknowledgement mail of ``complaint`` is being rendered (by the worker, just before it
    is sent): a handler may add entries to ``context``, e.g. the promised deadlines."""

    complaint: Complaint
    context: dict[str, Any]


@dataclass(frozen=True)
class Panel:
    """A section a higher app adds to a page: its template and that template's context, which
    the template reads as ``panel``. The public tracking page and the dispute page include
    Django templates (``{% include panel.template with panel=panel.context only %}``); the
    staff case page (``CasePageComposing``) is rendered with Jinja2 and includes Jinja2
    templates, from the app's ``jinja2/`` folder (``plaint.site.jinja``)."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class CasePageReading(Event):
    """How the staff case page reads its complaint is being put together: a higher app may add
    an annotation (an expression over the complaint's row, e.g. whether it has a legal
    referral) to ``annotations``; the page's one statement for the complaint then carries it,
    and the app's panel reads it off the complaint (``CasePageComposing``) instead of asking
    with a statement of its own. Published once per process (``selectors_page
    .case_page_complaints`` keeps the query), so an annotation may not depend on who reads or
    when: the same expression serves every reader."""

    annotations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AttachmentNote:
    """Where a higher app keeps one of the case's files, as the case page shows it next to the
    file: ``text`` in the page's language, and the app's page for it (``url``); ``api``: the
    API's address of the same record, for the API's complaint detail."""

    text: str
    url: str
    api: str = ""


@dataclass(frozen=True)
class CaseAttachmentsListing(Event):
    """The staff case page's list of ``complaint``'s ``attachments`` is being read (on the first
    view after a change: it is kept with the case's history, ``views_history``). A higher app
    that keeps some of them in a file of its own (a dispute's file) names where in ``notes``,
    by the attachment's id; the page shows the note instead of "internal"."""

    complaint: Complaint
    attachments: list[Any]
    notes: dict[int, AttachmentNote] = field(default_factory=dict)


def attachment_notes(complaint: Complaint, attachments: list[Any]) -> dict[int, AttachmentNote]:
    """Where the apps above keep some of the case's ``attachments`` (``CaseAttachmentsListing``),
    by attachment id: asked of them only when the case has files."""
    listing = CaseAttachmentsListing(complaint=complaint, attachments=attachments)
    if attachments:
        publish(listing)
    return listing.notes


@dataclass(frozen=True)
class CasePageComposing(Event):
    """The staff case page of ``complaint`` is being rendered for ``user``: a handler may append
    a ``Panel`` (e.g. the promise checks) to ``panels``, with a Jinja2 template; the page shows
    them in order."""

    complaint: Complaint
    user: Any
    panels: list[Panel] = field(default_factory=list)
    # the configuration token the page already read (``core.views.request_config_token``), so a
    # panel reads the configuration from the cache without a statement; None: read it
    config_token: str | None = None


@dataclass(frozen=True)
class TrackingPageComposing(Event):
    """The complainant's tracking page of ``complaint`` is being rendered (the visitor holds
    ``token``): a handler may append a ``Panel`` (e.g. external dispute resolution) to
    ``panels``; the page shows them in order, in the page's language."""

    complaint: Complaint
    token: str
    panels: list[Panel] = field(default_factory=list)


@dataclass(frozen=True)
class CaseMailComposing(Event):
    """A mail to the complainant of kind ``kind`` (``case_mail_context``) is being rendered by
    the worker in ``language``: a handler may append a paragraph of plain text to ``sections``
    (e.g. the dispute-resolution providers in the final response); the mail ends with them."""

    complaint: Complaint
    kind: str
    language: str
    sections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CategoriesChanged(Event):
    """A category was added, renamed, (de)activated: configuration read by other apps changed."""


@dataclass(frozen=True)
class ComplaintAssigned(Event):
    """The case got a new assignee (``complaint_assign``, or the assessment naming one).
    ``actor_id`` is the user who made the change (None: not a user)."""

    complaint: Complaint
    assignee_id: int
    actor_id: int | None
    # One of many cases assigned by a bulk action: the assignee is told of each in the app, and
    # by one mail for them all (``ComplaintsAssignedInBulk``), not a mail per case.
    in_bulk: bool = False


@dataclass(frozen=True)
class ComplaintsAssignedInBulk(Event):
    """A bulk action gave ``complaints`` to ``assignee_id`` (each also announced by its own
    ``ComplaintAssigned`` with ``in_bulk``), published once after the last case."""

    complaints: tuple[Complaint, ...]
    assignee_id: int
    actor_id: int | None


@dataclass(frozen=True)
class ComplainantWrote(Event):
    """The complainant sent a message on their case, with ``attachments`` files (new evidence)."""

    complaint: Complaint
    message_id: int
    attachments: int
