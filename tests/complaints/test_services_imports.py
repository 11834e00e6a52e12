"""The complaint history import: dated history in the audit chain, re-import without doubling,
the dry run's per-row errors, header aliases and saved mappings, XLSX, streaming, permissions."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from plaint.complaints import services
from plaint.complaints.models import Complaint, ComplaintImport, ImportStatus, Remedy
from plaint.complaints.services.importrows import guess_columns, parse_moment
from plaint.core.actors import Actor
from plaint.core.audit import audit_verify
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.core.tabular import open_table

SAMPLE = Path(__file__).parent / "data" / "cfpb_sample.csv"
CFPB_VALUES = {
    "channel": {"referral": "letter", "postal mail": "letter", "fax": "letter"},
    "remedy": {
        "closed with monetary relief": "compensation",
        "closed with explanation": "explanation",
        "closed with non-monetary relief": "other",
        "in progress": "",
    },
}
UTC = dt.UTC


def run(actor, data: bytes | Path = SAMPLE, **options):
    handle = data.open("rb") if isinstance(data, Path) else io.BytesIO(data)
    with handle:
        options.setdefault("values", CFPB_VALUES)
        return services.complaints_import(
            actor=actor, handle=handle, source="cfpb", file_name="cfpb_sample.csv", **options
        )


def events(complaint: Complaint) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case_type="complaint", case_id=complaint.pk))


@pytest.fixture
def staff(manager):
    return Actor.staff(manager)


def test_the_sample_imports_its_good_rows_and_names_each_bad_line(staff):
    report = run(staff)
    assert (report.rows, report.created, report.rejected) == (12, 8, 4)
    assert [line for line, _problem in report.errors] == [10, 11, 12, 13]
    problems = dict(report.errors)
    assert "2024-13-11" in problems[10]
    assert "Carrier pigeon" in problems[11]
    assert "external_id" in problems[12]
    assert "closed_at is before acknowledged_at" in problems[13]
    assert Complaint.objects.count() == 8


def test_dated_history_keeps_its_original_times_in_the_audit_chain(staff):
    run(staff)
    case = Complaint.objects.get(external_source="cfpb", external_id="8013003")
    tallinn = dt.timezone(dt.timedelta(hours=2))  # the organisation's zone in winter
    assert case.received_at == dt.datetime(2024, 1, 4, tzinfo=tallinn)
    assert case.acknowledged_at == dt.datetime(2024, 1, 8, tzinfo=tallinn)
    assert case.closed_at == dt.datetime(2024, 2, 20, tzinfo=tallinn)
    assert (case.state, case.closure_reason, case.channel) == ("closed", "no_answer", "web")
    assert case.reference.startswith("C-2024-")
    assert case.product == "Mortgage"
    assert case.subject == "Trouble during payment process"
    assert case.description.startswith("My escrow payment")
    assert [(e.action, e.at) for e in events(case)][:3] == [
        ("received", case.received_at),
        ("acknowledge", case.acknowledged_at),
        ("close", case.closed_at),
    ]
    imported = events(case)[-1]
    assert imported.action == "imported"
    assert imported.data["source"] == "cfpb"
    assert imported.data["external_id"] == "8013003"
    assert imported.data["file"] == "cfpb_sample.csv"
    assert imported.data["line"] == 4
    assert all(e.data.get("imported") for e in events(case)[:3])
    assert imported.actor_label == "maria"
    assert Remedy.objects.get(complaint=case).kind == "explanation"
    assert audit_verify().breaks == []


def test_an_open_case_keeps_the_state_its_dates_lead_to(staff):
    run(staff)
    waiting = Complaint.objects.get(external_id="8013005")
    assert (waiting.state, waiting.channel) == ("acknowledged", "letter")
    fresh = Complaint.objects.get(external_id="8013006")
    assert fresh.state == "received" and fresh.acknowledged_at is None
    assert [e.action for e in events(fresh)] == ["received", "imported"]


def test_importing_the_same_file_again_updates_instead_of_doubling(staff):
    run(staff)
    references = set(Complaint.objects.values_list("reference", flat=True))
    again = run(staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert set(Complaint.objects.values_list("reference", flat=True)) == references
    # the regulator's next export: 8013005 is now closed, 8013006 acknowledged
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("Yes,N/A,8013005,", "Yes,N/A,8013005,2024-02-02")
    text = text.replace(
        "Example Bank N.A.,IL,606XX,,Consent provided,Web,,",
        "Example Bank N.A.,IL,606XX,,Consent provided,Web,2024-01-10,",
    )
    later = run(staff, text.encode("utf-8"))
    assert (later.created, later.updated, later.unchanged) == (0, 2, 6)
    assert Complaint.objects.count() == 8
    closed = Complaint.objects.get(external_id="8013005")
    assert closed.state == "closed"
    assert [e.action for e in events(closed)] == [
        "received", "acknowledge", "imported", "close", "import_updated",
    ]  # fmt: skip
    assert events(closed)[3].at == closed.closed_at
    assert "closed_at" in events(closed)[-1].data["fields"]
    assert Complaint.objects.get(external_id="8013006").state == "acknowledged"
    assert audit_verify().breaks == []


def test_the_same_id_twice_in_one_file_makes_one_case(staff):
    header, first = SAMPLE.read_text(encoding="utf-8").splitlines()[:2]
    repeated = first.replace(",2024-01-19", ",2024-01-25")
    report = run(staff, "\n".join([header, first, repeated]).encode())
    assert (report.created, report.updated) == (1, 1)
    case = Complaint.objects.get()
    assert case.closed_at == dt.datetime(2024, 1, 24, 22, tzinfo=UTC)  # midnight in Tallinn


def test_a_dry_run_counts_a_repeated_id_as_the_real_run_does(staff):
    header, first = SAMPLE.read_text(encoding="utf-8").splitlines()[:2]
    changed = first.replace(",2024-01-19", ",2024-01-25")
    data = "\n".join([header, first, first, changed]).encode()
    dry = run(staff, data, dry_run=True)
    assert (dry.created, dry.unchanged, dry.updated) == (1, 1, 1)
    assert not Complaint.objects.exists()
    real = run(staff, data)
    assert (real.created, real.unchanged, real.updated) == (1, 1, 1)
    assert Complaint.objects.count() == 1


def test_a_dry_run_writes_nothing_and_reports_every_line(staff):
    report = run(staff, dry_run=True)
    assert (report.created, report.rejected) == (8, 4)
    assert [line for line, _p in report.errors] == [10, 11, 12, 13]
    assert not Complaint.objects.exists()
    assert not AuditEvent.objects.filter(case_type="complaint").exists()


def test_headers_are_recognised_by_their_usual_names():
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert guess_columns(header) == {
        "external_id": "Complaint ID",
        "received_at": "Date received",
        "subject": "Issue",
        "description": "Consumer complaint narrative",
        "channel": "Submitted via",
        "product": "Product",
        "acknowledged_at": "Date sent to company",
        "closed_at": "Date closed",
        "remedy": "Company response to consumer",
        "decision": "Company public response",
    }


def test_a_saved_mapping_names_other_columns_and_values(staff, manager):
    data = (
        b"Ticket,Opened,Text,Via,Kind,Done\n"
        b"T-1,31.03.2025 14:05,Invoice charged twice,Post,Billing,02.04.2025\n"
    )
    from tests.factories import CategoryFactory

    billing = CategoryFactory(code="billing")
    mapping = services.import_mapping_save(
        actor=staff,
        name="Old helpdesk",
        source="helpdesk",
        columns={
            "external_id": "Ticket",
            "received_at": "Opened",
            "description": "Text",
            "channel": "Via",
            "category": "Kind",
            "closed_at": "Done",
        },
        values={"channel": {"Post": "letter"}, "category": {"Billing": "billing"}},
    )
    handle = io.BytesIO(data)
    report = services.complaints_import(
        actor=staff, handle=handle, source=mapping.source, columns=mapping.columns,
        values=mapping.values,
    )  # fmt: skip
    assert report.created == 1, report.errors
    case = Complaint.objects.get(external_source="helpdesk", external_id="T-1")
    assert (case.channel, case.category, case.state) == ("letter", billing, "closed")
    assert case.received_at == dt.datetime(2025, 3, 31, 11, 5, tzinfo=UTC)  # Tallinn summer time


def test_a_mapping_without_the_required_columns_is_refused(staff):
    with pytest.raises(ValidationFailed) as refused:
        run(staff, columns={"received_at": "Date received"})
    assert "external_id" in " ".join(refused.value.fields["columns"])


def test_an_xlsx_workbook_is_read_like_a_csv(staff):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Complaint ID", "Date received", "Issue", "Date sent to company"])
    sheet.append([501, dt.datetime(2024, 5, 2, 9, 30), "Card blocked abroad", dt.date(2024, 5, 3)])
    sheet.append([502, "not a date", "Fee", None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(staff, buffer.getvalue())
    assert (report.created, report.rejected) == (1, 1)
    assert report.errors[0][0] == 3
    case = Complaint.objects.get(external_id="501")
    assert case.state == "acknowledged"


def test_the_reader_streams_the_file():
    rows = "".join(f"{i},2024-01-01,Subject {i}\n" for i in range(50_000))
    data = ("Complaint ID,Date received,Issue\n" + rows).encode()
    handle = io.BytesIO(data)
    table = open_table(handle)
    assert next(table.rows) == (2, ["0", "2024-01-01", "Subject 0"])
    assert handle.tell() < len(data) // 2  # the first row came before the file was read


def test_dates_in_the_formats_exports_use():
    tz = dt.UTC
    assert parse_moment("03/04/2024", tz) == dt.datetime(2024, 3, 4, tzinfo=tz)
    assert parse_moment("03/04/2024", tz, month_first=False) == dt.datetime(2024, 4, 3, tzinfo=tz)
    assert parse_moment("2024-03-04T10:00:00Z", tz) == dt.datetime(2024, 3, 4, 10, tzinfo=tz)
    with pytest.raises(ValueError):
        parse_moment("yesterday", tz)


def test_only_managers_import(handler):
    with pytest.raises(NotAllowed):
        run(Actor.staff(handler))
    assert not Complaint.objects.exists()


def test_the_import_record_follows_the_run(staff, manager):
    record = ComplaintImport.objects.create(created_by=manager, source="cfpb", size=1)
    run(staff, record=record)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE
    assert (record.rows_read, record.created, record.rejected) == (12, 8, 4)
    assert record.errors[0][0] == 10
    assert record.finished_at is not None


def test_the_command_line_imports_with_a_progress_bar(db, capsys):
    call_command("import", "complaints", str(SAMPLE), "--source", "cfpb", "--dry-run")
    out = capsys.readouterr()
    assert "12 rows read" in out.out and "cases would be created" in out.out
    assert "line 11: channel" in out.out
    assert "rows/s" in out.err
    assert not Complaint.objects.exists()


def test_the_bulk_writer_names_every_column_of_what_it_writes():
    from plaint.complaints.models import Complainant
    from plaint.complaints.services import importcopy
    from plaint.core.audit import CHAIN_COLUMNS

    def attnames(model, without_id=False):
        return tuple(
            f.attname for f in model._meta.concrete_fields if not (without_id and f.primary_key)
        )

    assert attnames(Complainant) == importcopy.COMPLAINANT_COLUMNS
    assert attnames(Remedy, without_id=True) == importcopy.REMEDY_COLUMNS
    assert attnames(AuditEvent, without_id=True) == CHAIN_COLUMNS
