"""The policy's text as safe HTML: plain text with a little Markdown — blank lines part
paragraphs, ``# `` and ``## `` start headings, ``- `` starts a list item, ``**…**`` is strong.

Every piece of text is escaped first and only the tags made here are built; nh3 then keeps only
those tags (no attributes), so nothing a writer types becomes markup of its own."""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"h2", "h3", "p", "ul", "li", "strong", "br"}
_STRONG = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _STRONG.sub(r"<strong>\1</strong>", escape(text.strip()))


def _block(lines: list[str]) -> str:
    if all(line.lstrip().startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    first = lines[0].lstrip()
    if len(lines) == 1 and first.startswith("## "):
        return f"<h3>{_inline(first[3:])}</h3>"
    if len(lines) == 1 and first.startswith("# "):
        return f"<h2>{_inline(first[2:])}</h2>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def policy_html(text: str) -> SafeString:
    """The text as HTML blocks, sanitised."""
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(("# ", "## ")):  # a heading is a block of its own
            blocks += [[line], []]
        elif line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    html = "".join(_block(lines) for lines in blocks if lines)
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None))  # noqa: S308  (sanitised just now)
