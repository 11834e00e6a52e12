"""Screenshots the browser tests keep for people to look at: saved under the repository's
``test-artifacts/screenshots/`` (gitignored), and the run's last lines say where."""

from __future__ import annotations

import time
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
_started = time.time()


def save_screenshot(page, name: str) -> Path:
    """The whole page as ``<name>.png`` in ``SCREENSHOTS``, replacing the last run's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    """Name the directory when this run saved screenshots (with xdist the workers save them, so
    the controller looks at the files' times rather than at a list kept in memory)."""
    if not SCREENSHOTS.is_dir():
        return
    saved = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _started]
    if saved:
        terminalreporter.write_line(f"screenshots: {len(saved)} saved in {SCREENSHOTS}/")
