"""The Python-rendered selects write what Django's templates write (up to whitespace between
elements): same options, labels, values, selection, escaping, groups and attributes."""

from __future__ import annotations

import re

import pytest
from django import forms

from plaint.complaints.forms_queue import QueueFilterForm
from plaint.core.widgets import (
    PlainFileInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainSelect,
    PlainSelectMultiple,
    PlainTextarea,
    PlainTextInput,
)


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [
    ("", "any"),
    ("a&b", 'Tom & "Jerry" <b>'),
    (7, "Seven"),
    ("Group <1>", [("g1", "First in group"), ("g2", "Second")]),
]


@pytest.mark.parametrize(
    ("plain", "django_widget", "value"),
    [
        (PlainSelect, forms.Select, "a&b"),
        (PlainSelect, forms.Select, 7),
        (PlainSelect, forms.Select, None),
        (PlainSelectMultiple, forms.SelectMultiple, ["g2", "a&b"]),
        (PlainSelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_same_html_as_djangos_template(plain, django_widget, value):
    attrs = {"id": "id_x", "aria-invalid": "true", "aria-describedby": "id_x_error", "size": 4}
    fast = plain(choices=CHOICES).render("x", value, attrs=dict(attrs))
    slow = django_widget(choices=CHOICES).render("x", value, attrs=dict(attrs))
    assert squeeze(fast) == squeeze(slow)
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in fast  # escaped like the template
    assert 'value="a&amp;b"' in fast


def test_the_queue_filters_render_as_before(db, handler, other_handler):
    """Every select of the queue's filter form, bound with selections and an error, as Django's
    own widgets render it."""
    data = {"state": ["received", "closed"], "assignee": "me", "channel": "nonsense"}
    fast = QueueFilterForm(data)
    slow = QueueFilterForm(data)
    for name, field in slow.fields.items():
        if isinstance(field.widget, PlainSelectMultiple):
            field.widget = forms.SelectMultiple(attrs=field.widget.attrs, choices=field.choices)
        elif isinstance(field.widget, PlainSelect):
            field.widget = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        else:
            continue
        assert not fast.is_valid() and not slow.is_valid()  # the unknown channel
        assert squeeze(fast[name]) == squeeze(slow[name]), name
    body = str(fast["assignee"])
    assert '<option value="me" selected>' in body
    assert other_handler.username in body or str(other_handler) in body
    assert 'aria-invalid="true"' in str(fast["channel"])


@pytest.mark.parametrize(
    ("plain", "django_widget"),
    [
        (PlainTextInput, forms.TextInput),
        (PlainNumberInput, forms.NumberInput),
        (PlainHiddenInput, forms.HiddenInput),
        (PlainTextarea, forms.Textarea),
    ],
)
@pytest.mark.parametrize("value", [None, "", 'Tom & "Jerry" <b>', 12, "4.90"])
def test_inputs_write_exactly_what_djangos_templates_write(plain, django_widget, value):
    """Byte for byte, whitespace included: value, escaping, boolean and other attributes."""
    attrs = {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False}
    widget_attrs = {"rows": 3, "step": "0.01"}
    fast = plain(attrs=dict(widget_attrs)).render("x", value, attrs=dict(attrs))
    slow = django_widget(attrs=dict(widget_attrs)).render("x", value, attrs=dict(attrs))
    assert str(fast) == str(slow)


def test_the_case_page_forms_render_as_with_djangos_widgets(db):
    """Every field of the step forms on a case page, as Django's own widgets render it."""
    from plaint.complaints.forms import AssignForm, ProposeResponseStepForm, RecordFindingsStepForm

    replacements = {
        PlainTextInput: forms.TextInput,
        PlainNumberInput: forms.NumberInput,
        PlainHiddenInput: forms.HiddenInput,
        PlainTextarea: forms.Textarea,
        PlainSelect: forms.Select,
    }
    for form_class in (ProposeResponseStepForm, RecordFindingsStepForm, AssignForm):
        data = {"expected_version": "3", "decision": "<b>No</b> & yes", "remedy_1_amount": "x"}
        fast, slow = form_class(data), form_class(data)
        assert fast.is_valid() == slow.is_valid()  # errors (aria-invalid) render alike
        for name, field in slow.fields.items():
            plain_class = type(field.widget)
            if plain_class not in replacements:
                continue
            field.widget = replacements[plain_class](attrs=field.widget.attrs)
            if hasattr(field, "choices"):
                field.widget.choices = field.choices
            assert squeeze(fast[name]) == squeeze(slow[name]), (form_class.__name__, name)


class _Stored:
    """A file already kept, as a model's FileField gives it to its widget."""

    url = "/media/receipt.pdf"

    def __str__(self) -> str:
        return "receipt.pdf"


@pytest.mark.parametrize("multiple", [False, True])
@pytest.mark.parametrize("value", [None, "", [], _Stored()])
def test_the_file_input_writes_exactly_what_djangos_template_writes(multiple, value):
    """An upload field, one file or many (the message composer's attachments), with no file or
    with a kept one (then Django's template, with its link and clear box)."""

    class Fast(PlainFileInput):
        allow_multiple_selected = multiple

    class Slow(forms.ClearableFileInput):
        allow_multiple_selected = multiple

    attrs = {"id": "id_x", "aria-invalid": "true", "aria-describedby": "id_x_error"}
    fast = Fast(attrs={"accept": ".pdf"}).render("x", value, attrs=dict(attrs))
    slow = Slow(attrs={"accept": ".pdf"}).render("x", value, attrs=dict(attrs))
    assert str(fast) == str(slow)
