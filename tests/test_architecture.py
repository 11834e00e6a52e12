"""The conventions that keep Plaint easy to see, checked on the source itself (docs/architecture.md).

Every check parses src/plaint with ``ast`` (no regular expressions over lines, no imports of the code
under test) and names each offence as ``file:line``. The layer order itself is import-linter's job
(``lint-imports``, contracts in pyproject.toml); here: that no cycle exists between apps at all.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "plaint"

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
# A function may run longer than MAX_FUNCTION_LINES when a comment starting with this marker, in the
# comment block directly above it (or above its decorators) or between its ``def`` and its first
# statement after the docstring, says why: ``# Long: one table of the 14 ISO 10002 steps, read top to
# bottom``.
LONG_MARKER = "# Long:"

# Where a write to a model may happen outside a services module, and why. Keys are paths relative
# to src/plaint; a key ending in "/" covers a whole folder.
WRITERS_BESIDES_SERVICES = {
    "core/audit/chains.py": "appends to the hash-chained audit log, inside the calling service's transaction",
    "core/audit/seals.py": "seals the audit chains' heads (the worker's housekeeping, `plaint audit seal`)",
    "core/worker.py": "the outbox worker: claims due outbox rows, delivers them and records the outcome",
    "core/duties.py": "claims, renews and records the periodic duties' leases (infrastructure, no domain state)",
    "core/idempotency.py": "stores Idempotency-Key records of API writes (transport, no domain state)",
    "core/ratelimit.py": "rate-limit counters per window (infrastructure, no domain state)",
    "core/db.py": "insert_together: inserts the rows a service built, in that service's transaction",
}
# Plus, in every app: services (a services.py, or any module in a services/ package: the one door
# for domain writes); the app's one named SQL module, sql.py (hand-written SQL where it is clearer
# or faster, columns spelled out, called by the app's services and selectors); migrations (schema
# and data migrations); and demo data (a demo.py, a demo/ package, or the demo command: seeds a
# fresh database, mostly through services, sometimes back-dating rows no service may back-date).

# Model write methods. The ambiguous names (a dict's update, a cache's delete, a workbook's save)
# are told apart by their arguments: the model and queryset methods take keywords only.
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
KEYWORDS_ONLY_WRITES = {"save", "delete", "create", "update"}
SQL_WRITE = re.compile(
    r"\b(INSERT\s+INTO|UPDATE\s+[\w\".]+\s+SET|DELETE\s+FROM|TRUNCATE|MERGE\s+INTO)\b", re.I
)


def _python_files() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.relative_to(SRC).parts:
            yield path


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _where(path: Path, node: ast.AST) -> str:
    return f"src/plaint/{_rel(path)}:{getattr(node, 'lineno', 0)}"


def _is_services(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "services.py" or "services" in parts[:-1]


def _is_demo(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "demo.py" or "demo" in parts[:-1]


def _may_write(rel: str) -> bool:
    named_sql = rel.endswith("/sql.py")
    return _is_services(rel) or _is_demo(rel) or named_sql or rel in WRITERS_BESIDES_SERVICES


def _apps() -> list[str]:
    return sorted(
        p.name for p in SRC.iterdir() if (p / "__init__.py").exists() and (p / "apps.py").exists()
    )


# --- (a) writes only through services -----------------------------------------------------------


def _string_parts(node: ast.AST, assigned: dict[str, list[ast.AST]], depth: int = 0) -> str:
    """The SQL text an expression builds, as far as the source shows it: literals, f-strings (the
    placeholders read as ``x``), concatenations, and names assigned in the same module."""
    if depth > 5:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "x"
            for v in node.values
        )
    if isinstance(node, ast.Name):
        return " ".join(_string_parts(v, assigned, depth + 1) for v in assigned.get(node.id, []))
    return " ".join(
        _string_parts(child, assigned, depth + 1) for child in ast.iter_child_nodes(node)
    )


def _assignments(tree: ast.Module) -> dict[str, list[ast.AST]]:
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
        elif (
            isinstance(node, ast.AnnAssign | ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            assigned.setdefault(node.target.id, []).append(node.value)
    return assigned


def _is_dict(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> bool:
    """Whether ``node`` is a dict, as far as the module shows (``initial.update(x=1)`` is not a
    queryset's update)."""
    if isinstance(node, ast.Name):
        values = assigned.get(node.id, [])
        return bool(values) and all(_is_dict(v, {}) for v in values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"dict", "defaultdict", "OrderedDict", "Counter"}
    return isinstance(node, ast.Dict | ast.DictComp)


def _write_calls(tree: ast.Module) -> Iterator[tuple[ast.Call, str]]:
    assigned = _assignments(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name in ALWAYS_WRITES:
            yield node, f".{name}("
        elif name in KEYWORDS_ONLY_WRITES and not node.args:
            if name in {"save", "delete"} or (
                node.keywords and not _is_dict(node.func.value, assigned)
            ):
                yield node, f".{name}("
        elif name in {"execute", "executemany"} and node.args:
            sql = _string_parts(node.args[0], assigned)
            if SQL_WRITE.search(sql):
                yield node, f".{name}() of {SQL_WRITE.search(sql).group(1).split()[0].upper()} SQL"


def test_writes_to_models_happen_only_in_services():
    offenders = []
    for path in _python_files():
        if _may_write(_rel(path)):
            continue
        for node, what in _write_calls(_parse(path)):
            offenders.append(f"{_where(path, node)}: {what}")
    assert offenders == [], (
        "writes to models outside services (move them into a service; the allowed places are "
        "listed in tests/test_architecture.py):\n" + "\n".join(offenders)
    )


def test_no_state_assignment_outside_services():
    offenders = []
    for path in _python_files():
        if _may_write(_rel(path)):
            continue
        for node in ast.walk(_parse(path)):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    offenders.append(_where(path, node))
    assert offenders == [], "lifecycle state set outside services:\n" + "\n".join(offenders)


# --- (b), (c) sizes -----------------------------------------------------------------------------


def test_no_module_over_600_lines():
    # Migrations are generated and never read top to bottom; they are left out.
    offenders = []
    for path in _python_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            offenders.append(f"src/plaint/{_rel(path)}:1: {lines} lines")
    assert offenders == [], (
        f"modules over {MAX_MODULE_LINES} lines (make a package of the same name, split by "
        "subject):\n" + "\n".join(offenders)
    )


def _says_why_long(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    above = first - 2  # the line above the def or its first decorator, 0-based
    while above >= 0 and lines[above].strip().startswith("#"):
        if lines[above].strip().startswith(LONG_MARKER):
            return True
        above -= 1
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # skip the docstring
    return any(
        line.strip().startswith(LONG_MARKER) for line in lines[node.lineno - 1 : body[0].lineno]
    )


def test_no_function_over_60_lines_without_a_reason():
    offenders = []
    for path in _python_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(_parse(path)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not _says_why_long(node, lines):
                offenders.append(f"{_where(path, node)}: {node.name}() {length} lines")
    assert offenders == [], (
        f"functions over {MAX_FUNCTION_LINES} lines (split them, or say why in a comment "
        f"starting with {LONG_MARKER!r} directly above the def or before its first "
        "statement):\n" + "\n".join(offenders)
    )


# --- (d) ISO clauses ----------------------------------------------------------------------------

ISO_STANDARD = re.compile(r"\bISO\s*(9001|1000[1-4])\b")
CLAUSE = re.compile(r"\b(\d+(\.\d+)+|clauses?\s+\d+)")


def test_every_app_names_its_iso_clauses():
    offenders = []
    for app in _apps():
        path = SRC / app / "__init__.py"
        doc = ast.get_docstring(_parse(path)) or ""
        without_years = re.sub(r":(19|20)\d\d\b", "", doc)
        if not (ISO_STANDARD.search(doc) and CLAUSE.search(without_years)):
            offenders.append(f"src/plaint/{app}/__init__.py:1")
    assert offenders == [], (
        "each app's __init__.py docstring names the ISO standard and clauses it serves "
        "(e.g. 'ISO 10002 7.4 tracking'):\n" + "\n".join(offenders)
    )


# --- (e) no private internals, no run-time imports of app code -----------------------------------


def test_no_private_django_internals_and_no_import_string_of_app_code():
    offenders = []
    for path in _python_files():
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Attribute) and node.attr == "_state":
                offenders.append(f"{_where(path, node)}: ._state (a model's private state)")
            elif isinstance(node, ast.Name | ast.Attribute) and "InsertQuery" in (
                node.id if isinstance(node, ast.Name) else node.attr
            ):
                offenders.append(f"{_where(path, node)}: InsertQuery (Django's private SQL layer)")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                sql = node.module.startswith("django.db.models.sql") or (
                    node.module == "django.db.models" and any(a.name == "sql" for a in node.names)
                )
                if sql:
                    offenders.append(f"{_where(path, node)}: import from django.db.models.sql")
            elif isinstance(node, ast.Import):
                if any(a.name.startswith("django.db.models.sql") for a in node.names):
                    offenders.append(f"{_where(path, node)}: import of django.db.models.sql")
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name != "import_string":
                    continue
                arg = node.args[0] if node.args else None
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if not literal or arg.value.startswith("plaint"):  # type: ignore[union-attr]
                    offenders.append(
                        f"{_where(path, node)}: import_string of app code (or of a path the "
                        "source does not show): subscribe to an event or register by name instead"
                    )
    assert offenders == [], "\n".join(offenders)


# --- (f) no cycle between apps ------------------------------------------------------------------


def _imported_modules(path: Path, node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = ["plaint", *path.relative_to(SRC).with_suffix("").parts]
        if path.name != "__init__.py":
            package = package[:-1]
        base = package[: len(package) - (node.level - 1)]
        module = ".".join([*base, *([node.module] if node.module else [])])
    else:
        module = node.module or ""
    # ``from plaint import complaints`` imports the app named after the dot.
    return [f"{module}.{a.name}" for a in node.names] if module == "plaint" else [module]


def _app_edges() -> dict[tuple[str, str], list[str]]:
    apps = set(_apps())
    edges: dict[tuple[str, str], list[str]] = {}
    for path in _python_files():
        parts = path.relative_to(SRC).parts
        if len(parts) < 2 or parts[0] not in apps:
            continue  # the wiring modules (plaint.urls, plaint.api ...) may import every app
        for node in ast.walk(_parse(path)):  # inside functions and under TYPE_CHECKING too
            for module in _imported_modules(path, node):
                target = module.split(".")
                if len(target) > 1 and target[0] == "plaint" and target[1] in apps - {parts[0]}:
                    edges.setdefault((parts[0], target[1]), []).append(_where(path, node))
    return edges


def _cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups)


def test_no_import_cycle_between_apps():
    edges = _app_edges()
    report = []
    for group in _cycles(edges):
        report.append("cycle between " + ", ".join(group) + ":")
        for (a, b), places in sorted(edges.items()):
            if a in group and b in group:
                shown = ", ".join(places[:3]) + (
                    f" and {len(places) - 3} more" if len(places) > 3 else ""
                )
                report.append(f"  {a} imports {b} ({len(places)}): {shown}")
    assert report == [], (
        "apps import each other (a lower app reaches a higher one through plaint.core.events, "
        "never by an import):\n" + "\n".join(report)
    )


def test_the_cycle_finder_finds_cycles():
    edges = {("a", "b"): ["x:1"], ("b", "c"): ["x:2"], ("c", "a"): ["x:3"], ("c", "d"): ["x:4"]}
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles({("a", "b"): ["x:1"]}) == []


def test_the_long_marker_is_found_above_or_at_the_start_of_a_function():
    source = (
        "# Long: one table, read top to bottom\n"
        "@decorator\n"
        "def above():\n"
        "    pass\n"
        "def inside():\n"
        '    """Docstring."""\n'
        "    # Long: the 14 steps in order\n"
        "    pass\n"
        "def without():\n"
        "    # a comment that says nothing about length\n"
        "    pass\n"
    )
    lines = source.splitlines()
    found = {
        node.name: _says_why_long(node, lines)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }
    assert found == {"above": True, "inside": True, "without": False}


# Where hashlib.sha256 may be called, and why: every other digest of a text is core.digest's.
SHA256_CALLERS = {
    "core/digest.py": "the one digest helper, sha256_hex",
    "core/uploads.py": "digests an uploaded file in chunks while checking it",
    "surveys/services/links.py": "the HMAC key of invitation links (a keyed MAC, not a digest)",
}


def test_one_digest_helper():
    offenders = []
    for path in _python_files():
        if _rel(path) in SHA256_CALLERS:
            continue
        for node in ast.walk(_parse(path)):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "sha256"
                and isinstance(node.value, ast.Name)
                and node.value.id == "hashlib"
            ):
                offenders.append(_where(path, node))
    assert offenders == [], "use plaint.core.digest.sha256_hex:\n" + "\n".join(offenders)


def test_no_merge_conflict_markers_are_left_in_the_sources():
    """A merge resolved by hand must not leave git's markers behind: in a template they render as
    text on the page, and nothing else would fail."""
    root = SRC.parent.parent
    marker = re.compile(r"^(<<<<<<< |>>>>>>> |=======$)", re.M)
    suffixes = {".py", ".html", ".txt", ".css", ".js", ".md", ".toml", ".po"}
    places = [SRC, root / "docs", root / "tests", root / "bench", root / "scripts"]
    found = [
        str(path.relative_to(root))
        for place in places
        for path in sorted(place.rglob("*"))
        if path.is_file()
        and (path.suffix in suffixes or path.parent.name == "scripts")
        and marker.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    found += [name for name in ("README.md",) if marker.search((root / name).read_text())]
    assert found == []
