"""The replica router's rules, on any database: reads go to the replica only inside a report's
block and outside a transaction on the primary; writes and migrations never go there; a report
page says in words how stale its figures may be. (The real streaming replica:
test_replica_postgres.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from plaint.complaints.models import Complaint
from plaint.core import replica
from plaint.core.replica import (
    ReplicaFreshness,
    ReplicaRouter,
    reads_alias,
    report_reads,
    rows_from_replica,
)

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica configured and 3 seconds behind (no second database is opened: the rules are
    what is tested here)."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    lag = ReplicaFreshness(lag=dt.timedelta(seconds=3), streaming=True)
    monkeypatch.setattr(replica, "replica_freshness", lambda: lag)
    return lag


def test_without_a_replica_everything_is_the_primary():
    with report_reads() as freshness:
        assert freshness is None and reads_alias() == "default"
        assert router.db_for_read(Complaint) == "default"


@pytest.mark.django_db(transaction=True)
def test_only_report_reads_go_to_the_replica(with_replica):
    assert router.db_for_read(Complaint) == "default"  # a handler's page: the primary
    with report_reads() as freshness:
        assert freshness == with_replica
        assert router.db_for_read(Complaint) == "replica"
        assert router.db_for_write(Complaint) == "default"
        with transaction.atomic():  # a service inside a report reads what it changes
            assert router.db_for_read(Complaint) == "default"
        assert router.db_for_read(Complaint) == "replica"
    assert router.db_for_read(Complaint) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "complaints") is True
    assert router.allow_migrate("replica", "complaints") is False


def test_streamed_rows_are_read_where_the_block_read(with_replica):
    seen: list[str] = []

    def rows():
        for n in range(2):
            seen.append(reads_alias())  # where each row is read
            yield n

    with report_reads():
        streamed = rows_from_replica(rows())
    assert reads_alias() == "default"  # between rows, the caller is not routed
    assert list(streamed) == [0, 1] and seen == ["replica", "replica"]
    assert list(rows_from_replica(rows())) == [0, 1] and seen[2:] == ["default", "default"]


@pytest.mark.parametrize(
    ("freshness", "words"),
    [
        (None, ""),
        (
            ReplicaFreshness(lag=dt.timedelta(0), streaming=True),
            "which is up to date with the main database.",
        ),
        (
            ReplicaFreshness(lag=dt.timedelta(seconds=95), streaming=True),
            "may be up to 95 seconds behind the main database.",
        ),
        (
            ReplicaFreshness(lag=dt.timedelta(minutes=7), streaming=False),
            "not receiving changes from the main database just now: they may be 7 minutes behind",
        ),
        (
            ReplicaFreshness(lag=None, streaming=False),
            "not receiving changes from the main database just now: they may be out of date.",
        ),
    ],
)
def test_the_page_says_how_stale_the_figures_may_be(freshness, words):
    request = RequestFactory().get("/staff/insights/")
    request.replica_freshness = freshness
    html = render_to_string("core/_replica_note.html", request=request)
    assert (words in html) if words else html.strip() == ""
