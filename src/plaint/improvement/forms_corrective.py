"""Forms of objectives and corrective actions: they parse what a person typed; the services
validate the indicator, the criterion and the lifecycle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import WORKING_ROLES
from plaint.accounts.models import Team, User
from plaint.complaints.models import Category, Channel, Complaint
from plaint.improvement.causetree import MAX_TEXT, CauseNode
from plaint.improvement.indicators import KINDS, SURVEY_MEASURES
from plaint.improvement.states import Comparison, Source
from plaint.insights.forms import MonthField

TEXT = forms.Textarea(attrs={"rows": 3})


def _owners() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(is_active=True, role__in=WORKING_ROLES).order_by("username"),
    )


class IndicatorForm(forms.Form):
    """The indicator's kind and parameters; ``spec()`` is the JSON the services validate."""

    kind = forms.ChoiceField(label=_("Indicator"), choices=[(k, v[0]) for k, v in KINDS.items()])
    days = forms.IntegerField(
        label=_("N (days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("For “within N days” indicators."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.order_by("name")
    )
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.order_by("name")
    )
    segment = forms.CharField(label=_("Segment"), required=False, max_length=32)
    survey = forms.CharField(
        label=_("Survey key"), required=False, max_length=64, help_text=_("For a survey measure.")
    )
    question = forms.CharField(label=_("Question code"), required=False, max_length=64)
    measure = forms.ChoiceField(
        label=_("Measure"),
        required=False,
        choices=[("", "—"), *[(m, m.upper()) for m in SURVEY_MEASURES]],
    )

    INDICATOR_FIELDS = (
        "kind",
        "days",
        "category",
        "product",
        "channel",
        "team",
        "segment",
        "survey",
        "question",
        "measure",
    )

    def spec(self) -> dict[str, Any]:
        d = self.cleaned_data
        if d["kind"] == "survey":
            return {
                "kind": "survey",
                "survey": d.get("survey") or "",
                "question": d.get("question") or "",
                "measure": d.get("measure") or "",
            }
        spec: dict[str, Any] = {"kind": d["kind"]}
        if d["kind"] in ("ack_within_business_days", "closed_within_days"):
            spec["days"] = d.get("days")
        for key in ("category", "team"):
            if d.get(key):
                spec[key] = d[key].pk
        for key in ("product", "channel", "segment"):
            if d.get(key):
                spec[key] = d[key]
        return spec

    def indicator_fields(self) -> list:
        return [self[name] for name in self.INDICATOR_FIELDS]


class CorrectiveActionForm(IndicatorForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem statement"), widget=TEXT, max_length=5000)
    source = forms.ChoiceField(label=_("Opened from"), choices=Source.choices)
    source_ref = forms.CharField(
        label=_("Source reference"),
        required=False,
        max_length=300,
        help_text=_("The cluster, dispute, survey or audit finding it comes from."),
        # two lines: a Pareto item's reference (its chart, item and months) is read whole on a
        # phone, not scrolled in a one-line field
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    complaints = forms.CharField(
        label=_("Complaints"),
        required=False,
        max_length=4000,
        help_text=_("References, separated by commas."),
    )
    owner = _owners()
    comparison = forms.ChoiceField(
        label=_("Effective when the value is"), choices=Comparison.choices
    )
    target = forms.FloatField(label=_("Target"))
    window_months = forms.IntegerField(
        label=_("Months read before and after"),
        min_value=1,
        max_value=12,
        initial=3,
        help_text=_(
            "The baseline reads these months before opening; the check the same number after the actions."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()

    def clean_source_ref(self) -> str:
        """One line, however it was typed or pasted into its two-line box."""
        return " ".join((self.cleaned_data.get("source_ref") or "").split())

    def clean_complaints(self) -> list[int]:
        refs = [r.strip() for r in (self.cleaned_data.get("complaints") or "").split(",")]
        refs = [r for r in refs if r]
        found = dict(Complaint.objects.filter(reference__in=refs).values_list("reference", "pk"))
        missing = [r for r in refs if r not in found]
        if missing:
            raise forms.ValidationError(
                _("No such complaint: %(refs)s.") % {"refs": ", ".join(missing)}
            )
        return [found[r] for r in refs]


class ObjectiveForm(IndicatorForm):
    name = forms.CharField(label=_("Objective"), max_length=200)
    owner = _owners()
    comparison = forms.ChoiceField(label=_("Met when the value is"), choices=Comparison.choices)
    target = forms.FloatField(label=_("Target"))
    period_start = MonthField(label=_("From month"), required=True)
    period_end = MonthField(label=_("To month"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()


class ContainmentForm(forms.Form):
    containment = forms.CharField(label=_("Containment"), widget=TEXT, max_length=5000)


class CauseForm(forms.Form):
    why1 = forms.CharField(label=_("Why? (1)"), max_length=1000, required=False)
    why2 = forms.CharField(label=_("Why? (2)"), max_length=1000, required=False)
    why3 = forms.CharField(label=_("Why? (3)"), max_length=1000, required=False)
    why4 = forms.CharField(label=_("Why? (4)"), max_length=1000, required=False)
    why5 = forms.CharField(label=_("Why? (5)"), max_length=1000, required=False)
    root_cause = forms.CharField(label=_("Root cause"), widget=TEXT, max_length=5000)

    def whys(self) -> list[str]:
        return [self.cleaned_data.get(f"why{i}") or "" for i in range(1, 6)]


class CauseNodeForm(forms.Form):
    """A new cause in the tree: under which cause (or the problem itself) and its text."""

    parent = forms.TypedChoiceField(
        label=_("Under"), coerce=int, empty_value=None, required=False, choices=[]
    )
    text = forms.CharField(label=_("Cause"), max_length=MAX_TEXT)

    def __init__(self, *args: Any, nodes: list[CauseNode] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("The problem itself")))]

        def walk(items: list[CauseNode]) -> None:
            for node in items:
                indent = "— " * (node.depth - 1)
                choices.append((str(node.id), f"{indent}{node.text[:80]}"))
                walk(node.children)

        walk(nodes or [])
        parent = self.fields["parent"]
        assert isinstance(parent, forms.TypedChoiceField)
        parent.choices = choices


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=TEXT, max_length=5000)
    owner = _owners()
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owners()


class DoneForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=5000)


class NoteForm(forms.Form):
    # Not required here: only reopening, closing and cancelling need it (the services say so).
    note = forms.CharField(label=_("Reason"), widget=TEXT, max_length=5000, required=False)
