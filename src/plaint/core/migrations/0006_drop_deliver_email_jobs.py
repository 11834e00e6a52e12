"""Delete the ``deliver_email`` jobs still waiting in django-tasks' queue: the task is gone (each
mail's outbox row is its job since November 2026). Their mails are outbox rows that the workers'
drain delivers anyway; a mail already sent was what the job would have skipped. Finished jobs are
kept as history."""

from django.db import migrations

DELIVER_EMAIL = "plaint.core.tasks.deliver_email"


def delete_queued_deliver_email_jobs(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=DELIVER_EMAIL, status="READY").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_outbox_indexes_for_the_drain"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(delete_queued_deliver_email_jobs, migrations.RunPython.noop),
    ]
