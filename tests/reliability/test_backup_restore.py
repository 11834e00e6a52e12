"""Backup and restore as docs/operations.md tells: ``pg_dump --format=custom`` of a seeded
database and a copy of the attachments folder, restored with ``pg_restore`` into a fresh cluster
and a fresh folder. Figures: every table's row count equal, every attachment's SHA-256 equal to
the one recorded, ``plaint audit verify`` intact on the restored database."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from plaint.complaints.services import message_post
from plaint.core.actors import Actor
from plaint.core.audit import audit_seal
from plaint.core.models import Attachment, AuditEvent
from plaint.core.uploads import check_uploads
from tests.factories import advance, make_complaint
from tests.reliability.processes import cluster, database_url, pg_tool, plaint_env

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]

CASES = 12


def _seed(handler) -> None:
    """Cases in several states, each with an attachment of its own bytes, sealed."""
    for n in range(CASES):
        complaint, _ = make_complaint(email=f"person{n}@example.org", subject=f"Case {n}")
        content = f"receipt {n}\n".encode() * (n + 1)
        message_post(
            complaint_id=complaint.pk,
            actor=Actor.staff(handler),
            body=f"Evidence {n}",
            internal=False,
            attachments=check_uploads(
                [SimpleUploadedFile(f"receipt-{n}.txt", content, content_type="text/plain")]
            ),
        )
        if n % 3:
            advance(complaint, "acknowledged" if n % 3 == 1 else "investigating", by=handler)
    audit_seal()


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def _checksums(url: str, media) -> dict[str, tuple[str, str]]:
    """{file: (recorded sha256, sha256 of the bytes in ``media``)}"""
    with psycopg.connect(url) as db:
        table = Attachment._meta.db_table  # a model name, not input
        rows = db.execute(f"SELECT file, sha256 FROM {table}").fetchall()  # noqa: S608
    return {
        name: (recorded, hashlib.sha256((media / name).read_bytes()).hexdigest())
        for name, recorded in rows
    }


def test_pg_dump_and_restore_into_a_fresh_cluster_keeps_everything(
    handler, settings, tmp_path, figure
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _seed(handler)
    source = database_url(connection.settings_dict)
    dump = tmp_path / "plaint.dump"
    subprocess.run(
        [pg_tool("pg_dump"), "--format=custom", f"--file={dump}", source],
        check=True,
        capture_output=True,
        timeout=120,
    )
    restored_media = tmp_path / "restored" / "media"
    shutil.copytree(settings.MEDIA_ROOT, restored_media)  # the attachments' backup

    with cluster() as pg:
        pg.run("createdb", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "plaint")
        subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--dbname={pg.url()}",
             str(dump)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        before, after = _counts(source), _counts(pg.url())
        original = _checksums(source, settings.MEDIA_ROOT)
        restored = _checksums(pg.url(), restored_media)
        verify = subprocess.run(
            [sys.executable, "-m", "plaint.cli", "audit", "verify"],
            env=plaint_env(
                database=pg.url(),
                data_dir=tmp_path / "restored",
                PLAINT_AUDIT_KEY_FILE=str(settings.AUDIT_KEY_FILE),
                PLAINT_AUDIT_SEAL_LOG=str(settings.AUDIT_SEAL_LOG),
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )

    differing = sorted(t for t in before if before[t] != after.get(t))
    bad = sorted(f for f, (recorded, actual) in restored.items() if recorded != actual)
    figure(f"backup/restore: tables with a different count (of {len(before)})", len(differing), 0)
    figure(f"backup/restore: attachments whose SHA-256 differs (of {len(restored)})", len(bad), 0)
    intact = verify.returncode == 0 and "audit trail intact" in verify.stdout
    figure(
        "backup/restore: plaint audit verify on the restored database",
        "intact" if intact else f"exit {verify.returncode}",
        "intact",
    )
    assert before[Attachment._meta.db_table] == CASES
    assert before[AuditEvent._meta.db_table] > CASES
    assert set(before) == set(after) and not differing, differing
    assert original == restored and len(restored) == CASES and not bad
    assert intact, verify.stdout + verify.stderr
