"""What the complainant does about external dispute resolution on their tracking page: choose an
eligible provider with informed consent, then add evidence to the open dispute. The complainant
holds the tracking token, not an account: the system acts for them, and the consent is recorded
with channel "tracking_page", the server's time, the exact text shown and its language."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import Complaint
from plaint.complaints.services import complaint_refer_external
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotFound
from plaint.disputes.consent import consent_text
from plaint.disputes.lifecycle import REFERRABLE
from plaint.disputes.models import Dispute, Submission
from plaint.disputes.selectors import eligible_providers
from plaint.disputes.selectors_tracking import complaint_has_open_dispute, is_unresolved
from plaint.disputes.services.cases import (
    ConsentInput,
    audit,
    dispute_refer,
    file_attachment,
    locked_open,
)
from plaint.disputes.services.common import invalid, text

TRACKING = Actor.system("complainant (tracking page)")


@transaction.atomic
def dispute_choose_on_tracking(
    *, complaint_id: int, provider_id: int, method: str, language: str
) -> Dispute:
    """The complainant chose a provider and a method and agreed to the text shown. The moment
    recorded is the server's, never one the page sent; the text is the one the page showed,
    written again here in the page's language rather than taken from the form."""
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("There is no complaint at this address."))
    if not is_unresolved(complaint):
        raise InvalidTransition(
            _("Your complaint cannot go to an independent dispute-resolution provider now.")
        )
    if complaint_has_open_dispute(complaint):
        raise Conflict(_("You have already chosen a provider for this complaint."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    answer = next((a for a in eligible_providers(complaint) if a.provider.pk == provider_id), None)
    if answer is None or not answer.eligible:
        raise invalid("provider", _("This provider cannot take your complaint."))
    terms = next((m for m in answer.provider.methods.all() if m.method == method), None)
    if terms is None:
        raise invalid("method", _("Choose one of the ways this provider works."))
    shown = consent_text(complaint, answer.provider, terms, answer.refer_by, language)
    dispute = dispute_refer(
        actor=TRACKING,
        complaint_id=complaint.pk,
        provider_id=answer.provider.pk,
        method=method,
        consent=ConsentInput(channel="tracking_page", text_shown=shown, language=language),
    )
    if complaint.state in REFERRABLE:
        complaint_refer_external(complaint_id=complaint.pk, actor=TRACKING)
    return dispute


@transaction.atomic
def dispute_evidence_add(
    *, complaint_id: int, dispute_id: int, body: str, upload: UploadedFile | None = None
) -> Submission:
    """The complainant adds a submission, with at most one file (checked for size and type like
    every upload), to an open dispute of their own complaint."""
    dispute: Dispute = locked_open(dispute_id, TRACKING)
    if dispute.complaint_id != complaint_id:
        raise NotFound(_("No such dispute."))
    body = text(body, "body", required=True, limit=5000)
    attachment = None if upload is None else file_attachment(complaint_id, upload)
    submission = Submission.objects.create(
        dispute=dispute,
        side="complainant",
        kind="submission",
        text=body,
        at=timezone.now(),
        attachment=attachment,
    )
    data = {"side": "complainant", "kind": "submission", "submission": submission.pk}
    if attachment is not None:
        data["attachment"] = attachment.sha256
    audit(dispute, TRACKING, "submission", data, submission.at)
    return submission
