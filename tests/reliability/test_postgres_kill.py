"""kill -9 of PostgreSQL during 200 concurrent complaint submissions through the API.

A cluster of the test's own (durable: fsync and synchronous_commit on) gets the test database's
schema, an admin and a token; ``plaint serve`` (gunicorn) serves it on 127.0.0.1. Sixteen client
threads file 200 complaints, each with its own Idempotency-Key, logging every acknowledged
reference; a request that fails (the database gone: a 500, a refused or cut connection) is
retried with the same key and body. After a third of the acknowledgements the postmaster and
every backend get SIGKILL; the cluster is started again (crash recovery). Reconciled with the
client's log: 0 acknowledged complaints lost, 0 filed twice."""

from __future__ import annotations

import http.client
import json
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from plaint.accounts.services import api_token_create
from tests.factories import UserFactory
from tests.reliability.processes import (
    cluster,
    database_url,
    free_port,
    pg_tool,
    plaint,
    plaint_env,
    stop,
    wait_until,
)

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]

SUBMISSIONS = 200
CLIENTS = 16
KILL_AFTER = SUBMISSIONS // 3  # acknowledgements before the kill
DOWN_FOR = 1.0  # seconds the database stays down
DEADLINE = 120  # seconds for every submission to be acknowledged


class Client:
    """Files complaints with an Idempotency-Key, retrying until acknowledged; logs every
    acknowledgement (one JSON line each) to ``log``."""

    def __init__(self, port: int, token: str, log: Path) -> None:
        self.port, self.token, self.log = port, token, log
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.retries = 0
        self.deadline = time.monotonic() + DEADLINE

    def _post(self, body: bytes, key: str) -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "POST",
                "/api/v1/complaints",
                body=body,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            data = response.read()
            return response.status, json.loads(data) if data else {}
        finally:
            conn.close()

    def submit(self, n: int) -> None:
        key = f"reliability-{n}-{uuid.uuid4()}"
        body = json.dumps(
            {
                "name": f"Person {n}",
                "email": f"person{n}@example.org",
                "description": f"Submission {n} of the reliability figures.",
                "subject": key,
                "consent": True,
            }
        ).encode()
        while time.monotonic() < self.deadline:
            try:
                status, answer = self._post(body, key)
            except (OSError, http.client.HTTPException, ValueError):
                status, answer = 0, {}  # refused, cut, or not JSON: the server is in trouble
            if status in (200, 201):
                line = {"n": n, "key": key, "reference": answer["reference"], "status": status}
                with self.lock:
                    with self.log.open("a") as out:
                        out.write(json.dumps(line) + "\n")
                    self.acknowledged += 1
                return
            assert status == 0 or status >= 500, (status, answer)  # never a refusal of input
            with self.lock:
                self.retries += 1
            time.sleep(0.1)
        raise AssertionError(f"submission {n} was never acknowledged")


def _copy_schema_and_token(pg) -> str:
    """The test database (migrated by pytest-django), with an admin and a token, into ``pg``;
    returns the token."""
    admin = UserFactory(username="reliability-admin", role="admin")
    _, token = api_token_create(user=admin, name="reliability")
    pg.run("createdb", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "plaint")
    dump = subprocess.run(
        [
            pg_tool("pg_dump"),
            "--no-owner",
            "--no-privileges",
            database_url(connection.settings_dict),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    subprocess.run(
        [pg_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", pg.url()],
        input=dump,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return token


def test_kill_9_of_postgresql_loses_no_acknowledged_complaint(tmp_path, figure):
    log = tmp_path / "client.log"
    with cluster() as pg:
        token = _copy_schema_and_token(pg)
        port = free_port()
        env = plaint_env(database=pg.url(), data_dir=tmp_path)
        server = plaint(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
            "--threads", "4", env=env, log=tmp_path / "server.log",
        )  # fmt: skip
        try:
            wait_until(lambda: _answers(port), timeout=60, every=0.2, what="plaint serve")
            client = Client(port, token, log)  # its deadline starts now
            with ThreadPoolExecutor(CLIENTS) as pool:
                futures = [pool.submit(client.submit, n) for n in range(SUBMISSIONS)]
                wait_until(
                    lambda: client.acknowledged >= KILL_AFTER or _failed(futures),
                    timeout=60,
                    what="the first acknowledgements",
                )
                assert not _failed(futures), _failed(futures)[0].exception()
                killed = pg.kill_9()
                at_kill = client.acknowledged
                time.sleep(DOWN_FOR)
                pg.start()
                for future in futures:
                    future.result()
        finally:
            stop(server)
        with psycopg.connect(pg.url()) as db:
            filed = db.execute("SELECT reference, subject FROM complaints_complaint").fetchall()

    acks = [json.loads(line) for line in log.read_text().splitlines()]
    by_reference = dict(filed)
    lost = [a for a in acks if by_reference.get(a["reference"]) != a["key"]]
    keys = [subject for _, subject in filed]
    doubled = len(keys) - len(set(keys))
    replayed = sum(1 for a in acks if a["status"] == 200)
    figure(f"PostgreSQL kill -9: acknowledged complaints lost (of {SUBMISSIONS})", len(lost), 0)
    figure("PostgreSQL kill -9: complaints filed twice", doubled, 0)
    print(
        f"killed {killed} processes after {at_kill} acknowledgements; {client.retries} retries, "
        f"{replayed} answered from the idempotency record"
    )
    assert len(acks) == SUBMISSIONS == len({a["key"] for a in acks})
    assert at_kill < SUBMISSIONS, "the kill came before the end"
    assert client.retries > 0, "some requests met the dead database"
    assert not lost and doubled == 0
    assert len(filed) == SUBMISSIONS


def _failed(futures) -> list:
    return [f for f in futures if f.done() and f.exception() is not None]


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/api/v1/complaints")
        status = conn.getresponse().status
        conn.close()
    except OSError:
        return False
    return status == 401
