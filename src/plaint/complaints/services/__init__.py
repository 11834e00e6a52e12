"""Every write to a complaint. Each function is one transaction: lock, check, change, audit, enqueue.

Split by subject; callers import from here (``from plaint.complaints.services import x``)."""

from __future__ import annotations

from collections.abc import Callable

from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import assignment_refusal, complaint_assign
from plaint.complaints.services.base import (
    CASE_TYPE,
    search_document,
    tracking_digest,
    tracking_link_issue,
    tracking_url,
)
from plaint.complaints.services.bulk import (
    BulkChange,
    BulkOutcome,
    Selection,
    bulk_change_build,
    complaints_bulk_change,
)
from plaint.complaints.services.categories import category_create
from plaint.complaints.services.clocks import CLOCK_FIELDS, CaseClocks, complaint_clocks_set
from plaint.complaints.services.closing import (
    complaint_close,
    complaint_record_dispute_outcome,
    complaint_refer_external,
    complaint_withdraw,
)
from plaint.complaints.services.intake import (
    LANGUAGE_CODES,
    STAFF_INTAKE_CHANNELS,
    ComplaintInput,
    acknowledgement_email_context,
    complaint_submit,
)
from plaint.complaints.services.mails import case_mail_context
from plaint.complaints.services.messages import message_post
from plaint.complaints.services.queue_views import (
    queue_view_remember,
    saved_view_create,
    saved_view_delete,
    saved_view_rename,
)
from plaint.complaints.services.reads import case_read_record
from plaint.complaints.services.remedies import (
    RemedyInput,
    complaint_propose_response,
    complaint_record_remedy_delivered,
)
from plaint.complaints.services.reply_templates import (
    reply_template_create,
    reply_template_deactivate,
    reply_template_update,
)
from plaint.complaints.services.root_causes import root_cause_create, root_cause_set_active
from plaint.complaints.services.steps import (
    complaint_accept_decision,
    complaint_acknowledge,
    complaint_assess,
    complaint_communicate_decision,
    complaint_decline_decision,
    complaint_record_findings,
    complaint_reject_out_of_scope,
    complaint_request_information,
    complaint_resume,
    complaint_start_investigation,
)
from plaint.complaints.sql import NEXT_REFERENCE_SQL, NextReference
from plaint.complaints.states import Step

STEP_SERVICES: dict[Step, Callable[..., Complaint]] = {
    Step.ACKNOWLEDGE: complaint_acknowledge,
    Step.ASSESS: complaint_assess,
    Step.REJECT_OUT_OF_SCOPE: complaint_reject_out_of_scope,
    Step.START_INVESTIGATION: complaint_start_investigation,
    Step.RECORD_FINDINGS: complaint_record_findings,
    Step.PROPOSE_RESPONSE: complaint_propose_response,
    Step.COMMUNICATE_DECISION: complaint_communicate_decision,
    Step.ACCEPT_DECISION: complaint_accept_decision,
    Step.DECLINE_DECISION: complaint_decline_decision,
    Step.CLOSE: complaint_close,
    Step.WITHDRAW: complaint_withdraw,
    Step.REFER_EXTERNAL: complaint_refer_external,
    Step.REQUEST_INFORMATION: complaint_request_information,
    Step.RESUME: complaint_resume,
    Step.RECORD_REMEDY_DELIVERED: complaint_record_remedy_delivered,
    Step.RECORD_DISPUTE_OUTCOME: complaint_record_dispute_outcome,
}
assert set(STEP_SERVICES) == set(Step), "every lifecycle step needs a service"

__all__ = [
    "CASE_TYPE",
    "CLOCK_FIELDS",
    "LANGUAGE_CODES",
    "NEXT_REFERENCE_SQL",
    "STAFF_INTAKE_CHANNELS",
    "STEP_SERVICES",
    "BulkChange",
    "BulkOutcome",
    "CaseClocks",
    "ComplaintInput",
    "NextReference",
    "RemedyInput",
    "Selection",
    "acknowledgement_email_context",
    "assignment_refusal",
    "bulk_change_build",
    "case_mail_context",
    "case_read_record",
    "category_create",
    "complaint_accept_decision",
    "complaint_acknowledge",
    "complaint_assess",
    "complaint_assign",
    "complaint_clocks_set",
    "complaint_close",
    "complaint_communicate_decision",
    "complaint_decline_decision",
    "complaint_propose_response",
    "complaint_record_dispute_outcome",
    "complaint_record_findings",
    "complaint_record_remedy_delivered",
    "complaint_refer_external",
    "complaint_reject_out_of_scope",
    "complaint_request_information",
    "complaint_resume",
    "complaint_start_investigation",
    "complaint_submit",
    "complaint_withdraw",
    "complaints_bulk_change",
    "message_post",
    "queue_view_remember",
    "reply_template_create",
    "reply_template_deactivate",
    "reply_template_update",
    "root_cause_create",
    "root_cause_set_active",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_rename",
    "search_document",
    "tracking_digest",
    "tracking_link_issue",
    "tracking_url",
]
