"""From a recurring issue to a corrective action that worked, as a manager does it in Chromium:
the recurring-issues page finds the cluster and lists its complaints; the action opened from it
is contained, its cause found with a cause tree, its action planned, started and done; the
worker tells in the app that the check falls due; on its day the manager runs it, and the page
shows the indicator read again beside its baseline and the verdict. Time moves with
``time_machine`` (forward only: the browser's cookies keep real time). The workspace is
screenshotted at 1280 and 390 px in English and Persian."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from plaint.improvement import services as s
from plaint.improvement.models import CorrectiveAction
from tests.e2e.conftest import keep_screenshot, sign_in
from tests.factories import CategoryFactory, make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Always ahead of the real clock, so the session cookies the browser keeps stay valid.
YEAR = dt.date.today().year + 1
OPENED = dt.datetime(YEAR, 3, 10, 9, tzinfo=dt.UTC)
LEAKS = [
    "The kettle leaks from the base after a week.",
    "Water drips out under my new kettle.",
    "Kettle K-200 started leaking on the second day.",
    "My kettle puddles water on the counter every time.",
]


def _shots(page, tmp_path, name):
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        keep_screenshot(page, tmp_path, f"{name}-{label}")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} scrolls sideways at {label} px"
    page.set_viewport_size(DESKTOP)


def _seed() -> list[str]:
    """Four leaking kettles in February (one recurring issue: same product and category) and two
    complaints of their own kind."""
    CategoryFactory(code="product_fault", name="Product fault")
    CategoryFactory(code="billing", name="Billing")
    with time_machine.travel(OPENED - dt.timedelta(days=12), tick=False):
        kettles = [
            make_complaint(
                subject="Kettle leaks", description=text, product="Kettle K-200",
                category="product_fault",
            )[0].reference
            for text in LEAKS
        ]  # fmt: skip
        make_complaint(subject="Invoice", description="I was charged twice.", category="billing")
        make_complaint(subject="Rude", description="The assistant was rude to my mother.")
    return kettles


def _find_the_cluster_and_open_an_action(page, kettles):
    page.goto("/staff/analysis/clusters/")
    expect(page.locator("#no-run")).to_be_visible()
    page.get_by_role("button", name="Look for recurring issues now").click()
    expect(page.locator(".message").first).to_contain_text("1 recurring issue found")
    cluster = page.locator("article.cluster").filter(has_text="Same product and category")
    expect(cluster).to_contain_text("Kettle K-200")
    expect(cluster).to_contain_text("4 complaints")
    cluster.get_by_text("The complaints").click()
    for reference in kettles:
        expect(cluster.get_by_role("link", name=reference)).to_be_visible()
    cluster.get_by_role("link", name="Open a corrective action").click()
    expect(page.get_by_label("Source reference")).to_have_value(re.compile("Recurring issue"))
    expect(page.get_by_label("Product")).to_have_value("Kettle K-200")
    page.get_by_label("Problem statement").fill("Four customers in a month: K-200 kettles leak.")
    page.get_by_label("Target").fill("1")
    page.get_by_label("Months read before and after").fill("1")
    page.get_by_role("button", name="Open the corrective action").click()
    expect(page.locator("#ca-state")).to_have_text("Open")
    expect(page.locator("#baseline")).to_have_text(re.compile(r"^4\b"))


def _contain_and_find_the_cause(page):
    page.get_by_role("textbox", name=re.compile("^Containment")).fill(
        "Stop shipping K-200 from batch 12; swap on request."
    )
    page.get_by_role("button", name="Record the containment").click()
    expect(page.locator("#ca-state")).to_have_text("Contained")
    tree = page.locator("#tree-form")
    for parent, text in (
        ("The problem itself", "Seal fails at the base"),
        ("Seal fails at the base", "Seal ring too thin"),
        ("— Seal ring too thin", "Supplier changed the ring spec unannounced"),
        ("The problem itself", "Customers overfill"),
    ):
        if not tree.is_visible():
            page.get_by_text("Add a cause", exact=True).click()
        tree.get_by_label("Under").select_option(label=parent)
        tree.get_by_label("Cause").fill(text)
        tree.get_by_role("button", name="Add the cause").click()
        expect(page.locator("#cause-tree")).to_contain_text(text)
    supplier = page.locator("#cause-tree li").filter(has_text="Supplier changed").last
    supplier.get_by_role("button", name="Mark as the root cause").click()
    root = page.locator("#cause-tree li.cause-root")
    expect(root).to_contain_text("Supplier changed the ring spec unannounced")
    expect(root).to_contain_text("Root cause")
    # nested three deep: problem → seal → ring → supplier
    expect(page.locator("#cause-tree > ul > li > ul > li > ul > li")).to_have_count(1)
    cause = page.locator("#cause-form")
    cause.get_by_label("Root cause").fill("Incoming rings are not checked against the spec.")
    cause.get_by_role("button", name="Record the root cause").click()
    expect(page.locator("#ca-state")).to_have_text("Root cause found")


def _act(page, manager):
    action = page.locator("#action-form")
    action.get_by_label("Action").fill("Check ring thickness at goods-in")
    action.get_by_label("Owner").select_option(label=manager.username)
    action.get_by_label("Due on").fill((OPENED.date() + dt.timedelta(days=7)).isoformat())
    action.get_by_role("button", name="Add the action").click()
    expect(page.locator("#actions")).to_contain_text("Check ring thickness")
    page.get_by_role("button", name="Start the actions").click()
    expect(page.locator("#ca-state")).to_have_text("Actions under way")
    page.locator("#actions").get_by_label("Evidence").fill("Goods-in checklist v3")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator("#ca-state")).to_have_text("Awaiting the effectiveness check")
    # the month and the day as English writes them (docs/translating.md)
    expect(page.locator("#check-period")).to_have_text(f"April {YEAR}")
    expect(page.locator("#check-due")).to_have_text(f"1 May {YEAR}")


def test_a_recurring_issue_becomes_a_corrective_action_that_is_checked_effective(
    browser_page, manager, tmp_path
):
    page = browser_page
    kettles = _seed()
    with time_machine.travel(OPENED):
        sign_in(page, manager, fresh=True)
        _find_the_cluster_and_open_an_action(page, kettles)
        _contain_and_find_the_cause(page)
        _shots(page, tmp_path, "corrective-cause-tree-editing")
        _act(page, manager)
    ca = CorrectiveAction.objects.get()
    assert ca.source == "cluster" and len(ca.cause_tree) == 4

    # Two days before the check is due the worker tells the owner in the app.
    with time_machine.travel(dt.datetime(YEAR, 4, 29, 8, tzinfo=dt.UTC)):
        assert s.corrective_sweep()["check_reminded"] == 1
        sign_in(page, manager, fresh=True)
        expect(page.locator("#unread-count")).to_have_text("1 unread")
        page.locator("#notifications-link").click()
        notice = page.locator("#notifications li").first
        expect(notice).to_contain_text("An effectiveness check due")
        expect(notice).to_contain_text(ca.reference)
        _shots(page, tmp_path, "notifications-corrective-action")
        notice.get_by_role("button", name=re.compile("Open")).click()
        expect(page).to_have_url(re.compile(f"/corrective-actions/{ca.pk}/$"))
        page.get_by_role("button", name="Run the effectiveness check").click()
        expect(page.locator(".message-error")).to_contain_text("The check period is not over")
        expect(page.locator("#ca-state")).to_have_text("Awaiting the effectiveness check")

    # On its day the manager runs it: April read again, no leaking kettle — effective.
    with time_machine.travel(dt.datetime(YEAR, 5, 1, 9, tzinfo=dt.UTC)):
        sign_in(page, manager, fresh=True)
        page.goto(f"/staff/improvement/corrective-actions/{ca.pk}/")
        page.get_by_role("button", name="Run the effectiveness check").click()
        expect(page.locator("#ca-state")).to_have_text("Closed: effective")
        expect(page.locator("#verdict")).to_have_text("Effective: target met")
        expect(page.locator("#baseline")).to_have_text(re.compile(r"^4\b"))
        expect(page.locator("#check-value")).to_have_text(re.compile(r"^0\b"))
        expect(page.locator("#criterion")).to_have_text("≤ 1")
        expect(page.locator("#timeline")).to_contain_text("Told that the check is due")
        expect(page.locator("#cause-tree li.cause-root")).to_contain_text("Supplier changed")
        _shots(page, tmp_path, "corrective-cause-tree")
        page.locator("#language-select").select_option("fa")
        page.locator(".language-switcher button").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#verdict")).to_have_text("اثربخش: هدف برآورده شد")
        _shots(page, tmp_path, "corrective-cause-tree-fa")
