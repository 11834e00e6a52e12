"""``plaint audit verify`` recomputes every case's hash chain and holds it against the keyed seals
of the seal log and of the database; ``plaint audit seal`` seals the chain heads that moved;
``plaint audit rotate-key`` starts signing with a new key (the old ones keep verifying)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from plaint.core.management.commands._common import PlaintCommand

EXIT_BROKEN = 1


class Command(PlaintCommand):
    help = "Verify or seal the tamper-evident audit trail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{verify,seal,rotate-key}"
        )
        verify = sub.add_parser(
            "verify", help="Check every chain and every seal; exit 1 if anything is wrong."
        )
        verify.add_argument(
            "--seal-log",
            action="append",
            type=Path,
            dest="seal_logs",
            metavar="PATH",
            help="A seal log to compare with (repeatable; default PLAINT_AUDIT_SEAL_LOG).",
        )
        sub.add_parser("seal", help="Seal the chain heads that moved since the last seal.")
        sub.add_parser("rotate-key", help="Append a new signing key to the audit key file.")

    def handle(self, *args, action: str, seal_logs: list[Path] | None = None, **options):
        if action == "seal":
            return self._seal()
        if action == "rotate-key":
            return self._rotate()
        return self._verify(seal_logs)

    def _seal(self) -> None:
        from plaint.core.audit import audit_seal

        digest = audit_seal()
        if digest is None:
            self.stdout.write("nothing to seal: no chain moved since the last seal")
            return
        self.stdout.write(
            f"sealed {len(digest.heads)} chains into seal #{digest.number} "
            f"(key {digest.key_id}; {digest.chains} chains sealed in all)"
        )

    def _rotate(self) -> None:
        from plaint.core.audit import rotate_key
        from plaint.core.audit.keys import key_file

        key = rotate_key()
        self.stdout.write(
            f"new signing key {key.key_id} appended to {key_file()}; keep the older lines, "
            "they verify the older seals"
        )

    def _verify(self, seal_logs: list[Path] | None) -> None:
        from plaint.core.audit import audit_verify

        report = audit_verify(seal_logs=seal_logs)
        self.stdout.write(
            f"checked {report.chains} chains, {report.events} events against {report.seals} seals"
        )
        if report.legacy_events:
            self.stdout.write(
                f"note: {report.legacy_events} events were written before hash version 2; "
                "their actor label is not covered by their hash"
            )
        for chain_break in report.breaks:
            self.stdout.write(f"BROKEN: {chain_break}")
        for problem in report.seal_problems:
            self.stdout.write(f"BROKEN SEAL: {problem}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("audit trail intact"))
            return
        raise CommandError(
            f"audit trail broken: {len(report.breaks)} event problem(s), "
            f"{len(report.seal_problems)} seal problem(s)",
            returncode=EXIT_BROKEN,
        )
