"""Recurring issues: a seeded set with known clusters, the daily run, the page and the command."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command

from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models import ClusterKind, ClusterRun, RecurringCluster
from tests.factories import CategoryFactory, make_complaint

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
LATE = "My order {n} from the web shop arrived three weeks late and nobody answered my calls."
LATE_FA = "سفارش {n} من از فروشگاه اینترنتی سه هفته دیر رسید و کسی به تماس‌هایم جواب نداد."
OTHERS = [
    "I was charged twice on my invoice for March.",
    "The shop assistant in Tartu was rude to my mother.",
    "Your website rejects my card with an error message.",
    "The sofa has a tear in the fabric on delivery.",
]


@pytest.fixture
def seeded(db):
    CategoryFactory(code="delivery", name="Delivery")
    CategoryFactory(code="billing", name="Billing")
    with time_machine.travel(NOW - dt.timedelta(days=5), tick=False):
        for n in range(4):  # the same complaint, four people, in English
            make_complaint(subject="Late order", description=LATE.format(n=1000 + n))
        for n in range(3):  # and three in Persian
            make_complaint(subject="سفارش دیر", description=LATE_FA.format(n=2000 + n))
        for text in OTHERS:  # each one of a kind
            make_complaint(subject="Other", description=text)
        for _ in range(3):  # the same product and category three times, worded differently
            make_complaint(
                subject="Kettle", description=f"Kettle {_} leaks", product="Kettle K-200",
                category="billing",
            )  # fmt: skip
    with time_machine.travel(NOW - dt.timedelta(days=60), tick=False):  # outside the window
        for n in range(3):
            make_complaint(subject="Late order", description=LATE.format(n=3000 + n))


def test_detection_finds_the_known_groups_and_nothing_else(seeded):
    run = services.clusters_detect(now=NOW)

    found = {(c.kind, c.size, c.label) for c in run.clusters.all()}
    assert found == {
        (ClusterKind.SIMILAR_TEXT, 4, "Late order"),
        (ClusterKind.SIMILAR_TEXT, 3, "سفارش دیر"),
        (ClusterKind.SAME_CAUSE, 3, "Kettle"),
    }
    assert run.scanned == 14 and run.found == 3
    same = run.clusters.get(kind=ClusterKind.SAME_CAUSE)
    assert same.product == "Kettle K-200" and same.category.code == "billing"


def test_the_worker_looks_once_a_day(seeded):
    assert services.clusters_detect_when_due(now=NOW) is not None
    assert services.clusters_detect_when_due(now=NOW + dt.timedelta(hours=23)) is None
    assert ClusterRun.objects.count() == 1


def test_a_window_outside_the_sane_range_is_refused(db):
    with pytest.raises(ValueError):
        services.clusters_detect(window_days=0)


def test_the_page_lists_each_group_with_its_complaints(client, personas, seeded):
    services.clusters_detect(now=NOW)
    client.force_login(personas["handler"])

    response = client.get("/staff/analysis/clusters/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="card cluster"') == 3
    assert "Late order" in body and "Kettle K-200" in body
    assert body.count("/staff/complaints/C-") == 10  # every member links to its case
    assert "Look for recurring issues now" not in body  # a handler reads, a manager runs


def test_the_page_reads_in_a_few_statements_whatever_the_clusters(
    client, personas, seeded, django_assert_max_num_queries
):
    services.clusters_detect(now=NOW)
    client.force_login(personas["auditor"])
    client.get("/staff/analysis/clusters/")  # the configuration cache read once per process
    with django_assert_max_num_queries(8):
        assert client.get("/staff/analysis/clusters/").status_code == 200


def test_a_manager_runs_a_detection_from_the_page(client, personas, seeded):
    client.force_login(personas["manager"])
    with time_machine.travel(NOW, tick=False):
        response = client.post("/staff/analysis/clusters/detect/", follow=True)
    assert "3 recurring issues found among 14 complaints." in response.content.decode()
    assert RecurringCluster.objects.count() == 3


def test_a_corrective_action_from_a_group_names_it_in_the_page_language(client, personas, seeded):
    services.clusters_detect(now=NOW)
    client.force_login(personas["manager"])  # a manager may open one: each group links it

    def source_refs(language: str) -> list[str]:
        body = client.get("/staff/analysis/clusters/", HTTP_ACCEPT_LANGUAGE=language)
        links = re.findall(
            r'href="(/staff/improvement/corrective-actions/new/[^"]*)"', body.content.decode()
        )
        queries = [parse_qs(urlsplit(html.unescape(link)).query) for link in links]
        return sorted(q["source_ref"][0] for q in queries)

    assert "Recurring issue: Late order" in source_refs("en")
    assert "Korduv probleem: Late order" in source_refs("et")
    assert len(source_refs("et")) == 3  # one link per group


def test_a_handler_may_not_run_a_detection(client, personas, seeded):
    client.force_login(personas["handler"])
    assert client.post("/staff/analysis/clusters/detect/").status_code == 403
    assert not ClusterRun.objects.exists()


def test_before_any_run_the_page_says_so(client, personas, db):
    client.force_login(personas["manager"])
    body = client.get("/staff/analysis/clusters/").content.decode()
    assert "Nobody has looked for recurring issues yet." in body


def test_the_command_prints_what_it_found(seeded, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("clusters", "--window-days", "30")
    out = capsys.readouterr().out
    assert out.startswith("3 recurring issues among 14 complaints")


def test_a_group_worded_alike_that_repeats_a_same_cause_group_is_shown_once(db):
    CategoryFactory(code="delivery", name="Delivery")
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        for n in range(3):
            make_complaint(
                subject="Crushed kettle",
                description=f"Parcel {n} arrived crushed and the kettle inside is dented.",
                product="Kettle K-200",
                category="delivery",
            )
    run = services.clusters_detect(now=NOW)
    assert [c.kind for c in run.clusters.all()] == [ClusterKind.SAME_CAUSE]


def test_with_team_visibility_a_handler_sees_only_the_members_they_may_read(
    client, personas, seeded
):
    from plaint.accounts.models import Team
    from plaint.complaints.models import Complaint
    from plaint.organisation.services import organisation_update

    organisation_update(actor=Actor.staff(personas["admin"]), team_visibility=True)
    handler = personas["handler"]
    handler.team = Team.objects.create(name="Shop")
    handler.save(update_fields=["team"])
    Complaint.objects.update(team=Team.objects.create(name="Web"))  # all another team's
    services.clusters_detect(now=NOW)
    client.force_login(personas["handler"])

    body = client.get("/staff/analysis/clusters/").content.decode()

    assert "/staff/complaints/C-" not in body and "Late order" not in body
    client.force_login(personas["manager"])  # managers read every case
    assert "Late order" in client.get("/staff/analysis/clusters/").content.decode()
