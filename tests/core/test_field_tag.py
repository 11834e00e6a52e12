"""``{% field %}`` (core/templatetags/plaint_forms.py) writes what ``core/_field.html`` writes,
tag for tag: text inputs, selects, text areas, checkboxes, required marks, hints and errors, in
English and in Persian."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines
from django.utils import translation


class Sample(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As on the <id> card", max_length=20)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A & B"), ("b", "C")], required=False)
    agree = forms.BooleanField(label="I agree")
    shy = forms.BooleanField(label="Optional box", required=False, help_text="ignored hint")


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _both(form: forms.Form) -> list[tuple[str, str]]:
    engine = engines["django"]
    include = engine.from_string('{% include "core/_field.html" with field=f %}')
    tag = engine.from_string("{% load plaint_forms %}{% field f %}")
    return [
        (_squeeze(include.render({"f": form[name]})), _squeeze(tag.render({"f": form[name]})))
        for name in form.fields
    ]


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize(
    "data",
    [None, {}, {"name": "x" * 30, "kind": "zzz", "note": "<script>"}],
    ids=["unbound", "empty", "invalid"],
)
def test_the_tag_writes_what_the_include_writes(language, data):
    with translation.override(language):
        form = Sample(data)
        if data is not None:
            assert not form.is_valid()
        for include, tag in _both(form):
            assert tag == include


def test_the_queue_writes_its_filters_with_the_tag(client, handler):
    client.force_login(handler)
    body = client.get("/staff/?sort=newest").content.decode()
    assert '<div class="field"><label for="id_q">Search</label>' in body
    assert 'class="field field-checkbox"><input type="checkbox" name="overdue"' in body
