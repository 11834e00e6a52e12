"""Forms of reply templates: the managers' editor and the handler's "Insert a template" choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from plaint.complaints.models import REPLY_TEMPLATE_TEXT_MAX, Category, ReplyTemplate
from plaint.core.limits import max_length

PLACEHOLDER_HELP = _(
    "Placeholders filled in on the case: {reference}, {name} (the complainant), {due_date} "
    "(the response due date) and {organisation}."
)


class ReplyTemplateForm(forms.Form):
    """A template's name, its category (none: for every case) and a text per language."""

    name = forms.CharField(label=_("Template name"), max_length=max_length(ReplyTemplate, "name"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("name"),
        required=False,
        empty_label=_("Any category"),
    )
    active = forms.BooleanField(label=_("Active (handlers can insert it)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _language in settings.LANGUAGES:
            language = get_language_info(code)["name_translated"]
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": language},
                max_length=REPLY_TEMPLATE_TEXT_MAX,
                required=False,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 5, "lang": code, "dir": "auto"}),
                help_text=PLACEHOLDER_HELP if code == "en" else "",
            )

    @classmethod
    def initial_for(cls, template: ReplyTemplate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": template.name,
            "category": template.category_id,
            "active": template.active,
        }
        for code, text in (template.texts or {}).items():
            initial[f"text_{code}"] = text
        return initial

    def text_fields(self) -> list[forms.BoundField]:
        return [self[f"text_{code}"] for code, _language in settings.LANGUAGES]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        category = data.get("category")
        return {
            "name": data["name"],
            "category_id": category.pk if category else None,
            "texts": {code: data.get(f"text_{code}", "") for code, _lang in settings.LANGUAGES},
        }
