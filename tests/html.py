"""Reading what a page shows, for view tests of pages whose context a test cannot inspect (the
staff case page is rendered with Jinja2: Django's test client records no context for it)."""

from __future__ import annotations

import html
import re


def textarea_text(page: str, name: str) -> str:
    """The text in the ``<textarea name=…>`` as a browser shows it (the newline after the tag
    dropped, entities read)."""
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert found, f"no textarea {name!r} on the page"
    return html.unescape(found.group(1))


def options(page: str, select_id: str) -> list[tuple[str, str]]:
    """The (value, label) of each option of the ``<select id=…>``, in order."""
    found = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select {select_id!r} on the page"
    pairs = re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', found[1])
    return [(html.unescape(value), html.unescape(label)) for value, label in pairs]


def field_error(page: str, field_id: str) -> str:
    """The error shown under the field ``field_id`` ("" when none)."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found[1])).strip() if found else ""


def messages_shown(page: str) -> list[str]:
    """The texts of the page's messages (``django.contrib.messages``), as shown."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text))
        for text in re.findall(r'<p class="message message-\w+">(.*?)</p>', page, re.S)
    ]


def period_inputs(page: str) -> dict[str, str]:
    """The values a report's period inputs (``<input type="month" name="start|end">``) show, by
    name ("" for an empty one)."""
    found = {}
    for tag in re.findall(r'<input type="month"[^>]*>', page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name[1] in ("start", "end"):
            found[name[1]] = html.unescape(value[1]) if value else ""
    return found
