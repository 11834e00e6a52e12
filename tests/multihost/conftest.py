"""The multi-host deployment, made once for the package's tests: a bridge, seven hosts (database,
object store, two web, two worker, the database's streaming replica), every process bound to its
host's address, and the test process as the clients and the SMTP server. Skipped with the reason
where namespaces cannot be made, unless PLAINT_REQUIRE_MULTIHOST=1 (scripts/test sets it as
root): then that is a failure.

The modules run in name order on the one deployment: test_duties (kills a worker host and starts
it again), test_hosts, test_replica (ends with the failover drill: the replica becomes the
primary, so it comes last)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.multihost import roles
from tests.multihost.network import Host, Network, why_unavailable
from tests.objectstore import MotoServer
from tests.smtp_sink import SmtpSink, free_port

# per client address per hour, on every web host together (core/ratelimit.py counts in the database)
RATE_LIMIT = 60
# the housekeeping period of the hosts (PLAINT_HOUSEKEEPING_SECONDS): short, so that the duties
# run many periods during the tests; each worker asks every second which are due
DUTY_PERIOD = 2


@dataclass
class Deployment:
    network: Network
    database: roles.Database
    replica: roles.Database
    store: MotoServer
    web: list[Host]
    workers: list[Host]
    smtp: SmtpSink
    processes: dict[str, roles.Process]
    site: roles.Site
    workdir: Path

    def start_worker(self, host: Host) -> None:
        self.processes[host.role] = roles.start_worker(host, self.site, self.workdir)

    def start_web(self, host: Host) -> None:
        self.processes[host.role] = roles.start_web(host, self.site, self.workdir)


def _unavailable_reason() -> str:
    reason = why_unavailable()
    if not reason and not roles.pg_bin("initdb"):
        reason = (
            "PostgreSQL's server programs (initdb, pg_ctl) not found: apt-get install postgresql"
        )
    return reason


@pytest.fixture(scope="package")
def deployment():
    reason = _unavailable_reason()
    if reason:
        if os.environ.get("PLAINT_REQUIRE_MULTIHOST") == "1":
            pytest.fail(f"the multi-host test must run here but cannot: {reason}")
        pytest.skip(f"multi-host test skipped: {reason}")
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="plaint-multihost-"))
    os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user walks through it to its data folder
    network = Network()
    cleanups = [lambda: shutil.rmtree(workdir, ignore_errors=True), network.close]
    try:
        network.open()
        db_host, store_host = network.add_host("db"), network.add_host("store")
        web = [network.add_host("web-a"), network.add_host("web-b")]
        workers = [network.add_host("worker-a"), network.add_host("worker-b")]
        replica_host = network.add_host("db-replica")

        smtp = SmtpSink(free_port())
        smtp.host = network.gateway  # the mail server is the test process, on the bridge
        smtp.start()
        cleanups.append(smtp.stop)
        database = roles.Database(db_host, workdir / "db")
        replica = roles.Database(replica_host, workdir / "db-replica")
        store = roles.object_store(store_host)
        cleanups += [database.stop, replica.stop, store.stop]
        with ThreadPoolExecutor(2) as pool:  # the two servers start side by side
            starting = [
                pool.submit(roles.start_database, database, str(network.subnet)),
                pool.submit(roles.start_object_store, store, workdir),
            ]
        for future in starting:
            future.result()
        site = roles.Site(
            database_url=database.url,
            store=store,
            smtp=(smtp.host, smtp.port),
            web_addresses=[h.address for h in web],
            replica_url=replica.url,
            extra={
                "PLAINT_PUBLIC_RATE_LIMIT_PER_HOUR": str(RATE_LIMIT),
                "PLAINT_HOUSEKEEPING_SECONDS": str(DUTY_PERIOD),
                "PLAINT_DUTIES_CHECK_SECONDS": "1",
            },
        )
        processes: dict[str, roles.Process] = {}
        cleanups.append(lambda: [p.stop(timeout=5) for p in processes.values()])
        cleanups.append(lambda: [p.signal_stop() for p in processes.values()])  # all at once
        deployment = Deployment(
            network, database, replica, store, web, workers, smtp, processes, site, workdir
        )
        # the web hosts boot while the database is migrated (they answer once it is done) and
        # the replica is copied from the primary (it then streams the rest)...
        for host in web:
            deployment.start_web(host)
        with ThreadPoolExecutor(1) as pool:
            copying = pool.submit(roles.start_replica, replica, database)
            roles.migrate(web[0], site, workdir)
        copying.result()
        # ... the workers start after it: their housekeeping runs at once
        for host in workers:
            deployment.start_worker(host)
        for host in web:
            roles.wait_until_serving(processes[host.role], host.address)
        print(
            f"\nmulti-host deployment up in {time.monotonic() - started:.1f} s on {network.subnet}"
        )
        yield deployment
        for name, process in processes.items():
            assert process.alive(), f"{name} died during the tests:\n{process.tail()}"
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as exc:
                print(f"multi-host clean-up step failed: {exc!r}")
