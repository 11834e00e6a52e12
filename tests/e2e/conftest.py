"""What the browser tests share: signing a persona in, and the screenshots they keep for people
to look at — saved under the repository's ``test-artifacts/screenshots/`` (gitignored, the run's
last lines say where), or in a test's temp dir with a copy in ``PLAINT_E2E_SCREENSHOTS``."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"  # every persona's (tests/factories.py)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
_started = time.time()


def save_screenshot(page, name: str) -> Path:
    """The whole page as ``<name>.png`` in ``SCREENSHOTS``, replacing the last run's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def keep_screenshot(page, tmp_path: Path, name: str) -> Path:
    """The whole page as ``<name>.png`` in the test's temp dir; PLAINT_E2E_SCREENSHOTS=<dir>
    keeps a copy to look at."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    keep = os.environ.get("PLAINT_E2E_SCREENSHOTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(path, os.path.join(keep, path.name))
    return path


def sign_in(page, user, *, lands_on: str = r"/staff/$", fresh: bool = False) -> None:
    """Sign ``user`` in through the staff login form, as a person does, and wait for the page it
    lands on (``lands_on``: a pattern of its address); ``fresh`` signs out first (clears the
    cookies, the language's too)."""
    if fresh:
        page.context.clear_cookies()
    page.goto("/staff/login/")
    login = page.locator("form:has([name=password])")
    login.locator("[name=username]").fill(user.username)
    login.locator("[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(lands_on))


def pytest_terminal_summary(terminalreporter) -> None:
    """Name the directory when this run saved screenshots (with xdist the workers save them, so
    the controller looks at the files' times rather than at a list kept in memory)."""
    if not SCREENSHOTS.is_dir():
        return
    saved = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _started]
    if saved:
        terminalreporter.write_line(f"screenshots: {len(saved)} saved in {SCREENSHOTS}/")


# The select is wide enough for its chosen option's text, its padding and its arrow.
SHOWS_ITS_CHOICE_WHOLE = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const text = context.measureText(select.options[select.selectedIndex].text).width;
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  return text + padding + 24 <= select.clientWidth;
}"""


def shows_its_choice_whole(select) -> bool:
    return select.evaluate(SHOWS_ITS_CHOICE_WHOLE)
