"""What an installed Plaint holds: a wheel or a ``pip install`` of a checkout (docs/operations.md)
carries the Python modules and the files ``[tool.setuptools.package-data]`` names, nothing else.
A template, translation or static file outside those patterns is missing from every
non-editable install (the case page's Jinja2 templates once were: a 500 on the staff case page
of a production install, while the editable development install worked)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "plaint"


def _package_data_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]
    assert set(patterns) == {"*"}, "patterns for every package only: this test reads no others"
    return patterns["*"]


def _installed_data_files() -> set[Path]:
    """The files setuptools adds for the patterns: each pattern globbed from the directory of
    each package (a directory with an ``__init__.py``), as setuptools does."""
    packages = [p.parent for p in SRC.rglob("__init__.py")]
    patterns = _package_data_patterns()
    found: set[Path] = set()
    for package in packages:
        for pattern in patterns:
            found |= {path for path in package.glob(pattern) if path.is_file()}
    return found


def _data_files_in_the_sources() -> set[Path]:
    return {
        path
        for path in SRC.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }


def test_every_file_the_code_reads_is_installed_with_it():
    missing = _data_files_in_the_sources() - _installed_data_files()
    assert not missing, "not in [tool.setuptools.package-data]: " + ", ".join(
        sorted(str(path.relative_to(SRC)) for path in missing)
    )


def test_the_templates_of_both_engines_are_among_them():
    installed = {str(path.relative_to(SRC)) for path in _installed_data_files()}
    assert "complaints/jinja2/complaints/staff/detail.html" in installed
    assert "complaints/jinja2/complaints/staff/_timeline.html" in installed
    assert "core/templates/base.html" in installed
