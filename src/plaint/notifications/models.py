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
    # Corrective actions (improvement): told in the app; their mails are the improvement sweep's.
    CA_ACTION_DUE = "ca_action_due", _("A corrective-action step due soon")
    CA_ACTION_OVERDUE = "ca_action_overdue", _("A corrective-action step overdue")
    CA_CHECK_DUE = "ca_check_due", _("An effectiveness check due")
    CA_CHECK_OVERDUE = "ca_check_overdue", _("An effectiveness check overdue")
    # Disputes: a neutral asked a side for information, or declared a conflict of interest.
    DISPUTE_NEUTRAL = "dispute_neutral", _("A neutral's request or conflict on a dispute")
    # Disputes: an obligation of a dispute's outcome past its due date (mailed by disputes).
    DISPUTE_OBLIGATION_OVERDUE = "dispute_obligation_overdue", _("A dispute obligation overdue")


# Kinds about something other than a complaint: in the app only (the preferences page offers
# no e-mail box for them; the app that tells them mails on its own terms).
IN_APP_ONLY = frozenset(
    {
        Kind.CA_ACTION_DUE,
        Kind.CA_ACTION_OVERDUE,
        Kind.CA_CHECK_DUE,
        Kind.CA_CHECK_OVERDUE,
        Kind.DISPUTE_NEUTRAL,
        Kind.DISPUTE_OBLIGATION_OVERDUE,
    }
)


# What a person gets before they choose: (in the app, by e-mail) per kind.
DEFAULTS: dict[str, tuple[bool, bool]] = {
    Kind.NEW_CASE: (True, False),
    Kind.ASSIGNED: (True, True),
    Kind.COMPLAINANT_WROTE: (True, False),
    Kind.PROMISE_AT_RISK: (True, True),
    **dict.fromkeys(IN_APP_ONLY, (True, False)),
}


class Notification(models.Model):
    """One thing one person was told in the app, about one case; read once they open or dismiss it.

    The case is a complaint, or — for a higher app's record, which this app may not know — named
    by its ``subject_type`` and ``subject_id`` with what the list shows of it (``subject_ref``,
    ``subject_title``) and the staff page it opens (``subject_path``), given by the app that tells."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_type = models.CharField(max_length=32, blank=True, default="")
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_ref = models.CharField(max_length=32, blank=True, default="")
    subject_title = models.CharField(max_length=200, blank=True, default="")
    subject_path = models.CharField(max_length=200, blank=True, default="")
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
                condition=models.Q(kind__in=Kind.values), name="notification_kind_known"
            ),
            # About a complaint, or about another record named by type and id: one of the two.
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False, subject_type="")
                | models.Q(complaint__isnull=True, subject_id__isnull=False)
                & ~models.Q(subject_type=""),
                name="notification_about_one_thing",
            ),
            # The new-case pass may look at a case twice (see services); nobody is told twice.
            models.UniqueConstraint(
                fields=["recipient", "complaint"],
                condition=models.Q(kind="new_case"),
                name="notification_new_case_once",
            ),
        ]

    def __str__(self) -> str:
        if self.complaint_id is None:
            return (
                f"{self.kind} → user {self.recipient_id} on {self.subject_type} {self.subject_id}"
            )
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
