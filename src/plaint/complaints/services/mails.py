"""The context of the mails to the complainant after the acknowledgement (decision, messages,
out of scope, referral, closing), built by the worker just before it sends one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plaint.complaints.events import CaseMailComposing
from plaint.complaints.models import Complaint
from plaint.complaints.services.intake import acknowledgement_email_context
from plaint.core.events import publish
from plaint.core.selectors import organisation_get
from plaint.core.services import register_email_context

if TYPE_CHECKING:
    from plaint.core.models import OutboundEmail

# The ``data`` key of a decision mail naming the remedies it offers: their ids, comma-separated.
# The ids, not "the current remedies": a mail sent after a later proposal still lists its own.
REMEDIES = "remedies"


def remedy_ids(remedies: list[Any]) -> str:
    """The ``REMEDIES`` value for these remedies."""
    return ",".join(str(r.pk) for r in remedies)


def case_mail_context(*, email: OutboundEmail, tracking_url: str, **texts: str) -> dict[str, Any]:
    """The template context of a mail ``notify_complainant`` wrote: the case, the organisation, the
    mail's own tracking link and the texts it was written with (the decision, a message, a reason),
    plus the remedies a decision mail offers."""
    if (
        email.complaint_id is None
    ):  # notify_complainant links every mail to its case; a worker's error
        raise ValueError(f"mail {email.pk} ({email.kind}) is not linked to a complaint")
    complaint = Complaint.objects.select_related("complainant").get(pk=email.complaint_id)
    context: dict[str, Any] = {
        "complaint": complaint,
        "organisation": organisation_get(),
        "tracking_url": tracking_url,
    }
    ids = texts.pop(REMEDIES, None)
    if ids is not None:
        wanted = [int(i) for i in ids.split(",") if i]
        context["remedies"] = list(complaint.remedies.filter(pk__in=wanted).order_by("id"))
    context.update(texts)
    composing = CaseMailComposing(complaint=complaint, kind=email.kind, language=email.language)
    publish(composing)  # what the apps above add (the dispute-resolution providers)
    context["mail_sections"] = composing.sections
    return context


def register_email_contexts() -> None:
    """Name the builders of the complainant's deferred mails for the outbox
    (``ComplaintsConfig.ready``): the acknowledgement and the case mails above."""
    register_email_context("acknowledgement", acknowledgement_email_context)
    register_email_context("case_mail", case_mail_context)
