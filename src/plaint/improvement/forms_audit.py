"""Forms of the internal audits: they parse what a person typed; the services check scope,
independence, evidence and the lifecycle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plaint.accounts.models import Team, User
from plaint.complaints.models import Category
from plaint.improvement import checklists
from plaint.improvement.forms_corrective import TEXT, IndicatorForm, _owners
from plaint.improvement.models_audit import STATEMENT_LIMIT
from plaint.improvement.selectors_audit import auditors
from plaint.improvement.states import Comparison
from plaint.improvement.states_audit import Answer, FindingKind

DATE = forms.DateInput(attrs={"type": "date"})


def standard_choices() -> list[tuple[str, str]]:
    return [(s, checklists.translated(checklists.load(s).title)) for s in checklists.STANDARDS]


def clause_choices(standards: list[str] | None = None) -> list[tuple[str, str]]:
    return [
        (f"{s}:{c.number}", f"{s.upper().replace('ISO', 'ISO ')} {c.number} · {gettext(c.title)}")
        for s in (standards or checklists.STANDARDS)
        for c in checklists.load(s).clauses
    ]


class ProgrammeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    objectives = forms.CharField(
        label=_("Objectives and criteria"), widget=TEXT, max_length=5000, required=False
    )


class AuditPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    standards = forms.MultipleChoiceField(label=_("Standards"), choices=())
    clauses = forms.MultipleChoiceField(
        label=_("Clauses"),
        choices=(),
        required=False,
        help_text=_("None chosen: every clause of the standards."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.order_by("name"),
        required=False,
        help_text=_("None chosen: every team."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.order_by("name"),
        required=False,
        help_text=_("None chosen: every category."),
    )
    scope_note = forms.CharField(label=_("Scope"), widget=TEXT, max_length=5000, required=False)
    planned_start = forms.DateField(label=_("Planned from"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned to"), widget=DATE)
    lead_auditor = forms.ModelChoiceField(label=_("Lead auditor"), queryset=User.objects.none())
    co_auditors = forms.ModelMultipleChoiceField(
        label=_("Co-auditors"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].choices = standard_choices()  # type: ignore[attr-defined]
        self.fields["clauses"].choices = clause_choices()  # type: ignore[attr-defined]
        for name in ("lead_auditor", "co_auditors"):
            self.fields[name].queryset = auditors()  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    clause = forms.ChoiceField(label=_("Clause"), choices=())
    statement = forms.CharField(label=_("Finding"), widget=TEXT, max_length=STATEMENT_LIMIT)
    complaints = forms.CharField(
        label=_("Evidence: complaints"),
        required=False,
        max_length=4000,
        help_text=_("References, separated by commas."),
    )
    evidence_note = forms.CharField(
        label=_("Evidence: other records"),
        widget=TEXT,
        max_length=STATEMENT_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, standards: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = clause_choices(standards)  # type: ignore[attr-defined]

    def references(self) -> list[str]:
        text = self.cleaned_data.get("complaints") or ""
        return [r.strip() for r in text.split(",") if r.strip()]


class ReportForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=TEXT, max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT, max_length=5000, required=False)


class FindingCorrectiveForm(IndicatorForm):
    """The corrective action of a nonconformity: its source and evidence come from the finding."""

    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem statement"), widget=TEXT, max_length=5000)
    owner = _owners()
    comparison = forms.ChoiceField(
        label=_("Effective when the value is"), choices=Comparison.choices
    )
    target = forms.FloatField(label=_("Target"))
    window_months = forms.IntegerField(
        label=_("Months read before and after"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()
