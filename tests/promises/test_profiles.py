"""Each shipped regulatory profile, adopted through ``profile_select``, checked against worked
examples from the regulator's own text (the source is named in each test)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.organisation.services import calendar_create
from plaint.promises import services
from plaint.promises.models import Code, PromiseCheck
from plaint.promises.profiles import PROFILES
from tests.factories import CategoryFactory, make_complaint

UTC = dt.UTC


def local(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def calendar(manager, country: str, zone: str, subdivision: str = "") -> None:
    calendar_create(
        actor=Actor.staff(manager),
        name=country,
        timezone=zone,
        country=country,
        subdivision=subdivision,
        is_default=True,
    )


def select(manager, key: str, **scope):
    with time_machine.travel(dt.datetime(2026, 1, 5, tzinfo=UTC), tick=False):
        return services.profile_select(actor=Actor.staff(manager), profile_key=key, **scope)


def receive(when: dt.datetime, **fields):
    with time_machine.travel(when, tick=False):
        complaint, _ = make_complaint(**fields)
    return complaint, {
        c.promise.key: c
        for c in PromiseCheck.objects.filter(complaint=complaint).select_related("promise")
    }


def test_every_profile_names_its_source_and_dates():
    for profile in PROFILES.values():
        assert profile.source_document and profile.source_url.startswith("https://")
        assert profile.promises
        if not profile.from_organisation:
            assert profile.effective_from is not None


def test_selection_adopts_a_published_code_of_origin_adopted(manager):
    selection = select(manager, "uk-fca-disp")
    code = selection.code
    assert (code.state, code.origin, code.adopted_from) == (
        "published",
        "adopted",
        "Financial Conduct Authority (UK)",
    )
    assert code.source_url == "https://www.handbook.fca.org.uk/handbook/DISP/1/6.html"
    assert [p.key for p in code.promises.all()] == [
        "prompt-acknowledgement",
        "summary-resolution",
        "final-response-8-weeks",
    ]
    # selecting another profile for the same scope retires the first
    second = select(manager, "iso-10002-default")
    code.refresh_from_db()
    assert code.state == "retired" and second.code.state == "published"
    assert Code.objects.filter(state="published").count() == 1


def test_only_managers_select_profiles_and_unknown_profiles_are_refused(handler, manager):
    with pytest.raises(NotAllowed):
        services.profile_select(actor=Actor.staff(handler), profile_key="us-cfpb")
    with pytest.raises(ValidationFailed):
        services.profile_select(actor=Actor.staff(manager), profile_key="mars-colony")


LONDON = "Europe/London"


def test_fca_disp_1_6_2_final_response_within_eight_weeks(manager):
    """FCA DISP 1.6.2R: final response by the end of eight weeks after receipt. Received Tuesday
    3 March 2026, 11:00 GMT; eight weeks later is Tuesday 28 April, 11:00 (now BST)."""
    calendar(manager, "GB", LONDON, "ENG")  # Easter Monday: England
    select(manager, "uk-fca-disp")
    complaint, checks = receive(local(LONDON, 2026, 3, 3, 11))
    assert checks["final-response-8-weeks"].due_at == local(LONDON, 2026, 4, 28, 11)
    assert complaint.response_due_at == local(LONDON, 2026, 4, 28, 11)
    # the summary-resolution window (DISP 1.6.4R) is measured only: no due date, no alerts
    assert checks["summary-resolution"].due_at == local(LONDON, 2026, 3, 6, 17)
    assert checks["summary-resolution"].notifies is False


def test_fca_disp_1_6_1_prompt_acknowledgement_across_easter(manager, handler):
    """DISP 1.6.1R "prompt" acknowledgement, measured as the next business day: received
    Thursday 2 April 2026 15:00; Good Friday and Easter Monday are bank holidays in England, so the
    next business day ends Tuesday 7 April, 17:00 BST."""
    calendar(manager, "GB", LONDON, "ENG")  # Easter Monday: England
    select(manager, "uk-fca-disp")
    _, checks = receive(local(LONDON, 2026, 4, 2, 15), channel="phone", actor=Actor.staff(handler))
    assert checks["prompt-acknowledgement"].due_at == local(LONDON, 2026, 4, 7, 17)


def test_fca_disp_1_6_2a_payment_services_15_and_35_business_days(manager):
    """DISP 1.6.2AR: payment services, final response within 15 business days; exceptionally 35.
    Received Monday 2 March 2026, 10:00: 15 business days end Monday 23 March 17:00; 35 business
    days (skipping Good Friday 3 April and Easter Monday 6 April) end Wednesday 22 April 17:00."""
    calendar(manager, "GB", LONDON, "ENG")  # Easter Monday: England
    select(manager, "uk-fca-disp")
    select(manager, "uk-fca-disp-payment-services", product_line="Payments")
    complaint, checks = receive(local(LONDON, 2026, 3, 2, 10), product="Payments")
    assert checks["final-response-15-business-days"].due_at == local(LONDON, 2026, 3, 23, 17)
    assert checks["exceptional-35-business-days"].due_at == local(LONDON, 2026, 4, 22, 17)
    # the product line's limit replaces the general eight weeks for the same clock
    assert "final-response-8-weeks" not in checks
    assert complaint.response_due_at == local(LONDON, 2026, 3, 23, 17)
    _other, other_checks = receive(local(LONDON, 2026, 3, 2, 10), product="Mortgages")
    assert "final-response-8-weeks" in other_checks
    assert "final-response-15-business-days" not in other_checks


SYDNEY = "Australia/Sydney"


def test_asic_rg271_acknowledge_within_one_business_day(manager, handler):
    """RG 271.49: acknowledge within 24 hours or one business day. Received Friday 6 March 2026,
    16:00 Sydney: due at the end of Monday 9 March."""
    calendar(manager, "AU", SYDNEY)
    select(manager, "au-asic-rg271")
    _, checks = receive(local(SYDNEY, 2026, 3, 6, 16), channel="phone", actor=Actor.staff(handler))
    assert checks["acknowledge-1-business-day"].due_at == local(SYDNEY, 2026, 3, 9, 17)


def test_asic_rg271_30_calendar_days_and_the_delay_notice_before_it_runs_out(manager):
    """RG 271.57: respond no later than 30 calendar days after receipt; RG 271.60: a delay notice
    before the time runs out. Received 3 March 2026 10:00 Sydney: due 2 April 10:00; the at-risk
    alert (the reminder to send the delay notice) comes at 80%, day 24: 27 March 10:00."""
    calendar(manager, "AU", SYDNEY)
    select(manager, "au-asic-rg271")
    _, checks = receive(local(SYDNEY, 2026, 3, 3, 10))
    respond = checks["respond-30-calendar-days"]
    assert respond.due_at == local(SYDNEY, 2026, 4, 2, 10)
    assert respond.at_risk_at == local(SYDNEY, 2026, 3, 27, 10)


def test_asic_rg271_59_hardship_21_days_and_rg271_58_superannuation_45_days(manager):
    """RG 271.59: 21 calendar days for default-notice and hardship complaints; RG 271.58: 45 for
    superannuation trustees. Received 3 March 2026 10:00 Sydney."""
    calendar(manager, "AU", SYDNEY)
    hardship = CategoryFactory(code="hardship")
    select(manager, "au-asic-rg271")
    select(manager, "au-asic-rg271-credit-hardship", category_code=hardship.code)
    select(manager, "au-asic-rg271-superannuation", product_line="Superannuation")
    _, h = receive(local(SYDNEY, 2026, 3, 3, 10), category="hardship")
    assert h["respond-21-calendar-days"].due_at == local(SYDNEY, 2026, 3, 24, 10)
    assert "respond-30-calendar-days" not in h
    _, s = receive(local(SYDNEY, 2026, 3, 3, 10), product="superannuation")
    assert s["respond-45-calendar-days"].due_at == local(SYDNEY, 2026, 4, 17, 10)


NEW_YORK = "America/New_York"


def test_cfpb_15_days_then_60_when_in_progress_across_the_dst_change(manager):
    """CFPB complaint process: companies respond within 15 days; when the response is "in
    progress", a final response within 60 days. Received Monday 2 March 2026, 09:00 EST; US clocks
    change on 8 March: due 17 March 09:00 EDT; final by 1 May 09:00."""
    calendar(manager, "US", NEW_YORK)
    select(manager, "us-cfpb")
    complaint, checks = receive(local(NEW_YORK, 2026, 3, 2, 9))
    assert checks["respond-15-days"].due_at == local(NEW_YORK, 2026, 3, 17, 9)
    assert checks["respond-15-days"].due_at.astimezone(UTC).hour == 13  # EDT, not EST
    assert checks["final-response-60-days"].due_at == local(NEW_YORK, 2026, 5, 1, 9)
    assert complaint.response_due_at == local(NEW_YORK, 2026, 3, 17, 9)


def test_iso_10002_default_takes_the_organisation_settings(manager):
    """ISO 10002 7.5 and 7.8: the organisation's own limits (2 and 20 business days by default),
    on its calendar (Estonia): received Monday 2 March 2026 09:00, acknowledged by Wednesday 4
    March 17:00, decided by Monday 30 March 17:00 (after the switch to summer time)."""
    code = select(manager, "iso-10002-default").code
    assert code.promises.get(key="respond").texts["et"].startswith("Saadame teile oma otsuse 20")
    complaint, checks = receive(local("Europe/Tallinn", 2026, 3, 2, 9))
    assert checks["respond"].due_at == local("Europe/Tallinn", 2026, 3, 30, 17)
    assert complaint.acknowledgement_due_at == local("Europe/Tallinn", 2026, 3, 4, 17)
