"""Writes of the improvement app (``from plaint.improvement.services import …``): recurring
clusters, objectives, corrective actions and their sweep, the regulatory returns' mapping,
management reviews, the complaints-handling policy, training records and internal
audits."""

from plaint.improvement.services.analysis import (
    analysis_rollup_discard,
    analysis_rollup_rebuild,
    analysis_rollup_refresh,
)
from plaint.improvement.services.audit import (
    audit_cancel,
    audit_close,
    audit_plan,
    audit_programme_create,
    audit_report,
    audit_start,
    independence_problem,
)
from plaint.improvement.services.causes import (
    corrective_action_cause_tree_edit,
    corrective_action_cause_tree_set,
)
from plaint.improvement.services.clusters import (
    MIN_SIZE,
    WINDOW_DAYS,
    clusters_detect,
    clusters_detect_when_due,
)
from plaint.improvement.services.corrective import (
    corrective_action_actions_complete,
    corrective_action_actions_start,
    corrective_action_cancel,
    corrective_action_cause_record,
    corrective_action_check_run,
    corrective_action_close_not_effective,
    corrective_action_containment_record,
    corrective_action_open,
    corrective_action_reopen,
    planned_action_add,
    planned_action_done,
)
from plaint.improvement.services.findings import (
    checklist_answer,
    finding_corrective_action_open,
    finding_record,
)
from plaint.improvement.services.objectives import objective_create, objective_update
from plaint.improvement.services.policy import (
    policy_draft_create,
    policy_draft_start,
    policy_draft_update,
    policy_publish,
)
from plaint.improvement.services.reminders import (
    corrective_action_check_overdue_alert,
    corrective_action_check_remind,
    corrective_sweep,
    planned_action_overdue_alert,
    planned_action_remind,
)
from plaint.improvement.services.returns import (
    return_export_record,
    return_mapping_delete,
    return_mapping_set,
)
from plaint.improvement.services.review import (
    review_action_add,
    review_action_done,
    review_action_overdue_alert,
    review_action_remind,
    review_changes_record,
    review_close,
    review_create,
    review_hold,
    review_pack_build,
    review_sweep,
)
from plaint.improvement.services.training import course_create, course_update, training_record

__all__ = [
    "MIN_SIZE",
    "WINDOW_DAYS",
    "analysis_rollup_discard",
    "analysis_rollup_rebuild",
    "analysis_rollup_refresh",
    "audit_cancel",
    "audit_close",
    "audit_plan",
    "audit_programme_create",
    "audit_report",
    "audit_start",
    "checklist_answer",
    "clusters_detect",
    "clusters_detect_when_due",
    "corrective_action_actions_complete",
    "corrective_action_actions_start",
    "corrective_action_cancel",
    "corrective_action_cause_record",
    "corrective_action_cause_tree_edit",
    "corrective_action_cause_tree_set",
    "corrective_action_check_overdue_alert",
    "corrective_action_check_remind",
    "corrective_action_check_run",
    "corrective_action_close_not_effective",
    "corrective_action_containment_record",
    "corrective_action_open",
    "corrective_action_reopen",
    "corrective_sweep",
    "course_create",
    "course_update",
    "finding_corrective_action_open",
    "finding_record",
    "independence_problem",
    "objective_create",
    "objective_update",
    "planned_action_add",
    "planned_action_done",
    "planned_action_overdue_alert",
    "planned_action_remind",
    "policy_draft_create",
    "policy_draft_start",
    "policy_draft_update",
    "policy_publish",
    "return_export_record",
    "return_mapping_delete",
    "return_mapping_set",
    "review_action_add",
    "review_action_done",
    "review_action_overdue_alert",
    "review_action_remind",
    "review_changes_record",
    "review_close",
    "review_create",
    "review_hold",
    "review_pack_build",
    "review_sweep",
    "training_record",
]
