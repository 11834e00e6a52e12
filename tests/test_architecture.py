"""The conventions that keep Plaint easy to change, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "plaint"
WRITE_CALL = re.compile(
    r"(\.save\(|\.delete\(\)|objects\b.*\.(create|bulk_create|update|delete|get_or_create|update_or_create)\()"
)
# Places allowed to write domain models directly.
ALLOWED = {
    "services.py",
    "audit.py",
    "worker.py",
    "idempotency.py",
    "ratelimit.py",  # infrastructure counters, like idempotency records: no domain state
    "demo.py",
}


def _python_files():
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        yield path


def test_writes_to_domain_models_happen_only_in_services():
    offenders = []
    for path in _python_files():
        if path.name in ALLOWED or path.parent.name == "migrations":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if WRITE_CALL.search(code):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == [], "writes outside services:\n" + "\n".join(offenders)


def test_no_state_assignment_outside_services():
    offenders = []
    for path in _python_files():
        if path.name in ALLOWED:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "state":
                        offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_every_app_names_its_iso_clauses():
    for app in ("core", "accounts", "complaints"):
        doc = ast.get_docstring(ast.parse((SRC / app / "__init__.py").read_text())) or ""
        assert "ISO" in doc, f"{app}/__init__.py should name the ISO clauses it serves"
