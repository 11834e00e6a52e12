"""axe-core over the page types the apps added after ``test_axe.PAGES`` was written: ISO 10003
disputes (staff, the neutral's portal, the complainant's and the public's pages), the improvement
loop (analysis returns, corrective actions, internal audits, management reviews, policy and
training), personal data, webhooks, the access log, duties, history import, two-step sign-in and
undelivered notifications. The same run as ``test_axe``: each page at 1280 and 390 px, in English
and in Persian, no axe violation of any impact, nothing wider than the window and no inline form
broken over lines (``test_axe.LAYOUT_PROBLEMS``).

A second module so that the two tables run side by side on the test command's two workers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from plaint.accounts.models import User
from plaint.complaints import demo as complaints_demo
from plaint.complaints.models import Category
from plaint.core.actors import Actor
from plaint.disputes import demo as disputes_demo
from plaint.disputes.models import Dispute, DisputePolicy, LegalReferral
from plaint.improvement import demo as improvement_demo
from plaint.improvement.models import CorrectiveAction
from plaint.improvement.models_audit import AuditProgramme, Finding
from plaint.improvement.models_policy import Course, PolicyVersion
from plaint.improvement.models_review import ManagementReview
from plaint.notifications import demo as notifications_demo
from plaint.organisation import demo as organisation_demo
from plaint.promises import demo as promises_demo
from plaint.webhooks.models import EventName
from plaint.webhooks.services import webhook_create
from tests.disputes.cases import provider_with_all_methods, refer
from tests.e2e.test_axe import PASSES, PASSWORD, Run, Visit, check_passes
from tests.factories import UserFactory, advance, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A provider's export of past outcomes: a header and a row.
OUTCOMES = (
    b"Reference;Case number;Outcome;Opened;Decided\r\nC-2026-000001;TVK-1/2026;Upheld;02.02.2026;"
    b"14.03.2026\r\n"
)
# A member of staff who signs in with an authenticator app.
TWO_STEP_MEMBER = "axe-two-step"
# A helpdesk's export, as the history import's own tests send it.
HISTORY_SAMPLE = Path(__file__).resolve().parents[1] / "complaints" / "data" / "cfpb_sample.csv"


@dataclass
class World:
    """What the paths in ``PAGES`` name."""

    dispute: int = 0  # a dispute of the demo, with the demo's neutral on it
    provider: int = 0
    dispute_policy: int = 0
    referral_case: str = ""  # a complaint with a legal referral
    dispute_token: str = ""  # the tracking token of a complaint with a dispute
    open_token: str = ""  # the tracking token of a decided complaint without one, its reference
    open_case: str = ""
    corrective: int = 0
    review: int = 0
    policy: int = 0
    course: int = 0
    person: int = 0
    programme: int = 0
    audit: int = 0
    finding: int = 0
    category: int = 0
    webhook: int = 0


def _upload_history(page: Page) -> None:
    """Send a helpdesk's export: the mapping page, with its preview."""
    page.locator("input[name=file]").set_input_files(str(HISTORY_SAMPLE))
    page.locator("input[name=source]").fill("cfpb")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-preview")).to_be_visible()


def _dry_run_history(page: Page) -> None:
    """The same export's dry run: the import's page, with its report (or its progress)."""
    _upload_history(page)
    page.locator("#dry-run").click()
    expect(page.locator("h1")).to_be_visible()
    assert "/staff/history/imports/" in page.url, page.url


def _upload_outcomes(page: Page) -> None:
    """A provider's export of past outcomes: the dispute import's mapping page."""
    page.locator("select[name=provider]").select_option(index=1)
    page.locator("input[name=file]").set_input_files(
        {"name": "outcomes.csv", "mimeType": "text/csv", "buffer": OUTCOMES}
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#dry-run")).to_be_visible()


def _password_of_a_two_step_member(page: Page) -> None:
    """Sign in as a member with an authenticator app: the page that asks for its code."""
    form = page.locator("form:has([name=password])")
    form.locator("[name=username]").fill(TWO_STEP_MEMBER)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("input[name=code]")).to_be_visible()


PAGES: list[Visit] = [
    # public
    Visit("dispute policy", "/disputes/policy/"),
    Visit("dispute policy version", "/disputes/policy/{w.dispute_policy}/"),
    Visit("complaints policy", "/policy/"),
    Visit("complaints policy version", "/policy/{w.policy}/"),
    Visit("the complainant's dispute", "/disputes/track/{w.dispute_token}/"),
    Visit("the complainant's dispute options", "/disputes/track/{w.open_token}/"),
    # staff: disputes
    Visit("disputes", "/staff/disputes/", "admin"),
    Visit("dispute", "/staff/disputes/{w.dispute}/", "admin"),
    Visit("held notices", "/staff/disputes/held-notices/", "admin"),
    Visit("providers", "/staff/disputes/providers/", "admin"),
    Visit("provider", "/staff/disputes/providers/{w.provider}/", "admin"),
    Visit("eligibility", "/staff/disputes/eligibility/", "admin"),
    Visit("eligibility answer", "/staff/disputes/eligibility/?complaint={w.open_case}", "admin"),
    Visit(
        "referral form",
        "/staff/disputes/refer/?complaint={w.open_case}&provider={w.provider}",
        "admin",
    ),
    Visit("dispute reports", "/staff/disputes/reports/", "admin"),
    Visit("annual dispute report", "/staff/disputes/reports/annual/", "admin"),
    Visit("dispute policies", "/staff/disputes/policy/", "admin"),
    Visit("dispute policy draft", "/staff/disputes/policy/{w.dispute_policy}/", "admin"),
    Visit("legal referrals", "/staff/disputes/legal/", "admin"),
    Visit("legal referral of a case", "/staff/disputes/legal/case/{w.referral_case}/", "admin"),
    Visit("dispute import", "/staff/disputes/import/", "admin"),
    Visit(
        "two-step code",
        "/staff/login/",
        act=_password_of_a_two_step_member,
        reaches="staff:login_verify",
    ),
    # the neutral's portal
    Visit("neutral's disputes", "/neutral/", "neutral"),
    Visit("neutral's dispute", "/neutral/{w.dispute}/", "neutral"),
    # staff: improvement
    Visit("objectives", "/staff/improvement/objectives/", "admin"),
    Visit("corrective actions", "/staff/improvement/corrective-actions/", "admin"),
    Visit("new corrective action", "/staff/improvement/corrective-actions/new/", "admin"),
    Visit("corrective action", "/staff/improvement/corrective-actions/{w.corrective}/", "admin"),
    Visit("internal audits", "/staff/improvement/audits/", "admin"),
    Visit("audit plan", "/staff/improvement/audits/programmes/{w.programme}/plan/", "admin"),
    Visit("audit", "/staff/improvement/audits/{w.audit}/", "admin"),
    Visit("audit report", "/staff/improvement/audits/{w.audit}/report/", "admin"),
    Visit(
        "finding's corrective action",
        "/staff/improvement/audits/{w.audit}/findings/{w.finding}/corrective-action/",
        "admin",
    ),
    Visit("management reviews", "/staff/improvement/reviews/", "admin"),
    Visit("management review", "/staff/improvement/reviews/{w.review}/", "admin"),
    Visit("policy versions", "/staff/improvement/policy/", "admin"),
    Visit("policy version", "/staff/improvement/policy/{w.policy}/", "admin"),
    Visit("training", "/staff/improvement/training/", "admin"),
    Visit("a person's training", "/staff/improvement/training/people/{w.person}/", "admin"),
    Visit("courses", "/staff/improvement/training/courses/", "admin"),
    Visit("course", "/staff/improvement/training/courses/{w.course}/", "admin"),
    Visit("regulatory returns", "/staff/improvement/returns/", "admin"),
    Visit("return mappings", "/staff/improvement/returns/mappings/", "admin"),
    # staff: the rest
    Visit("personal data", "/staff/privacy/", "admin"),
    Visit("personal data found", "/staff/privacy/?query=axe-person@example.org", "admin"),
    Visit("retention", "/staff/privacy/retention/", "admin"),
    Visit("webhooks", "/staff/settings/webhooks/", "admin"),
    Visit("webhook", "/staff/settings/webhooks/{w.webhook}/", "admin"),
    Visit("access log", "/staff/audit/reads/", "admin"),
    Visit("category access", "/staff/settings/categories/{w.category}/", "admin"),
    Visit("duties", "/staff/settings/duties/", "admin"),
    Visit("history import", "/staff/history/import/", "admin"),
    Visit(
        "history import mapping",
        "/staff/history/import/",
        "admin",
        act=_upload_history,
        reaches="staff:history_mapping",
    ),
    Visit(
        "history import report",
        "/staff/history/import/",
        "admin",
        act=_dry_run_history,
        reaches="staff:history_import",
    ),
    Visit(
        "dispute import mapping",
        "/staff/disputes/import/",
        "admin",
        act=_upload_outcomes,
        reaches="disputes:import_mapping",
    ),
    Visit("two-step sign-in", "/staff/account/two-step/", "admin"),
    Visit("undelivered notifications", "/staff/notifications/undelivered/", "admin"),
]


@pytest.fixture
def world(manager, handler, admin_user) -> World:
    """The demo's disputes and improvement loop over a few demo complaints, and the cases and
    records the table's paths name."""
    complaints_demo.seed_demo(complaints=40, seed=7)
    now = timezone.now()
    for app in (
        organisation_demo,
        promises_demo,
        notifications_demo,
        disputes_demo,
        improvement_demo,
    ):
        app.seed_demo(now=now)
    world = World()
    member = UserFactory(username=TWO_STEP_MEMBER, role="handler")
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    neutral = User.objects.get(username="neutral")
    neutral.set_password(PASSWORD)
    neutral.save()
    world.dispute = Dispute.objects.filter(neutral_user=neutral).order_by("pk")[0].pk
    provider = provider_with_all_methods(manager, name="Axe Disputes Committee")
    world.provider = provider.pk
    complaint, world.dispute_token = make_complaint(email="axe-person@example.org")
    refer(handler, advance(complaint, "decision_communicated", by=handler), provider)
    opened, world.open_token = make_complaint()
    world.open_case = advance(opened, "decision_communicated", by=handler).reference
    world.dispute_policy = DisputePolicy.objects.order_by("-version").values_list(
        "version", flat=True
    )[0]
    referral = LegalReferral.objects.order_by("pk").select_related("complaint")[0]
    world.referral_case = referral.complaint.reference
    world.corrective = CorrectiveAction.objects.order_by("pk").values_list("pk", flat=True)[0]
    world.review = ManagementReview.objects.order_by("pk").values_list("pk", flat=True)[0]
    world.policy = PolicyVersion.objects.order_by("version").values_list("version", flat=True)[0]
    world.course = Course.objects.order_by("pk").values_list("pk", flat=True)[0]
    world.person = handler.pk
    world.programme = AuditProgramme.objects.order_by("pk").values_list("pk", flat=True)[0]
    finding = Finding.objects.order_by("pk")[0]
    world.audit, world.finding = finding.audit_id, finding.pk
    world.category = Category.objects.order_by("pk").values_list("pk", flat=True)[0]
    webhook, _secret = webhook_create(
        actor=Actor.staff(admin_user),
        name="Service desk",
        url="https://hooks.example.org/plaint",
        events=[EventName.COMPLAINT_CREATED],
    )
    world.webhook = webhook.pk
    return world


@pytest.mark.parametrize(("languages", "axe"), PASSES)
def test_every_later_page_type_has_no_axe_violation_and_fits_the_window(
    browser_page, live_server, world, admin_user, languages, axe
):
    neutral = User.objects.get(username="neutral")
    users = {"admin": admin_user, "neutral": neutral}
    run = Run(world, users, live_server.url, languages[0])
    problems = check_passes(browser_page, run, PAGES, languages, axe=axe)
    assert not problems, "axe or the layout check found:\n" + "\n".join(problems)
