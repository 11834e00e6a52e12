"""``plaint audit verify`` recomputes every case's hash chain and checks the latest seal;
``plaint audit seal`` seals the current chain heads into a new digest."""

from __future__ import annotations

from django.core.management.base import CommandError

from plaint.core.management.commands._common import PlaintCommand

EXIT_BROKEN = 1


class Command(PlaintCommand):
    help = "Verify or seal the tamper-evident audit trail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,seal}")
        sub.add_parser("verify", help="Recompute every chain; exit 1 if any is broken.")
        sub.add_parser("seal", help="Seal the head of every chain into a new digest row.")

    def handle(self, *args, action: str, **options):
        if action == "seal":
            return self._seal()
        return self._verify()

    def _seal(self) -> None:
        from plaint.core.audit import audit_seal

        digest = audit_seal()
        self.stdout.write(f"sealed {digest.chains} chains: digest {digest.digest}")

    def _verify(self) -> None:
        from plaint.core.audit import audit_check_digests, audit_verify

        report = audit_verify()
        digest_problems = audit_check_digests()
        self.stdout.write(f"checked {report.chains} chains, {report.events} events")
        for chain_break in report.breaks or []:
            self.stdout.write(f"BROKEN: {chain_break}")
        for problem in digest_problems:
            self.stdout.write(f"BROKEN SEAL: {problem}")
        if report.ok and not digest_problems:
            self.stdout.write(self.style.SUCCESS("audit trail intact"))
            return
        broken = len(report.breaks or [])
        raise CommandError(
            f"audit trail broken: {broken} chain(s), {len(digest_problems)} seal problem(s)",
            returncode=EXIT_BROKEN,
        )
