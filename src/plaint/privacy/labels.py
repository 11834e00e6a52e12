"""The kinds of rows an erasure or a retention rule changes, as people read them (the services
count them under these stable codes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "complainants": _("Complainant records"),
    "complaints": _("Complaints"),
    "messages": _("Messages"),
    "remedies": _("Remedies"),
    "claims": _("Broken-promise claims"),
    "attachments": _("Attachments (files deleted)"),
    "mails": _("Mails"),
    "webhook deliveries": _("Webhook deliveries"),
    "survey invitations": _("Survey invitations"),
    "survey contacts": _("Survey contacts"),
    "survey opt-outs": _("Survey opt-outs"),
    "survey answers": _("Survey answers (free text)"),
    "call-backs": _("Call-backs"),
    "contact keys": _("Repeat-complaint keys"),
    "saved searches": _("Saved searches"),
    "jobs": _("Background jobs"),
    "audit events (unhashed part)": _("Audit events (the unhashed personal part)"),
    "survey import files": _("Raw survey import files"),
    "access-log entries": _("Access-log entries"),
    "legal holds": _("Legal holds (released)"),
    "recurring issues": _("Recurring issues (labels)"),
}


def labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(KIND_LABELS.get(kind, kind)), count) for kind, count in counts.items()]
