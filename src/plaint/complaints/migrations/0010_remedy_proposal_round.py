"""Remedies belong to a proposal round: ``proposal`` numbers it, ``superseded_at`` marks the
remedies a later proposal replaced (``RemedyQuerySet.current`` is the rest).

Existing rows are numbered from the case's ``propose_response`` audit events, one per proposal.
The remedies of one proposal share its ``proposed_at``, taken just before its event was written
(the event's time is cut to the millisecond), so a group of remedies belongs to the proposal
whose number is one more than the events before it, and a later proposal event supersedes it at
that event's time. A revision before the decision was sent used to delete the earlier remedies:
those rounds have no rows left but keep their number, as they do in the audit trail. A case with
no such events (rows loaded in bulk) is numbered by its distinct ``proposed_at`` times, oldest
first, each superseded when the next was proposed. The audit events themselves are not touched."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left

from django.db import migrations, models
from django.db.models import Count

PROPOSE = "propose_response"


def _millis(at: dt.datetime) -> dt.datetime:
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def rounds(
    times: list[dt.datetime], proposals: list[dt.datetime]
) -> dict[dt.datetime, tuple[int, dt.datetime | None]]:
    """For each distinct ``proposed_at`` of a case (oldest first), its proposal number and when
    a later proposal superseded it (None: the current proposal). ``proposals`` are the times of
    the case's propose events, oldest first."""
    if not proposals:
        return {t: (i, times[i] if i < len(times) else None) for i, t in enumerate(times, start=1)}
    numbered = {}
    for t in times:
        number = min(bisect_left(proposals, _millis(t)) + 1, len(proposals))
        numbered[t] = (number, proposals[number] if number < len(proposals) else None)
    return numbered


def number_rounds(apps, schema_editor):
    Remedy = apps.get_model("complaints", "Remedy")
    AuditEvent = apps.get_model("core", "AuditEvent")
    events = AuditEvent.objects.filter(case_type="complaint", action=PROPOSE)
    # Only a case proposed more than once, or with remedies of more than one time, changes: the
    # defaults (round 1, current) are right for every other row.
    reproposed = (
        events.values("case_id").annotate(n=Count("id")).filter(n__gt=1).values("case_id")
    )
    several = (
        Remedy.objects.values("complaint_id")
        .annotate(n=Count("proposed_at", distinct=True))
        .filter(n__gt=1)
        .values_list("complaint_id", flat=True)
    )
    cases = set(
        Remedy.objects.filter(complaint_id__in=reproposed).values_list("complaint_id", flat=True)
    ) | set(several)
    for case_id in sorted(cases):
        times = sorted(
            set(Remedy.objects.filter(complaint_id=case_id).values_list("proposed_at", flat=True))
        )
        proposals = sorted(events.filter(case_id=case_id).values_list("at", flat=True))
        for proposed_at, (number, superseded_at) in rounds(times, proposals).items():
            Remedy.objects.filter(complaint_id=case_id, proposed_at=proposed_at).update(
                proposal=number, superseded_at=superseded_at
            )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_clock_paused_flags"),
        ("core", "0007_configuration_token"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="remedy",
            options={"ordering": ["proposal", "id"], "verbose_name_plural": "remedies"},
        ),
        migrations.AddField(
            model_name="remedy",
            name="proposal",
            field=models.PositiveSmallIntegerField(db_default=1, default=1),
        ),
        migrations.AddField(
            model_name="remedy",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(number_rounds, migrations.RunPython.noop, elidable=True),
    ]
