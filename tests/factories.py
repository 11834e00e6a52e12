"""factory_boy factories. Complaints are made through the service, so they carry real audit events."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from plaint.accounts.models import User
from plaint.complaints.models import Category


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example.org")
    role = "handler"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct horse battery staple")
        if create:
            self.save(update_fields=["password"])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.code.replace("-", " ").title())


def make_complaint(*, channel: str = "web", actor=None, **fields):
    """File a complaint through the service; returns (complaint, tracking token)."""
    from plaint.complaints.services import ComplaintInput, complaint_submit
    from plaint.core.actors import Actor

    data = {
        "name": "Mari Maasikas",
        "email": "mari@example.org",
        "description": "The parcel arrived two weeks late and the box was crushed.",
        "subject": "Late and damaged parcel",
        "consent": True,
    }
    data.update(fields)
    return complaint_submit(
        data=ComplaintInput(**data), channel=channel, actor=actor or Actor.complainant()
    )


def advance(complaint, to_state: str, *, by, reviewer=None):
    """Walk a complaint through the lifecycle to ``to_state`` using the services."""
    from decimal import Decimal

    from plaint.complaints import services as s
    from plaint.core.actors import Actor

    staff = Actor.staff(by)
    path = [
        ("acknowledged", lambda c: s.complaint_acknowledge(complaint_id=c.pk, actor=staff)),
        (
            "assessed",
            lambda c: s.complaint_assess(complaint_id=c.pk, actor=staff, severity="medium"),
        ),
        (
            "investigating",
            lambda c: s.complaint_start_investigation(complaint_id=c.pk, actor=staff),
        ),
        (
            "response_proposed",
            lambda c: s.complaint_propose_response(
                complaint_id=c.pk,
                actor=staff,
                decision="We are sorry; we refund the delivery fee.",
                remedies=[s.RemedyInput("refund", amount=Decimal("4.90"), currency="EUR")],
            ),
        ),
        (
            "decision_communicated",
            lambda c: s.complaint_communicate_decision(complaint_id=c.pk, actor=staff),
        ),
        (
            "accepted",
            lambda c: s.complaint_accept_decision(complaint_id=c.pk, actor=Actor.complainant()),
        ),
        ("closed", lambda c: s.complaint_close(complaint_id=c.pk, actor=staff, reason="accepted")),
    ]
    order = [p[0] for p in path]
    complaint.refresh_from_db()
    for state, step in path:
        if complaint.state == to_state:
            break
        if (
            order.index(state) <= order.index(complaint.state)
            if complaint.state in order
            else False
        ):
            continue
        complaint = step(complaint)
    complaint.refresh_from_db()
    assert complaint.state == to_state, f"could not reach {to_state}, stopped at {complaint.state}"
    return complaint


def office_day(moment: dt.datetime) -> dt.date:
    """The organisation's calendar day of a moment (its office's time zone)."""
    from zoneinfo import ZoneInfo

    from plaint.core.selectors import organisation_get

    return timezone.localdate(moment, ZoneInfo(organisation_get().timezone))


def office_today() -> dt.date:
    """Today where the organisation's office is, the services' "today" (late in the UTC evening
    it is already tomorrow in Tallinn, the test organisation's zone)."""
    from zoneinfo import ZoneInfo

    from plaint.core.selectors import organisation_get

    return timezone.localdate(timezone=ZoneInfo(organisation_get().timezone))
