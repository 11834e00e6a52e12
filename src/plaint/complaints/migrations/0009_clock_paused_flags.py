"""The complaint's own "clock stopped" flags (one definition of overdue reads them), backfilled
from the promise checks as ``promises.selectors.paused_clocks`` defined "stopped" before: a case
waiting on the complainant whose checks that set the due date (notifying, still applicable, on
that clock) include a started pending one without a due time, and none with a due time."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q

WAITING = "waiting_on_complainant"
FLAGS = {
    "acknowledgement_paused": "received_to_acknowledged",
    "response_paused": "received_to_decision",
}


def backfill(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    PromiseCheck = apps.get_model("promises", "PromiseCheck")
    for flag, clock in FLAGS.items():
        defining = (
            Q(complaint_id=OuterRef("pk"), notifies=True, promise__clock=clock)
            & ~Q(status="not_applicable")
        )
        stopped = PromiseCheck.objects.filter(
            defining, status="pending", started_at__isnull=False, due_at__isnull=True
        )
        running = PromiseCheck.objects.filter(defining, due_at__isnull=False)
        Complaint.objects.filter(state=WAITING).filter(Exists(stopped)).exclude(
            Exists(running)
        ).update(**{flag: True})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("complaints", "0008_dispute_outcome"),
        ("promises", "0001_codes_promises_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="acknowledgement_paused",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="complaint",
            name="response_paused",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("acknowledged_at__isnull", True)),
                fields=["acknowledgement_due_at"],
                name="complaint_ack_due_idx",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
