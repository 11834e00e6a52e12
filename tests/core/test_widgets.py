"""The Python-rendered selects write what Django's templates write (up to whitespace between
elements): same options, labels, values, selection, escaping, groups and attributes."""

from __future__ import annotations

import re

import pytest
from django import forms

from plaint.complaints.forms_queue import QueueFilterForm
from plaint.core.widgets import PlainSelect, PlainSelectMultiple


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
