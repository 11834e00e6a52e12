"""The queue's rows (``complaints/staff/_queue_rows.html``, included by the queue page with
``only``) are the markup the queue has always shown: same links, texts, escaping, badges, classes,
and dates in the current time zone and language. Templates are loaded once per process (Django's
cached loader)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import engines
from django.utils import timezone, translation

from plaint.accounts.models import Team
from plaint.complaints.models import Complaint
from plaint.complaints.selectors import QueueFilters, complaint_list
from tests.factories import CategoryFactory, advance, make_complaint

# The row markup the queue showed before (a Python template tag wrote it in between), verbatim.
ROW_TEMPLATE = """{% load i18n plaint %}{% for c in items %}{% with overdue=c|is_overdue:now stopped=paused.response %}
    <tr{% if overdue and c.pk not in stopped %} class="overdue"{% endif %}>
      <td><a href="{% url 'staff:detail' c.reference %}">{{ c.reference }}</a></td>
      <td>{{ c.subject }}{% if c.safety_issue %} <span class="badge badge-danger">{% translate "safety" %}</span>{% endif %}</td>
      <td>{{ c.complainant.name }}</td>
      <td>{{ c.get_state_display }}</td>
      <td><time datetime="{{ c.received_at|date:'c' }}">{{ c.received_at|date:"SHORT_DATETIME_FORMAT" }}</time></td>
      <td><time datetime="{{ c.response_due_at|date:'c' }}">{{ c.response_due_at|date:"SHORT_DATE_FORMAT" }}</time>{% if c.pk in stopped %} <span class="badge">{% translate "paused" %}</span>{% elif overdue %} <span class="badge badge-danger">{% translate "overdue" %}</span>{% endif %}</td>
      <td>{% if c.assignee %}{{ c.assignee }}{% else %}<span class="muted">{% translate "nobody" %}</span>{% endif %}{% if c.team %} · {{ c.team.name }}{% endif %}</td>
      <td>{{ c.category.name|default:"—" }}</td>
    </tr>
    {% endwith %}{% endfor %}"""

QUEUE_ROWS = '{% include "complaints/staff/_queue_rows.html" with items=items now=now only %}'


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(("language", "zone"), [("en", "UTC"), ("fa", "Asia/Tehran")])
def test_rows_are_the_markup_of_the_row_template(handler, language, zone):
    team = Team.objects.create(name="Care & <Repair>")
    CategoryFactory(code="delivery", name='Delivery "fast"')
    quiet, _token = make_complaint(subject="Plain")
    loud, _token = make_complaint(
        subject="<script>alert(1)</script> & more", name="Ann <b>", category="delivery"
    )
    advance(loud, "assessed", by=handler)
    Complaint.objects.filter(pk=loud.pk).update(safety_issue=True, team=team)
    late, _token = make_complaint(subject="Late one")
    page = complaint_list(actor=handler, filters=QueueFilters(), limit=25)
    items = list(page.items)
    assert {c.pk for c in items} == {quiet.pk, loud.pk, late.pk}
    now = timezone.now() + dt.timedelta(days=60)  # every open case overdue
    for stopped in (False, True):
        # A stopped response clock is the case's own flag now (the old markup took a set of ids).
        for c in items:
            c.response_paused = stopped and c.pk == late.pk
        paused = {"response": {late.pk} if stopped else set()}
        context = {"items": items, "now": now, "paused": paused}
        with translation.override(language), timezone.override(zone):
            before = engines["django"].from_string(ROW_TEMPLATE).render(context)
            after = engines["django"].from_string(QUEUE_ROWS).render(context)
        assert squeeze(after) == squeeze(before)
        assert "&lt;script&gt;" in after and "Ann &lt;b&gt;" in after
        assert after.count('class="overdue"') == (3 if not paused["response"] else 2)


def test_the_queue_page_renders_its_rows_from_the_partial(handler, client):
    complaint, _token = make_complaint(subject="Kettle <broken>")
    client.force_login(handler)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "complaints/staff/_queue_rows.html" in [t.name for t in response.templates]
    html = response.content.decode()
    # the link names the row's bulk-action box too (aria-labelledby), hence its id
    link = f'href="/staff/complaints/{complaint.reference}/">{complaint.reference}</a>'
    assert f'<a id="ref-{complaint.reference}" {link}' in html
    assert f'aria-labelledby="select-label ref-{complaint.reference}"' in html
    assert "Kettle &lt;broken&gt;" in html


def test_templates_are_loaded_once_per_process():
    """No ``loaders`` option in the settings: Django wraps the app-directories loader in its
    cached loader (in every environment, production and the bench included)."""
    from django.conf import settings
    from django.template.loaders.cached import Loader as CachedLoader

    assert "loaders" not in settings.TEMPLATES[0].get("OPTIONS", {})
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1 and isinstance(loaders[0], CachedLoader)
