"""What a staff member is told (``Notification``), how they want to be told (``Preference``),
which categories each team looks after (``TeamCategory``) and how far the new-case pass has read
(``NewCaseWatermark``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_CASE = "new_case", _("A new case in my team's category")
    ASSIGNED = "assigned", _("A case assigned to me")
    COMPLAINANT_WROTE = "complainant_wrote", _("A complainant's reply or new evidence on my case")
    PROMISE_AT_RISK = "promise_at_risk", _("A promise at risk on my case")


# What a person gets before they choose: (in the app, by e-mail) per kind.
DEFAULTS: dict[str, tuple[bool, bool]] = {
    Kind.NEW_CASE: (True, False),
    Kind.ASSIGNED: (True, True),
    Kind.COMPLAINANT_WROTE: (True, False),
    Kind.PROMISE_AT_RISK: (True, True),
}


class Notification(models.Model):
    """One thing one person was told in the app, about one case; read once they open or dismiss it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The list page: a person's notifications, newest first (keyset on id).
            models.Index(fields=["recipient", "-id"], name="notification_recipient_idx"),
            # The header's unread count reads only this small index.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["new_case", "assigned", "complainant_wrote", "promise_at_risk"]
                ),
                name="notification_kind_known",
            ),
            # The new-case pass may look at a case twice (see services); nobody is told twice.
            models.UniqueConstraint(
                fields=["recipient", "complaint"],
                condition=models.Q(kind="new_case"),
                name="notification_new_case_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → user {self.recipient_id} on case {self.complaint_id}"


class Preference(models.Model):
    """A person's choice for one kind; without a row, ``DEFAULTS`` apply."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    in_app = models.BooleanField()
    email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_user_kind_unique")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id}: {self.kind} in app {self.in_app}, e-mail {self.email}"


class TeamCategory(models.Model):
    """A team looks after a category: its members hear of every new case in it."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "category"], name="team_category_unique")
        ]

    def __str__(self) -> str:
        return f"team {self.team_id} looks after category {self.category_id}"


class NewCaseWatermark(models.Model):
    """One row: how far the new-case pass has read (``services.new_cases_notify``).

    ``last_complaint_id`` is the highest complaint id it has read. Ids are taken before an intake
    commits, so a lower id can appear after a higher one was read: ``missing`` holds the ids below
    the watermark not seen yet (``{"<id>": "<ISO time first missed>"}``), looked for again on
    every pass until they appear or are too old to be an intake still in flight."""

    last_complaint_id = models.BigIntegerField(default=0)
    missing = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"new cases read up to {self.last_complaint_id}"
