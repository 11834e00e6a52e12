"""The tamper-evident audit trail: hash chains per case (``chains``), sealed periodically with a
key kept outside the database into ``AuditDigest`` and an append-only seal log (``seals``,
``keys``, ``seallog``), and checked by ``plaint audit verify`` (``verify``, ``checks``).
docs/operations.md ("Verifying the audit trail") says what this catches and what it cannot."""

from plaint.core.audit.chains import GENESIS, HASH_VERSION, audit_append, event_hash, hash_of
from plaint.core.audit.checks import SealProblem
from plaint.core.audit.keys import AuditKeyProblem, load_keys, rotate_key
from plaint.core.audit.seals import audit_seal
from plaint.core.audit.verify import ChainBreak, VerifyReport, audit_verify

__all__ = [
    "GENESIS",
    "HASH_VERSION",
    "AuditKeyProblem",
    "ChainBreak",
    "SealProblem",
    "VerifyReport",
    "audit_append",
    "audit_seal",
    "audit_verify",
    "event_hash",
    "hash_of",
    "load_keys",
    "rotate_key",
]
