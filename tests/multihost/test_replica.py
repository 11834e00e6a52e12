"""The database's streaming replica on a host of its own: report pages read it through a web host
(core/replica.py), and the failover drill (scripts/failover-drill) promotes it, points the hosts
at it and shows that nothing acknowledged was lost and the audit chains verify.

The drill makes the replica the primary: it is the last test of the package (the modules run in
name order, conftest.py)."""

from __future__ import annotations

import dataclasses
import secrets
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.multihost import roles
from tests.multihost.client import Browser, tracking_path

pytestmark = pytest.mark.multihost

DRILL = Path(roles.ROOT) / "scripts" / "failover-drill"


def _one(url: str, sql: str, *params):
    with psycopg.connect(url, connect_timeout=10) as connection:
        return connection.execute(sql, params).fetchone()


def _wait(what: str, check, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.1)


def _note(page: str) -> str:
    start = page.index('id="replica-note">') + len('id="replica-note">')
    return page[start : page.index("</p>", start)]


def _export_rows(browser: Browser, host: str) -> int:
    answer = browser.request(host, "GET", "/staff/export/?format=csv")
    assert answer.status == 200, answer.text[:500]
    return len(answer.text.splitlines()) - 1


def test_report_pages_through_web_b_read_the_replica(deployment):
    primary, replica = deployment.database, deployment.replica
    host_a, host_b = (h.address for h in deployment.web)
    password = secrets.token_urlsafe(16)
    roles.plaint(deployment.web[1], deployment.site, deployment.workdir, "createadmin",
                 "--username", "quality-lead", PLAINT_ADMIN_PASSWORD=password)  # fmt: skip
    browser = Browser(deployment.network.client_addresses(1)[0])
    browser.sign_in(host_b, "quality-lead", password)
    page = browser.request(host_b, "GET", "/staff/insights/")
    assert page.status == 200
    note = _note(page.text)  # Plaint's role is no superuser: the receiver's status is hidden
    assert "replica database" in note and "not receiving" not in note, note

    def received() -> bool:  # the replica has the primary's changes (replayed or not)
        (lsn,) = _one(primary.url, "SELECT pg_current_wal_insert_lsn()::text")
        return _one(replica.url, "SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", lsn)[0]

    def caught_up() -> bool:
        (lsn,) = _one(primary.url, "SELECT pg_current_wal_insert_lsn()::text")
        return _one(replica.url, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0]

    replica.psql("SELECT pg_wal_replay_pause()")
    try:
        thanks = Browser(deployment.network.client_addresses(1)[0]).complain(
            host_a, "replica@example.org", "Filed while the replica's replay is paused."
        )
        assert thanks.status == 200
        _wait("the replica received the new complaint", received, timeout=20)
        time.sleep(1)
        (cases,) = _one(primary.url, "SELECT count(*) FROM complaints_complaint")
        behind = _note(browser.request(host_b, "GET", "/staff/insights/").text)
        assert "may be up to" in behind, behind  # measured on the replica: replay is paused
        assert _export_rows(browser, host_b) == cases - 1  # the register read from the replica
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")
    _wait("the replica replayed it", caught_up, timeout=20)
    assert _export_rows(browser, host_b) == cases
    print(
        f"\nthrough web-b: {note!r}; replay paused: {behind!r}; resumed: the register has all "
        f"{cases} cases"
    )


class Hooks:
    """The drill's --stop-command and --repoint-command, answered by this test: each writes a
    file asking for its step and waits for the test to have done it (the test owns the hosts'
    processes). ``serve`` does the steps until the drill ends."""

    def __init__(self, deployment, directory: Path):
        self.deployment = deployment
        self.directory = directory
        directory.mkdir()

    def command(self, step: str) -> str:
        asked, done = self.directory / f"{step}.asked", self.directory / f"{step}.done"
        return (
            f'echo "$PLAINT_NEW_DATABASE_URL" > {asked}; while [ ! -e {done} ]; do sleep 0.1; done'
        )

    def plaint_hosts(self) -> list:
        return [*self.deployment.web, *self.deployment.workers]

    def stop(self, _url: str) -> None:
        processes = [self.deployment.processes[h.role] for h in self.plaint_hosts()]
        for process in processes:
            process.signal_stop()
        for process in processes:
            process.stop()

    def repoint(self, url: str) -> None:
        d = self.deployment
        d.database.stop()  # the old primary fenced: nothing can write to it again
        d.site = dataclasses.replace(d.site, database_url=url, replica_url="")
        for host in d.web:
            d.start_web(host)
        for host in d.workers:
            d.start_worker(host)
        for host in d.web:
            roles.wait_until_serving(d.processes[host.role], host.address, timeout=180)

    def serve(self, drill: subprocess.Popen, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        steps = {"stop": self.stop, "repoint": self.repoint}
        while drill.poll() is None and time.monotonic() < deadline:
            for step, action in list(steps.items()):
                asked = self.directory / f"{step}.asked"
                if asked.exists():
                    action(asked.read_text().strip())
                    (self.directory / f"{step}.done").touch()
                    del steps[step]
            time.sleep(0.1)


def test_the_failover_drill_promotes_the_replica_and_loses_nothing(deployment):
    replica = deployment.replica
    host_a, host_b = (h.address for h in deployment.web)
    before = Browser(deployment.network.client_addresses(1)[0])
    for n in range(3):
        thanks = before.complain(
            (host_a, host_b)[n % 2], f"drill-{n}@example.org", f"Filed before the switch ({n})."
        )
        assert thanks.status == 200
    _wait("the acknowledgements sent", lambda: _mails(deployment, "drill-") == 3, timeout=60)
    (acknowledged,) = _one(
        deployment.database.url,
        "SELECT count(*) FROM complaints_complaint WHERE acknowledged_at IS NOT NULL",
    )

    hooks = Hooks(deployment, deployment.workdir / "drill")
    seal_logs = [deployment.workdir / h.namespace / "audit-seals.jsonl" for h in deployment.workers]
    command = [
        sys.executable, str(DRILL),
        "--primary", deployment.database.url, "--replica", replica.url,
        "--promote-url", replica.url_as("operator"),
        "--stop-command", hooks.command("stop"), "--repoint-command", hooks.command("repoint"),
        *[arg for log in seal_logs for arg in ("--seal-log", str(log))],
        "--timeout", "120",
    ]  # fmt: skip
    environment = deployment.site.environment(deployment.workdir / "drill")
    started = time.monotonic()
    drill = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        hooks.serve(drill, timeout=400)
        output, _ = drill.communicate(timeout=60)
    finally:
        if drill.poll() is None:
            drill.kill()
            drill.wait()
    took = time.monotonic() - started
    assert drill.returncode == 0, output
    assert f"all {acknowledged} acknowledged complaints" in output, output
    assert "the audit chains verify" in output

    # the hosts work on the new primary: a complaint filed now is stored there and acknowledged
    assert _one(replica.url, "SELECT pg_is_in_recovery()") == (False,)
    after = Browser(deployment.network.client_addresses(1)[0])
    thanks = after.complain(host_b, "drill-after@example.org", "Filed after the switch.")
    assert thanks.status == 200
    tracking_path(thanks)
    (stored,) = _one(
        replica.url,
        "SELECT count(*) FROM complaints_complaint c JOIN complaints_complainant p "
        "ON p.id = c.complainant_id WHERE p.email = 'drill-after@example.org'",
    )
    assert stored == 1
    _wait("its acknowledgement", lambda: _mails(deployment, "drill-after") == 1, timeout=120)
    print(f"\nfailover drill in {took:.1f} s:\n{output}")


def _mails(deployment, prefix: str) -> int:
    return sum(1 for m in deployment.smtp.messages if m.rcpt_tos[0].startswith(prefix))
