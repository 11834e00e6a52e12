"""axe-core over every page type, in Debian's headless Chromium driven by Playwright: each page in
``PAGES`` is opened in English and in Persian (right to left) and checked at 1280 and at 390 px
(the window resized between the two, no reload: ``check_pages``), and axe must report no violation
of any impact, nor may the page be wider than the window or break an inline form over lines
(``LAYOUT_PROBLEMS``); in Ukrainian, Estonian and Swedish each page is checked for that layout
at 390 px. A failure lists every violation with its rule, impact, the elements it found and axe's
help text. ``test_axe_more.PAGES`` is the second table, of the apps
added later, run the same way; ``test_axe_coverage`` checks that every URL is in one of them.

axe-core comes bundled in the ``axe-playwright-python`` package (the ``test`` extra), so nothing
third-party is committed here. The run also saves screenshots of the pages people look at most
(``screenshot=`` in the table) to ``test-artifacts/screenshots/`` (gitignored); the test command
prints the directory at the end.

To add a page, add a row to a table: a name, its path (``{w.…}`` fields come from ``World``,
``{lang}`` is the language of the pass), who is signed in, and, for a page reached by a form, the
function that submits it. Each page must answer with its status, without a redirect, with
``<html lang>`` in the pass's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from plaint.complaints import demo as complaints_demo
from plaint.complaints.models import Complaint
from plaint.complaints.services import (
    complaint_assign,
    message_post,
    reply_template_create,
    saved_view_create,
)
from plaint.core.actors import Actor
from plaint.core.models import BusinessCalendar
from plaint.core.uploads import check_uploads
from plaint.insights import demo as insights_demo
from plaint.organisation import demo as organisation_demo
from plaint.promises import demo as promises_demo
from plaint.promises.models import Code, Promise
from plaint.surveys import demo as surveys_demo
from plaint.surveys.models import Survey
from tests.e2e.conftest import save_screenshot
from tests.factories import advance, make_complaint
from tests.surveys.factories import invite, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {1280: 900, 390: 844}
PHONE = 390
LANGUAGES = ("en", "fa")
# The other three languages: their pages are checked at phone width for what their longer words
# do to a layout (``LAYOUT_PROBLEMS``: Ukrainian "Відкривається" made a calendar 414 px wide);
# axe's rules find nothing in a translation that the English and Persian passes would not.
LAYOUT_LANGUAGES = ("uk", "et", "sv")
# A table's passes: axe and the layout at both widths in English and in Persian, each a test of
# its own; the layout alone at phone width in the other three, one test (one seeding of the data).
PASSES = [
    *(pytest.param((language,), True, id=language) for language in LANGUAGES),
    pytest.param(LAYOUT_LANGUAGES, False, id="-".join(LAYOUT_LANGUAGES) + "-layout"),
]
PASSWORD = "correct horse battery staple"  # the personas' (tests/factories.py)
# axe's default rule set: WCAG 2.0/2.1/2.2 A and AA and its best practices; every impact counts.
AXE_OPTIONS = {"resultTypes": ["violations"]}


@dataclass
class World:
    """What the paths in ``PAGES`` name: tracking tokens, references and ids of the seeded data."""

    token: str = ""  # a new case with a file the complainant sent
    decided_token: str = ""  # a case whose decision the complainant can accept or decline
    received: str = ""  # references of cases in a few states
    investigating: str = ""
    decided: str = ""
    closed: str = ""
    code: int = 0  # a published code of conduct, its promise and a draft next version
    code_slug: str = ""
    code_version: int = 0
    draft: int = 0
    promise: int = 0
    survey: int = 0  # an active survey with responses, and an invitation to it
    survey_token: str = ""
    draft_survey: int = 0  # a survey still being written, and one of its questions
    question: int = 0
    calendar: int = 0
    reply_template: int = 0


# --- the forms some pages are reached through -------------------------------------------------


def _submit_empty_complaint(page: Page) -> None:
    page.locator("form:has([name=description]) button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _file_complaint(page: Page) -> None:
    form = page.locator("form:has([name=description])")
    form.locator("[name=name]").fill("Kadri Kask")
    form.locator("[name=email]").fill("kadri@example.org")
    form.locator("[name=description]").fill("The train was cancelled and nobody told us.")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#reference")).to_be_visible()


def _ask_to_withdraw(page: Page) -> None:
    page.locator("#withdraw-button").click()
    expect(page.locator("#withdraw-confirmation")).to_be_visible()


def _ask_to_reject(page: Page) -> None:
    form = page.locator("#step-form")
    form.locator("textarea").first.fill("We do not sell this product.")
    form.locator("button[name=step]").click()
    expect(page.locator("#step-confirmation")).to_be_visible()


def _propose_nothing(page: Page) -> None:
    """Propose a remedy without saying what it is: the step's page comes back with its errors."""
    form = page.locator("#step-form")
    form.locator("[name$=remedy_1_kind]").select_option("refund")
    form.locator("button[name=step]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _sign_in_wrongly(page: Page) -> None:
    form = page.locator("form:has([name=password])")
    form.locator("[name=username]").fill("nobody")
    form.locator("[name=password]").fill("not the password")
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _answer_nothing(page: Page) -> None:
    """Send the survey without the required overall rating (it is not on the first page)."""
    while page.locator("button[value=next]").count():
        with page.expect_navigation():
            page.locator("button[value=next]").click()
    page.locator("button[value=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _save_for_later(page: Page) -> None:
    with page.expect_navigation():
        page.locator("button[value=save]").click()


def _ask_to_assign_many(page: Page) -> None:
    """Tick two cases of the queue and ask to give them to someone: the bulk confirmation."""
    boxes = page.locator("table.queue tbody input[name=bulk-case]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    bulk = page.locator("fieldset.bulk-actions")
    bulk.locator("select[name=bulk-assignee]").select_option(index=1)
    bulk.locator("button[value=assign]").click()
    expect(page.locator("#bulk-confirmation")).to_be_visible()


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One page type: ``path`` is formatted with ``w`` (the ``World``); ``who`` is "public" (signed
    out), "admin", "auditor" or "neutral"; ``act`` submits the form that leads to the page;
    ``screenshot`` lists the languages in which the page is saved at each width."""

    name: str
    path: str
    who: str = "public"
    status: int = 200
    act: Callable[[Page], None] | None = None
    screenshot: tuple[str, ...] = field(default=())
    reaches: str = ""  # the route ``act`` leads to, when it is another (test_axe_coverage)


PAGES: list[Visit] = [
    # public: the complainant
    Visit("home", "/"),
    Visit("complain form", "/complain/"),
    Visit("complain form with errors", "/complain/", act=_submit_empty_complaint),
    Visit("thanks", "/complain/", act=_file_complaint),
    Visit("tracking page", "/track/{w.token}/", screenshot=("en", "fa")),
    Visit("tracking page with a decision", "/track/{w.decided_token}/"),
    Visit("withdraw confirmation", "/track/{w.token}/", act=_ask_to_withdraw),
    Visit("tracking link unknown", "/track/not-a-token/", status=404),
    Visit("no such page", "/no-such-page/", status=404),
    Visit("codes of conduct", "/codes/"),
    Visit("code of conduct", "/codes/{w.code_slug}/v{w.code_version}/"),
    # a survey's pages speak the invitation's language unless the link names one
    Visit("survey answer", "/survey/{w.survey_token}/?lang={lang}"),
    Visit(
        "survey answer with errors", "/survey/{w.survey_token}/?lang={lang}", act=_answer_nothing
    ),
    Visit("survey saved for later", "/survey/{w.survey_token}/?lang={lang}", act=_save_for_later),
    Visit("survey thanks", "/survey/thanks/?lang={lang}"),
    Visit("survey opt-out", "/survey/{w.survey_token}/opt-out/?lang={lang}"),
    Visit("survey link problem", "/survey/not-a-token/", status=404),
    Visit("staff login", "/staff/login/"),
    Visit("staff login with errors", "/staff/login/", act=_sign_in_wrongly),
    # staff: complaints
    Visit("queue", "/staff/", "admin", screenshot=("en",)),
    Visit("queue searched", "/staff/?q=parcel&state=investigating", "admin"),
    Visit("queue, nothing found", "/staff/?q=zzzzzz", "admin"),
    Visit("saved views", "/staff/views/", "admin"),
    Visit("bulk confirmation", "/staff/?sort=newest", "admin", act=_ask_to_assign_many),
    Visit("case received", "/staff/complaints/{w.received}/", "admin"),
    Visit("case open", "/staff/complaints/{w.investigating}/", "admin", screenshot=("en",)),
    Visit(
        "step page",
        "/staff/complaints/{w.investigating}/step/record_findings/",
        "admin",
        screenshot=("en", "fa"),
    ),
    Visit(
        "step page with errors",
        "/staff/complaints/{w.investigating}/step/propose_response/",
        "admin",
        act=_propose_nothing,
    ),
    Visit("assign page", "/staff/complaints/{w.investigating}/assign/", "admin"),
    Visit("case decided", "/staff/complaints/{w.decided}/", "admin"),
    Visit("case closed", "/staff/complaints/{w.closed}/", "admin"),
    Visit(
        "step confirmation",
        "/staff/complaints/{w.received}/step/reject_out_of_scope/",
        "admin",
        act=_ask_to_reject,
    ),
    Visit("new complaint", "/staff/complaints/new/", "admin"),
    Visit("categories", "/staff/settings/categories/", "admin"),
    Visit("reply templates", "/staff/settings/templates/", "admin"),
    Visit("reply template", "/staff/settings/templates/{w.reply_template}/", "admin"),
    # staff: the organisation
    Visit("settings", "/staff/settings/", "admin"),
    Visit("calendars", "/staff/settings/calendars/", "admin"),
    Visit("calendar", "/staff/settings/calendars/{w.calendar}/", "admin"),
    # staff: promises
    Visit("codes", "/staff/promises/", "admin"),
    Visit("code", "/staff/promises/codes/{w.code}/", "admin"),
    Visit("new code", "/staff/promises/codes/new/", "admin"),
    Visit("draft code", "/staff/promises/codes/{w.draft}/", "admin"),
    Visit("edit code", "/staff/promises/codes/{w.draft}/edit/", "admin"),
    Visit("code diff", "/staff/promises/codes/{w.draft}/diff/", "admin"),
    Visit("new promise", "/staff/promises/codes/{w.draft}/promises/new/", "admin"),
    Visit("edit promise", "/staff/promises/promises/{w.promise}/edit/", "admin"),
    Visit("regulatory pauses", "/staff/promises/pauses/", "admin"),
    Visit("regulatory profiles", "/staff/promises/profiles/", "admin"),
    Visit("scorecard", "/staff/promises/scorecard/", "admin"),
    # staff: surveys
    Visit("surveys", "/staff/surveys/", "admin"),
    Visit("new survey", "/staff/surveys/new/", "admin"),
    Visit("survey", "/staff/surveys/{w.survey}/", "admin"),
    Visit("edit survey", "/staff/surveys/{w.draft_survey}/edit/", "admin"),
    Visit("draft survey", "/staff/surveys/{w.draft_survey}/", "admin"),
    Visit("edit question", "/staff/surveys/questions/{w.question}/edit/", "admin"),
    Visit("survey responses", "/staff/surveys/{w.survey}/responses/", "admin"),
    Visit("survey invitations", "/staff/surveys/{w.survey}/invitations/", "admin"),
    Visit("survey import", "/staff/surveys/{w.survey}/import/", "admin"),
    Visit("contacts", "/staff/surveys/contacts/", "admin"),
    Visit("call-backs", "/staff/surveys/callbacks/", "admin"),
    # staff: insights
    Visit("insights", "/staff/insights/", "admin", screenshot=("en",)),
    # staff: improvement
    Visit("analysis", "/staff/analysis/", "admin"),
    Visit("recurring issues", "/staff/analysis/clusters/", "admin"),
    Visit("root causes", "/staff/analysis/causes/", "admin"),
    # staff: notifications
    Visit("notifications", "/staff/notifications/", "admin"),
    Visit("notification settings", "/staff/notifications/settings/", "admin"),
    Visit("teams' categories", "/staff/notifications/teams/", "admin"),
    # refusals
    Visit("404", "/staff/complaints/C-1999-999999/", "admin", status=404),
    Visit("403", "/staff/promises/codes/new/", "auditor", status=403),
]
SIGN_IN_ORDER = ("public", "admin", "auditor", "neutral")


# --- the data -----------------------------------------------------------------------------------


def _cases(world: World, manager, handler) -> None:
    photo = SimpleUploadedFile("receipt.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
    received, world.token = make_complaint(
        desired_outcome="Refund the delivery fee.", attachments=check_uploads([photo])
    )
    world.received = received.reference
    investigating, _token = make_complaint(product="Parcel delivery")
    investigating = advance(investigating, "investigating", by=handler)
    staff = Actor.staff(handler)
    message_post(
        complaint_id=investigating.pk, actor=staff, body="Asked the courier.", internal=True
    )
    message_post(complaint_id=investigating.pk, actor=staff, body="We are looking into it.")
    world.investigating = investigating.reference
    decided, world.decided_token = make_complaint()
    world.decided = advance(decided, "decision_communicated", by=handler).reference
    closed, _token = make_complaint()
    world.closed = advance(closed, "closed", by=handler).reference


@pytest.fixture
def world(manager, handler, admin_user) -> World:
    """The demo's data, smaller, and a case in each state the table visits."""
    complaints_demo.seed_demo(complaints=20, seed=7)
    now = timezone.now()
    organisation_demo.seed_demo(now=now)
    promises_demo.seed_demo(now=now)
    surveys_demo.seed_demo(now=now, contacts=100)
    insights_demo.seed_demo(now=now)
    world = World()
    _cases(world, manager, handler)
    saved_view_create(user=admin_user, name="Parcels", query="q=parcel&sort=oldest")
    # the admin's notifications list has an item: a case handed to them
    complaint_assign(
        complaint_id=Complaint.objects.get(reference=world.investigating).pk,
        actor=Actor.staff(handler),
        assignee_id=admin_user.pk,
    )
    code = Code.objects.filter(state="published").order_by("pk").first()
    draft = Code.objects.filter(state="draft").order_by("pk").first()
    assert code is not None and draft is not None, "the promises demo has a published and a draft"
    world.code, world.code_slug, world.code_version = code.pk, code.slug, code.version
    world.draft = draft.pk
    world.promise = (
        Promise.objects.filter(code=draft).order_by("pk").values_list("pk", flat=True)[0]
    )
    survey = Survey.objects.filter(responses__isnull=False).order_by("pk").first()
    assert survey is not None
    world.survey = survey.pk
    _invitation, world.survey_token = invite(manager, survey, email="axe@example.org")
    draft_survey = make_survey(manager, key="axe-draft", activate=False)
    world.draft_survey = draft_survey.pk
    world.question = draft_survey.questions.order_by("pk").values_list("pk", flat=True)[0]
    world.calendar = BusinessCalendar.objects.order_by("pk").values_list("pk", flat=True)[0]
    world.reply_template = reply_template_create(
        actor=Actor.staff(manager),
        name="Apology",
        texts={"en": "Dear {name}, we are sorry.", "fa": "{name} گرامی، پوزش می‌خواهیم."},
    ).pk
    return world


# --- the run ------------------------------------------------------------------------------------

# What axe does not look at, as a person would see it: the page wider than the window, and a form
# laid out inline whose fields wrap onto more lines (its background and padding drawn per line
# over the fields: a right-to-left label came out with its first letter hidden).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }
  for (const form of document.querySelectorAll("form")) {
    const lines = form.getClientRects().length;
    if (getComputedStyle(form).display === "inline" && lines > 1) {
      problems.push(`an inline form (${form.className || form.id}) broken over ${lines} lines`);
    }
  }
  return problems;
}"""


@dataclass
class Run:
    """One language's pass: the seeded data, who signs in, the live server, axe-core."""

    world: World
    users: dict
    base_url: str
    language: str
    axe: Axe = field(default_factory=Axe)


def _become(page: Page, who: str, language: str, run: Run) -> None:
    """Signed out, in ``language`` (the language cookie, as the switcher sets it), then signed in
    as ``who`` unless it is "public"."""
    page.context.clear_cookies()
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": run.base_url}
    page.context.add_cookies([cookie])
    if who == "public":
        return
    page.goto("/staff/login/")
    form = page.locator("form:has([name=password])")
    form.locator("[name=username]").fill(run.users[who].username)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("a.brand")).to_be_visible()


def violation_report(where: str, violations: list[dict]) -> list[str]:
    """A line per violation (rule id, impact, axe's help and its link) and a line per element it
    names (the CSS target and what to fix)."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    return lines


def _visit(page: Page, visit: Visit, path: str, language: str) -> str:
    """Open the page (and submit its form); returns what went wrong, or "" when the page is the
    one asked for (its status, no redirect to the login page) in the language asked for."""
    try:
        response = page.goto(path)
    except PlaywrightError as exc:
        return str(exc).splitlines()[0]
    if response is None:
        return "no response"
    if visit.act is not None:
        try:
            visit.act(page)
        except (PlaywrightError, AssertionError) as exc:
            return f"{visit.act.__name__}: {str(exc).splitlines()[0]}"
    elif response.status != visit.status:
        return f"status {response.status}, expected {visit.status}"
    elif urlsplit(page.url).path != urlsplit(path).path:
        return f"redirected to {page.url}"
    lang = page.locator("html").get_attribute("lang") or ""
    return "" if lang.startswith(language) else f'<html lang="{lang}">, expected {language}'


def axe_violations(page: Page, axe: Axe) -> list[dict]:
    """axe-core's violations on the page as it is laid out now. axe-core is put into the document
    once: a run at the other width, after the window is resized, uses it again."""
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(axe.axe_script)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def check_pages(page: Page, run: Run, pages: list[Visit], *, axe: bool = True) -> list[str]:
    """Every page of ``pages`` in the run's language, each opened once and checked at every
    width of ``WIDTHS`` (the window resized: the stylesheet lays the page out again, as it does
    for a window of that width; no page's script reads the width); returns the problems found.
    ``axe=False``: the layout only (``LAYOUT_PROBLEMS``), at phone width only."""
    problems: list[str] = []
    widths = WIDTHS if axe else {PHONE: WIDTHS[PHONE]}
    language, who = run.language, None
    for visit in sorted(pages, key=lambda v: SIGN_IN_ORDER.index(v.who)):
        name = re.sub(r"\W+", "-", visit.name)
        if visit.who != who:
            _become(page, visit.who, language, run)
            who = visit.who
        path = visit.path.format(w=run.world, lang=language)
        problem = _visit(page, visit, path, language)
        if problem:
            problems.append(f"{visit.name} [{language}]: {problem} ({path})")
            continue
        for width, height in widths.items():
            page.set_viewport_size({"width": width, "height": height})
            where = f"{visit.name} [{width}px, {language}]"
            if axe:
                problems += violation_report(where, axe_violations(page, run.axe))
            problems += [f"{where}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
            if language in visit.screenshot:
                save_screenshot(page, f"{name}-{language}-{width}")
    return problems


def check_passes(page: Page, run: Run, pages: list[Visit], languages, *, axe: bool) -> list[str]:
    """``check_pages`` for each of ``languages`` in turn (``run``'s language is replaced)."""
    problems: list[str] = []
    for language in languages:
        problems += check_pages(page, replace(run, language=language), pages, axe=axe)
    return problems


@pytest.mark.parametrize(("languages", "axe"), PASSES)
def test_every_page_type_has_no_axe_violation_and_fits_the_window(
    browser_page, live_server, world, admin_user, auditor, languages, axe
):
    """One browser context per pass (xdist runs them side by side)."""
    run = Run(world, {"admin": admin_user, "auditor": auditor}, live_server.url, languages[0])
    problems = check_passes(browser_page, run, PAGES, languages, axe=axe)
    assert not problems, "axe or the layout check found:\n" + "\n".join(problems)


def test_a_violation_is_reported_with_its_rule_impact_target_and_help(browser_page):
    """The wiring itself (``axe_violations``, as the tables run it): axe runs in the page and a
    failure names what to fix."""
    page = browser_page
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><main><img id="logo" src="data:,"></main></body></html>'
    )
    lines = violation_report("sample", axe_violations(page, Axe()))
    assert lines[0].startswith("sample: image-alt (critical): Images must have alternative text")
    assert "https://dequeuniversity.com/rules/axe/" in lines[0]
    assert lines[1].startswith("    #logo: Fix any of the following:")


def test_what_axe_asked_for_as_a_person_sees_it(browser_page, live_server, manager):
    """The fixes this test led to: the pauses' and profiles' action columns are named, and a case
    that is not there answers inside the staff console."""
    page = browser_page
    _become(page, "manager", "en", Run(World(), {"manager": manager}, live_server.url, "en"))
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path, table in (("pauses/", "#pauses"), ("profiles/", "#selections")):
            page.goto(f"/staff/promises/{path}")
            expect(page.locator(f"{table} thead th").last).to_have_text("Actions")
        save_screenshot(page, f"profiles-en-{width}")
        response = page.goto("/staff/complaints/C-1999-999999/")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Not found")
        expect(page.locator("a.brand")).to_have_attribute("href", "/staff/")
        expect(page.locator("nav")).to_contain_text("Queue")
        save_screenshot(page, f"staff-404-en-{width}")
