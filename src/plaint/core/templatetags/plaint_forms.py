"""``{% load plaint_forms %}``: ``{% field form.name %}`` writes a form field as
``core/_field.html`` does (label, "required", hint, errors, the widget; a checkbox before its
label), in Python: for pages with many fields where an include per field is a measurable share
of the page (the staff queue's filters, saved view and bulk actions: 17 fields, ~2.7 ms less CPU
per page; docs/performance.md). The markup is the include's, but for the whitespace between
tags (tests/core/test_field_tag.py compares them)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _errors(field: BoundField, field_id: str) -> SafeString:
    if not field.errors:
        return mark_safe("")
    items = format_html_join("", "<li>{}</li>", ((error,) for error in field.errors))
    return format_html('<ul class="errorlist" id="{}_error">{}</ul>', field_id, items)


@register.simple_tag
def field(field: BoundField) -> SafeString:
    field_id = field.auto_id
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    classes = (
        "field" + (" field-error" if field.errors else "") + (" field-checkbox" if checkbox else "")
    )
    required = (
        format_html(' <span class="required">({})</span>', gettext("required"))
        if field.field.required
        else ""
    )
    label = format_html('<label for="{}">{}{}</label>', field_id, field.label, required)
    widget = str(field)
    if checkbox:
        return format_html(
            '<div class="{}">{}{}{}</div>', classes, widget, label, _errors(field, field_id)
        )
    hint = (
        format_html('<p class="hint" id="{}_helptext">{}</p>', field_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="{}">{}{}{}{}</div>', classes, label, hint, _errors(field, field_id), widget
    )
