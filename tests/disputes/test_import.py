"""Importing a provider's past outcomes: the column and value mapping (an Estonian export in
cp1257 with semicolons, Persian words with the Arabic yeh), the dry run that writes nothing and
reports each refused row by its line, the import, and a re-import that adds nothing. Through the
service, the command line and the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, ValidationFailed
from plaint.core.models import AuditEvent
from plaint.core.selectors import organisation_get
from plaint.disputes import services
from plaint.disputes.models import Dispute
from tests.api_client import ApiClient, assert_problem
from tests.disputes.cases import provider_with_all_methods
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db

MAPPING = {
    "columns": {
        "complaint": "Kaebuse viide",
        "provider_reference": "Menetluse nr",
        "outcome": "Tulemus",
        "decided_at": "Otsuse kuupäev",
        "opened_at": "Avatud",
        "claimed_amount": "Nõue",
        "currency": "Valuuta",
    },
    "values": {
        "outcome": {
            "Rahuldatud": "upheld",
            "Osaliselt rahuldatud": "partly_upheld",
            "Rahuldamata jäetud": "not_upheld",
            "پذیرفته شد": "upheld",
            "Tagasi võetud": "withdrawn",
        },
        "dates": "day_first",
        "default_method": "determinative",
    },
}


def _export(references: list[str]) -> bytes:
    first, second, third = references
    lines = [
        "Kaebuse viide;Menetluse nr;Tulemus;Avatud;Otsuse kuupäev;Nõue;Valuuta",
        f"{first};TVK-1/2025;Rahuldatud;02.02.2025;14.03.2025;1 234,50;EUR",
        f"{second};TVK-2/2025;Osaliselt rahuldatud;03.02.2025;20.03.2025;;",
        "C-1999-000001;TVK-3/2025;Rahuldamata jäetud;04.02.2025;21.03.2025;;",  # unknown
        f"{third};TVK-4/2025;Kompromiss;05.02.2025;22.03.2025;;",  # a word not mapped
        f"{third};TVK-5/2025;Tagasi võetud;06.02.2025;01.02.2025;10;EURO",  # three problems
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1257")


@pytest.fixture
def setting(manager, handler):
    provider = provider_with_all_methods(manager, name="Tarbijavaidluste komisjon")
    complaints = [make_complaint()[0] for _ in range(3)]
    return provider, [c.reference for c in complaints]


def _run(manager, provider, data: bytes, *, dry_run: bool, values=None):
    return services.dispute_outcomes_import(
        actor=Actor.staff(manager), handle=io.BytesIO(data), provider_id=provider.pk,
        columns=MAPPING["columns"], values=values or MAPPING["values"], dry_run=dry_run,
        file_name="tvk.csv",
    )  # fmt: skip


def test_the_dry_run_reports_each_row_and_writes_nothing(manager, setting):
    provider, references = setting
    report = _run(manager, provider, _export(references), dry_run=True)
    assert (report.rows, report.created, report.rejected) == (5, 2, 3)
    assert report.unknown_complaints == 1 and Dispute.objects.count() == 0
    errors = dict(report.errors)
    assert sorted(errors) == [4, 5, 6]  # the file's lines, the header being line 1
    assert "C-1999-000001" in errors[4] and "import the complaint history first" in errors[4]
    assert "“Kompromiss” is not one of" in errors[5]
    assert "decided_at is before opened_at" in errors[6] and "currency" in errors[6]


def test_the_import_creates_ended_disputes_and_a_second_run_adds_nothing(manager, setting):
    provider, references = setting
    report = _run(manager, provider, _export(references), dry_run=False)
    assert (report.created, report.rejected) == (2, 3)
    first = Dispute.objects.get(provider_reference="TVK-1/2025")
    assert first.complaint.reference == references[0]
    assert (first.state, first.outcome, first.method) == ("closed", "upheld", "determinative")
    assert first.opened_via == "import" and first.claimed_amount == Decimal("1234.50")
    zone = ZoneInfo(organisation_get().timezone)  # a date alone is the office's midnight
    assert first.outcome_at.astimezone(zone) == dt.datetime(2025, 3, 14, tzinfo=zone)
    assert first.opened_at < first.outcome_at
    event = AuditEvent.objects.get(case_type="dispute", case_id=first.pk)
    assert event.action == "imported" and event.data["line"] == 2
    again = _run(manager, provider, _export(references), dry_run=False)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 3)
    assert Dispute.objects.count() == 2


def test_persian_words_match_whatever_yeh_the_file_writes(manager, setting):
    provider, references = setting
    data = (
        "complaint,provider reference,outcome,decided\n"
        f"{references[0]},FA-1,پذيرفته شد,2025-05-01\n"  # the Arabic yeh (U+064A)
        f"{references[1]},FA-2,settled,2025-05-02\n"  # a code needs no rule; its method follows
    ).encode()
    report = services.dispute_outcomes_import(
        actor=Actor.staff(manager), handle=io.BytesIO(data), provider_id=provider.pk,
        values={"outcome": MAPPING["values"]["outcome"]},
    )  # fmt: skip
    assert (report.created, report.errors) == (2, [])
    methods = dict(Dispute.objects.values_list("provider_reference", "method"))
    assert methods == {"FA-1": "determinative", "FA-2": "facilitative"}


def test_a_bad_mapping_is_refused_before_any_row(manager, setting):
    provider, references = setting
    with pytest.raises(ValidationFailed) as refused:
        _run(manager, provider, _export(references), dry_run=True,
             values={"outcome": {"Rahuldatud": "won"}})  # fmt: skip
    assert "“won” is not one of" in str(refused.value.fields)


def test_only_managers_import(handler, setting):
    provider, references = setting
    with pytest.raises(NotAllowed):
        _run(handler, provider, _export(references), dry_run=True)


def test_the_command_line(manager, setting, tmp_path):
    provider, references = setting
    export, mapping = tmp_path / "tvk.csv", tmp_path / "tvk.json"
    export.write_bytes(_export(references))
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("disputes", "import", str(export), "--provider", provider.name,
                 "--mapping", str(mapping), "--dry-run", stdout=out)  # fmt: skip
    assert "2 disputes would be created" in out.getvalue() and "line 4:" in out.getvalue()
    call_command("disputes", "import", str(export), "--provider", str(provider.pk),
                 "--mapping", str(mapping), stdout=out)  # fmt: skip
    assert Dispute.objects.count() == 2


def test_the_api_uploads_dry_runs_and_imports(manager, handler, setting):
    provider, references = setting
    api = ApiClient(manager)
    sent = api.post(
        "/disputes/imports/uploads?name=tvk.csv", raw=_export(references), content_type="text/csv"
    )
    assert sent.status_code == 201, sent.content
    upload = sent.json()
    assert upload["header"][0] == "Kaebuse viide" and len(upload["preview"]) == 5
    body = {"upload": upload["upload"], "provider_id": provider.pk, **MAPPING, "dry_run": True}
    dry = api.post("/disputes/imports", body)
    assert dry.status_code == 201 and dry.json()["created"] == 2
    assert [line for line, _problem in dry.json()["errors"]] == [4, 5, 6]
    real = api.post("/disputes/imports", {**body, "dry_run": False}, **{"Idempotency-Key": "i-1"})
    replay = api.post("/disputes/imports", {**body, "dry_run": False}, **{"Idempotency-Key": "i-1"})
    assert (real.json()["created"], replay.status_code) == (2, 200)
    assert Dispute.objects.count() == 2
    gone = api.post("/disputes/imports", {**body, "dry_run": False})
    assert_problem(gone, 404, "not_found")  # a real import removes the stored file
    refused = ApiClient(handler).post("/disputes/imports", body)
    assert_problem(refused, 403, "not_allowed")


def test_the_staff_pages_upload_map_dry_run_and_import(client, manager, handler, setting):
    provider, references = setting
    client.force_login(manager)
    export = io.BytesIO(_export(references))
    export.name = "tvk.csv"
    sent = client.post("/staff/disputes/import/", {"provider": provider.pk, "file": export})
    assert sent.status_code == 302, sent.content[:2000]
    mapping_url = sent["Location"]
    page = client.get(mapping_url)
    assert page.status_code == 200 and "Kaebuse viide" in page.content.decode()
    form = {f"col_{field}": column for field, column in MAPPING["columns"].items()}
    form |= {"dates": "day_first", "default_method": "determinative"}
    form["values_outcome"] = "\n".join(
        f"{w} | {c}" for w, c in MAPPING["values"]["outcome"].items()
    )
    dry = client.post(mapping_url, {**form, "dry_run": "1"}).content.decode()
    assert "2 disputes would be created" in dry and "Kompromiss" in dry
    assert Dispute.objects.count() == 0
    done = client.post(mapping_url, {**form, "import": "1"}).content.decode()
    assert "2 disputes created" in done and Dispute.objects.count() == 2
    client.force_login(handler)
    assert client.get("/staff/disputes/import/").status_code == 403


def test_a_small_legacy_encoded_export_keeps_its_semicolons(manager, setting):
    """A cp1257 file smaller than the sample, whose last row ends in empty cells: its last bytes
    were once left out of the sniffing, so the semicolon reading looked ragged and the file was
    read as one column."""
    provider, references = setting
    data = (
        "Kaebuse viide;Menetluse nr;Tulemus;Otsuse kuupäev;Nõue;Valuuta\r\n"
        f"{references[0]};TVK-9/2025;Rahuldatud;14.03.2025;1 234,50;EUR\r\n"
        f"{references[1]};TVK-10/2025;Rahuldatud;15.03.2025;;\r\n"
    ).encode("cp1257")
    columns = {k: v for k, v in MAPPING["columns"].items() if k != "opened_at"}
    report = services.dispute_outcomes_import(
        actor=Actor.staff(manager), handle=io.BytesIO(data), provider_id=provider.pk,
        columns=columns, values=MAPPING["values"], dry_run=True,
    )  # fmt: skip
    assert (report.created, report.errors) == (2, [])
