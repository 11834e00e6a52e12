"""The tamper-evident audit trail: hash chains per case (``chains``), sealed periodically with a
key kept outside the database into ``AuditDigest`` and an append-only seal log (``seals``,
``keys``, ``seallog``), and checked by ``plaint audit verify`` (``verify``, ``checks``).
docs/operations.md ("Verifying the audit trail") says what this catches and what it cannot."""

from plaint.core.audit.chains import (
    CHAIN_COLUMNS,
    GENESIS,
    HASH_VERSION,
    ChainEntry,
    audit_append,
    chain_values,
    event_hash,
    hash_of,
)
from plaint.core.audit.checks import SealProblem
from plaint.core.audit.keys import AuditKeyProblem, load_keys, rotate_key
from plaint.core.audit.seals import audit_seal
from plaint.core.audit.verify import ChainBreak, VerifyReport, audit_verify

__all__ = [
    "CHAIN_COLUMNS",
    "GENESIS",
    "HASH_VERSION",
    "AuditKeyProblem",
    "ChainBreak",
    "ChainEntry",
    "SealProblem",
    "VerifyReport",
    "audit_append",
    "audit_seal",
    "audit_verify",
    "chain_values",
    "event_hash",
    "hash_of",
    "load_keys",
    "rotate_key",
]
