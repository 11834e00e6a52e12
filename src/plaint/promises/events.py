"""What happens to promise checks that higher apps react to (``plaint.core.events``).

Published by ``plaint.promises.services`` inside the change's transaction. Subscribers today:
notifications (telling a case's owner that a promise on it is at risk), webhooks (breaches)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from plaint.core.events import Event


@dataclass(frozen=True)
class AtRiskCase:
    """A case with a promise check that has just become at risk, and the case's assignee."""

    complaint_id: int
    reference: str
    assignee_id: int | None
    promise: str  # "<code slug>/<promise key>", as the mails name it


@dataclass(frozen=True)
class PromisesAtRisk(Event):
    """The sweep found promise checks at risk, each once (``promise_checks_sweep``).

    A handler that tells an assignee itself (in the app, by mail, as that person chose) adds the
    assignee's id to ``told``: the sweep's own at-risk mail then goes only to the managers, so
    nobody is told twice. With no handler, the sweep mails the assignees as before."""

    cases: list[AtRiskCase]
    told: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class BreachedCheck:
    """A promise check announced as breached, once (the sweep stamps it)."""

    check_id: int
    complaint_id: int
    reference: str
    promise: str  # "<code slug>/<promise key>"
    due_at: dt.datetime | None


@dataclass(frozen=True)
class PromisesBreached(Event):
    """The sweep announced breached promise checks, each once (``promise_checks_sweep``), in the
    transaction that stamps them: webhooks tell other systems."""

    checks: list[BreachedCheck]
