"""``plaint privacy``: a person's data found, exported, erased (a dry run, then ``--confirm``),
legal holds placed and released, and the retention rules applied (``--dry-run`` shows counts).
docs/privacy.md says what each does."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from plaint.accounts.management.commands._operator import operator
from plaint.accounts.models import User
from plaint.core.actors import Actor
from plaint.core.management.commands._common import EXIT_REFUSED, PlaintCommand
from plaint.privacy.exports import subject_export_stream
from plaint.privacy.selectors import Subject, subject_lookup
from plaint.privacy.services import (
    erasure_plan,
    legal_hold_place,
    legal_hold_release,
    retention_apply,
    subject_erase,
    subject_export_record,
    subject_requests_permission_set,
)


class Command(PlaintCommand):
    help = "A person's data: find, export, erase; legal holds; retention rules."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("find", "List what is held about a person (e-mail, phone, name or case reference)."),
            ("export", "Write a person's data as a ZIP file (JSON plus their files)."),
            ("erase", "Show what erasing a person would change; with --confirm, erase."),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("query")
            if name == "export":
                command.add_argument("--out", type=Path, required=True, help="The ZIP file.")
            if name == "erase":
                command.add_argument("--confirm", action="store_true")
        hold = sub.add_parser("hold", help="Place a legal hold on a case or on its person.")
        hold.add_argument("reference")
        hold.add_argument("--reason", required=True)
        hold.add_argument("--person", action="store_true", help="Hold all the person's cases.")
        hold.add_argument("--user", required=True, help="The admin placing the hold.")
        release = sub.add_parser("release", help="Release a legal hold.")
        release.add_argument("hold_id", type=int)
        release.add_argument("--user", required=True)
        for name in ("grant", "revoke"):
            change = sub.add_parser(
                name, help=f"{name.title()} a manager's permission to handle these requests."
            )
            change.add_argument("--user", required=True, help="The manager.")
        retention = sub.add_parser("retention", help="Apply the retention rules now.")
        retention.add_argument("--dry-run", action="store_true")

    def handle(self, *args, action: str, **options):
        if action == "retention":
            return self._retention(options["dry_run"])
        if action == "hold":
            actor = Actor.staff(self._user(options["user"]))
            reference = options["reference"]
            hold = legal_hold_place(
                actor=actor,
                reason=options["reason"],
                reference="" if options["person"] else reference,
                person_of=reference if options["person"] else "",
            )
            self.stdout.write(f"hold {hold.pk} placed")
            return None
        if action in {"grant", "revoke"}:
            subject_requests_permission_set(
                actor=operator(), user=self._user(options["user"]), granted=action == "grant"
            )
            self.stdout.write(
                f"{options['user']}: permission {'granted' if action == 'grant' else 'revoked'}"
            )
            return None
        if action == "release":
            actor = Actor.staff(self._user(options["user"]))
            legal_hold_release(actor=actor, hold_id=options["hold_id"])
            self.stdout.write(f"hold {options['hold_id']} released")
            return None
        subject = subject_lookup(query=options["query"])
        if not subject.found:
            raise CommandError("Nobody with these details was found.", returncode=EXIT_REFUSED)
        if action == "find":
            return self._find(subject)
        if action == "export":
            return self._export(subject, options["out"])
        return self._erase(subject, options["confirm"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.", returncode=EXIT_REFUSED)
        return user

    def _find(self, subject: Subject) -> None:
        self.stdout.write(f"complainant rows: {len(subject.complainant_ids)}")
        self.stdout.write(f"cases: {', '.join(r for r in subject.references if r) or '-'}")
        self.stdout.write(f"survey invitations: {len(subject.invitation_ids)}")
        self.stdout.write(f"survey responses: {len(subject.response_ids)}")

    def _export(self, subject: Subject, out: Path) -> None:
        subject_export_record(actor=operator(), subject=subject)
        with out.open("wb") as handle:
            for chunk in subject_export_stream(subject):
                handle.write(chunk)
        self.stdout.write(f"wrote {out} ({out.stat().st_size} bytes)")

    def _erase(self, subject: Subject, confirm: bool) -> None:
        plan = erasure_plan(actor=operator(), subject=subject)
        self.stdout.write(f"cases: {', '.join(plan.references) or '-'}")
        for kind, count in plan.counts.items():
            self.stdout.write(f"  {kind}: {count}")
        if plan.blocked:
            raise CommandError(plan.refusal(), returncode=EXIT_REFUSED)
        if not confirm:
            self.stdout.write("dry run: nothing changed; run again with --confirm to erase")
            return
        erasure = subject_erase(actor=operator(), subject=subject)
        self.stdout.write(f"erased (erasure {erasure.pk})")

    def _retention(self, dry_run: bool) -> None:
        report = retention_apply(dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        if not report.counts:
            self.stdout.write(f"nothing due: no rule {verb} anything")
        for kind, count in sorted(report.counts.items()):
            self.stdout.write(f"{kind}: {count} {verb}")
        for reference in report.held:
            self.stdout.write(f"kept under a legal hold: {reference}")
