"""Forms of the dispute policy, the tracking page's choice and evidence, and the referral to a
legal or regulatory authority. They parse what a person typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.disputes.models import DisputePolicy, PolicyBinding
from plaint.disputes.services.policy import BODY_LIMIT, SCOPE_LIMIT, TITLE_LIMIT


class DisputePolicyForm(forms.Form):
    """A draft's texts in one language, with its value limits and binding (all languages)."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_LIMIT, required=False)
    scope = forms.CharField(
        label=_("Which disputes we offer external resolution for"),
        required=False,
        max_length=SCOPE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    body = forms.CharField(
        label=_("The rest of the policy"),
        required=False,
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Blank lines separate paragraphs."),
    )
    min_value = forms.CharField(label=_("Lowest disputed amount"), required=False, max_length=20)
    max_value = forms.CharField(label=_("Highest disputed amount"), required=False, max_length=20)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    binding = forms.ChoiceField(label=_("Do outcomes bind us?"), choices=PolicyBinding.choices)
    change_note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
        for name in ("title", "scope", "body"):
            self.fields[name].widget.attrs |= {"lang": language, "dir": direction}
        self.fields["change_note"].widget.attrs |= {"dir": "auto"}

    @classmethod
    def for_version(cls, policy: DisputePolicy, language: str) -> DisputePolicyForm:
        initial = {
            "title": policy.title.get(language, ""),
            "scope": policy.scope.get(language, ""),
            "body": policy.body.get(language, ""),
            "min_value": policy.min_value if policy.min_value is not None else "",
            "max_value": policy.max_value if policy.max_value is not None else "",
            "currency": policy.currency,
            "binding": policy.binding,
            "change_note": policy.change_note,
        }
        return cls(initial=initial, language=language)

    def changes(self) -> dict[str, Any]:
        d, lang = self.cleaned_data, self.language
        return {
            "title": {lang: d["title"]},
            "scope": {lang: d["scope"]},
            "body": {lang: d["body"]},
            "min_value": d["min_value"].strip(),
            "max_value": d["max_value"].strip(),
            "currency": d["currency"],
            "binding": d["binding"],
            "change_note": d["change_note"],
        }


class ChooseForm(forms.Form):
    """The complainant's choice. No time field: the moment is the server's."""

    provider = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    method = forms.CharField(max_length=16)
    agree = forms.BooleanField(
        label=_("I have read the text above and agree to it."),
        error_messages={"required": _("Tick the box to show that you agree.")},
    )


class EvidenceForm(forms.Form):
    body = forms.CharField(
        label=_("What you want the provider to know"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    attachment = forms.FileField(label=_("A file (optional)"), required=False)


class LegalReferralForm(forms.Form):
    authority = forms.CharField(label=_("Legal or regulatory authority"), max_length=200)
    reason = forms.CharField(
        label=_("Why it needs referral"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class LegalReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the referral")), ("return", _("Return it"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Required when you return it."),
    )
