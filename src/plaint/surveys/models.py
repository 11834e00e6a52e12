"""Surveys (versioned questionnaires), their questions, contacts and suppressions, invitations,
responses and answers, and callback tasks opened by low scores."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.core.locales import text_in
from plaint.surveys.states import CallbackState, InvitationState, SurveyState


class SurveyKind(models.TextChoices):
    COMPLAINT_CLOSED = "complaint_closed", _("After a complaint closes (ISO 10002 8.3)")
    DISPUTE_CLOSED = "dispute_closed", _("After a dispute closes")
    RELATIONSHIP = "relationship", _("Relationship survey to a customer list")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating scale")
    NPS = "nps", _("Likelihood to recommend (0 to 10)")
    CES = "ces", _("Customer effort (1 to 7)")
    YESNO = "yesno", _("Yes or no")
    SINGLE = "single", _("Single choice")
    MULTI = "multi", _("Multiple choice")
    TEXT = "text", _("Free text")


# answered with a number (yes/no: 1 = yes, 0 = no), counted in the aggregates, measured
SCALE_KINDS = frozenset(
    {QuestionKind.RATING, QuestionKind.NPS, QuestionKind.CES, QuestionKind.YESNO}
)
# the kinds that can be a survey's overall question
OVERALL_KINDS = frozenset({QuestionKind.RATING, QuestionKind.YESNO})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTI})


class FollowUp(models.TextChoices):
    NONE = "none", _("No follow-up")
    COMPLAINT = "complaint", _("Open a complaint")
    CALLBACK = "callback", _("Create a callback task for a manager")


class ResponseSource(models.TextChoices):
    WEB = "web", _("Web form")
    IMPORT = "import", _("Imported")


# The longest text accepted in each language of the JSON texts, and in the TextFields, below (no
# limit in the database). Their one declaration: forms and API schemas read these, as they read
# max_length of the CharFields.
TITLE_MAX = 200  # Survey.title, and the label of a choice in Question.options
INTRO_MAX = 2_000  # Survey.intro
QUESTION_TEXT_MAX = 1_000  # Question.text
ANSWER_TEXT_MAX = 5_000  # Answer.text (a free-text answer), CallbackTask.note


class Survey(models.Model):
    """One version of a questionnaire. Versions of the same survey share ``key``."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
    )
    title = models.JSONField(default=dict)  # {language: text}
    intro = models.JSONField(default=dict, blank=True)  # {language: text}
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    state = models.CharField(max_length=12, choices=SurveyState.choices, default=SurveyState.DRAFT)
    # Triggers and sampling (ISO 10002 8.3; ISO 10004 7.3).
    sampling_rate = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        help_text=_("Share of eligible cases invited, 0 to 1"),
    )
    delay_hours = models.PositiveIntegerField(default=24)
    expiry_days = models.PositiveIntegerField(default=21)
    reminder_count = models.PositiveSmallIntegerField(default=1)
    reminder_interval_days = models.PositiveSmallIntegerField(default=4)
    quiet_period_days = models.PositiveIntegerField(
        default=90, help_text=_("No invitation to the same address more often than this")
    )
    # Relationship surveys: a new wave to the contact list every ``period_days`` (None: by hand).
    period_days = models.PositiveIntegerField(null=True, blank=True)
    last_wave_at = models.DateTimeField(null=True, blank=True)
    questions_per_page = models.PositiveSmallIntegerField(default=5)
    # Closing the loop on low scores.
    followup = models.CharField(max_length=12, choices=FollowUp.choices, default=FollowUp.NONE)
    followup_max_score = models.SmallIntegerField(
        null=True, blank=True, help_text=_("An overall score at or below this opens the follow-up")
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "-version"]
        indexes = [models.Index(fields=["kind", "state"], name="survey_kind_state_idx")]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="survey_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state="active"),
                name="survey_one_active_version",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=list(SurveyState.values)), name="survey_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=list(SurveyKind.values)), name="survey_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(followup__in=list(FollowUp.values)),
                name="survey_followup_known",
            ),
            models.CheckConstraint(
                condition=models.Q(sampling_rate__gte=0) & models.Q(sampling_rate__lte=1),
                name="survey_sampling_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_in('en')} v{self.version}"

    def title_in(self, language: str) -> str:
        return text_in(self.title, language)

    def intro_in(self, language: str) -> str:
        return self.intro.get(language) or self.intro.get("en") or ""


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    text = models.JSONField(default=dict)  # {language: text}
    # {language: {"1": "Very dissatisfied", "5": "Very satisfied"}}; only the labelled points.
    point_labels = models.JSONField(default=dict, blank=True)
    # [{"code": "phone", "label": {language: text}}] for single and multiple choice.
    options = models.JSONField(default=list, blank=True)
    attribute = models.SlugField(max_length=40, blank=True, default="")
    weight = models.DecimalField(max_digits=6, decimal_places=3, default=Decimal("1.000"))
    is_overall = models.BooleanField(default=False)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique"),
            models.UniqueConstraint(fields=["survey", "code"], name="question_code_unique"),
            models.UniqueConstraint(
                fields=["survey"], condition=models.Q(is_overall=True), name="question_one_overall"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=list(QuestionKind.values)), name="question_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="question_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    def text_in(self, language: str) -> str:
        return text_in(self.text, language)

    def labels_in(self, language: str) -> dict[str, str]:
        return self.point_labels.get(language) or self.point_labels.get("en") or {}

    def option_label(self, option: dict, language: str) -> str:
        label = option.get("label") or {}
        return label.get(language) or label.get("en") or option["code"]


class Contact(models.Model):
    """A customer on the relationship-survey list, imported from CSV."""

    email = models.EmailField(unique=True)  # stored lower-case
    name = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=8, default="en")
    segment = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["segment"], name="contact_segment_idx")]

    def __str__(self) -> str:
        return self.email


class Suppression(models.Model):
    """An address that opted out: it is never invited again."""

    email = models.EmailField(unique=True)  # stored lower-case
    created_at = models.DateTimeField()
    reason = models.CharField(max_length=32, default="opt_out")

    def __str__(self) -> str:
        return self.email


# What ``Invitation.trigger`` names, short enough for a column of the invitations list.
TRIGGER_LABELS = {
    SurveyKind.COMPLAINT_CLOSED: _("A complaint closed"),
    SurveyKind.DISPUTE_CLOSED: _("A dispute closed"),
    SurveyKind.RELATIONSHIP: _("Customer list"),
    "manual": _("Sent by hand"),
}


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    trigger = models.CharField(max_length=20)  # a SurveyKind value, or "manual"
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    case_ref = models.CharField(max_length=40, blank=True, default="")  # e.g. a dispute reference
    email = models.EmailField()  # lower-case
    name = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=8, default="en")
    # The link's token is an HMAC of (id, salt) under the site's secret; only its digest is stored,
    # so the database alone reveals no links, while reminders can still carry the same link.
    token_salt = models.CharField(max_length=32)
    token_digest = models.CharField(max_length=64, unique=True)
    state = models.CharField(
        max_length=12, choices=InvitationState.choices, default=InvitationState.SCHEDULED
    )
    created_at = models.DateTimeField()
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "send_after"], name="invitation_due_idx"),
            models.Index(fields=["state", "next_reminder_at"], name="invitation_reminder_idx"),
            models.Index(fields=["state", "expires_at"], name="invitation_expiry_idx"),
            models.Index(fields=["email", "-created_at"], name="invitation_email_idx"),
            models.Index(fields=["survey", "-created_at", "-id"], name="invitation_survey_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=list(InvitationState.values)),
                name="invitation_state_known",
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.email}"

    @property
    def trigger_label(self) -> str:
        """What made the invitation, in the reader's language (``trigger`` is a code)."""
        return str(TRIGGER_LABELS.get(self.trigger, self.trigger))


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)  # null: a partial response
    language = models.CharField(max_length=8, default="en")
    channel = models.CharField(max_length=16, blank=True, default="")
    category = models.ForeignKey(
        "complaints.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.CharField(max_length=200, blank=True, default="")
    segment = models.CharField(max_length=60, blank=True, default="")
    source = models.CharField(max_length=8, choices=ResponseSource.choices)
    external_id = models.CharField(max_length=100, blank=True, default="")
    page = models.PositiveSmallIntegerField(default=1)  # where a partial response resumes

    class Meta:
        indexes = [
            models.Index(fields=["survey", "-submitted_at", "-id"], name="response_survey_idx"),
            models.Index(fields=["submitted_at"], name="response_submitted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=list(ResponseSource.values)),
                name="response_source_known",
            ),
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=~models.Q(external_id=""),
                name="response_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value_idx")]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class CallbackTask(models.Model):
    """A manager calls back a customer who gave a low score (closing the loop)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="callbacks")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="callback")
    email = models.EmailField(blank=True, default="")
    name = models.CharField(max_length=200, blank=True, default="")
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")
    state = models.CharField(
        max_length=8, choices=CallbackState.choices, default=CallbackState.OPEN
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["state", "-created_at", "-id"], name="callback_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=list(CallbackState.values)),
                name="callback_state_known",
            )
        ]

    def __str__(self) -> str:
        return f"callback {self.pk}"
