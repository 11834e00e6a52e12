"""What each event tells whom: the assignee of a case assigned to them, the owner of a case the
complainant wrote on, the owners of cases with a promise at risk."""

from __future__ import annotations

from collections.abc import Iterable

from plaint.accounts.access import can_read_complaints
from plaint.accounts.models import User
from plaint.complaints.models import Complaint
from plaint.notifications.models import Kind
from plaint.notifications.services.sending import Tell, notifications_send


def _active(user_ids: Iterable[int | None]) -> dict[int, User]:
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    return {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True)}


def assignment_tell(
    *, complaint: Complaint, assignee_id: int, actor_id: int | None, mail: bool = True
) -> None:
    """The new assignee hears of the case, unless they assigned it to themself (``mail=False``:
    in the app only — one case of a bulk assignment, mailed by ``bulk_assignment_tell``)."""
    people = _active([assignee_id]) if assignee_id != actor_id else {}
    notifications_send(
        kind=Kind.ASSIGNED,
        tells=[_tell(person, complaint) for person in people.values()],
        actor_id=actor_id,
        mail=mail,
    )


def bulk_assignment_tell(
    *, complaints: Iterable[Complaint], assignee_id: int, actor_id: int | None
) -> None:
    """One mail to the assignee listing the cases a bulk action gave them (each already told in
    the app by ``assignment_tell``), if they chose mail for assignments."""
    people = _active([assignee_id]) if assignee_id != actor_id else {}
    notifications_send(
        kind=Kind.ASSIGNED,
        tells=[_tell(person, c) for person in people.values() for c in complaints],
        actor_id=actor_id,
        app=False,
    )


def complainant_wrote_tell(*, complaint: Complaint) -> None:
    """The case's owner (its assignee) hears that the complainant wrote or sent evidence."""
    people = _active([complaint.assignee_id])
    notifications_send(
        kind=Kind.COMPLAINANT_WROTE,
        tells=[_tell(person, complaint) for person in people.values()],
        actor_id=None,
    )


def at_risk_tell(*, cases: Iterable[tuple[int, str, int | None]]) -> set[int]:
    """The owners of cases with a promise at risk hear of them: ``cases`` are (complaint id,
    reference, assignee id). Returns the ids of the owners told (as each chose, possibly not at
    all), so the promises sweep does not mail them again."""
    rows = list(cases)
    people = _active(row[2] for row in rows)
    subjects = (
        dict(
            Complaint.objects.filter(
                pk__in={row[0] for row in rows}, assignee_id__in=people
            ).values_list("pk", "subject")
        )
        if people
        else {}
    )
    tells = [
        Tell(
            recipient=people[assignee],
            complaint_id=pk,
            reference=reference,
            subject=subjects.get(pk, ""),
        )
        for pk, reference, assignee in rows
        if assignee in people
    ]
    notifications_send(kind=Kind.PROMISE_AT_RISK, tells=tells, actor_id=None)
    return {tell.recipient.pk for tell in tells if can_read_complaints(tell.recipient)}


def _tell(person: User, complaint: Complaint) -> Tell:
    return Tell(
        recipient=person,
        complaint_id=complaint.pk,
        reference=complaint.reference or "",
        subject=complaint.subject,
    )
