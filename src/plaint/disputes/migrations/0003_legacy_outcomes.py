"""Every external dispute outcome recorded on a complaint before the disputes app (the complaint's
``dispute_provider``, ``dispute_outcome``, ``dispute_closed_on``, ``dispute_binding``,
``dispute_note``) becomes a closed dispute case of that provider, opened "legacy". A provider known
only by the name typed then is added to the register as not offered, without rules, for a manager
to complete or leave. The complaint keeps its fields and its own audit events, which remain the
record of what was typed; the new rows carry no audit events of their own (they record nothing
new). Reversing deletes the legacy disputes and the providers this migration added."""

import datetime as dt

from django.db import migrations

# the old outcome: (method, state, outcome)
MAPPING = {
    "resolved_in_favour_of_complainant": ("determinative", "closed", "upheld"),
    "resolved_in_favour_of_organisation": ("determinative", "closed", "not_upheld"),
    "settled": ("facilitative", "closed", "settled"),
    "withdrawn": ("facilitative", "withdrawn", ""),
    "not_accepted_by_provider": ("facilitative", "out_of_scope", ""),
}
LEGACY_NOTE = "Added from a dispute outcome recorded before the provider register."


def forwards(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    Provider = apps.get_model("disputes", "Provider")
    Dispute = apps.get_model("disputes", "Dispute")
    now = dt.datetime.now(dt.UTC)
    providers = {p.name.lower(): p for p in Provider.objects.all()}
    old = Complaint.objects.exclude(dispute_outcome="").order_by("pk")
    for complaint in old.iterator(chunk_size=500):
        name = complaint.dispute_provider.strip() or "Unnamed provider"
        provider = providers.get(name.lower())
        if provider is None:
            provider = Provider.objects.create(
                name=name, kind="adr_body", active=False, description=LEGACY_NOTE,
                created_at=now, updated_at=now,
            )  # fmt: skip
            providers[name.lower()] = provider
        method, state, outcome = MAPPING.get(complaint.dispute_outcome, MAPPING["settled"])
        ended = complaint.dispute_closed_on
        ended_at = (
            dt.datetime.combine(ended, dt.time(12), tzinfo=dt.UTC) if ended else complaint.closed_at
        )
        Dispute.objects.create(
            complaint=complaint,
            provider=provider,
            method=method,
            state=state,
            opened_via="legacy",
            binding_on_organisation=bool(complaint.dispute_binding),
            opened_at=complaint.closed_at or ended_at or now,
            outcome=outcome,
            outcome_at=ended_at if outcome else None,
            reasons=complaint.dispute_note,
            closed_at=ended_at or now,
        )


def backwards(apps, schema_editor):
    Provider = apps.get_model("disputes", "Provider")
    Dispute = apps.get_model("disputes", "Dispute")
    Dispute.objects.filter(opened_via="legacy").delete()
    Provider.objects.filter(description=LEGACY_NOTE, disputes=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0002_dispute_cases"),
        ("complaints", "0018_complaint_history_import"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
