"""The complaints-handling policy and the people who apply it (ISO 10002:2018 5.2 policy, 5.3
responsibility and authority, 6.4 competence; ISO 9001 7.2).

A policy version holds its title, text and the responsibilities of each role per language. A draft
changes; publishing freezes it and supersedes the version in force; a change after that is a new
version. Courses are what staff must know (required per role, valid for some months); a training
record says who completed a course, when, and until when it counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class PolicyRole(models.TextChoices):
    """Who the policy gives responsibilities to: stable codes, labels translated when shown."""

    TOP_MANAGEMENT = "top_management", _("Top management")
    MANAGER = "manager", _("Complaints manager")
    HANDLER = "handler", _("Complaint handler")
    AUDITOR = "auditor", _("Internal auditor")
    ALL_STAFF = "all_staff", _("Every member of staff")


class PolicyVersion(models.Model):
    version = models.PositiveIntegerField(unique=True)
    state = models.CharField(max_length=16, choices=PolicyState.choices, default=PolicyState.DRAFT)
    title = models.JSONField(default=dict, blank=True)  # {lang: text}
    body = models.JSONField(default=dict, blank=True)  # {lang: text with blank-line paragraphs}
    responsibilities = models.JSONField(default=dict, blank=True)  # {role: {lang: [duty, …]}}
    change_note = models.CharField(max_length=500, blank=True, default="")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PolicyState.values), name="policy_state_known"
            ),
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(state="draft"),
                name="policy_one_draft",
            ),
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(state="published"),
                name="policy_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"policy v{self.version} ({self.state})"

    @property
    def languages(self) -> list[str]:
        """The languages this version has a text in, in the site's order."""
        return [code for code, _name in settings.LANGUAGES if self.body.get(code)]


class Course(models.Model):
    """A course or competence staff may need; ``required_for`` lists the roles (``accounts.Role``
    codes) that must hold it; a completion counts for ``validity_months`` (none: for good)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, default="")
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    required_for = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    """One completion of a course by a member of staff, with its evidence."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)  # none: does not expire
    evidence = models.CharField(max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["person", "course", "-completed_on", "-id"]
        indexes = [models.Index(fields=["person", "course"], name="training_person_course")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("completed_on")),
                name="training_valid_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.course_id} on {self.completed_on}"
