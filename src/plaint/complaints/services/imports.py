"""Importing complaint history from another system (a helpdesk's or a regulator's export): the
file read row by row (``core.tabular``), each row checked (``importrows``), the good ones
written a chunk at a time (``importwrite``), each chunk in its own transaction, so memory stays
flat for a million rows and the progress is visible to others while it runs. A case already
imported from the same source with the same external ID is updated, never added twice; a dry run
reads and checks everything and writes nothing but its report."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.accounts.access import can_configure, require
from plaint.complaints.events import ComplaintsImported
from plaint.complaints.models import (
    IMPORT_ERRORS_KEPT,
    Category,
    Complaint,
    ComplaintImport,
    ImportMapping,
    ImportStatus,
    Remedy,
)
from plaint.complaints.services.importcopy import copy_write
from plaint.complaints.services.importpipeline import Built, Pipeline
from plaint.complaints.services.importrows import (
    ImportedCase,
    RowContext,
    check_columns,
    guess_columns,
    read_row,
    value_maps,
)
from plaint.complaints.services.importwrite import (
    RANK,
    Origin,
    cases_insert,
    imported_data,
    step_events,
)
from plaint.core.actors import Actor
from plaint.core.audit import audit_append
from plaint.core.errors import ValidationFailed
from plaint.core.events import publish
from plaint.core.selectors import config_token, organisation_get
from plaint.core.tabular import Table, is_error_row, open_table

CHUNK = 2000  # rows checked and written per transaction
WHAT = "import complaint history"


@dataclass
class ImportReport:
    """What an import (or its dry run) did: the rows read, the cases created, updated and found
    unchanged, and each refused row with its line number (the first ``IMPORT_ERRORS_KEPT``)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def refuse(self, line: int, problems: list[str]) -> None:
        self.rejected += 1
        if len(self.errors) < IMPORT_ERRORS_KEPT:
            self.errors.append((line, "; ".join(problems)))


Progress = Callable[[ImportReport, int], None]  # the report so far, bytes read (0: unknown)


def require_importer(actor: Actor) -> None:
    if actor.kind != "system":
        require(can_configure, actor.user, _(WHAT))


def import_mapping_save(
    *, actor: Actor, name: str, source: str, columns: Mapping[str, str], values: Mapping[str, Any]
) -> ImportMapping:
    """Save (or replace) a named column and value mapping for later imports."""
    require_importer(actor)
    name, source = (name or "").strip(), (source or "").strip().lower()
    problems: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        problems["name"] = [_("A name of 1 to 100 characters.")]
    if not source or len(source) > 50 or not all(c.isalnum() or c in "-_" for c in source):
        problems["source"] = [_("A short code: letters, digits, - and _ (e.g. cfpb).")]
    value_maps(values)  # refuses a malformed value mapping
    if problems:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=problems)
    mapping = ImportMapping.objects.filter(name=name).first() or ImportMapping(name=name)
    mapping.source, mapping.created_by = source, mapping.created_by or actor.user
    mapping.columns = {k: v for k, v in columns.items() if v}
    mapping.values = dict(values)
    mapping.save()
    return mapping


@dataclass
class _Run:
    table: Table
    ctx: RowContext
    origin: Origin
    dry_run: bool
    report: ImportReport
    record: ComplaintImport | None
    handle: IO[bytes]
    # dry runs only: the cases a real run would have created so far, by external ID, with a
    # fingerprint of their row, so that a repeated ID counts as the update (or no change) a real
    # run would make of the case its first row created, not as a second new case
    planned: dict[str, int] = field(default_factory=dict)
    # what ``ComplaintReceiving`` subscribers read once for the whole import
    batch: dict[str, Any] = field(default_factory=dict)


def _context(table: Table, columns: Mapping[str, str], values: Mapping[str, Any]) -> RowContext:
    organisation = organisation_get()
    return RowContext(
        index=check_columns(columns, table.header),
        values=value_maps(values),
        categories=dict(Category.objects.filter(active=True).values_list("code", "id")),
        tz=zoneinfo.ZoneInfo(organisation.timezone),
        now=timezone.now(),
        month_first=str(values.get("dates", "month_first")) != "day_first",
        defaults={"channel": str(values.get("default_channel", ""))},
    )


def complaints_import(
    *,
    actor: Actor,
    handle: IO[bytes],
    source: str,
    file_name: str = "",
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    encoding: str = "auto",
    record: ComplaintImport | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the complaint history in ``handle`` (CSV or XLSX, read as it goes).

    ``columns`` maps Plaint's fields (``importrows.TARGETS``) to the file's headers; without it,
    the headers are recognised by their usual names (``importrows.ALIASES``). ``values`` holds the
    value mappings per kind ({"channel": {"Postal mail": "letter"}, …}), ``dates``
    ("month_first" or "day_first" for 03/04/2024) and ``default_channel``. Each chunk of
    ``CHUNK`` rows is one transaction. With ``dry_run`` nothing is written; the report says what
    would have been. ``record`` (a ``ComplaintImport``) is kept up to date as the import goes."""
    require_importer(actor)
    source = (source or "").strip().lower()
    if not source:
        raise ValidationFailed(_("Name the source."), fields={"source": [_("Required.")]})
    table = open_table(handle, name=file_name, encoding=encoding)
    values = values or {}
    ctx = _context(table, columns or guess_columns(table.header), values)
    organisation = organisation_get()
    origin = Origin(
        source, file_name, record.pk if record else None, actor, ctx.now, organisation,
        config_token(),
    )  # fmt: skip
    run = _Run(table, ctx, origin, dry_run, ImportReport(), record, handle)
    if dry_run or connection.vendor != "postgresql":
        for chunk in _chunks(run.table, run.ctx, run.report):
            _chunk_write(run, chunk)
            _progress(run, progress)
    else:  # the next chunk built while this one is written: ``importpipeline``
        _pipelined(run, progress)
    _finish(run, ImportStatus.DONE)
    return run.report


def _pipelined(run: _Run, progress: Progress | None) -> None:
    reading = ImportReport()  # counted by the reading side, taken over chunk by chunk
    pipeline = Pipeline(
        chunks=_chunks(run.table, run.ctx, reading),
        reading=reading,
        origin=run.origin,
        batch=run.batch,
        handle=run.handle,
        chunk=CHUNK,
    )
    with pipeline as chunks:
        for built in chunks:
            if built.cases:
                _chunk_write(run, built.cases, built)
            report, counted = run.report, built.reading
            report.rows, report.rejected = counted.rows, counted.rejected
            report.errors = counted.errors
            _progress(run, progress, counted.position)


def _chunks(table: Table, ctx: RowContext, report: ImportReport) -> Iterator[list[ImportedCase]]:
    """The good rows in chunks of at most CHUNK, an external ID at most once in a chunk (a
    repeated ID ends the chunk, so the later row updates the case the earlier one made); the
    rows read and refused are counted in ``report``."""
    chunk: list[ImportedCase] = []
    seen: set[str] = set()
    for line, cells in table.rows:
        report.rows += 1
        problem = is_error_row(cells)
        if not problem and len(cells) > len(table.header):
            problem = _("More values than columns in the header.")
        result = [problem] if problem else read_row(line, cells, ctx)
        if isinstance(result, list):
            report.refuse(line, result)
            continue
        if result.external_id in seen or len(chunk) >= CHUNK:
            yield chunk
            chunk, seen = [], set()
        chunk.append(result)
        seen.add(result.external_id)
    if chunk:
        yield chunk


def _chunk_write(run: _Run, chunk: list[ImportedCase], built: Built | None = None) -> None:
    """One chunk in one transaction: the cases already imported updated, the new ones written
    (``built``: already built with their keys by the pipeline; else built here)."""
    with transaction.atomic():
        existing = {
            c.external_id: c
            for c in Complaint.objects.select_for_update()
            .select_related("complainant")
            .filter(external_source=run.origin.source, external_id__in=_ids_of(chunk))
            # the unique index is partial (native cases have no external ID): saying so lets
            # PostgreSQL use it for a list of 2,000 IDs (it proves the condition for 100 at most)
            .exclude(external_id="")
        }
        if run.dry_run:
            _dry_run_repeats(run, chunk, existing)
            return
        new = [c for c in chunk if c.external_id not in existing]
        updated: list[int] = []
        for case in chunk:
            complaint = existing.get(case.external_id)
            if complaint is None:
                continue
            if case_update(complaint, case, run.origin, write=not run.dry_run):
                updated.append(complaint.pk)
                run.report.updated += 1
            else:
                run.report.unchanged += 1
        run.report.created += len(new)
        if built is None or built.rows is None:
            created = cases_insert(new, run.origin, run.batch)
        else:  # built ahead by the pipeline: only the cases not found imported already
            created = copy_write(built.rows, skip=existing.keys())
        publish(ComplaintsImported(tuple(created), tuple(updated), run.origin.now))


def _ids_of(chunk: list[ImportedCase]) -> Any:
    """The chunk's external IDs for ``external_id__in``: on PostgreSQL one array parameter
    (``IN (SELECT unnest(%s))``) instead of 2,000 parameters, each prepared by Django."""
    ids = [c.external_id for c in chunk]
    if connection.vendor != "postgresql":
        return ids
    return RawSQL("SELECT unnest(%s::text[])", (ids,))


def _dry_run_repeats(run: _Run, chunk: list[ImportedCase], existing: dict[str, Complaint]) -> None:
    """Count a dry run's chunk as the real run would: a row for a case in the database updates it;
    a row repeating an ID that an earlier row of this file would create updates that planned case
    (unchanged when the rows say the same); any other row creates a case."""
    for case in chunk:
        complaint = existing.get(case.external_id)
        if complaint is not None:
            if case_update(complaint, case, run.origin, write=False):
                run.report.updated += 1
            else:
                run.report.unchanged += 1
            continue
        fingerprint = hash(tuple(getattr(case, f) for f in _FINGERPRINT))
        planned = run.planned.get(case.external_id)
        if planned is None:
            run.report.created += 1
        elif planned == fingerprint:
            run.report.unchanged += 1
        else:
            run.report.updated += 1
        run.planned[case.external_id] = fingerprint


_CASE_FIELDS = (
    "subject",
    "description",
    "desired_outcome",
    "product",
    "segment",
    "category_id",
    "channel",
    "decision",
)
_PERSON_FIELDS = ("name", "email", "phone", "language")
_DATE_FIELDS = {"acknowledged_at": "acknowledged_at", "decided_at": "decision_at"}
_FINGERPRINT = (*_CASE_FIELDS, *_PERSON_FIELDS, *_DATE_FIELDS, "closed_at", "state", "outcome")


def _changes(complaint: Complaint, case: ImportedCase) -> tuple[dict[str, Any], dict[str, Any]]:
    """(case fields, complainant fields) that the row changes."""
    fields = {
        f: getattr(case, f) for f in _CASE_FIELDS if getattr(complaint, f) != getattr(case, f)
    }
    person = {
        f: getattr(case, f)
        for f in _PERSON_FIELDS
        if getattr(complaint.complainant, f) != getattr(case, f)
    }
    if complaint.state not in RANK:  # worked in Plaint since: its lifecycle is Plaint's now
        return fields, person
    for name, attr in (*_DATE_FIELDS.items(), ("closed_at", "closed_at")):
        value = getattr(case, name)
        if value is not None and getattr(complaint, attr) != value:
            fields[attr] = value
    if RANK[case.state] > RANK[complaint.state]:
        fields["state"] = case.state
        if case.closed_at:
            fields["closure_reason"] = case.outcome
    return fields, person


def case_update(complaint: Complaint, case: ImportedCase, origin: Origin, *, write: bool) -> bool:
    """Bring an imported case (locked) up to date with its row: the fields the row changes, its
    new dated steps at their original times, then an "import_updated" event naming what changed
    (not the values: personal data stays out of the chain). False when nothing changes."""
    fields, person = _changes(complaint, case)
    if not fields and not person:
        return False
    if not write:
        return True
    since = RANK.get(complaint.state, 3)
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.version += 1
    complaint.save(update_fields=[*fields, "version", "updated_at"])
    if person:
        for name, value in person.items():
            setattr(complaint.complainant, name, value)
        complaint.complainant.save(update_fields=list(person))
    offered = case.decided_at or case.closed_at
    if case.remedy and offered and not Remedy.objects.filter(complaint=complaint).exists():
        Remedy.objects.create(complaint=complaint, kind=case.remedy, proposed_at=offered)
    steps = step_events(case, since) if "state" in fields else []
    changed = sorted([*fields, *(f"complainant.{f}" for f in person)])
    for verb, at, data in [
        *steps,
        ("import_updated", origin.now, {**imported_data(case, origin), "fields": changed}),
    ]:
        audit_append(
            case_type="complaint",
            case_id=complaint.pk,
            actor_id=origin.actor.user_id,
            actor_label=origin.actor.label,
            action=verb,
            data=data,
            at=at,
        )
    return True


def _progress(run: _Run, progress: Progress | None, position: int | None = None) -> None:
    if position is None:
        try:
            position = run.handle.tell()
        except (OSError, ValueError):
            position = 0
    if run.record is not None:
        _record_save(run, position, ImportStatus.RUNNING)
    if progress is not None:
        progress(run.report, position)


def _record_save(run: _Run, position: int, status: str) -> None:
    record = run.record
    if record is None:
        return
    report = run.report
    record.status, record.bytes_read = status, position or record.bytes_read
    record.rows_read, record.created, record.updated = report.rows, report.created, report.updated
    record.unchanged, record.rejected = report.unchanged, report.rejected
    record.errors = [list(e) for e in report.errors]
    fields = [
        "status", "bytes_read", "rows_read", "created", "updated", "unchanged", "rejected",
        "errors",
    ]  # fmt: skip
    if status in (ImportStatus.DONE, ImportStatus.FAILED):
        record.finished_at = timezone.now()
        fields.append("finished_at")
    record.save(update_fields=fields)


def _finish(run: _Run, status: str) -> None:
    _record_save(run, run.record.size if run.record else 0, status)
