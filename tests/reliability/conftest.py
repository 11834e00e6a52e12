"""Fixtures of the reliability suite: ``figure`` records one measured figure."""

from __future__ import annotations

import pytest

from tests.reliability import figures


@pytest.fixture
def figure():
    """``figure(name, measured, expected)``: one line in the results file and on the terminal."""
    return figures.record
