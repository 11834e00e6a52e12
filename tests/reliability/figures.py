"""The reliability figures: each test of the suite writes one line (name, measured, expected) to
a results file, and the run ends with their table (docs/reliability.md keeps the latest).

The suite is tests/reliability (each file marked ``reliability``) and the tests named in
ELSEWHERE: a test of another app whose cases, counted, are a figure "K of N" (passed of run),
expected "N of N". Adding one is one line there; ``scripts/test`` runs them all in the suite's
part (on PostgreSQL), and they still run in the ordinary runs too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

RESULTS_ENV = "PLAINT_RELIABILITY_RESULTS"

# node id (a test, with all its parametrized cases) -> the figure its passing cases make
ELSEWHERE = {
    "tests/core/test_audit_seals.py::test_tampering_is_found_at_the_exact_event_or_seal": (
        "tampering catalogue: found at the exact event or seal"
    ),
    "tests/privacy/test_services_erasure.py::test_erasure_leaves_nothing_of_the_person_and_changes_no_statistic": (
        "erasure: 0 hits for the person's e-mail, name and phone (database, files, job queue)"
    ),
    "tests/test_access_matrix.py::test_no_path_shows_a_case_outside_the_rule": (
        "access matrix: every URL and API operation x person x case, team visibility off and on"
    ),
}


def results_file() -> Path:
    return Path(
        os.environ.get(RESULTS_ENV) or Path(tempfile.gettempdir()) / "plaint-reliability.tsv"
    )


def record(name: str, measured: object, expected: object, *, ok: bool | None = None) -> None:
    """Append one figure; ``ok`` when the measured value is the expected one (or as ``ok`` says,
    for an expectation that is a bound: "at most 1")."""
    verdict = "ok" if (str(measured) == str(expected) if ok is None else ok) else "FAILED"
    line = f"{name}\t{measured}\t{expected}\t{verdict}\n"
    with results_file().open("a", encoding="utf-8") as out:
        out.write(line)
    print(f"figure: {name}: {measured} (expected {expected}) {verdict}", flush=True)


def read() -> list[tuple[str, str, str, str]]:
    try:
        lines = results_file().read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [tuple(line.split("\t", 3)) for line in lines if line.count("\t") == 3]  # type: ignore[misc]


def table(rows: list[tuple[str, str, str, str]]) -> str:
    width = max((len(r[0]) for r in rows), default=10)
    out = [f"{'figure':<{width}}  {'measured':>14}  {'expected':>14}  verdict"]
    out += [f"{n:<{width}}  {m:>14}  {e:>14}  {v}" for n, m, e, v in rows]
    return "\n".join(out)


# --- pytest hooks (imported by tests/conftest.py, so they see every test's report) ----------

_tallies: dict[str, list[int]] = {}  # figure name -> [passed, run], in the order first seen


def _counting(config) -> bool:
    """Only a run of the suite (``-m reliability``) counts figures, and only its main process."""
    expression = config.getoption("markexpr", "") or ""
    return (
        "reliability" in expression
        and "not reliability" not in expression
        and not hasattr(config, "workerinput")
    )


def pytest_sessionstart(session) -> None:
    if _counting(session.config):
        results_file().unlink(missing_ok=True)


def _figure_of(nodeid: str) -> str | None:
    for prefix, name in ELSEWHERE.items():
        if nodeid == prefix or nodeid.startswith(prefix + "["):
            return name
    return None


def pytest_collection_modifyitems(config, items) -> None:
    """In the suite's run, the tests named in ELSEWHERE join it (marked, so ``-m reliability``
    keeps them) and carry their figure's name to their reports."""
    if not _counting(config):
        return
    for item in items:
        name = _figure_of(item.nodeid)
        if name is not None:
            item.add_marker(pytest.mark.reliability)
            item.user_properties.append(("reliability_figure", name))


def pytest_runtest_logreport(report) -> None:
    figure = dict(report.user_properties).get("reliability_figure")
    if figure is None or not (report.when == "call" or report.failed):
        return
    tally = _tallies.setdefault(figure, [0, 0])
    tally[1] += 1
    tally[0] += int(report.passed)


def pytest_sessionfinish(session) -> None:
    if _counting(session.config):
        for name, (passed, run) in _tallies.items():
            record(name, f"{passed} of {run}", f"{run} of {run}")


def pytest_terminal_summary(terminalreporter, config) -> None:
    rows = read()
    if rows and _counting(config):
        terminalreporter.write_sep("=", "reliability figures")
        terminalreporter.write_line(table(rows))
        terminalreporter.write_line(f"(written to {results_file()})")
