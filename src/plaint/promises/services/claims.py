"""A person's word on a promise: judging a manual check, naming a broken promise on a case."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_work_complaints, require
from plaint.complaints.models import Complaint
from plaint.complaints.visibility import visible_complaints
from plaint.core.actors import Actor
from plaint.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from plaint.promises.models import BrokenPromiseClaim, Promise, PromiseCheck
from plaint.promises.services.common import audit
from plaint.promises.states import PUBLIC, CheckStatus, Clock, CodeState


@transaction.atomic
def promise_check_record(*, actor: Actor, check_id: int, met: bool) -> PromiseCheck:
    """A person judges a manual-check promise on a case: kept or broken."""
    require(can_work_complaints, actor.user, _("judge promises"))
    check = PromiseCheck.objects.select_related("promise").filter(pk=check_id).first()
    if check is None:
        raise NotFound(_("No such promise check."))
    # a case the actor may not read is "not found" (complaints.visibility), like a missing one
    readable = visible_complaints(actor.user, Complaint.objects.select_for_update())
    complaint = readable.filter(pk=check.complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such promise check."))
    check = PromiseCheck.objects.select_related("promise").get(pk=check_id)
    if check.promise.clock != Clock.MANUAL:
        raise InvalidTransition(_("This promise is measured by its clock, not by hand."))
    if check.status != CheckStatus.PENDING:
        raise InvalidTransition(_("This check is already decided."))
    now = timezone.now()
    check.status = CheckStatus.MET if met else CheckStatus.BREACHED
    if met:
        check.met_at = now
    else:
        check.breached_at = now
    check.updated_at = now
    check.save(update_fields=["status", "met_at", "breached_at", "updated_at"])
    audit(
        "complaint",
        complaint.pk,
        actor,
        "promise_judged",
        {"promise_id": check.promise_id, "met": bool(met)},
    )
    return check


@transaction.atomic
def broken_promise_claim_create(
    *, actor: Actor, complaint_id: int, promise_id: int, note: str = ""
) -> BrokenPromiseClaim:
    """Record that the complaint says a promise of a published code was broken."""

    require(can_work_complaints, actor.user, _("record broken promises"))
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("No such complaint."))
    promise = Promise.objects.select_related("code").filter(pk=promise_id).first()
    if promise is None or promise.code.state not in PUBLIC | {CodeState.RETIRED}:
        raise ValidationFailed(
            _("Choose a promise of a published code."), fields={"promise": [_("Unknown.")]}
        )
    if BrokenPromiseClaim.objects.filter(complaint=complaint, promise=promise).exists():
        raise Conflict(_("This complaint already names that promise."))
    note = (note or "").strip()[:5000]
    claim = BrokenPromiseClaim.objects.create(
        complaint=complaint,
        promise=promise,
        note=note,
        created_by=actor.user,
        created_at=timezone.now(),
    )
    audit("complaint", complaint.pk, actor, "promise_claimed_broken", {"promise_id": promise.pk})
    return claim
