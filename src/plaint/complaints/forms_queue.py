"""Forms of the staff queue: its filters, saving a view of them, and acting on many cases at
once. They parse input; the selectors and services decide."""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import parse_qsl

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from plaint.complaints.forms import int_or_none
from plaint.complaints.forms_choices import team_choices, worker_choices
from plaint.complaints.models import (
    MESSAGE_BODY_MAX,
    SAVED_VIEW_QUERY_MAX,
    Category,
    Channel,
    SavedView,
    Severity,
)
from plaint.complaints.queue_views import canonical_query
from plaint.complaints.selectors import QueueFilters
from plaint.complaints.states import State
from plaint.core.bounds import validate_day
from plaint.core.limits import max_length
from plaint.core.pagination import MAX_PAGE_SIZE
from plaint.core.widgets import PlainSelect, PlainSelectMultiple

Pairs = list[tuple[str, str]]


def _pairs_of(field: forms.Field) -> list[tuple[Any, Any]]:
    return list(cast(list[tuple[Any, Any]], cast(forms.ChoiceField, field).choices))


class QueueFilterForm(forms.Form):
    """The queue's GET parameters. Unknown values are errors shown next to the filter."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.MultipleChoiceField(
        label=_("State"),
        required=False,
        choices=State.choices,
        widget=PlainSelectMultiple(attrs={"size": 4}),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=PlainSelect)
    team = forms.ChoiceField(label=_("Team"), required=False, widget=PlainSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=PlainSelect)
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("any")), *Channel.choices],
        widget=PlainSelect,
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("any")), *Severity.choices],
        widget=PlainSelect,
    )
    due = forms.ChoiceField(
        label=_("Response due by"),
        required=False,
        choices=[
            ("", _("any time")),
            ("today", _("end of today")),
            ("week", _("end of this week")),
        ],
        widget=PlainSelect,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    safety = forms.BooleanField(label=_("Safety issues only"), required=False)
    received_from = forms.DateField(
        validators=[validate_day],
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        validators=[validate_day],
        label=_("Received to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("newest", _("Newest first")), ("oldest", _("Oldest first")), ("due", _("Due"))],
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("anyone")),
            ("me", _("me")),
            ("none", _("nobody")),
            *worker_choices(str(_("anyone")))[1:],
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = team_choices(str(_("any")))
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("any"))] + [
            (c.code, c.name) for c in Category.objects.order_by("name")
        ]

    def to_filters(self) -> QueueFilters:
        d = self.cleaned_data
        return QueueFilters(
            state=list(d.get("state") or []),
            assignee=d.get("assignee") or "",
            team=int_or_none(d.get("team")),
            category=d.get("category") or "",
            channel=d.get("channel") or "",
            severity=d.get("severity") or "",
            overdue=bool(d.get("overdue")),
            safety=bool(d.get("safety")),
            due=d.get("due") or "",
            received_from=d.get("received_from"),
            received_to=d.get("received_to"),
            q=d.get("q") or "",
            sort=d.get("sort") or "newest",
        )

    def choices_of(self, name: str) -> Pairs:
        """A choice field's (value, label) pairs, read once by the constructor: the bulk form
        reuses the people and teams of the filters without querying them again."""
        return [(str(v), str(label)) for v, label in _pairs_of(self.fields[name])]


def valid_query(query: str) -> str:
    """``query`` as the queue's canonical filters, if the queue's filter form accepts them;
    otherwise ``ValueError`` with the form's first message."""
    params = QueryDict(mutable=True)
    for key, value in parse_qsl(query):
        params.appendlist(key, value)
    form = QueueFilterForm(params)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise ValueError(first)
    return canonical_query(parse_qsl(query))


class SavedViewForm(forms.Form):
    """Save the queue's current filters under a name; a manager may share it with a team."""

    name = forms.CharField(label=_("Name of the view"), max_length=max_length(SavedView, "name"))
    query = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=SAVED_VIEW_QUERY_MAX
    )
    team = forms.ChoiceField(label=_("Share with"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, teams: Pairs | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "view")
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]  # only managers share
        else:
            cast(forms.ChoiceField, self.fields["team"]).choices = [
                ("", _("only me")),
                *[(value, label) for value, label in teams if value],
            ]

    def clean_query(self) -> str:
        try:
            return valid_query(self.cleaned_data.get("query") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    @property
    def team_id(self) -> int | None:
        return int_or_none(self.cleaned_data.get("team"))


class SavedViewRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=max_length(SavedView, "name"))


# A complaint's reference as the queue shows it ("C-2026-000303"); the bulk form names cases by it.
REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


class CaseListField(forms.Field):
    """The ticked cases by reference ("C-2026-000017"), or with the version the confirmation page
    showed ("C-2026-000017:4"), so a case changed in between is reported instead of changed
    blindly."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[tuple[str, int | None]]:
        items: list[tuple[str, int | None]] = []
        for raw in value or []:
            reference, _sep, version = str(raw).partition(":")
            if not REFERENCE.match(reference) or (version and not version.isdigit()):
                raise forms.ValidationError(_("The selection is not valid. Reload the queue."))
            pair = (reference, int(version[:9]) if version else None)
            if pair[0] not in {known for known, _v in items}:
                items.append(pair)
        return items

    def validate(self, value: list[tuple[str, int | None]]) -> None:
        if not value:
            raise forms.ValidationError(_("Select at least one complaint."))
        if len(value) > MAX_PAGE_SIZE:
            raise forms.ValidationError(
                _("Select at most %(limit)s complaints at once.") % {"limit": MAX_PAGE_SIZE}
            )


class BulkActionForm(forms.Form):
    """One action on the ticked cases of the queue: assign them to a person, move them to a team,
    or add the same internal note to each. Each submit button names its action."""

    ASSIGN, TEAM, NOTE = "assign", "team", "note"

    case = CaseListField()
    action = forms.ChoiceField(
        choices=[(ASSIGN, _("Assign")), (TEAM, _("Change team")), (NOTE, _("Add internal note"))],
        widget=forms.HiddenInput,
    )
    assignee = forms.ChoiceField(label=_("Assign to"), required=False, widget=PlainSelect)
    team = forms.ChoiceField(label=_("Move to team"), required=False, widget=PlainSelect)
    body = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        workers: Pairs | None = None,
        teams: Pairs | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        workers = worker_choices("") if workers is None else workers
        teams = team_choices("") if teams is None else teams
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("— nobody —")),
            *[(value, label) for value, label in workers if value.isdigit()],
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            ("", _("— no team —")),
            *[(value, label) for value, label in teams if value],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.NOTE and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the note to add."))
        return data

    def choice_label(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return str(dict(_pairs_of(self.fields[name])).get(value, value))
