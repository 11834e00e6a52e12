"""The ``{% load plaint %}`` library every app's pages share: translated labels for stored codes,
overdue marks, role checks. It sits in ``plaint.site`` (the top layer) because it reads every app."""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plaint.accounts import access
from plaint.complaints.states import State, action_step
from plaint.complaints.visibility import visibility_known
from plaint.core.selectors import organisation_get
from plaint.core.views import request_config_token
from plaint.notifications.selectors import UNREAD_SHOWN_UP_TO, unread_count
from plaint.privacy import access as privacy_access

register = template.Library()

# Audit actions that are not steps of the lifecycle.
_EVENT_LABELS = {
    "received": _("Complaint received"),
    "assigned": _("Assignment changed"),
    "message_in": _("Message from the complainant"),
    "message_out": _("Message to the complainant"),
    "message_note": _("Internal note"),
    "settings_changed": _("Settings changed"),
    "imported": _("Imported from another system"),
    "import_updated": _("Updated by an import"),
}


@register.filter
def event_label(action: str) -> str:
    """The translated label of an audit action; stored codes are never shown raw if known."""
    step = action_step(action)
    if step is not None:
        return str(step.label)
    return str(_EVENT_LABELS.get(action, action))


# Who acted, when it was not a member of staff: the labels the services store (core.actors).
_ACTOR_LABELS = {
    "complainant": _("complainant"),
    "system": _("system"),
    "surveys": _("surveys"),
    "recipient": _("survey recipient"),
}


@register.filter
def actor_label(label: str) -> str:
    """The translated name of a non-staff actor of an audit event; a user name stays as it is."""
    return str(_ACTOR_LABELS.get(label, label))


# A state's label by its code: a dict look-up (``State(code)`` builds the enum member each time,
# and ``get_state_display`` a dict of every choice: both a measurable share of the queue's rows).
_STATE_LABELS = {state.value: state.label for state in State}


@register.filter
def state_label(code: str) -> str:
    label = _STATE_LABELS.get(code)
    return code if label is None else str(label)


@register.filter
def is_overdue(complaint, now: dt.datetime | None = None) -> bool:
    """The one rule of the model (``Complaint.is_overdue_at``): open, past a due time whose clock
    is not paused."""
    return complaint.is_overdue_at(now or timezone.now())


@register.filter
def is_neutral(user) -> bool:
    """A neutral: the staff console's pages they land on (a 403) show the portal's navigation."""
    return access.is_neutral(user)


@register.filter
def can_work(user) -> bool:
    return access.can_work_complaints(user)


@register.filter
def can_read_access_log(user) -> bool:
    return access.can_read_access_log(user)


@register.filter
def can_read_management_reviews(user) -> bool:
    return access.can_read_management_reviews(user)


@register.filter
def can_read_audits(user) -> bool:
    return access.can_read_internal_audits(user)


@register.filter
def can_handle_subject_requests(user) -> bool:
    return privacy_access.can_handle_subject_requests(user)


@register.filter
def can_configure(user) -> bool:
    return access.can_configure(user)


@register.filter
def is_staff_member(user) -> bool:
    return access.is_staff_member(user)


@register.simple_tag
def nav_url(name: str) -> str:
    """``{% url name %}`` of a view that takes no arguments, reversed once per URL configuration,
    script prefix and language rather than on every page: the staff header links to some twenty
    pages, ~25 µs of reversing each (bench/case_page.py)."""
    return reversed_url(name)


def reversed_url(name: str, *args: object) -> str:
    """``reverse(name, args=args)``, remembered per URL configuration, script prefix and
    language (the case page's links to its steps and attachments: ``plaint.site.jinja``)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return reverse_remembered(name, args, str(urlconf), get_script_prefix(), get_language() or "")


@functools.lru_cache(maxsize=2048)
def reverse_remembered(name: str, args: tuple, urlconf: str, prefix: str, language: str) -> str:
    """``reverse`` for this URL configuration, script prefix and language, remembered."""
    return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag
def organisation_name() -> str:
    return organisation_get().name


@register.simple_tag(takes_context=True)
def unread_notifications(context, user) -> str:
    """``{% unread_notifications user as unread %}``: ``unread_badge`` of the page's request."""
    return unread_badge(context.get("request"), user)


def unread_badge(request, user) -> str:
    """The header's unread count: "" when none, "99+" beyond what is counted (one query). Who
    sees which case comes from the configuration cache (the Django pages' tag above, and the
    Jinja2 page's ``unread_notifications``: plaint.site.jinja), under the request's configuration
    token, read here when the page has not read it: the token's statement costs ~0.3 ms, the
    count with the rule built in SQL (``known=None``: subqueries of the restricted categories and
    the team rule) ~1.5 ms more of CPU than with the cached rule (bench/README.md)."""
    known = None
    if request is not None and access.can_read_complaints(user):  # others have no notifications
        known = visibility_known(token=request_config_token(request))
    count = unread_count(user=user, known=known)
    if not count:
        return ""
    return f"{UNREAD_SHOWN_UP_TO}+" if count > UNREAD_SHOWN_UP_TO else str(count)
