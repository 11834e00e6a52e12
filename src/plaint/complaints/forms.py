"""Forms of the public portal and the staff console. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plaint.complaints.forms_choices import StaffChoices
from plaint.complaints.models import (
    DESCRIPTION_MAX,
    DESIRED_OUTCOME_MAX,
    MESSAGE_BODY_MAX,
    REMEDY_DESCRIPTION_MAX,
    STEP_TEXT_MAX,
    Category,
    Channel,
    Complainant,
    Complaint,
    ContactChannel,
    Priority,
    Remedy,
    RemedyKind,
    RootCause,
    Severity,
)
from plaint.complaints.services import STAFF_INTAKE_CHANNELS, ComplaintInput, RemedyInput
from plaint.complaints.states import ClosureReason, DisputeOutcome, State, Step
from plaint.core.bounds import ReadableTextMixin, validate_day, validate_past_moment
from plaint.core.errors import ValidationFailed
from plaint.core.limits import max_length
from plaint.core.uploads import check_uploads
from plaint.core.widgets import (
    PlainFileInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainSelect,
    PlainTextarea,
    PlainTextInput,
)

REMEDY_ROWS = 3


def _step_text(label: Any, *, rows: int, required: bool = True) -> forms.CharField:
    """A text written at a lifecycle step (by staff, or by the complainant on the tracking page).
    ``label`` is a lazily translated string."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=STEP_TEXT_MAX,
        widget=PlainTextarea(attrs={"rows": rows}),
    )


class MultipleFileInput(PlainFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; size and type are checked by core.uploads.check_uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def _category_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("— not sure —"))] + [
        (c.code, c.name) for c in Category.objects.filter(active=True).order_by("name")
    ]


class AttachmentsMixin:
    """Turns the uploaded files into checked uploads; the limit is named in the error."""

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []  # type: ignore[attr-defined]
        try:
            return check_uploads(files)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc


class ComplaintForm(ReadableTextMixin, AttachmentsMixin, forms.Form):
    """The public complaint form. ``website`` is a honeypot: people never see it, bots fill it."""

    name = forms.CharField(label=_("Your name"), max_length=max_length(Complainant, "name"))
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=max_length(Complainant, "email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. name@example.org.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=max_length(Complainant, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(label=_("Language for our replies"), choices=settings.LANGUAGES)
    preferred_channel = forms.ChoiceField(
        label=_("How should we reply?"),
        choices=ContactChannel.choices,
        initial=ContactChannel.EMAIL,
    )
    product = forms.CharField(
        label=_("Product or service"), required=False, max_length=max_length(Complaint, "product")
    )
    segment = forms.CharField(
        label=_("Customer group"),
        required=False,
        max_length=max_length(Complaint, "segment"),
        help_text=_("Only if we gave you one, e.g. business; it can change which promises apply."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=max_length(Complaint, "subject"),
        help_text=_("A short title; we use the start of your description if you leave it empty."),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("When and where it happened, who was involved, and what went wrong."),
    )
    desired_outcome = forms.CharField(
        label=_("What would put it right?"),
        required=False,
        max_length=DESIRED_OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data is processed to handle this complaint and to contact me about it."
        ),
        error_messages={
            "required": _(
                "We need your consent to process your personal data to handle the complaint."
            )
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = _category_choices()

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def to_input(self, *, about_process: bool = False) -> ComplaintInput:
        d = self.cleaned_data
        return ComplaintInput(
            name=d["name"],
            description=d["description"],
            subject=d.get("subject", ""),
            email=d.get("email", ""),
            phone=d.get("phone", ""),
            language=d["language"],
            preferred_channel=d["preferred_channel"],
            product=d.get("product", ""),
            segment=d.get("segment", ""),
            category=d.get("category", ""),
            desired_outcome=d.get("desired_outcome", ""),
            consent=bool(d.get("consent")),
            about_process=about_process,
            attachments=d.get("attachments") or [],
        )


class StaffIntakeForm(ComplaintForm):
    """A complaint received by phone, letter, e-mail or in person, typed in by staff."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in Channel if c in STAFF_INTAKE_CHANNELS],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        validators=[validate_past_moment],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    about_process = forms.BooleanField(
        label=_("The complaint is about our complaints handling itself"), required=False
    )
    field_order = ["channel", "received_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["consent"].label = _("The complainant agreed to the processing of their data.")
        self.fields["consent"].required = False


class PublicMessageForm(ReadableTextMixin, AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Attachments"))


class AcceptForm(ReadableTextMixin, forms.Form):
    comment = _step_text(_("Anything you want to add (optional)"), rows=2, required=False)


class DeclineForm(ReadableTextMixin, forms.Form):
    reason = _step_text(_("Why are you not satisfied?"), rows=3)


class WithdrawForm(ReadableTextMixin, forms.Form):
    comment = _step_text(_("Why are you withdrawing? (optional)"), rows=2, required=False)


# --- staff -----------------------------------------------------------------------------------


def int_or_none(value: str | None) -> int | None:
    return int(value) if value else None


class StepForm(forms.Form):
    """A staff step: the form's fields become the service's keyword arguments."""

    step: Step
    expected_version = forms.IntegerField(widget=PlainHiddenInput, min_value=1)

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


class AcknowledgeStepForm(StepForm):
    step = Step.ACKNOWLEDGE


class AssessStepForm(StepForm):
    step = Step.ASSESS
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, widget=PlainSelect)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL, widget=PlainSelect
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=PlainSelect)
    safety_issue = forms.BooleanField(label=_("Safety issue"), required=False)
    about_process = forms.BooleanField(label=_("About the complaints process"), required=False)
    assignee = forms.ChoiceField(label=_("Assign to"), required=False, widget=PlainSelect)
    team = forms.ChoiceField(label=_("Team"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, staff: StaffChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— keep —"))] + [
            (c.code, c.name) for c in Category.objects.order_by("name")
        ]
        people, teams = (staff or StaffChoices.load()).with_empty(_("— keep —"), _("— keep —"))
        cast(forms.ChoiceField, self.fields["assignee"]).choices = people
        cast(forms.ChoiceField, self.fields["team"]).choices = teams

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "severity": d["severity"],
            "priority": d["priority"],
            "category": d.get("category") or None,
            "safety_issue": bool(d.get("safety_issue")),
            "about_process": bool(d.get("about_process")),
            "assignee_id": int_or_none(d.get("assignee")),
            "team_id": int_or_none(d.get("team")),
        }


class RejectOutOfScopeStepForm(StepForm):
    step = Step.REJECT_OUT_OF_SCOPE
    reason = _step_text(_("Reason (sent to the complainant)"), rows=3)


class StartInvestigationStepForm(StepForm):
    step = Step.START_INVESTIGATION


class RecordFindingsStepForm(StepForm):
    step = Step.RECORD_FINDINGS
    findings = _step_text(_("Findings"), rows=4)
    cause = forms.ChoiceField(
        label=_("Root cause (from the list)"), required=False, widget=PlainSelect
    )
    root_cause = _step_text(_("Root cause"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        causes = RootCause.objects.filter(active=True).order_by("name")
        cast(forms.ChoiceField, self.fields["cause"]).choices = [("", _("— none —"))] + [
            (c.code, c.name) for c in causes
        ]


class ProposeResponseStepForm(StepForm):
    step = Step.PROPOSE_RESPONSE
    decision = _step_text(_("Decision (sent to the complainant)"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", _("— none —")), *RemedyKind.choices]
        for i in range(1, REMEDY_ROWS + 1):
            self.fields[f"remedy_{i}_kind"] = forms.ChoiceField(
                label=_("Remedy %(n)s") % {"n": i},
                choices=kinds,
                required=False,
                widget=PlainSelect,
            )
            self.fields[f"remedy_{i}_description"] = forms.CharField(
                label=_("Description"),
                required=False,
                max_length=REMEDY_DESCRIPTION_MAX,
                widget=PlainTextInput,
            )
            self.fields[f"remedy_{i}_amount"] = forms.DecimalField(
                label=_("Amount"),
                required=False,
                min_value=Decimal(0),
                decimal_places=2,
                widget=PlainNumberInput,
            )
            self.fields[f"remedy_{i}_currency"] = forms.CharField(
                label=_("Currency"),
                required=False,
                max_length=max_length(Remedy, "currency"),
                widget=PlainTextInput,
            )

    def remedy_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"remedy_{i}_{part}"] for part in ("kind", "description", "amount", "currency")]
            for i in range(1, REMEDY_ROWS + 1)
        ]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        remedies = [
            RemedyInput(
                kind=d[f"remedy_{i}_kind"],
                description=d.get(f"remedy_{i}_description", ""),
                amount=d.get(f"remedy_{i}_amount"),
                currency=d.get(f"remedy_{i}_currency", ""),
            )
            for i in range(1, REMEDY_ROWS + 1)
            if d.get(f"remedy_{i}_kind")
        ]
        return {"decision": d["decision"], "remedies": remedies}


class CommunicateDecisionStepForm(StepForm):
    step = Step.COMMUNICATE_DECISION


class AcceptDecisionStepForm(StepForm):
    step = Step.ACCEPT_DECISION
    comment = _step_text(_("Complainant's comment"), rows=2, required=False)


class DeclineDecisionStepForm(StepForm):
    step = Step.DECLINE_DECISION
    reason = _step_text(_("Why the complainant is not satisfied"), rows=2)


class CloseStepForm(StepForm):
    step = Step.CLOSE
    reason = forms.ChoiceField(
        label=_("Closure reason"),
        choices=[
            (ClosureReason.ACCEPTED.value, ClosureReason.ACCEPTED.label),
            (ClosureReason.NO_ANSWER.value, ClosureReason.NO_ANSWER.label),
        ],
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, state: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if state == State.DECISION_COMMUNICATED:
            self.fields["reason"].initial = ClosureReason.NO_ANSWER


class WithdrawStepForm(StepForm):
    step = Step.WITHDRAW
    comment = _step_text(_("Internal note"), rows=2, required=False)


class ReferExternalStepForm(StepForm):
    step = Step.REFER_EXTERNAL
    note = _step_text(_("Internal note"), rows=2, required=False)


class ReopenStepForm(StepForm):
    step = Step.REOPEN
    reason = _step_text(_("Why the case is reopened (an internal note)"), rows=2)


class RequestInformationStepForm(StepForm):
    step = Step.REQUEST_INFORMATION
    reason = _step_text(_("What information do you need? (sent to the complainant)"), rows=3)


class ResumeStepForm(StepForm):
    step = Step.RESUME


class RecordRemedyDeliveredStepForm(StepForm):
    step = Step.RECORD_REMEDY_DELIVERED


class RecordDisputeOutcomeStepForm(StepForm):
    step = Step.RECORD_DISPUTE_OUTCOME
    provider = forms.CharField(
        label=_("Dispute resolution provider"),
        max_length=max_length(Complaint, "dispute_provider"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=DisputeOutcome.choices, widget=PlainSelect
    )
    closed_on = forms.DateField(
        validators=[validate_day],
        label=_("Dispute closed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    binding = forms.BooleanField(label=_("The outcome binds the organisation"), required=False)
    note = _step_text(_("Internal note"), rows=2, required=False)


STEP_FORMS: dict[Step, type[StepForm]] = {
    f.step: f
    for f in (
        AcknowledgeStepForm,
        AssessStepForm,
        RejectOutOfScopeStepForm,
        StartInvestigationStepForm,
        RecordFindingsStepForm,
        ProposeResponseStepForm,
        CommunicateDecisionStepForm,
        AcceptDecisionStepForm,
        DeclineDecisionStepForm,
        CloseStepForm,
        WithdrawStepForm,
        ReferExternalStepForm,
        RequestInformationStepForm,
        ResumeStepForm,
        RecordRemedyDeliveredStepForm,
        RecordDisputeOutcomeStepForm,
        ReopenStepForm,
    )
}


def step_form(step: Step, complaint, data=None, *, staff: StaffChoices | None = None) -> StepForm:
    """The step's form; ``staff``: the people and teams already read for the page, if any."""
    cls = STEP_FORMS[step]
    initial = {"expected_version": complaint.version}
    prefix = step.value
    if cls is CloseStepForm:
        return CloseStepForm(data, initial=initial, prefix=prefix, state=complaint.state)
    if cls is AssessStepForm:
        initial.update(
            severity=complaint.severity or Severity.MEDIUM,
            priority=complaint.priority,
            safety_issue=complaint.safety_issue,
            about_process=complaint.about_process,
            category=complaint.category.code if complaint.category else "",
        )
        return AssessStepForm(data, initial=initial, prefix=prefix, staff=staff)
    if cls is RecordFindingsStepForm:
        initial.update(
            findings=complaint.findings, root_cause=complaint.root_cause, cause=complaint.cause_id
        )
    if cls is ProposeResponseStepForm:
        initial.update(decision=complaint.decision)
    return cls(data, initial=initial, prefix=prefix)


class StaffMessageForm(AttachmentsMixin, forms.Form):
    """A message to the complainant or an internal note: which one is the button pressed
    (``action``), never a default, so a reply is not saved as a note by mistake or the reverse."""

    SEND = "send"
    NOTE = "note"

    body = forms.CharField(
        label=_("Message"), max_length=MESSAGE_BODY_MAX, widget=PlainTextarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Attachments"))
    action = forms.ChoiceField(
        choices=[(SEND, _("Send to complainant")), (NOTE, _("Add internal note"))],
        widget=forms.HiddenInput,  # set by the submit button pressed, not rendered as a field
        error_messages={
            "required": _("Choose “Send to complainant” or “Add internal note”."),
            "invalid_choice": _("Choose “Send to complainant” or “Add internal note”."),
        },
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # the field is not shown, so its error belongs to the form, above the buttons
        if "action" in self.errors:
            for error in self.errors.pop("action"):
                self.add_error(None, error)
        return cleaned

    @property
    def internal(self) -> bool:
        return self.cleaned_data["action"] == self.NOTE


class AssignForm(forms.Form):
    expected_version = forms.IntegerField(widget=PlainHiddenInput, min_value=1)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=PlainSelect)
    team = forms.ChoiceField(label=_("Team"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, staff: StaffChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people, teams = (staff or StaffChoices.load()).with_empty(_("— nobody —"), _("— no team —"))
        cast(forms.ChoiceField, self.fields["assignee"]).choices = people
        cast(forms.ChoiceField, self.fields["team"]).choices = teams


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        required=False,
        max_length=50,
        help_text=_("Made from the name if empty."),
    )


class CategoryAccessForm(forms.Form):
    """Who reads a category's cases: restricted or not, and its named readers."""

    restricted = forms.BooleanField(
        label=_("Restricted: only the readers named below see its cases"), required=False
    )
    readers = forms.TypedMultipleChoiceField(
        label=_("Readers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["readers"]).choices = people
