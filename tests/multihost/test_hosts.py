"""More than one machine: two web hosts and two worker hosts against one PostgreSQL and one object
store, each a network namespace of its own (conftest.py, docs/operations.md "The multi-host test").

A file filed through one web host is downloadable through the other; 500 complaints spread over
both become 500 cases and 500 acknowledgements, none twice; the public rate limit holds across
hosts."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.multihost.client import Browser, tracking_path
from tests.multihost.conftest import RATE_LIMIT

pytestmark = pytest.mark.multihost

LOAD = 500
CLIENTS = 10  # client addresses: 50 complaints each, under the limit of 60 an hour per address
CONCURRENCY = 8
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 2000  # 512 kB


def _query(deployment, sql: str, *params) -> tuple:
    with psycopg.connect(deployment.database.url, connect_timeout=10) as connection:
        return connection.execute(sql, params).fetchone()


def test_a_file_filed_through_one_web_host_is_downloadable_through_the_other(deployment):
    host_a, host_b = (h.address for h in deployment.web)
    browser = Browser(deployment.network.gateway)
    thanks = browser.complain(
        host_a,
        "file@example.org",
        "The parcel arrived crushed; the photo of the box is attached.",
        files=[("box.pdf", "application/pdf", PDF)],
    )
    assert thanks.status == 200, thanks.text[:1000]
    track = tracking_path(thanks)

    page = browser.request(host_b, "GET", track)
    assert page.status == 200
    link = re.search(rf'href="({re.escape(track)}attachments/\d+/)"', page.text).group(1)
    download = browser.request(host_b, "GET", link)
    assert download.status == 200
    assert download.body == PDF
    assert download.headers["Content-Length"] == str(len(PDF))
    assert download.headers["Content-Disposition"].startswith("attachment;")
    # the file is in the object store, and in neither web host's own folder
    listing = deployment.store.client().list_objects_v2(Bucket=deployment.store.bucket)
    assert [o["Key"] for o in listing["Contents"] if o["Key"].endswith("/box.pdf")]
    assert not list(deployment.workdir.glob("*/media/**/box.pdf"))


def test_500_submissions_over_both_web_hosts_are_500_cases_and_500_acknowledgements(deployment):
    hosts = [h.address for h in deployment.web]
    browsers = [Browser(a) for a in deployment.network.client_addresses(CLIENTS)]

    def submit(n: int) -> int:
        browser = browsers[n % CLIENTS]
        answer = browser.complain(
            hosts[n % 2], f"load-{n}@example.org", f"Complaint number {n}: the parcel was late."
        )
        return answer.status

    for index, browser in enumerate(browsers):  # each client's form from one host, posted to both
        browser.open_form(hosts[index % 2])
    started = time.monotonic()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        statuses = list(pool.map(submit, range(LOAD)))
    elapsed = time.monotonic() - started
    assert statuses.count(200) == LOAD, {s: statuses.count(s) for s in set(statuses)}
    print(f"\n{LOAD} submissions over 2 web hosts in {elapsed:.1f} s ({LOAD / elapsed:.0f}/s)")

    cases, references = _query(
        deployment,
        "SELECT count(*), count(DISTINCT c.reference) FROM complaints_complaint c "
        "JOIN complaints_complainant p ON p.id = c.complainant_id WHERE p.email LIKE 'load-%%'",
    )
    assert (cases, references) == (LOAD, LOAD)

    def acknowledgements() -> list:
        return [m for m in deployment.smtp.messages if m.rcpt_tos[0].startswith("load-")]

    deadline = time.monotonic() + 120  # bounded; a quiet machine needs a few seconds
    while len(acknowledgements()) < LOAD and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # anything sent twice would arrive now
    mails = acknowledgements()
    recipients = [m.rcpt_tos[0] for m in mails]
    assert len(mails) == LOAD, f"{len(mails)} acknowledgements"
    assert len(set(recipients)) == LOAD and len({m.message_id for m in mails}) == LOAD
    quoted = {re.search(r"C-\d{4}-\d+", m.message["Subject"] + m.body).group(0) for m in mails}
    assert len(quoted) == LOAD  # each acknowledgement names its own case
    sent_by = _query(
        deployment,
        "SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FROM core_outboundemail "
        "WHERE \"to\" LIKE 'load-%%'",
    )
    assert sent_by == (LOAD, LOAD)


def test_the_public_rate_limit_holds_across_web_hosts(deployment):
    hosts = [h.address for h in deployment.web]
    (address,) = deployment.network.client_addresses(1)
    browser = Browser(address)
    browser.open_form(hosts[0])
    window = int(time.time()) // 3600
    # Incomplete forms: each still counts against the limit (it is counted before the form is read)
    answers = [
        browser.request(hosts[n % 2], "POST", "/complain/", _incomplete(browser), _FORM_TYPE).status
        for n in range(RATE_LIMIT + 2)
    ]
    if int(time.time()) // 3600 != window:
        pytest.skip("the hour's window ended during the test; its count started again")
    assert answers[:RATE_LIMIT] == [422] * RATE_LIMIT
    assert answers[RATE_LIMIT:] == [429, 429]  # refused by whichever host it reaches
    # another address is not held back by this one
    other = Browser(deployment.network.client_addresses(1)[0])
    other.open_form(hosts[1])
    assert (
        other.request(hosts[1], "POST", "/complain/", _incomplete(other), _FORM_TYPE).status == 422
    )


_FORM_TYPE = "application/x-www-form-urlencoded"


def _incomplete(browser: Browser) -> bytes:
    return f"csrfmiddlewaretoken={browser.token}&name=&description=".encode()
