"""Every page type under the Content-Security-Policy (core/csp.py), in Debian's headless Chromium:
the pages of the axe walk (tests/e2e/test_axe.py, its ``PAGES`` and seeded ``world``), once each
at 1280 px in English, plus the pages that are not Plaint's own templates (the API documentation,
the Django admin). Each page must answer with the policy and the browser must report no violation:
a ``securitypolicyviolation`` event in any document (reported to the test as it happens, so a
violation just before a form's navigation is not lost) or a "Refused to …" console message. The
script-driven parts must still work: the queue's "select all on this page" box and the API
documentation's operations, both drawn by our static scripts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.template.loader import get_template
from playwright.sync_api import Page, expect

from plaint.core import csp
from tests.e2e.test_axe import (  # the axe walk's table, data and steps
    PAGES,
    SIGN_IN_ORDER,
    Run,
    _become,
    _visit,
)

# the axe walk's seeded data, a fixture (imported "as world" so that it counts as used)
from tests.e2e.test_axe import world as world
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages not drawn by Plaint's templates (no <html lang> to check), seen by an administrator who
# may use the Django admin.
OUTSIDE_TEMPLATES = [
    "/api/v1/docs",
    "/django-admin/",
    "/django-admin/django_tasks_database/dbtaskresult/",  # the job queue
    "/django-admin/auth/group/add/",
]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.plaintCspViolation([event.violatedDirective, event.blockedURI, event.sourceFile,
                             event.lineNumber, event.sample].join(" | "));
});
"""


class Watch:
    """What the browser said about the policy since the last ``take()``: violations, refusals in
    the console, and the navigation responses (and redirects) without the expected policy."""

    def __init__(self, page: Page, *, policy: str = csp.PAGE_POLICY) -> None:
        self.policy = policy
        self.problems: list[str] = []
        page.context.expose_function("plaintCspViolation", self._violation)
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _violation(self, what: str) -> None:
        self.problems.append(f"violation: {what}")

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            self.problems.append(f"console: {message.text[:300]}")

    def _response(self, response) -> None:
        if not response.request.is_navigation_request():
            return
        policy = response.headers.get(csp.HEADER.lower())
        if policy != self.policy:
            self.problems.append(f"{response.status} {response.url}: policy {policy!r}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def _walk(page: Page, run: Run, watch: Watch) -> list[str]:
    """The axe walk's pages, in English, each followed by what the browser said."""
    problems: list[str] = []
    who = None
    for visit in sorted(PAGES, key=lambda v: SIGN_IN_ORDER.index(v.who)):
        if visit.who != who:
            _become(page, visit.who, "en", run)
            who = visit.who
            watch.take()  # the sign-in pages are visits of their own
        path = visit.path.format(w=run.world, lang="en")
        problem = _visit(page, visit, path, "en")
        page.wait_for_load_state("load")
        found = ([problem] if problem else []) + watch.take()
        problems += [f"{visit.name} ({path}): {p}" for p in found]
    return problems


def _walk_outside(page: Page, run: Run, watch: Watch) -> list[str]:
    problems: list[str] = []
    _become(page, "superuser", "en", run)
    watch.take()
    for path in OUTSIDE_TEMPLATES:
        response = page.goto(path)
        page.wait_for_load_state("load")
        found = watch.take()
        if response is None or response.status != 200 or urlsplit(page.url).path != path:
            found.append(f"status {response and response.status} at {page.url}")
        problems += [f"{path}: {p}" for p in found]
    return problems


def test_every_page_type_works_under_the_policy(
    browser_page, live_server, world, admin_user, auditor
):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    watch = Watch(page)
    superuser = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    users = {"admin": admin_user, "auditor": auditor, "superuser": superuser}
    run = Run(world, users, live_server.url, "en")
    problems = _walk(page, run, watch) + _walk_outside(page, run, watch)
    assert not problems, "under the Content-Security-Policy:\n" + "\n".join(problems)
    # the scripted parts ran: the API documentation lists its operations. Swagger UI lays out
    # ~170 of them from a ~440 KB document: ~3 s on a quiet machine, past 5 s on a busy one.
    page.goto("/api/v1/docs")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    assert not watch.take()


def test_the_queue_select_all_box_works_under_the_policy(
    browser_page, live_server, world, admin_user
):
    page = browser_page
    watch = Watch(page)
    _become(page, "admin", "en", Run(world, {"admin": admin_user}, live_server.url, "en"))
    page.goto("/staff/")
    select_all = page.locator("#select-all")
    boxes = page.locator("table.queue tbody input[name=bulk-case]")
    expect(select_all).to_be_visible()  # queue.js un-hides it
    assert boxes.count() > 1
    select_all.check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    boxes.first.uncheck()
    expect(select_all).not_to_be_checked()
    boxes.first.check()
    expect(select_all).to_be_checked()
    assert not watch.take()


def test_a_violation_is_caught(browser_page, live_server):
    """The wiring itself: an inline style on a page under the policy is reported."""
    page = browser_page
    watch = Watch(page)
    page.goto("/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>main{color:red}</style>')")
    page.wait_for_timeout(200)
    problems = watch.take()
    assert any(p.startswith("violation: style-src") for p in problems), problems


def test_the_server_error_page_keeps_its_style_under_its_policy(browser_page, live_server):
    """The 500 page's <style> block is allowed by its hash: Chromium applies it and reports
    nothing. (The page as Django sends it, answered by the browser's router: no view fails.)"""
    page = browser_page
    watch = Watch(page, policy=csp.SERVER_ERROR_POLICY)
    body = get_template("500.html").render()
    page.route(
        "**/server-error",
        lambda route: route.fulfill(
            status=500,
            headers={csp.HEADER: csp.SERVER_ERROR_POLICY},
            content_type="text/html; charset=utf-8",
            body=body,
        ),
    )
    page.goto("/server-error")
    width = page.evaluate("getComputedStyle(document.querySelector('main')).maxInlineSize")
    assert width == "640px"  # 40rem: the block applied
    assert watch.take() == []
