"""Staff forms of the surveys app. They parse input for the services, which validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plaint.core import csvfiles
from plaint.core.limits import max_length
from plaint.surveys.models import (
    ANSWER_TEXT_MAX,
    INTRO_MAX,
    QUESTION_TEXT_MAX,
    TITLE_MAX,
    Contact,
    FollowUp,
    Invitation,
    Question,
    QuestionKind,
    Survey,
    SurveyKind,
)
from plaint.surveys.services.uploads import import_max_bytes, too_large_message
from plaint.surveys.states import LANGUAGES

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _per_language(
    form: forms.Form,
    prefix: str,
    label: str | Promise,
    *,
    required_en: bool,
    limit: int,
    textarea: bool = False,
) -> None:
    for lang in LANGUAGES:
        form.fields[f"{prefix}_{lang}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES.get(lang, lang)})",
            required=required_en and lang == "en",
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 2})
            if textarea
            else forms.TextInput(attrs={"lang": lang, "dir": "auto"}),
        )


def texts(data: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: data[f"{prefix}_{lang}"] for lang in LANGUAGES if data.get(f"{prefix}_{lang}")}


class SurveySettingsForm(forms.Form):
    sampling_rate = forms.DecimalField(
        label=_("Sampling rate (0 to 1)"),
        min_value=0,
        max_value=1,
        decimal_places=3,
        initial=1,
        help_text=_("Share of eligible cases invited, e.g. 0.25 for one in four."),
    )
    delay_hours = forms.IntegerField(
        label=_("Delay before inviting (hours)"), min_value=0, max_value=2160, initial=24
    )
    expiry_days = forms.IntegerField(
        label=_("Link valid for (days)"), min_value=1, max_value=365, initial=21
    )
    reminder_count = forms.IntegerField(label=_("Reminders"), min_value=0, max_value=5, initial=1)
    reminder_interval_days = forms.IntegerField(
        label=_("Days between reminders"), min_value=1, max_value=60, initial=4
    )
    quiet_period_days = forms.IntegerField(
        label=_("Quiet period (days)"),
        min_value=0,
        max_value=3650,
        initial=90,
        help_text=_("No invitation to the same address more often than this."),
    )
    questions_per_page = forms.IntegerField(
        label=_("Questions per page"), min_value=1, max_value=50, initial=5
    )
    period_days = forms.IntegerField(
        label=_("Repeat every (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_(
            "Relationship surveys: invite the contact list again after this many days. Empty: by hand only."
        ),
    )
    followup = forms.ChoiceField(
        label=_("Low-score follow-up"), choices=FollowUp.choices, initial=FollowUp.NONE
    )
    followup_max_score = forms.IntegerField(
        label=_("Follow up scores at or below"),
        required=False,
        min_value=-100,
        max_value=100,
        help_text=_("On the overall question (or the first scale question)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "title", _("Title"), required_en=True, limit=TITLE_MAX)
        _per_language(
            self, "intro", _("Introduction"), required_en=False, limit=INTRO_MAX, textarea=True
        )

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            n
            for n in self.fields
            if not n.startswith(("title_", "intro_")) and n not in ("key", "kind")
        ]
        return {
            **{n: data[n] for n in names if n in data},
            "title": texts(data, "title"),
            "intro": texts(data, "intro"),
        }


class SurveyCreateForm(SurveySettingsForm):
    key = forms.SlugField(
        label=_("Key"),
        max_length=max_length(Survey, "key"),
        help_text=_("A short code, the same for every version."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)

    field_order = ["key", "kind"]


def _lines(raw: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in raw.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    code = forms.SlugField(label=_("Code"), max_length=max_length(Question, "code"))
    # no initial values: a rating left empty is 1 to 5, and NPS, effort and yes/no have their own
    # fixed scales (another one given is refused, not replaced)
    scale_min = forms.IntegerField(
        label=_("Scale from"), required=False, help_text=_("Rating scales: 0 or 1.")
    )
    scale_max = forms.IntegerField(
        label=_("Scale to"),
        required=False,
        help_text=_("Rating scales, e.g. 5 or 7. NPS is 0 to 10 and effort 1 to 7 always."),
    )
    point_labels = forms.CharField(
        label=_("Labelled points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One point a line: point | English | Eesti | Українська | Svenska | فارسی, e.g. 1 | Very dissatisfied"
        ),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Choice questions, one option a line: code | English | Eesti | Українська | Svenska | فارسی"
        ),
    )
    attribute = forms.SlugField(
        label=_("Attribute measured"),
        required=False,
        max_length=max_length(Question, "attribute"),
        help_text=_("e.g. speed, fairness, clarity, courtesy"),
    )
    weight = forms.DecimalField(
        label=_("Importance weight"), required=False, min_value=0, max_value=100, initial=1
    )
    is_overall = forms.BooleanField(
        label=_("This is the overall satisfaction question"), required=False
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "text", _("Question"), required_en=True, limit=QUESTION_TEXT_MAX)
        order = ["kind", "code"] + [f"text_{lang}" for lang in LANGUAGES]
        self.order_fields(order)

    def question(self) -> dict[str, Any]:
        data = self.cleaned_data
        labels: dict[str, dict[str, str]] = {}
        for cells in _lines(data.get("point_labels") or ""):
            for lang, label in zip(LANGUAGES, cells[1:], strict=False):
                if label:
                    labels.setdefault(lang, {})[cells[0]] = label
        options = [
            {
                "code": cells[0],
                "label": {
                    lang: label for lang, label in zip(LANGUAGES, cells[1:], strict=False) if label
                },
            }
            for cells in _lines(data.get("options") or "")
        ]
        out: dict[str, Any] = {
            "kind": data["kind"],
            "code": data["code"],
            "text": texts(data, "text"),
            "point_labels": labels,
            "options": options,
            "attribute": data.get("attribute") or "",
            "weight": data.get("weight") if data.get("weight") is not None else 1,
            "is_overall": data.get("is_overall", False),
            "required": data.get("required", False),
        }
        if data.get("scale_min") is not None:
            out["scale_min"] = data["scale_min"]
        if data.get("scale_max") is not None:
            out["scale_max"] = data["scale_max"]
        return out


def question_initial(question) -> dict[str, Any]:
    """A question's current values as the QuestionForm shows them (for editing it)."""
    initial: dict[str, Any] = {
        "kind": question.kind,
        "code": question.code,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "attribute": question.attribute,
        "weight": question.weight,
        "is_overall": question.is_overall,
        "required": question.required,
    }
    for lang, text in question.text.items():
        initial[f"text_{lang}"] = text
    points = sorted({p for labels in question.point_labels.values() for p in labels}, key=int)
    initial["point_labels"] = "\n".join(
        " | ".join(
            [p, *[question.point_labels.get(lang, {}).get(p, "") for lang in LANGUAGES]]
        ).rstrip(" |")
        for p in points
    )
    initial["options"] = "\n".join(
        " | ".join(
            [option["code"], *[(option.get("label") or {}).get(lang, "") for lang in LANGUAGES]]
        ).rstrip(" |")
        for option in question.options
    )
    return initial


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=max_length(Invitation, "email"))
    name = forms.CharField(
        label=_("Name"), required=False, max_length=max_length(Invitation, "name")
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[(c, LANGUAGE_NAMES.get(c, c)) for c in LANGUAGES]
    )


class WaveForm(forms.Form):
    segment = forms.CharField(
        label=_("Segment (empty: everyone)"),
        required=False,
        max_length=max_length(Contact, "segment"),
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("auto", _("Detect")), *csvfiles.ENCODINGS],
        initial="auto",
        required=False,
        help_text=_(
            "Leave at “Detect”; the next step shows the first rows as read, so you can come back "
            "and choose if the letters look wrong."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def text(self) -> bytes:
        return self.cleaned_data["file"].read()

    def chosen_encoding(self) -> str:
        return self.cleaned_data.get("encoding") or "auto"


class CallbackDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was agreed"),
        required=False,
        max_length=ANSWER_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def mapping_form(header: list[str], targets: list[tuple[str, str]]) -> type[forms.Form]:
    """A form with one select per CSV column, offering the survey's questions and metadata."""
    fields: dict[str, forms.Field] = {
        # the file stays on the server between the steps (services.import_upload_store)
        "upload": forms.CharField(widget=forms.HiddenInput, max_length=40),
    }
    for i, column in enumerate(header):
        fields[f"col_{i}"] = forms.ChoiceField(
            label=column or f"#{i + 1}", choices=targets, required=False
        )
    fields["missing_tokens"] = forms.CharField(
        label=_("Also “not answered”"),
        required=False,
        max_length=200,
        initial="NA, N/A, -",
        # codes read in their own direction: "NA, N/A, -" stays in that order on a Persian page
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_(
            "Answers that mean the question was not answered, separated by commas (any case); "
            "an empty cell always does."
        ),
    )
    fields["recode"] = forms.CharField(
        label=_("Read some values as others"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "One rule a line: column | value in the file | read as (empty: not answered), "
            "e.g. Q3 | 0 | (0 = not applicable)."
        ),
    )
    fields["follow_up"] = forms.BooleanField(
        label=_("Open low-score follow-ups for these responses"),
        required=False,
        help_text=_(
            "Off: imported answers never open callback tasks or complaints (e.g. old answers). "
            "On: each low overall score opens the survey's follow-up, as a web answer would."
        ),
    )
    attrs: dict[str, Any] = {**fields, "clean_recode": _clean_recode_lines}
    return type("MappingForm", (forms.Form,), attrs)


def _clean_recode_lines(form: forms.Form) -> dict[str, dict[str, str]]:
    """The recoding lines as {column: {value: read as}}; a line without two "|" is refused."""
    rules: dict[str, dict[str, str]] = {}
    for number, line in enumerate((form.cleaned_data.get("recode") or "").splitlines(), 1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) != 3 or not cells[0] or not cells[1]:
            raise forms.ValidationError(
                _("Line %(n)s: column | value in the file | read as.") % {"n": number}
            )
        rules.setdefault(cells[0], {})[cells[1]] = cells[2]
    return rules
