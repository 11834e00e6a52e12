"""Forms of the policy and of training: they parse what a person typed; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.accounts.access import STAFF_ROLES
from plaint.accounts.models import Role, User
from plaint.core.bounds import validate_day
from plaint.improvement.models_policy import Course, PolicyRole, PolicyVersion
from plaint.improvement.services.policy import BODY_LIMIT, DUTIES_PER_ROLE, TITLE_LIMIT


class PolicyLanguageForm(forms.Form):
    """A draft's title, text and duties per role in one language."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_LIMIT, required=False)
    body = forms.CharField(
        label=_("Text of the policy"),
        required=False,
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Blank lines separate paragraphs; a line starting with “# ” is a heading, "
            "“- ” a list item; **text** is bold."
        ),
    )
    change_note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        for role in PolicyRole:
            self.fields[f"duties_{role.value}"] = forms.CharField(
                label=role.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One duty per line (at most %(n)s).") % {"n": DUTIES_PER_ROLE},
            )
        direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
        for name, field in self.fields.items():
            if name == "change_note":  # a note for staff, in any language
                field.widget.attrs |= {"dir": "auto"}
            else:
                field.widget.attrs |= {"lang": language, "dir": direction}

    @classmethod
    def for_version(cls, policy: PolicyVersion, language: str) -> PolicyLanguageForm:
        initial: dict[str, Any] = {
            "title": policy.title.get(language, ""),
            "body": policy.body.get(language, ""),
            "change_note": policy.change_note,
        }
        for role in PolicyRole:
            duties = policy.responsibilities.get(role.value, {}).get(language, [])
            initial[f"duties_{role.value}"] = "\n".join(duties)
        return cls(initial=initial, language=language)

    def changes(self) -> dict[str, Any]:
        """The service's arguments: this language's texts (blank ones remove it)."""
        d, lang = self.cleaned_data, self.language
        return {
            "title": {lang: d["title"]},
            "body": {lang: d["body"]},
            "responsibilities": {
                role.value: {lang: d[f"duties_{role.value}"].splitlines()} for role in PolicyRole
            },
            "change_note": d["change_note"],
        }


def _staff_roles() -> list[tuple[str, Any]]:
    return [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class CourseForm(forms.Form):
    name = forms.CharField(label=_("Course or competence"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    validity_months = forms.IntegerField(
        label=_("Valid for (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Empty: a completion counts for good."),
    )
    required_for = forms.MultipleChoiceField(
        label=_("Required for"),
        required=False,
        choices=_staff_roles,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def for_course(cls, course: Course) -> CourseForm:
        return cls(
            initial={
                "name": course.name,
                "description": course.description,
                "validity_months": course.validity_months,
                "required_for": course.required_for,
                "active": course.active,
            }
        )


class TrainingRecordForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Member of staff"),
        queryset=User.objects.filter(is_active=True, role__in=list(STAFF_ROLES)).order_by(
            "username"
        ),
    )
    course = forms.ModelChoiceField(
        label=_("Course or competence"), queryset=Course.objects.filter(active=True)
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
        help_text=_("Empty: from the course's validity."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=500,
        help_text=_("A certificate number or where the record is kept."),
    )
