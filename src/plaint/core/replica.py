"""Report reads from a PostgreSQL streaming replica, when ``DATABASE_REPLICA_URL`` names one.

Only what is asked for goes there: a report view (insights, analysis, scorecard, the register
export) wraps its reads in ``report_reads()``; everything else — every write, and every read of a
handler's own page, which must see what the handler just saved — uses the primary. The router
(``settings.DATABASE_ROUTERS``) sends a read to the replica only inside such a block and outside
a transaction on the primary (a service that writes inside a report reads what it changes from
the primary), sends every write to the primary and lets migrations run on the primary only.

The replica lags behind the primary by however long it takes to replay the primary's WAL; a report
page says how far behind its figures may be (``ReplicaFreshness``). If the replica cannot be
reached, the block reads from the primary instead and the page says nothing: the figures are
current then.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
T = TypeVar("T")

# The alias the report reads of this thread (or request) go to; None outside ``report_reads``.
_reads: ContextVar[str | None] = ContextVar("plaint_report_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass(frozen=True)
class ReplicaFreshness:
    """How far behind the primary the figures read from the replica may be. ``lag`` is zero when
    the replica has replayed everything it received and is streaming; ``streaming`` False: the
    replica is not receiving the primary's changes now (``lag`` is then the time since the last
    change it replayed, or None when it never replayed one)."""

    lag: dt.timedelta | None
    streaming: bool


# One statement on the replica: replayed all it received and receiving → 0; otherwise the time
# since the last transaction it replayed (the age of its newest figures). A server that is not
# in recovery (a promoted replica, or a primary named as replica) is up to date by definition.
# pg_stat_wal_receiver has a row while the WAL receiver runs; its status is shown only to
# superusers and members of pg_read_all_stats (NULL to Plaint's ordinary role), so a running
# receiver whose status is hidden counts as streaming.
_FRESHNESS_SQL = """
SELECT
    pg_is_in_recovery(),
    pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
    EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()),
    EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming')
"""


def replica_freshness() -> ReplicaFreshness | None:
    """The replica's lag, measured now; None without a replica. Raises ``DatabaseError`` when
    the replica cannot be reached."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(_FRESHNESS_SQL)
        in_recovery, caught_up, since_replay, streaming = cursor.fetchone()
    if not in_recovery:
        return ReplicaFreshness(lag=dt.timedelta(0), streaming=True)
    since = None if since_replay is None else dt.timedelta(seconds=max(0.0, float(since_replay)))
    if caught_up and streaming:
        return ReplicaFreshness(lag=dt.timedelta(0), streaming=True)
    return ReplicaFreshness(lag=since, streaming=bool(streaming))


@contextmanager
def report_reads() -> Iterator[ReplicaFreshness | None]:
    """Inside the block, the ORM's reads (and ``reads_alias()`` for hand-written SQL) go to the
    replica when one is configured and reachable; yields how stale its figures may be (None: read
    from the primary, current). Writes inside the block still go to the primary."""
    alias, freshness = DEFAULT_DB_ALIAS, None
    if replica_configured():
        try:
            freshness = replica_freshness()
            alias = REPLICA
        except DatabaseError as exc:  # the replica down: the primary answers, a bit more loaded
            log.warning("replica unreachable, reading reports from the primary: %s", exc)
            connections[REPLICA].close()
    token = _reads.set(alias)
    try:
        yield freshness
    finally:
        _reads.reset(token)


def reads_alias() -> str:
    """The database the current reads go to: the replica inside ``report_reads`` (when there is
    one), else the primary. For hand-written SQL: ``connections[reads_alias()].cursor()``."""
    return _reads.get() or DEFAULT_DB_ALIAS


def rows_from_replica(rows: Iterable[T]) -> Iterator[T]:
    """A lazily read report (a streamed export) read inside ``report_reads``: each step of the
    iteration enters the block, so the rows come from the replica even though the response
    streams them after the view has returned. Wrap the rows inside the view's block: they are
    read from where the block reads (the primary when the replica was unreachable)."""
    return _read_from(reads_alias(), iter(rows))  # the alias now: a generator starts later


def _read_from(alias: str, iterator: Iterator[T]) -> Iterator[T]:
    while True:
        token = _reads.set(alias)
        try:
            row = next(iterator)
        except StopIteration:
            return
        finally:
            _reads.reset(token)
        yield row


class ReplicaRouter:
    """``settings.DATABASE_ROUTERS``: reads inside ``report_reads`` to the replica, every other
    read and every write to the primary, migrations on the primary only."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        alias = reads_alias()
        if alias != DEFAULT_DB_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A service writing inside a report (an export records itself in the audit trail)
            # reads what it is about to change from the primary, in its own transaction.
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: one database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
