"""Every write of the disputes app (CONVENTIONS: one service layer)."""

from plaint.disputes.services.cases import (
    ConsentInput,
    NoticeResult,
    dispute_from_case_outcome,
    dispute_notice_receive,
    dispute_refer,
    held_notice_match,
)
from plaint.disputes.services.legal import legal_referral_record, legal_referral_review
from plaint.disputes.services.neutral import (
    declaration_of,
    dispute_neutral_assign,
    dispute_neutral_declare,
    dispute_neutral_request,
    neutral_actor,
)
from plaint.disputes.services.outcome_import import (
    OutcomeImportReport,
    OutcomeUpload,
    dispute_outcomes_import,
    dispute_outcomes_import_stored,
    outcome_upload_get,
    outcome_upload_store,
)
from plaint.disputes.services.policy import (
    dispute_policy_draft_start,
    dispute_policy_draft_update,
    dispute_policy_publish,
)
from plaint.disputes.services.providers import (
    eligibility_rule_add,
    eligibility_rule_remove,
    provider_create,
    provider_methods_set,
    provider_review_record,
    provider_update,
)
from plaint.disputes.services.settlement import (
    dispute_settings,
    dispute_settings_set,
    settlement_offer_approve,
    settlement_offer_propose,
)
from plaint.disputes.services.steps import (
    ObligationInput,
    dispute_close,
    dispute_exit,
    dispute_file_complete,
    dispute_lessons_record,
    dispute_outcome_record,
    dispute_position_send,
    dispute_recommendation_answer,
    dispute_submission_add,
    obligation_done,
)
from plaint.disputes.services.tracking import dispute_choose_on_tracking, dispute_evidence_add

__all__ = [
    "ConsentInput",
    "NoticeResult",
    "ObligationInput",
    "OutcomeImportReport",
    "OutcomeUpload",
    "declaration_of",
    "dispute_choose_on_tracking",
    "dispute_close",
    "dispute_evidence_add",
    "dispute_exit",
    "dispute_file_complete",
    "dispute_from_case_outcome",
    "dispute_lessons_record",
    "dispute_neutral_assign",
    "dispute_neutral_declare",
    "dispute_neutral_request",
    "dispute_notice_receive",
    "dispute_outcome_record",
    "dispute_outcomes_import",
    "dispute_outcomes_import_stored",
    "dispute_policy_draft_start",
    "dispute_policy_draft_update",
    "dispute_policy_publish",
    "dispute_position_send",
    "dispute_recommendation_answer",
    "dispute_refer",
    "dispute_settings",
    "dispute_settings_set",
    "dispute_submission_add",
    "eligibility_rule_add",
    "eligibility_rule_remove",
    "held_notice_match",
    "legal_referral_record",
    "legal_referral_review",
    "neutral_actor",
    "obligation_done",
    "outcome_upload_get",
    "outcome_upload_store",
    "provider_create",
    "provider_methods_set",
    "provider_review_record",
    "provider_update",
    "settlement_offer_approve",
    "settlement_offer_propose",
]
