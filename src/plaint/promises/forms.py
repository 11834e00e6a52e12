"""Forms of the promises pages: they parse input into service keyword arguments, nothing more."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plaint.complaints.models import Category
from plaint.core.bounds import validate_day, validate_moment
from plaint.core.calendars import Unit
from plaint.core.limits import max_length
from plaint.core.locales import text_in
from plaint.core.models import BusinessCalendar
from plaint.core.widgets import PlainTextarea
from plaint.promises.models import TEXT_MAX, Code, ProfileSelection, Promise
from plaint.promises.profiles import PROFILES
from plaint.promises.states import Clock, Origin

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class _PerLanguage(forms.Form):
    """One text field per language; ``texts(prefix)`` collects them into {lang: text}."""

    def add_language_fields(self, name: str, label: str, *, textarea: bool) -> None:
        for code, language in settings.LANGUAGES:
            widget = forms.Textarea(attrs={"rows": 2, "lang": code}) if textarea else None
            field = forms.CharField(
                label=f"{label} ({language})",
                required=False,
                max_length=TEXT_MAX,
                widget=widget,
            )
            if widget is None:
                field.widget.attrs["lang"] = code
            self.fields[f"{name}_{code}"] = field

    def texts(self, name: str) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"{name}_{code}"]
            for code in LANGUAGE_CODES
            if self.cleaned_data.get(f"{name}_{code}")
        }

    @staticmethod
    def language_initial(name: str, texts: dict[str, str]) -> dict[str, str]:
        return {f"{name}_{code}": text for code, text in (texts or {}).items()}


class CodeForm(_PerLanguage):
    slug = forms.SlugField(
        label=_("Short name (in the public address)"),
        required=False,
        max_length=max_length(Code, "slug"),
    )
    owner = forms.CharField(label=_("Owner"), required=False, max_length=max_length(Code, "owner"))
    scope_products = forms.CharField(
        label=_("Products and services (comma-separated; empty = all)"), required=False
    )
    scope_channels = forms.CharField(label=_("Channels (comma-separated)"), required=False)
    scope_segments = forms.CharField(label=_("Customer segments (comma-separated)"), required=False)
    effective_from = forms.DateField(
        label=_("Effective from"), required=False, validators=[validate_day]
    )
    effective_to = forms.DateField(
        label=_("Effective until"), required=False, validators=[validate_day]
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices, initial=Origin.OWN)
    adopted_from = forms.CharField(
        label=_("Adopted from (body)"), required=False, max_length=max_length(Code, "adopted_from")
    )
    source_document = forms.CharField(
        label=_("Source document"), required=False, max_length=max_length(Code, "source_document")
    )
    source_url = forms.CharField(
        label=_("Source address"), required=False, max_length=max_length(Code, "source_url")
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_language_fields("title", str(_("Title")), textarea=False)
        if editing:
            del self.fields["slug"]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {
            "title": self.texts("title"),
            "owner": d["owner"],
            "scope_products": _list(d["scope_products"]),
            "scope_channels": _list(d["scope_channels"]),
            "scope_segments": _list(d["scope_segments"]),
            "effective_from": d["effective_from"],
            "effective_to": d["effective_to"],
            "origin": d["origin"],
            "adopted_from": d["adopted_from"],
            "source_document": d["source_document"],
            "source_url": d["source_url"],
        }
        return out

    @classmethod
    def initial_for(cls, code) -> dict[str, Any]:
        return {
            **cls.language_initial("title", code.title),
            "owner": code.owner,
            "scope_products": ", ".join(code.scope_products),
            "scope_channels": ", ".join(code.scope_channels),
            "scope_segments": ", ".join(code.scope_segments),
            "effective_from": code.effective_from,
            "effective_to": code.effective_to,
            "origin": code.origin,
            "adopted_from": code.adopted_from,
            "source_document": code.source_document,
            "source_url": code.source_url,
        }


class PromiseForm(_PerLanguage):
    key = forms.SlugField(
        label=_("Key (stable across versions)"), max_length=max_length(Promise, "key")
    )
    clock = forms.ChoiceField(label=_("Clock"), choices=Clock.choices)
    limit_amount = forms.IntegerField(label=_("Limit"), min_value=0, max_value=10000)
    limit_unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    calendar_id = forms.ChoiceField(label=_("Calendar"), required=False)
    pauses_while_waiting = forms.BooleanField(
        label=_("The clock stops while the case waits on the complainant"), required=False
    )
    honours_regulatory_pauses = forms.BooleanField(
        label=_("The clock stops during regulatory pauses"), required=False
    )
    target_rate = forms.DecimalField(
        label=_("Target fulfilment rate (0 to 1)"), min_value=0, max_value=1, decimal_places=4
    )
    at_risk_fraction = forms.DecimalField(
        label=_("At risk when this share of the time is used"),
        min_value=0.1,
        max_value=0.99,
        decimal_places=3,
        initial=0.8,
    )
    measured_only = forms.BooleanField(
        label=_("Measured only (no due date on the case, no alerts)"), required=False
    )
    categories = forms.CharField(label=_("Categories (codes, comma-separated)"), required=False)
    channels = forms.CharField(label=_("Channels (comma-separated)"), required=False)
    products = forms.CharField(label=_("Products (comma-separated)"), required=False)
    segments = forms.CharField(label=_("Segments (comma-separated)"), required=False)
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exclusions = forms.CharField(
        label=_("Exclusions"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_language_fields("text", str(_("Text shown to customers")), textarea=True)
        cast(forms.ChoiceField, self.fields["calendar_id"]).choices = [
            ("", _("— the organisation's default —"))
        ] + [(str(c.pk), c.name) for c in BusinessCalendar.objects.order_by("name")]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "key": d["key"],
            "texts": self.texts("text"),
            "clock": d["clock"],
            "limit_amount": d["limit_amount"],
            "limit_unit": d["limit_unit"],
            "calendar_id": int(d["calendar_id"]) if d.get("calendar_id") else None,
            "pauses_while_waiting": d["pauses_while_waiting"],
            "honours_regulatory_pauses": d["honours_regulatory_pauses"],
            "target_rate": d["target_rate"],
            "at_risk_fraction": d["at_risk_fraction"],
            "measured_only": d["measured_only"],
            "categories": _list(d["categories"]),
            "channels": _list(d["channels"]),
            "products": _list(d["products"]),
            "segments": _list(d["segments"]),
            "conditions": d["conditions"],
            "exclusions": d["exclusions"],
        }

    @classmethod
    def initial_for(cls, p) -> dict[str, Any]:
        return {
            **cls.language_initial("text", p.texts),
            "key": p.key,
            "clock": p.clock,
            "limit_amount": p.limit_amount,
            "limit_unit": p.limit_unit,
            "calendar_id": str(p.calendar_id or ""),
            "pauses_while_waiting": p.pauses_while_waiting,
            "honours_regulatory_pauses": p.honours_regulatory_pauses,
            "target_rate": p.target_rate,
            "at_risk_fraction": p.at_risk_fraction,
            "measured_only": p.measured_only,
            "categories": ", ".join(p.categories),
            "channels": ", ".join(p.channels),
            "products": ", ".join(p.products),
            "segments": ", ".join(p.segments),
            "conditions": p.conditions,
            "exclusions": p.exclusions,
        }


class PauseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), validators=[validate_moment])
    ends_at = forms.DateTimeField(label=_("Ends at"), validators=[validate_moment])
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("— every category —"))
        ] + [(c.code, c.name) for c in Category.objects.order_by("name")]


class ProfileForm(forms.Form):
    profile = forms.ChoiceField(label=_("Regulatory profile"))
    product_line = forms.CharField(
        label=_("Product line (empty = the whole organisation)"),
        required=False,
        max_length=max_length(ProfileSelection, "product_line"),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profile"]).choices = [
            (k, text_in(p.title, get_language())) for k, p in PROFILES.items()
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("— any category —"))] + [
            (c.code, c.name) for c in Category.objects.order_by("name")
        ]


class ClaimForm(forms.Form):
    """The promises as choices grouped by their code, each in ``language`` (the complainant's:
    the words the promise was made in) and whole. The case page writes them as radio buttons
    (promises/staff/_complaint_panel.html), so a long promise wraps instead of being cut in a
    narrow select."""

    promise = forms.ChoiceField(
        label=_("Promise the complainant says was broken"), widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, widget=PlainTextarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, promises=(), language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for p in promises:
            code = f"{p.code.title_in(language)} v{p.code.version}"
            groups.setdefault(code, []).append((str(p.pk), p.text_in(language)))
        cast(forms.ChoiceField, self.fields["promise"]).choices = list(groups.items())
