"""The new-case pass starts after the cases already filed: installing notifications does not
tell every team of every old case."""

from django.db import migrations
from django.db.models import Max


def start_watermark(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    NewCaseWatermark = apps.get_model("notifications", "NewCaseWatermark")
    latest = Complaint.objects.aggregate(top=Max("pk"))["top"] or 0
    NewCaseWatermark.objects.create(last_complaint_id=latest, missing={})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [migrations.RunPython(start_watermark, migrations.RunPython.noop)]
