"""Regulatory returns: the mapping from Plaint's values to a regulator's codes, seeded with the
codes of Plaint's own vocabularies (outcomes, remedies, channels, segments). Categories and
products are each organisation's own: they start without codes and show as warnings until a
manager gives them one."""

from django.db import migrations, models

DEFAULTS = [
    # (format, kind, Plaint's value, code)
    ("half_yearly", "outcome", "remedy", "upheld"),
    ("half_yearly", "outcome", "no_remedy", "not_upheld"),
    ("half_yearly", "outcome", "withdrawn", "not_upheld"),
    ("half_yearly", "outcome", "out_of_scope", "not_upheld"),
    ("idr", "outcome", "remedy", "in_favour_of_complainant"),
    ("idr", "outcome", "no_remedy", "in_favour_of_organisation"),
    ("idr", "outcome", "withdrawn", "withdrawn"),
    ("idr", "outcome", "out_of_scope", "outside_idr_scope"),
    ("idr", "remedy", "apology", "apology"),
    ("idr", "remedy", "explanation", "explanation"),
    ("idr", "remedy", "refund", "refund"),
    ("idr", "remedy", "replacement", "replacement"),
    ("idr", "remedy", "repair", "repair"),
    ("idr", "remedy", "compensation", "compensation"),
    ("idr", "remedy", "other", "other"),
    ("idr", "channel", "web", "online"),
    ("idr", "channel", "api", "online"),
    ("idr", "channel", "email", "email"),
    ("idr", "channel", "phone", "phone"),
    ("idr", "channel", "letter", "letter"),
    ("idr", "channel", "in_person", "in_person"),
    ("idr", "segment", "*", "individual"),
    ("idr", "segment", "business", "small_business"),
]


def seed(apps, schema_editor):
    mapping = apps.get_model("improvement", "ReturnMapping")
    mapping.objects.bulk_create(
        [mapping(report=r, kind=k, source=s, target=t) for r, k, s, t in DEFAULTS],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0002_objectives_corrective_actions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "report",
                    models.CharField(
                        choices=[
                            ("half_yearly", "Half-yearly complaints return"),
                            ("idr", "Per-complaint IDR data file"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("category", "Category"),
                            ("product", "Product"),
                            ("root_cause", "Root cause"),
                            ("outcome", "Outcome"),
                            ("remedy", "Remedy"),
                            ("channel", "Channel"),
                            ("segment", "Customer segment"),
                        ],
                        max_length=16,
                    ),
                ),
                ("source", models.CharField(max_length=200)),
                ("target", models.CharField(max_length=100)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["report", "kind", "source"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "kind", "source"), name="return_mapping_unique_source"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("report__in", ["half_yearly", "idr"])),
                        name="return_mapping_report_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "category",
                                    "product",
                                    "root_cause",
                                    "outcome",
                                    "remedy",
                                    "channel",
                                    "segment",
                                ],
                            )
                        ),
                        name="return_mapping_kind_known",
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
