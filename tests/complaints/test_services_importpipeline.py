"""The complaint history import's chunks built ahead of their writing, in a process of their own
(``importpipeline``, PostgreSQL): the same cases, history and report as one chunk at a time, a
repeated ID across chunks updating the case the earlier chunk made, a failure on either side
stopping both, and the building process kept off the database and in the importer's language."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from plaint.complaints import services
from plaint.complaints.models import Complaint, ComplaintImport, ImportStatus
from plaint.complaints.services import importpipeline, imports
from plaint.complaints.services.importwrite import Origin
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.models import AuditEvent
from plaint.core.selectors import config_token, organisation_get
from plaint.core.tabular import open_table
from tests.complaints.test_services_imports import CFPB_VALUES

SAMPLE = Path(__file__).parent / "data" / "cfpb_sample.csv"
VALUES = CFPB_VALUES


@pytest.fixture
def staff(manager):
    return Actor.staff(manager)


@pytest.fixture
def small_chunks(monkeypatch):
    """Three rows a chunk, so the sample's eight good rows make three chunks."""
    monkeypatch.setattr(imports, "CHUNK", 3)


def builders() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "plaint-import-build"]


def run(actor, data: bytes, **options):
    return services.complaints_import(
        actor=actor, handle=io.BytesIO(data), source="cfpb", file_name="x.csv", values=VALUES,
        **options,
    )  # fmt: skip


def history(external_id: str) -> list[tuple[str, dt.datetime]]:
    case = Complaint.objects.get(external_id=external_id)
    return [
        (e.action, e.at)
        for e in AuditEvent.objects.filter(case_type="complaint", case_id=case.pk).order_by("seq")
    ]


def test_chunks_import_the_same_cases_history_and_report(staff, manager, small_chunks):
    record = ComplaintImport.objects.create(created_by=manager, source="cfpb", size=1)
    report = run(staff, SAMPLE.read_bytes(), record=record)
    assert (report.rows, report.created, report.rejected) == (12, 8, 4)
    assert [line for line, _problem in report.errors] == [10, 11, 12, 13]
    assert Complaint.objects.count() == 8
    assert len(set(Complaint.objects.values_list("reference", flat=True))) == 8
    case = Complaint.objects.get(external_id="8013003")
    assert [action for action, _at in history("8013003")] == [
        "received", "acknowledge", "close", "imported",
    ]  # fmt: skip
    assert history("8013003")[1][1] == case.acknowledged_at
    record.refresh_from_db()
    assert (record.status, record.rows_read, record.created, record.rejected) == (
        ImportStatus.DONE, 12, 8, 4,
    )  # fmt: skip
    assert audit_verify().breaks == []
    again = run(staff, SAMPLE.read_bytes())
    assert (again.created, again.unchanged) == (0, 8)
    assert Complaint.objects.count() == 8


def test_an_id_repeated_in_a_later_chunk_updates_the_case_an_earlier_chunk_made(
    staff, small_chunks
):
    header, *rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    first = rows[0]
    later = first.replace(",2024-01-19", ",2024-01-25")
    data = "\n".join([header, first, *rows[1:4], later]).encode()
    report = run(staff, data)
    assert (report.rows, report.created, report.updated) == (5, 4, 1)
    assert Complaint.objects.count() == 4
    case = Complaint.objects.get(external_id="8013001")
    assert case.closed_at == dt.datetime(2024, 1, 24, 22, tzinfo=dt.UTC)
    assert history("8013001")[-1][0] == "import_updated"


def test_the_report_names_bad_rows_in_the_importers_language(staff, small_chunks):
    header, *rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = rows[0].replace(",Web,", ",Carrier pigeon,")
    data = "\n".join([header, *rows[:7], bad]).encode()  # the bad row in the third chunk
    with translation.override("et"):
        report = run(staff, data)
    assert report.rejected == 1
    line, problem = report.errors[0]
    assert line == 9
    assert "Carrier pigeon" in problem
    with translation.override("et"):
        assert problem == run(staff, data, dry_run=True).errors[0][1]  # one process, same words


def _pipeline(chunks, staff) -> importpipeline.Pipeline:
    origin = Origin(
        "cfpb", "x.csv", None, staff, dt.datetime.now(dt.UTC), organisation_get(), config_token()
    )
    return importpipeline.Pipeline(
        chunks=chunks,
        reading=imports.ImportReport(),
        origin=origin,
        batch={},
        handle=io.BytesIO(b""),
        chunk=3,
    )


def _cases():
    """The sample's good rows as checked cases, three a chunk."""
    table = open_table(io.BytesIO(SAMPLE.read_bytes()), name="x.csv")
    ctx = imports._context(table, services.guess_columns(table.header), VALUES)
    return list(imports._chunks(table, ctx, imports.ImportReport()))


def test_a_failure_while_building_stops_the_import_with_its_error(staff, small_chunks):
    good = _cases()

    def chunks():
        yield from good[:2]
        raise ValueError("the file's reader broke")

    built = []
    with pytest.raises(ValueError, match="reader broke"), _pipeline(chunks(), staff) as items:
        for item in items:
            built.append(item)
    assert [len(b.cases) for b in built] == [len(good[0]), len(good[1])]
    assert not builders()


def test_a_failure_while_writing_stops_the_building_process(staff, small_chunks):
    good = _cases() * 20  # more chunks than the pipeline holds ahead
    with pytest.raises(RuntimeError, match="disk full"), _pipeline(iter(good), staff) as items:
        for _built in items:
            raise RuntimeError("disk full")
    assert not builders()


def test_the_building_process_may_not_use_the_database(staff, small_chunks):
    def chunks():
        yield from _cases()[:1]
        Complaint.objects.exists()  # in the building process: refused
        yield from []

    with (
        pytest.raises(RuntimeError, match="must not use the database"),
        _pipeline(chunks(), staff) as items,
    ):
        list(items)
    # the import's own connection, which the building process inherited, still works
    assert Complaint.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
