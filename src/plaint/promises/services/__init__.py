"""Every write of codes, promises, checks, pauses, claims and profile selections, by subject:

- ``deadlines``: the promise clock as pure functions (no database);
- ``snapshot``: the active promises and pauses in Django's cache, keyed by the configuration token;
- ``intake``, ``checks``: a new complaint's clocks and checks, and keeping them in step with the case;
- ``sweep``: the periodic breach and notification of checks;
- ``codes``, ``promises``, ``claims``, ``pauses``, ``profiles``: the configuration and people's word.

Callers import from ``plaint.promises.services``; the names below are its public interface.
"""

from plaint.promises.services.checks import (
    case_clocks,
    promise_checks_plan,
    promise_checks_refresh,
    promise_checks_refresh_many,
)
from plaint.promises.services.claims import broken_promise_claim_create, promise_check_record
from plaint.promises.services.codes import (
    code_create,
    code_new_version,
    code_transition,
    code_update,
)
from plaint.promises.services.deadlines import (
    ActivePromise,
    applicable_promises,
    at_risk_at,
    clock_due,
    clock_span,
    complaint_pauses,
)
from plaint.promises.services.intake import complaint_receiving, promise_due_dates
from plaint.promises.services.pauses import (
    promise_calendar_changed,
    recompute_enqueue,
    recompute_pending,
    regulatory_pause_create,
    regulatory_pause_delete,
)
from plaint.promises.services.profiles import profile_deselect, profile_select
from plaint.promises.services.promises import promise_create, promise_delete, promise_update
from plaint.promises.services.recompute import (
    promise_checks_recompute,
    promise_checks_refresh_imported,
)
from plaint.promises.services.snapshot import (
    Snapshot,
    active_promises,
    config_changed,
    config_token,
)
from plaint.promises.services.sweep import SweepResult, promise_checks_sweep

__all__ = [
    "ActivePromise",
    "Snapshot",
    "SweepResult",
    "active_promises",
    "applicable_promises",
    "at_risk_at",
    "broken_promise_claim_create",
    "case_clocks",
    "clock_due",
    "clock_span",
    "code_create",
    "code_new_version",
    "code_transition",
    "code_update",
    "complaint_pauses",
    "complaint_receiving",
    "config_changed",
    "config_token",
    "profile_deselect",
    "profile_select",
    "promise_calendar_changed",
    "promise_check_record",
    "promise_checks_plan",
    "promise_checks_recompute",
    "promise_checks_refresh",
    "promise_checks_refresh_imported",
    "promise_checks_refresh_many",
    "promise_checks_sweep",
    "promise_create",
    "promise_delete",
    "promise_due_dates",
    "promise_update",
    "recompute_enqueue",
    "recompute_pending",
    "regulatory_pause_create",
    "regulatory_pause_delete",
]
