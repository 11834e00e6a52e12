"""Importing past dispute outcomes from a provider's export (CSV or XLSX), so an organisation
starts with its history: the file read a row at a time (``core.tabular``, as the complaint
history import reads), each row checked (``outcome_rows``), the good ones written as ended
disputes a chunk per transaction. The provider's reference keeps a re-import single; a row whose
complaint Plaint does not know is reported with its line (not held: a held notice would open a
live dispute, and these ones are over). A dry run writes nothing and reports what it would do."""

from __future__ import annotations

import secrets
import tempfile
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plaint.accounts.access import can_configure, require
from plaint.complaints.models import IMPORT_ERRORS_KEPT, Complaint
from plaint.core.actors import Actor
from plaint.core.errors import NotAllowed, NotFound, TooLarge
from plaint.core.selectors import organisation_get
from plaint.core.storedfiles import remove_older_than, stored_path
from plaint.core.tabular import Table, is_error_row, open_table
from plaint.disputes.models import Dispute, Provider
from plaint.disputes.services.cases import audit
from plaint.disputes.services.outcome_rows import (
    PastOutcome,
    RowContext,
    check_columns,
    guess_columns,
    read_row,
    value_maps,
)

CHUNK = 500  # rows looked up and written per transaction
FOLDER = "imports/disputes"
KEEP_HOURS = 48
MAX_BYTES = 20_000_000  # ~100,000 outcomes; a larger export goes through the command line
COPY_BLOCK = 1024 * 1024
PREVIEW_ROWS = 5


@dataclass
class OutcomeImportReport:
    """What an import (or its dry run) did: rows read, disputes created, rows already in Plaint
    (the same provider reference), refused rows with their line (the first
    ``IMPORT_ERRORS_KEPT``), of which ``unknown_complaints`` named no complaint Plaint knows."""

    rows: int = 0
    created: int = 0
    unchanged: int = 0
    rejected: int = 0
    unknown_complaints: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def refuse(self, line: int, problems: list[str]) -> None:
        self.rejected += 1
        if len(self.errors) < IMPORT_ERRORS_KEPT:
            self.errors.append((line, "; ".join(problems)))


def require_importer(actor: Actor) -> None:
    """Managers and admins import history; so does the command line (a system actor)."""
    if actor.kind == "system":
        return
    if actor.kind != "staff":
        raise NotAllowed(_("Only staff may do this."))
    require(can_configure, actor.user, gettext_noop("import dispute outcomes"))


@dataclass
class _Run:
    actor: Actor
    provider: Provider
    table: Table
    ctx: RowContext
    dry_run: bool
    file_name: str
    report: OutcomeImportReport = field(default_factory=OutcomeImportReport)
    seen: set[str] = field(default_factory=set)  # provider references earlier in the file


def dispute_outcomes_import(
    *,
    actor: Actor,
    handle: IO[bytes],
    provider_id: int,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    encoding: str = "auto",
    file_name: str = "",
) -> OutcomeImportReport:
    """Import the outcomes in ``handle`` for the provider whose export it is.

    ``columns`` maps the fields (``outcome_rows.TARGETS``) to the file's headers (default: the
    usual names); ``values`` holds the provider's words per kind ({"outcome": {"Rahuldatud":
    "upheld"}, "method": {…}}), ``dates`` ("day_first" for 31/03/2026) and ``default_method``."""
    require_importer(actor)
    provider = Provider.objects.prefetch_related("methods").filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("No such provider."))
    table = open_table(handle, name=file_name, encoding=encoding)
    values = values or {}
    ctx = RowContext(
        index=check_columns(columns or guess_columns(table.header), table.header),
        values=value_maps(values),
        tz=zoneinfo.ZoneInfo(organisation_get().timezone),
        now=timezone.now(),
        month_first=str(values.get("dates", "month_first")) != "day_first",
        default_method=str(values.get("default_method") or ""),
    )
    run = _Run(actor, provider, table, ctx, dry_run, file_name[:255])
    for chunk in _chunks(run):
        with transaction.atomic():
            _chunk_write(run, chunk)
    run.report.errors.sort()  # unknown complaints are found a chunk after the rows' own problems
    return run.report


def _chunks(run: _Run) -> Iterator[list[PastOutcome]]:
    chunk: list[PastOutcome] = []
    for line, cells in run.table.rows:
        run.report.rows += 1
        problem = is_error_row(cells)
        if not problem and len(cells) > len(run.table.header):
            problem = _("More values than columns in the header.")
        result = [problem] if problem else read_row(line, cells, run.ctx)
        if isinstance(result, list):
            run.report.refuse(line, result)
            continue
        chunk.append(result)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _complaints(chunk: list[PastOutcome]) -> dict[str, Complaint | None]:
    """The complaint each row names: by Plaint's reference, else by the ID it was imported
    under (an export names the organisation's own number). None: unknown or ambiguous."""
    wanted = {row.complaint for row in chunk}
    found: dict[str, Complaint | None] = {
        c.reference: c for c in Complaint.objects.filter(reference__in={w.upper() for w in wanted})
    }
    found = {w: found.get(w.upper()) for w in wanted}
    rest = [w for w, c in found.items() if c is None]
    by_id: dict[str, list[Complaint]] = {}
    for c in Complaint.objects.filter(external_id__in=rest).exclude(external_id=""):
        by_id.setdefault(c.external_id, []).append(c)
    for w in rest:
        matches = by_id.get(w, [])
        found[w] = matches[0] if len(matches) == 1 else None
    return found


def _chunk_write(run: _Run, chunk: list[PastOutcome]) -> None:
    complaints = _complaints(chunk)
    existing = set(
        Dispute.objects.filter(
            provider=run.provider, provider_reference__in=[r.provider_reference for r in chunk]
        ).values_list("provider_reference", flat=True)
    )
    for row in chunk:
        complaint = complaints[row.complaint]
        if row.provider_reference in existing or row.provider_reference in run.seen:
            run.report.unchanged += 1
        elif complaint is None:
            run.report.unknown_complaints += 1
            run.report.refuse(
                row.line,
                [
                    _(
                        "complaint: Plaint knows no complaint “%(c)s” (neither a reference nor "
                        "the ID of an imported case); import the complaint history first."
                    )
                    % {"c": row.complaint}
                ],
            )
            continue
        else:
            run.report.created += 1
            if not run.dry_run:
                _dispute_add(run, complaint, row)
        run.seen.add(row.provider_reference)


def _dispute_add(run: _Run, complaint: Complaint, row: PastOutcome) -> Dispute:
    terms = next((m for m in run.provider.methods.all() if m.method == row.method), None)
    dispute = Dispute.objects.create(
        complaint=complaint, provider=run.provider, method=row.method, state=row.state,
        opened_via="import", provider_reference=row.provider_reference,
        binding_on_organisation=bool(terms and terms.binding_on_organisation),
        binding_on_complainant=bool(terms and terms.binding_on_complainant),
        claimed_amount=row.claimed_amount, currency=row.currency, opened_at=row.opened_at,
        outcome=row.outcome, outcome_at=row.decided_at if row.outcome else None,
        reasons=row.reasons, closed_at=row.decided_at,
    )  # fmt: skip
    data = {
        "complaint": complaint.reference, "provider": run.provider.name,
        "provider_reference": row.provider_reference, "method": row.method,
        "outcome": row.outcome, "state": row.state, "file": run.file_name, "line": row.line,
    }  # fmt: skip
    audit(dispute, run.actor, "imported", data, run.ctx.now)
    return dispute


# --- the file between the steps of the page and the API -----------------------------------------


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class OutcomeUpload:
    """A stored export as the mapping step shows it."""

    id: str
    encoding: str
    header: list[str]
    preview: list[list[str]]
    guessed: dict[str, str]


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB; import it with the command line instead.") % {
        "mb": f"{MAX_BYTES / 1_000_000:g}"
    }


def outcome_upload_store(
    *, actor: Actor, stream: Readable, name: str = "", encoding: str = "auto"
) -> OutcomeUpload:
    """Keep an uploaded export on the server for the mapping step, copied a block at a time;
    refuses one over ``MAX_BYTES`` and one that is not a readable table."""
    require_importer(actor)
    with tempfile.TemporaryFile() as spool:
        size = 0
        while block := stream.read(COPY_BLOCK):
            size += len(block)
            if size > MAX_BYTES:
                raise TooLarge(too_large_message(), fields={"file": [too_large_message()]})
            spool.write(block)
        spool.seek(0)
        upload = _preview(spool, secrets.token_urlsafe(18), name, encoding)
        spool.seek(0)
        remove_older_than(FOLDER, KEEP_HOURS)
        default_storage.save(stored_path(FOLDER, upload.id), File(spool))
    return upload


def _preview(handle: IO[bytes], upload_id: str, name: str, encoding: str) -> OutcomeUpload:
    table = open_table(handle, name=name, encoding=encoding)
    rows: list[list[str]] = []
    for _line, cells in table.rows:
        rows.append([cells[i] if i < len(cells) else "" for i in range(len(table.header))])
        if len(rows) >= PREVIEW_ROWS:
            break
    return OutcomeUpload(upload_id, table.encoding, table.header, rows, guess_columns(table.header))


def outcome_upload_get(*, upload_id: str, encoding: str = "auto") -> OutcomeUpload:
    """The stored export's header and first rows again."""
    try:
        with default_storage.open(stored_path(FOLDER, upload_id), "rb") as handle:
            return _preview(handle, upload_id, "", encoding)
    except FileNotFoundError as exc:
        raise NotFound(_("This file is no longer on the server; upload it again.")) from exc


def dispute_outcomes_import_stored(
    *, actor: Actor, upload_id: str, **options: Any
) -> OutcomeImportReport:
    """Import (or dry-run) a stored export; a real import removes the file, a dry run keeps it
    for the import that follows."""
    path = stored_path(FOLDER, upload_id)
    try:
        with default_storage.open(path, "rb") as handle:
            report = dispute_outcomes_import(actor=actor, handle=handle, **options)
    except FileNotFoundError as exc:
        raise NotFound(_("This file is no longer on the server; upload it again.")) from exc
    if not options.get("dry_run"):
        default_storage.delete(path)
    return report
