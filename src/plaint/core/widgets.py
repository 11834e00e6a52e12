"""Form widgets rendered in Python where Django's templates are measurably slow.

Django renders a ``<select>`` through one template plus two template includes per ``<option>``
(the option and its attributes). A queue filter with a few dozen assignees and categories costs
more than the whole page's database work. ``PlainSelect`` / ``PlainSelectMultiple`` write the same
elements with the same attributes (``name``, ``id``, ``multiple``, ``aria-*``, ``selected``…) from
the widget's own context, with the same escaping; only the whitespace between options differs.
The inputs and the text area (``PlainTextInput``, ``PlainNumberInput``, ``PlainHiddenInput``,
``PlainTextarea``, ``PlainFileInput``) write exactly what Django's ``input.html`` / ``textarea.html`` write, without
the two template renders per field (the widget's and its attributes'): the staff case page has
some twenty of them in its step forms (bench/case_page.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False is left out, True is a bare name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class _PythonRenderedSelect:
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped in _attrs
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class PlainSelect(_PythonRenderedSelect, forms.Select):
    """``forms.Select`` rendered without a template per option."""


class PlainSelectMultiple(_PythonRenderedSelect, forms.SelectMultiple):
    """``forms.SelectMultiple`` rendered without a template per option."""


class _PythonRenderedInput:
    """As django/forms/widgets/input.html."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts: list[str] = [
            format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        ]
        if widget["value"] is not None:
            parts.append(format_html(' value="{}"', str(widget["value"])))
        parts += [_attrs(widget["attrs"]), ">"]
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class PlainTextInput(_PythonRenderedInput, forms.TextInput):
    """``forms.TextInput`` rendered without templates."""


class PlainNumberInput(_PythonRenderedInput, forms.NumberInput):
    """``forms.NumberInput`` rendered without templates."""


class PlainHiddenInput(_PythonRenderedInput, forms.HiddenInput):
    """``forms.HiddenInput`` rendered without templates."""


class PlainFileInput(_PythonRenderedInput, forms.ClearableFileInput):
    """``forms.ClearableFileInput`` rendered without templates when it has no file to show (an
    upload field: always, a bound form never keeps a file); with one, Django's template."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if self.is_initial(value):
            return forms.ClearableFileInput.render(self, name, value, attrs, renderer)
        return super().render(name, value, attrs, renderer)


class PlainTextarea(forms.Textarea):
    """``forms.Textarea`` rendered without templates (as django/forms/widgets/textarea.html)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            mark_safe(_attrs(widget["attrs"])),  # noqa: S308 - escaped in _attrs
            text,
        )
