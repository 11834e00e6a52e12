"""Every model field that can hold personal data, as data: its category and what erasure (and
retention) does to it. ``tests/privacy/test_registry.py`` walks every model and fails when a
text, JSON or file field is in neither ``PERSONAL`` nor ``NOT_PERSONAL``, and docs/privacy.md's
table is this registry (``registry_markdown``; a test keeps the two equal).

Fields with ``choices`` and slugs hold codes, never a person's words, and need no entry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    IDENTIFIER = "identifier"  # names a person: name, reference chosen by them
    CONTACT = "contact"  # reaches a person: e-mail, phone
    FREE_TEXT = "free text"  # whatever a person (or staff about them) wrote
    FILE = "file"  # an uploaded file and its name
    NETWORK = "network"  # an address a request came from
    DERIVED = "derived"  # computed from personal data (a search text, a contact key)
    STAFF = "staff account"  # the organisation's own people, not subjects of erasure here


class Treatment(StrEnum):
    REPLACED = "replaced by a placeholder"
    REDACTED = "the person's name, e-mail and phone replaced where they occur"
    PSEUDONYM = "replaced by a random stand-in, the same for all the person's rows"
    FILE_DELETED = "file deleted, metadata kept under a placeholder name"
    RECOMPUTED = "recomputed from the erased values"
    OUTSIDE_HASH = "cleared (outside the audit hash)"
    DELETED_BY_RETENTION = "not erased per person; rows deleted by a retention rule"
    KEPT = "kept: not a complainant's data"


@dataclass(frozen=True)
class Classified:
    category: Category
    treatment: Treatment
    note: str = ""


C, T = Category, Treatment

PERSONAL: dict[str, Classified] = {
    # complaints
    "complaints.Complainant.name": Classified(C.IDENTIFIER, T.REPLACED),
    "complaints.Complainant.email": Classified(C.CONTACT, T.PSEUDONYM, "keeps repeat counts"),
    "complaints.Complainant.phone": Classified(C.CONTACT, T.PSEUDONYM, "keeps repeat counts"),
    "complaints.Complaint.subject": Classified(C.FREE_TEXT, T.REPLACED),
    "complaints.Complaint.description": Classified(C.FREE_TEXT, T.REPLACED),
    "complaints.Complaint.desired_outcome": Classified(C.FREE_TEXT, T.REPLACED),
    "complaints.Complaint.complainant_feedback": Classified(C.FREE_TEXT, T.REPLACED),
    "complaints.Complaint.product": Classified(
        C.FREE_TEXT, T.REDACTED, "a product name, kept for the statistics"
    ),
    "complaints.Complaint.findings": Classified(C.FREE_TEXT, T.REDACTED, "written by staff"),
    "complaints.Complaint.root_cause": Classified(C.FREE_TEXT, T.REDACTED, "written by staff"),
    "complaints.Complaint.decision": Classified(C.FREE_TEXT, T.REDACTED, "written by staff"),
    "complaints.Complaint.out_of_scope_reason": Classified(C.FREE_TEXT, T.REDACTED),
    "complaints.Complaint.dispute_note": Classified(C.FREE_TEXT, T.REDACTED),
    "complaints.Complaint.search_document": Classified(C.DERIVED, T.RECOMPUTED),
    "complaints.Message.body": Classified(
        C.FREE_TEXT, T.REDACTED, "the complainant's own messages are replaced whole"
    ),
    "complaints.Remedy.description": Classified(C.FREE_TEXT, T.REDACTED),
    "complaints.SavedView.query": Classified(
        C.FREE_TEXT, T.REDACTED, "a search a member of staff saved"
    ),
    "complaints.QueuePreference.last_query": Classified(C.FREE_TEXT, T.REDACTED),
    "promises.BrokenPromiseClaim.note": Classified(C.FREE_TEXT, T.REDACTED),
    # core
    "core.Attachment.file": Classified(C.FILE, T.FILE_DELETED),
    "core.Attachment.original_name": Classified(C.FILE, T.REPLACED, "the extension is kept"),
    "core.OutboundEmail.to": Classified(C.CONTACT, T.PSEUDONYM, "pending mails are cancelled"),
    "core.OutboundEmail.subject": Classified(C.FREE_TEXT, T.REPLACED),
    "core.OutboundEmail.body": Classified(C.FREE_TEXT, T.REPLACED),
    "core.OutboundEmail.last_error": Classified(C.FREE_TEXT, T.REPLACED),
    "core.AuditEvent.personal": Classified(C.IDENTIFIER, T.OUTSIDE_HASH),
    "core.AuditEvent.data": Classified(
        C.DERIVED,
        T.KEPT,
        "hashed: holds codes, ids and digests only; a register export's search is a salted "
        "digest whose salt and text are in personal",
    ),
    "core.AuditEvent.actor_label": Classified(
        C.STAFF, T.KEPT, "a username or a role word ('complainant'), never a complainant's name"
    ),
    "core.RateLimitCounter.key": Classified(C.NETWORK, T.DELETED_BY_RETENTION, "pruned hourly"),
    "core.IdempotencyRecord.key": Classified(
        C.DERIVED, T.KEPT, "a client's random key, no personal data"
    ),
    # surveys
    "surveys.Contact.email": Classified(C.CONTACT, T.PSEUDONYM),
    "surveys.Contact.name": Classified(C.IDENTIFIER, T.REPLACED),
    "surveys.Suppression.email": Classified(C.CONTACT, T.PSEUDONYM),
    "surveys.Invitation.email": Classified(C.CONTACT, T.PSEUDONYM),
    "surveys.Invitation.name": Classified(C.IDENTIFIER, T.REPLACED),
    "surveys.Invitation.case_ref": Classified(C.IDENTIFIER, T.KEPT, "a case reference"),
    "surveys.Response.external_id": Classified(
        C.IDENTIFIER, T.KEPT, "the survey tool's id of a response, no personal data"
    ),
    "surveys.Answer.text": Classified(C.FREE_TEXT, T.REPLACED),
    "surveys.CallbackTask.email": Classified(C.CONTACT, T.PSEUDONYM),
    "surveys.CallbackTask.name": Classified(C.IDENTIFIER, T.REPLACED),
    "surveys.CallbackTask.comment": Classified(C.FREE_TEXT, T.REPLACED),
    "surveys.CallbackTask.note": Classified(C.FREE_TEXT, T.REDACTED, "written by staff"),
    # improvement
    "improvement.RecurringCluster.label": Classified(
        C.FREE_TEXT, T.REPLACED, "a member's subject: replaced when theirs, else redacted"
    ),
    "improvement.RecurringCluster.product": Classified(C.FREE_TEXT, T.REDACTED),
    **{
        f"improvement.AnalysisMonth.{name}": Classified(
            C.FREE_TEXT, T.REDACTED, "a product name (or a code), as on the complaints counted"
        )
        for name in ("scope_value", "value")
    },
    "improvement.AnalysisCase.product": Classified(
        C.FREE_TEXT, T.REDACTED, "a product name, as on the complaint"
    ),
    # insights
    "insights.IndicatorContact.key": Classified(
        C.DERIVED, T.PSEUDONYM, "the repeat-complainant key follows the stand-in"
    ),
    # corrective actions (improvement): what staff wrote may name a complainant
    **{
        f"improvement.CorrectiveAction.{name}": Classified(
            C.FREE_TEXT, T.REDACTED, "written by staff"
        )
        for name in (
            "title",
            "problem",
            "containment",
            "root_cause",
            "closing_note",
            "source_ref",
            "whys",
            "cause_tree",
            "earlier_rounds",
        )
    },
    "notifications.Notification.subject_title": Classified(
        C.FREE_TEXT, T.REDACTED, "a corrective action's title, as staff wrote it"
    ),
    "improvement.PlannedAction.description": Classified(C.FREE_TEXT, T.REDACTED, "staff's words"),
    "improvement.PlannedAction.evidence": Classified(C.FREE_TEXT, T.REDACTED, "staff's words"),
    # internal audits (improvement): what auditors and managers wrote may name a complainant
    **{
        f"improvement.{name}": Classified(C.FREE_TEXT, T.REDACTED, "written by staff")
        for name in (
            "AuditProgramme.objectives",
            "Audit.title",
            "Audit.scope_note",
            "Audit.conclusion",
            "ChecklistItem.notes",
            "Finding.statement",
            "Finding.evidence_note",
        )
    },
    # disputes (ISO 10003): what staff, the provider or the neutral wrote may name a complainant
    **{
        f"disputes.{name}": Classified(C.FREE_TEXT, T.REDACTED, "written by staff or the provider")
        for name in (
            "Dispute.reasons",
            "Dispute.lessons",
            "Submission.text",
            "Obligation.description",
            "Obligation.evidence",
            "SettlementOffer.terms",
            "HeldNotice.details",
            "HeldNotice.complaint_reference",
        )
    },
    # management reviews (improvement): the organisation's own record of its system
    **{
        f"improvement.{name}": Classified(
            C.FREE_TEXT, T.KEPT, "staff's words about the organisation, not about a complainant"
        )
        for name in (
            "ManagementReview.title",
            "ManagementReview.changes_regulation",
            "ManagementReview.changes_products",
            "ManagementReview.changes_organisation",
            "ManagementReview.decisions",
            "ReviewAction.description",
            "ReviewAction.evidence",
        )
    },
    "improvement.ManagementReview.attendees": Classified(
        C.STAFF, T.KEPT, "who attended the meeting: the organisation's own people"
    ),
    # training records (improvement): about the organisation's own people
    "improvement.TrainingRecord.evidence": Classified(
        C.STAFF, T.KEPT, "a certificate number or where a staff member's record is kept"
    ),
    # complaint history import
    "complaints.ComplaintImport.errors": Classified(
        C.FREE_TEXT,
        T.DELETED_BY_RETENTION,
        "refused rows by line; a message may quote a value of the file; with finished jobs",
    ),
    "complaints.ComplaintImport.message": Classified(
        C.FREE_TEXT, T.DELETED_BY_RETENTION, "why a run stopped; with finished jobs"
    ),
    "complaints.ComplaintImport.file_name": Classified(
        C.FILE, T.DELETED_BY_RETENTION, "with finished jobs"
    ),
    "complaints.ComplaintImport.upload": Classified(
        C.FILE,
        T.DELETED_BY_RETENTION,
        "the uploaded file, removed by the import's own clean-up of old uploads",
    ),
    "complaints.ComplaintImport.actor_label": Classified(C.STAFF, T.KEPT),
    # e-mail intake
    "mailin.InboundMail.raw": Classified(C.FILE, T.FILE_DELETED, "the whole message as received"),
    "mailin.InboundMail.sender": Classified(C.CONTACT, T.PSEUDONYM),
    "mailin.InboundMail.subject": Classified(C.FREE_TEXT, T.REPLACED),
    "mailin.InboundMail.detail": Classified(
        C.FREE_TEXT, T.REPLACED, "why a mail was quarantined; may quote the sender"
    ),
    # webhooks
    "webhooks.WebhookDelivery.body": Classified(C.FREE_TEXT, T.REPLACED, "pending ones cancelled"),
    "webhooks.WebhookDelivery.last_error": Classified(C.FREE_TEXT, T.REPLACED),
    # background jobs (django-tasks)
    "django_tasks_database.DBTaskResult.args_kwargs": Classified(C.FREE_TEXT, T.REPLACED),
    "django_tasks_database.DBTaskResult.return_value": Classified(C.FREE_TEXT, T.REPLACED),
    "django_tasks_database.DBTaskResult.traceback": Classified(C.FREE_TEXT, T.REPLACED),
    # the organisation's own people and accounts
    "accounts.User.username": Classified(C.STAFF, T.KEPT),
    "accounts.User.first_name": Classified(C.STAFF, T.KEPT),
    "accounts.User.last_name": Classified(C.STAFF, T.KEPT),
    "accounts.User.email": Classified(C.STAFF, T.KEPT),
    "accounts.LoginThrottle.key": Classified(
        C.NETWORK, T.DELETED_BY_RETENTION, "a sign-in address or username; pruned"
    ),
    "otp_totp.TOTPDevice.name": Classified(C.STAFF, T.KEPT),
    "admin.LogEntry.object_repr": Classified(
        C.STAFF,
        T.KEPT,
        "Django admin's log of staff edits (Plaint's own models are not in the admin)",
    ),
    "admin.LogEntry.change_message": Classified(C.STAFF, T.KEPT),
    "sessions.Session.session_data": Classified(
        C.STAFF, T.DELETED_BY_RETENTION, "signed-in staff; expired sessions are cleared"
    ),
    "core.Organisation.contact_email": Classified(C.CONTACT, T.KEPT, "the organisation's own"),
    "core.Organisation.contact_phone": Classified(C.CONTACT, T.KEPT, "the organisation's own"),
    "privacy.LegalHold.reason": Classified(
        C.FREE_TEXT,
        T.REDACTED,
        "a hold in force blocks erasure; in its audit chain as a salted digest",
    ),
}

# Text, JSON and file fields checked and found to hold no personal data: configuration written
# by staff, codes, digests, keys and identifiers of rows.
NOT_PERSONAL: frozenset[str] = frozenset(
    {
        "admin.LogEntry.object_id",
        "auth.Permission.name",
        "auth.Permission.codename",
        "auth.Group.name",
        "contenttypes.ContentType.app_label",
        "contenttypes.ContentType.model",
        "sessions.Session.session_key",
        "django_tasks_database.DBTaskResult.task_path",
        "django_tasks_database.DBTaskResult.worker_ids",
        "django_tasks_database.DBTaskResult.queue_name",
        "django_tasks_database.DBTaskResult.backend_name",
        "django_tasks_database.DBTaskResult.exception_class_path",
        "otp_totp.TOTPDevice.key",
        "core.Organisation.name",
        "core.Organisation.country",
        "core.Organisation.timezone",
        "core.AuditEvent.case_type",
        "core.AuditEvent.action",
        "core.AuditEvent.prev_hash",
        "core.AuditEvent.hash",
        "core.OutboundEmail.language",
        "core.OutboundEmail.kind",
        "core.OutboundEmail.message_id",
        "mailin.InboundMail.message_id",  # the sender's mail program's random identifier
        "mailin.InboundMail.dedupe_key",  # that identifier, or a digest of the content
        "mailin.InboundMail.sha256",
        "mailin.InboundMail.language",
        "mailin.InboundMail.source",
        "complaints.RootCause.name",
        # the dispute-resolution provider register: public facts about bodies (ADR boards,
        # ombudsmen), their terms and staff's review of them; nothing about a complainant
        *(
            f"disputes.Provider.{name}"
            for name in (
                "name",
                "description",
                "website",
                "email",
                "phone",
                "address",
                "how_to_submit",
                "jurisdictions",
                "languages",
                "refer_within_unit",
                "answer_within_unit",
                "decide_within_unit",
                "independence",
                "competence",
            )
        ),
        # a dispute's codes, the provider's reference and person, the consent's fixed wording
        *(
            f"disputes.{name}"
            for name in (
                "Dispute.state",
                "Dispute.opened_via",
                "Dispute.outcome",
                "Dispute.currency",
                "Dispute.provider_reference",
                "Dispute.neutral",
                "Consent.channel",
                "Consent.language",
                "Consent.text_shown",
                "Obligation.kind",
                "Obligation.currency",
                "SettlementOffer.currency",
                "Submission.side",
                "Submission.kind",
                "HeldNotice.provider_reference",
                "DisputeSettings.currency",
            )
        ),
        "disputes.ProviderMethod.currency",
        "disputes.ProviderMethod.fee_note",
        "disputes.EligibilityRule.products",
        "disputes.EligibilityRule.currency",
        "disputes.EligibilityRule.jurisdictions",
        "disputes.EligibilityRule.note",
        "disputes.ProviderReview.findings",
        "improvement.CorrectiveAction.baseline",  # figures of an indicator
        "improvement.CorrectiveAction.check_result",
        "improvement.CorrectiveAction.indicator",  # an indicator's definition
        "improvement.Objective.indicator",
        "improvement.Objective.name",
        "improvement.AuditProgramme.title",  # a programme's name ("Processes 2026")
        "improvement.Audit.standards",  # codes of the checklists in scope
        "improvement.Audit.clauses",
        "improvement.ChecklistItem.code",  # the shipped checklist's question, copied
        "improvement.ChecklistItem.standard",
        "improvement.ChecklistItem.clause",
        "improvement.ChecklistItem.question",
        "improvement.Finding.standard",
        "improvement.Finding.clause",
        "improvement.ReturnMapping.source",  # a category, product or cause as Plaint names it
        "improvement.ReturnMapping.target",  # a regulator's code
        "improvement.ManagementReview.language",
        "improvement.ManagementReview.pack",  # aggregate figures of the period
        "improvement.ManagementReview.pack_html",  # the same figures, rendered
        "improvement.PolicyVersion.title",  # the published policy, written for everyone
        "improvement.PolicyVersion.body",
        "improvement.PolicyVersion.responsibilities",  # duties per role, not per person
        "improvement.PolicyVersion.change_note",
        "improvement.Course.name",
        "improvement.Course.description",
        "improvement.Course.required_for",  # role codes
        "complaints.Complaint.external_source",
        "complaints.Complaint.external_id",  # the case's number in the system it came from
        "complaints.ComplaintImport.columns",
        "complaints.ComplaintImport.values",
        "complaints.ImportMapping.name",
        "complaints.ImportMapping.columns",
        "complaints.ImportMapping.values",
        "core.Attachment.content_type",
        "core.Attachment.sha256",
        "core.IdempotencyRecord.principal",
        "core.Duty.name",  # a code: app.what
        "core.Duty.lease_holder",  # a worker's host name and process id
        "core.Duty.last_error",  # an exception's class and message, replaced by the next run
        "core.IdempotencyRecord.operation",
        "core.IdempotencyRecord.request_hash",
        "core.AuditDigest.key_id",
        "core.AuditDigest.prev_mac",
        "core.AuditDigest.mac",
        "core.AuditDigest.digest",
        "core.AuditDigest.heads",
        "core.AuditSealedHead.case_type",
        "core.AuditSealedHead.hash",
        "core.BusinessCalendar.name",
        "core.BusinessCalendar.country",
        "core.BusinessCalendar.subdivision",
        "core.BusinessCalendar.timezone",
        "core.BusinessCalendar.opening_hours",
        "core.ClosedDay.reason",
        "core.ConfigurationToken.token",
        "accounts.Team.name",
        "accounts.User.password",
        "accounts.User.language",
        "accounts.ApiToken.name",
        "accounts.ApiToken.prefix",
        "accounts.ApiToken.digest",
        "complaints.Category.name",
        "complaints.Complainant.language",
        "complaints.Complaint.reference",
        "complaints.Complaint.segment",
        "complaints.Complaint.paused_periods",
        "complaints.Complaint.resume_state",
        "complaints.Complaint.dispute_provider",
        "complaints.Complaint.tracking_digest",
        "complaints.TrackingLink.digest",
        "complaints.Remedy.currency",
        "complaints.ReplyTemplate.name",
        "complaints.ReplyTemplate.texts",
        "complaints.SavedView.name",
        "promises.Code.title",
        "promises.Code.owner",
        "promises.Code.scope_products",
        "promises.Code.scope_channels",
        "promises.Code.scope_segments",
        "promises.Code.adopted_from",
        "promises.Code.source_document",
        "promises.Code.source_url",
        "promises.Code.profile_key",
        "promises.Promise.texts",
        "promises.Promise.conditions",
        "promises.Promise.exclusions",
        "promises.Promise.categories",
        "promises.Promise.channels",
        "promises.Promise.products",
        "promises.Promise.segments",
        "promises.RegulatoryPause.reason",
        "promises.ProfileSelection.profile_key",
        "promises.ProfileSelection.product_line",
        "surveys.Survey.title",
        "surveys.Survey.intro",
        "surveys.Question.text",
        "surveys.Question.point_labels",
        "surveys.Question.options",
        "surveys.Contact.language",
        "surveys.Contact.segment",
        "surveys.Suppression.reason",
        "surveys.Invitation.trigger",
        "surveys.Invitation.language",
        "surveys.Invitation.token_salt",
        "surveys.Invitation.token_digest",
        "surveys.Response.language",
        "surveys.Response.channel",
        "surveys.Response.product",
        "surveys.Response.segment",
        "surveys.Answer.choices",
        "insights.AnswerCount.segment",
        "insights.VolumeImport.filename",
        "insights.VolumeImport.errors",
        "insights.IndicatorMonth.durations",
        "improvement.AnalysisMonth.scope",  # a filter's name
        "improvement.AnalysisMonth.dimension",  # a Pareto dimension's name
        "improvement.AnalysisMonth.ack_hours",  # histograms of hours
        "improvement.AnalysisMonth.resolve_hours",
        "improvement.AnalysisMonth.promises",  # counts per promise key
        "improvement.AnalysisCase.cause",  # a root cause's code
        "improvement.AnalysisCase.channel",  # a channel's code
        "improvement.AnalysisCase.segment",  # a segment's code
        "improvement.AnalysisCase.promises",  # counts per promise key
        "notifications.NewCaseWatermark.missing",
        "notifications.Notification.subject_type",  # a code: what the notification is about
        "notifications.Notification.subject_ref",  # a reference such as CA-12
        "notifications.Notification.subject_path",  # the staff page it opens
        "webhooks.Webhook.name",
        "webhooks.Webhook.url",
        "webhooks.Webhook.events",
        "webhooks.Webhook.secret",
        "webhooks.WebhookDelivery.delivery_id",
        "privacy.Erasure.counts",
    }
)


def registry_markdown() -> str:
    """The classification as the Markdown table in docs/privacy.md."""
    lines = [
        "| field | category | erasure | note |",
        "|---|---|---|---|",
    ]
    for name in sorted(PERSONAL):
        entry = PERSONAL[name]
        lines.append(
            f"| `{name}` | {entry.category.value} | {entry.treatment.value} | {entry.note} |"
        )
    return "\n".join(lines) + "\n"
