"""The record of a case bundle's export: who took the dispute's file out of Plaint, when and in
which form, in the dispute's hash-chained trail, and the read of the complaint in the access log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.models import User
from plaint.complaints.models import ReadVia
from plaint.complaints.services import case_read_record
from plaint.core.actors import Actor
from plaint.disputes.selectors_bundle import Bundle
from plaint.disputes.services.cases import audit, locked_visible
from plaint.disputes.services.common import invalid

BUNDLE_FORMATS = ("pdf", "zip")


@transaction.atomic
def dispute_bundle_exported(
    *, user: User, bundle: Bundle, what: str, now: dt.datetime | None = None
) -> None:
    """Record that ``user`` exported the bundle of ``bundle.dispute`` as ``what`` (pdf or zip),
    in the request that sends it, holding the dispute's lock (its chain grows by one event). The
    bundle was read through ``dispute_bundle``: only someone who may read the dispute has it."""
    if what not in BUNDLE_FORMATS:
        raise invalid("format", _("Choose the PDF or the ZIP."))
    now = now or timezone.now()
    actor = Actor.staff(user)
    dispute = locked_visible(bundle.dispute.pk, actor)  # the chain's lock; still visible
    via = ReadVia.ATTACHMENT if what == "zip" else ReadVia.PAGE
    case_read_record(user=user, complaint=bundle.complaint, via=via)
    data = {
        "format": what,
        "language": bundle.language,
        "files": sum(1 for f in bundle.files if f.member) if what == "zip" else 0,
    }
    audit(dispute, actor, "bundle_exported", data, now)
