"""The Jinja2 environment of the one page rendered with Jinja2: the staff case page
(``complaints/jinja2/complaints/staff/detail.html``, on ``core/jinja2/core/staff_base.html``),
with its timeline (``_timeline.html``, rendered on the first view after a change and kept in the
cache: ``complaints.views_history``).

Why (docs/performance.md, "A complaint's staff page"): the case page is the page a handler opens most, and
Django's template language spent ~4.6 ms of CPU rendering it, a third of the request; Jinja2
compiles a template to Python and renders the same HTML in a fraction of that. Every other page
stays in Django's language. The helpers below are the ``{% load plaint plaint_locale %}`` tags
and filters the page uses, the same functions under the same names, so the two kinds of page
write the same HTML (``tests/site/test_jinja.py`` compares the staff header and footer of both).

Texts are ``{{ _("…") }}`` (and ``{{ _("… %(name)s …")|format(name=…) }}``): ``makemessages``
reads that form in any ``.html`` file (Django's ``templatize``), so the page's texts stay in the
catalogues with those of the other pages.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext
from jinja2 import Environment, StrictUndefined

from plaint.core.templatetags import plaint_locale
from plaint.promises.templatetags import promises
from plaint.site.templatetags import plaint


def gettext_remembered(message: str) -> str:
    """``{{ _("…") }}``: Django's ``gettext``, remembered per language and text. The page writes
    some 120 texts; Django's lookup through the active translation and its catalogues costs ~28
    function calls a text, this one dictionary look-up (the catalogues do not change while the
    process runs)."""
    return _translated(get_language() or "", message)


@lru_cache(maxsize=4096)
def _translated(language: str, message: str) -> str:
    return gettext(message)  # the active language is ``language``


def linebreaks_filter(value: object) -> str:
    """``{{ text|linebreaks }}``: paragraphs and ``<br>`` around the escaped text."""
    return mark_safe(linebreaks(value, autoescape=True))  # noqa: S308 (escaped by linebreaks)


def display(obj: Any, field_name: str) -> str:
    """``{{ obj|display("field") }}``: what ``obj.get_field_display()`` writes (the label of the
    stored choice, else the value), from the field's choices read once per model and field;
    Django rebuilds that mapping on every call (~200 function calls each, six on the page)."""
    value = getattr(obj, field_name)
    if value is None:
        return ""
    model: Any = type(obj)
    label = _choice_labels(model, field_name).get(value)
    return str(value if label is None else label)


@lru_cache(maxsize=256)
def _choice_labels(model: Any, field_name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(field_name).flatchoices)


@lru_cache(maxsize=1)
def languages() -> list[dict[str, Any]]:
    """The language switcher's choices (``{% get_language_info_list %}``): code, own name, bidi."""
    return [get_language_info(code) for code, _name in settings.LANGUAGES]


def page_helpers(request: HttpRequest) -> dict[str, Any]:
    """A context processor: what the page calls many times, bound once to the request's
    language, URL configuration and script prefix (read once here, not on each call: ~2,000
    function calls of the page). ``_``, ``url`` and ``nav_url`` as the globals below; and the
    page's CSRF field made once: Django's Jinja2 backend gives a lazy ``csrf_input`` that masks
    a new token each time the page writes it (four forms), where Django's own templates write
    one token per page."""
    language = get_language() or ""
    urlconf, prefix = str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix()

    def url(name: str, *args: Any) -> str:
        return plaint.reverse_remembered(name, args, urlconf, prefix, language)

    return {
        "csrf_input": csrf_input(request),
        "_": partial(_translated, language),
        "url": url,
        "nav_url": url,
    }


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend makes (``autoescape`` on: the backend's default).
    A name the page's context lacks is an error, not an empty string."""
    options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 (autoescape: set by the backend)
    env.globals |= dict(
        _=gettext_remembered,
        url=plaint.reversed_url,
        static=static,
        nav_url=plaint.nav_url,
        organisation_name=plaint.organisation_name,
        unread_notifications=plaint.unread_badge,
        languages=languages,
    )
    env.filters |= dict(
        digits=plaint_locale.digits,
        display=display,
        local_date=plaint_locale.local_date,
        money=plaint_locale.money_filter,
        linebreaks=linebreaks_filter,
        filesizeformat=filesizeformat,
        date=date_filter,
        capfirst=capfirst,
        is_overdue=plaint.is_overdue,
        event_label=plaint.event_label,
        actor_label=plaint.actor_label,
        clock_duration=promises.clock_duration,
        can_work=plaint.can_work,
        can_read_access_log=plaint.can_read_access_log,
        can_read_management_reviews=plaint.can_read_management_reviews,
        can_read_audits=plaint.can_read_audits,
        can_handle_subject_requests=plaint.can_handle_subject_requests,
        can_configure=plaint.can_configure,
    )
    return env
