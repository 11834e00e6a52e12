from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="DutyRun",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("duty", models.CharField(max_length=60)),
                ("holder", models.CharField(max_length=200)),
                ("started_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="LedgerItem",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("number", models.PositiveIntegerField(unique=True)),
                ("times_done", models.PositiveIntegerField(default=0)),
                ("done_by", models.CharField(blank=True, default="", max_length=200)),
            ],
        ),
    ]
