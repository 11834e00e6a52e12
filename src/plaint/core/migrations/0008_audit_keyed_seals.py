"""Keyed seals and labels inside the hash.

Events already written keep hash version 1 (their hash does not cover ``actor_label``) and verify
exactly as before: rehashing them would also launder any change made before the upgrade. Every new
event is version 2. Digests written before have no number or MAC and are kept as legacy rows.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_configuration_token'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSealedHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_type', models.CharField(max_length=32)),
                ('case_id', models.BigIntegerField()),
                ('seq', models.PositiveIntegerField()),
                ('hash', models.CharField(max_length=64)),
                ('seal', models.PositiveIntegerField()),
            ],
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='events',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='key_id',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='mac',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='number',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='prev_mac',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditdigest',
            name='upto',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=1),  # the events written until now
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash_version',
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AlterField(
            model_name='auditdigest',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddConstraint(
            model_name='auditdigest',
            constraint=models.UniqueConstraint(fields=('number',), name='audit_seal_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='auditsealedhead',
            constraint=models.UniqueConstraint(fields=('case_type', 'case_id'), name='audit_sealed_head_chain'),
        ),
    ]
