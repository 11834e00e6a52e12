"""The complaint history import's one optimisation, on PostgreSQL: reading and building the next
chunks of cases in a second process while the import writes the last one.

An import spends about two thirds of its Python time reading and checking rows and building the
cases (due dates, audit chain, search text), and the rest, plus PostgreSQL's own work, writing
them with COPY. ``Pipeline`` overlaps the two on two cores: a forked process reads the rest of the
file and builds each chunk into plain COPY rows (``importwrite.cases_build``,
``importcopy.copy_rows``); the import's own process, with its connection and a transaction per
chunk, looks up the cases already imported, updates those and COPYs the new ones. Threads would
not do: building is pure Python and holds the interpreter's lock.

The building process never touches the database (a wrapper on its connection refuses any
statement, and it never closes the connection it inherited, which is the import's):

- the keys of new cases (two sequences and the references') are taken by the import's process, a
  chunk's worth ahead, and sent over (``_KeyPool``); a key not used leaves a gap in its sequence,
  as a rolled-back intake does;
- what ``ComplaintReceiving`` subscribers read (the promises' snapshot) is read once, while the
  import's process builds the first chunk itself, and inherited through the import's ``batch``;
- the rows read and refused are counted in the building side's own ``ImportReport`` and sent with
  each chunk, so the import's report only ever counts chunks it has written.

At most ``AHEAD`` built chunks wait; a failure on either side stops both and is raised by the
import. Where processes cannot be forked, the chunks are built in the import's process one by
one. SQLite writes from one connection at a time and takes its keys inside the writing
transaction, so it, and every dry run, imports in one process (``imports.complaints_import``).
Measured in ``bench/complaint_import.py`` (bench/README.md).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import queue
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import connection

from plaint.complaints.services.importcopy import CopyRows, copy_rows
from plaint.complaints.services.importrows import ImportedCase
from plaint.complaints.services.importwrite import NewIds, Origin, cases_build, new_ids

AHEAD = 2  # built chunks waiting for the writer
_POLL = 0.2  # seconds between looks at the stop flag while waiting
_STOP_WAIT = 30.0  # seconds the builder has to stop before it is terminated


@dataclass
class Reading:
    """The reading side's counts when a chunk was sent (or at the end of the file)."""

    rows: int
    rejected: int
    errors: list[tuple[int, str]]
    position: int


@dataclass
class Built:
    """One chunk: its rows as checked, its new cases as COPY rows, and the reading so far."""

    cases: list[ImportedCase]
    rows: CopyRows | None
    reading: Reading


class _Stopped(Exception):
    """The import stopped: the building side leaves quietly."""


class _KeyPool:
    """Keys for new cases, taken by the import's process (``refill``) and used by the building
    process (``take``)."""

    def __init__(self, context: Any, chunk: int, stop: Any) -> None:
        self.chunk, self.stop = chunk, stop
        self.blocks = context.Queue()
        self.free: deque[NewIds] = deque()

    def refill(self) -> None:
        keys = new_ids(self.chunk)
        self.blocks.put(([k.complainant for k in keys], [k.complaint for k in keys],
                         [k.number for k in keys]))  # fmt: skip

    def take(self, count: int) -> list[NewIds]:
        while len(self.free) < count:
            try:
                block = self.blocks.get(timeout=_POLL)
            except queue.Empty:
                if self.stop.is_set():
                    raise _Stopped from None
                continue
            self.free.extend(NewIds(*keys) for keys in zip(*block, strict=True))
        return [self.free.popleft() for _ in range(count)]


def _refuse_statements(*_args: Any) -> None:
    raise RuntimeError("The import's building process must not use the database.")


def _sendable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class Pipeline:
    """``with Pipeline(...) as chunks: for built in chunks: …`` — the chunks of ``chunks`` built
    ahead of their writing. ``reading`` is the report the chunk iterator counts into; ``chunk``
    the most cases a chunk holds (one block of keys covers one chunk)."""

    def __init__(
        self,
        *,
        chunks: Iterator[list[ImportedCase]],
        reading: Any,
        origin: Origin,
        batch: dict[str, Any],
        handle: IO[bytes],
        chunk: int,
    ) -> None:
        self.chunks, self.reading, self.origin, self.batch = chunks, reading, origin, batch
        self.handle, self.chunk = handle, chunk
        self.forks = "fork" in multiprocessing.get_all_start_methods()
        self.context: Any = multiprocessing.get_context("fork") if self.forks else None
        self.process: Any = None

    def __enter__(self) -> Iterator[Built]:
        return self._run() if self.forks else self._one_by_one()

    def __exit__(self, *_exc: object) -> None:
        if self.process is None:
            return
        self.stop.set()
        waited = 0.0
        while self.process.is_alive() and waited < _STOP_WAIT:
            with contextlib.suppress(queue.Empty):  # room for a chunk being sent
                self.out.get(timeout=_POLL)
            waited += _POLL
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        for pipe in (self.out, self.keys.blocks):
            pipe.cancel_join_thread()  # nothing left to read them
            pipe.close()

    def _build(self, cases: list[ImportedCase], keys: list[NewIds]) -> CopyRows:
        return copy_rows(cases_build(cases, keys, self.origin, self.batch))

    def _one_by_one(self) -> Iterator[Built]:
        for cases in self.chunks:
            yield Built(cases, self._build(cases, new_ids(len(cases))), self._reading())
        yield Built([], None, self._reading())

    def _run(self) -> Iterator[Built]:
        first = next(self.chunks, None)
        if first is None:
            yield Built([], None, self._reading())
            return
        # the first chunk here: the subscribers' reads land in the batch the builder inherits
        rows = self._build(first, new_ids(len(first)))
        self.stop = self.context.Event()
        self.keys = _KeyPool(self.context, self.chunk, self.stop)
        self.out = self.context.Queue(maxsize=AHEAD)
        self.keys.refill()
        self.keys.refill()
        self.process = self.context.Process(
            target=self._build_rest, name="plaint-import-build", daemon=True
        )
        self.process.start()
        yield Built(first, rows, self._reading())
        while True:
            item = self._next()
            if isinstance(item, Reading):  # the end of the file, and the rows refused last
                yield Built([], None, item)
                return
            self.keys.refill()  # a block for every chunk taken: the builder never starves
            yield item

    def _next(self) -> Built | Reading:
        while True:
            try:
                item = self.out.get(timeout=_POLL)
            except queue.Empty:
                if not self.process.is_alive():
                    raise RuntimeError(
                        "The import's building process ended without a word."
                    ) from None
                continue
            if isinstance(item, BaseException):
                raise item
            return item

    def _reading(self) -> Reading:
        try:
            position = self.handle.tell()
        except (OSError, ValueError):
            position = 0
        report = self.reading
        return Reading(report.rows, report.rejected, list(report.errors), position)

    def _build_rest(self) -> None:
        """The building process: the rest of the file, chunk by chunk."""
        try:
            with connection.execute_wrapper(_refuse_statements):
                for cases in self.chunks:
                    rows = self._build(cases, self.keys.take(len(cases)))
                    self._send(Built(cases, rows, self._reading()))
                self._send(self._reading())
        except _Stopped:
            return
        except BaseException as exc:  # raised again by the import
            self._send(_sendable(exc), always=True)

    def _send(self, item: Built | Reading | BaseException, *, always: bool = False) -> None:
        while True:
            try:
                self.out.put(item, timeout=_POLL)
                return
            except queue.Full:
                if self.stop.is_set():
                    if always:
                        return
                    raise _Stopped from None
