"""The access log: one row for each time a member of staff reads a case."""

from __future__ import annotations

from plaint.accounts.models import User
from plaint.complaints.models import CaseRead, Complaint, ReadVia


def case_read_record(*, user: User, complaint: Complaint, via: ReadVia) -> CaseRead:
    """Record that ``user`` read ``complaint`` by ``via``, in the request that read it: one INSERT
    and nothing else (no transaction of its own, no lock: a read changes no case, and the row is
    written before the response leaves, so a read that was shown is a read that was logged)."""
    return CaseRead.objects.create(user=user, complaint=complaint, via=via)
