"""The forms of the notification pages: the list's page cursor, the preferences, the teams'
categories."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.accounts.models import Team
from plaint.complaints.models import Category
from plaint.notifications.models import IN_APP_ONLY, Kind


class ListForm(forms.Form):
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    limit = forms.IntegerField(required=False, min_value=1, max_value=200, widget=forms.HiddenInput)


class PreferencesForm(forms.Form):
    """Two boxes per kind: ``<kind>-in_app`` and ``<kind>-email``."""

    def __init__(self, *args: Any, table: dict[str, tuple[bool, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            in_app, email = table[kind.value]
            self.fields[f"{kind.value}-in_app"] = forms.BooleanField(
                required=False, initial=in_app, label=_("In Plaint")
            )
            self.fields[f"{kind.value}-email"] = forms.BooleanField(
                required=False, initial=email, label=_("By e-mail")
            )

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind for the template: its label and its two boxes."""
        return [
            {
                "label": kind.label,
                "in_app": self[f"{kind.value}-in_app"],
                "email": self[f"{kind.value}-email"],
                "in_app_only": kind in IN_APP_ONLY,
            }
            for kind in Kind
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind.value: (
                self.cleaned_data[f"{kind.value}-in_app"],
                self.cleaned_data[f"{kind.value}-email"] and kind not in IN_APP_ONLY,
            )
            for kind in Kind
        }


class TeamCategoriesForm(forms.Form):
    """For each team, the categories it looks after (a box per category)."""

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        categories: list[Category],
        pairs: set[tuple[int, int]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.teams = teams
        choices = [(str(c.pk), c.name) for c in categories]
        for team in teams:
            self.fields[f"team-{team.pk}"] = forms.MultipleChoiceField(
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                label=team.name,
                initial=[str(c) for t, c in pairs if t == team.pk],
            )

    def team_fields(self) -> list[forms.BoundField]:
        return [self[f"team-{team.pk}"] for team in self.teams]

    def pairs(self) -> set[tuple[int, int]]:
        return {
            (team.pk, int(category))
            for team in self.teams
            for category in self.cleaned_data[f"team-{team.pk}"]
        }
