"""The final-response mail names the providers the complaint may go to, what each costs, the last
day to refer and how, and links to the tracking page to choose; delivered over real SMTP."""

from __future__ import annotations

import pytest

from plaint.core.actors import Actor
from plaint.disputes import services
from plaint.disputes.selectors import eligible_providers
from tests.disputes.cases import provider_with_all_methods
from tests.factories import advance, make_complaint

pytestmark = pytest.mark.django_db


def _decision_mail(smtp_server, run_jobs, handler):
    complaint, _token = make_complaint()
    complaint = advance(complaint, "decision_communicated", by=handler)
    run_jobs()
    subject = f"Our decision on your complaint {complaint.reference}"
    return complaint, next(m for m in smtp_server.messages if str(m.message["Subject"]) == subject)


def test_the_decision_mail_names_the_providers_cost_time_limit_and_how(
    smtp_server, run_jobs, handler, manager
):
    provider = provider_with_all_methods(manager, how_to_submit="Fill in the form at the site.")
    services.provider_methods_set(
        actor=Actor.staff(manager),
        provider_id=provider.pk,
        methods=[{"method": "determinative", "fee": "25", "currency": "EUR",
                  "fee_payer": "complainant"}],
    )  # fmt: skip
    complaint, mail = _decision_mail(smtp_server, run_jobs, handler)
    body = mail.body
    assert provider.name in body
    assert "Its fee of €25.00 is paid by you." in body
    [answer] = [a for a in eligible_providers(complaint) if a.provider == provider]
    day = answer.refer_by  # written as English writes a date: "5 March 2027", not "2027-03-05"
    assert f"The last day to refer the case is {day.day} {day:%B} {day.year}." in body
    assert "Fill in the form at the site." in body
    assert "/track/" in body  # the link to choose on the tracking page


def test_without_an_eligible_provider_the_mail_says_nothing_of_it(smtp_server, run_jobs, handler):
    _complaint, mail = _decision_mail(smtp_server, run_jobs, handler)
    assert "independent dispute-resolution body" not in mail.body
