"""The record of a case bundle's export: who (a member of staff, or the dispute's neutral) took
the dispute's file out of Plaint, when and in which form, in the dispute's hash-chained trail,
and the read of the complaint in the access log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.complaints.models import ReadVia
from plaint.complaints.services import case_read_record
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed
from plaint.disputes.selectors_bundle import Bundle
from plaint.disputes.services.cases import audit, locked_visible
from plaint.disputes.services.common import invalid
from plaint.disputes.services.neutral import NEUTRAL, cleared

BUNDLE_FORMATS = ("pdf", "zip")


@transaction.atomic
def dispute_bundle_exported(
    *, actor: Actor, bundle: Bundle, what: str, now: dt.datetime | None = None
) -> None:
    """Record that ``actor`` exported the bundle of ``bundle.dispute`` as ``what`` (pdf or zip),
    in the request that sends it, holding the dispute's lock (its chain grows by one event). The
    bundle was read through ``dispute_bundle`` (staff) or ``neutral_bundle`` (the neutral); the
    lock checks again that the actor may still have it: staff who may read the dispute, or its
    assigned neutral who declared no conflict."""
    if what not in BUNDLE_FORMATS:
        raise invalid("format", _("Choose the PDF or the ZIP."))
    now = now or timezone.now()
    if actor.kind == NEUTRAL:
        dispute = cleared(bundle.dispute.pk, actor)
    elif actor.kind == "staff":
        dispute = locked_visible(bundle.dispute.pk, actor)  # the chain's lock; still visible
    else:
        raise NotAllowed(_("Only staff or the dispute's neutral may export its bundle."))
    via = ReadVia.ATTACHMENT if what == "zip" else ReadVia.PAGE
    case_read_record(user=actor.user, complaint=bundle.complaint, via=via)
    data = {
        "format": what,
        "language": bundle.language,
        "files": sum(1 for f in bundle.files if f.member) if what == "zip" else 0,
    }
    audit(dispute, actor, "bundle_exported", data, now)
