"""The one page-size clamp, shared by the staff pages and the selectors."""

from __future__ import annotations

import pytest

from plaint.core.pagination import MAX_PAGE_SIZE, page_size


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 25),
        ("", 25),
        ("abc", 25),
        ("10", 10),
        (10, 10),
        ("0", 1),
        (-5, 1),
        ("1000", MAX_PAGE_SIZE),
        (MAX_PAGE_SIZE + 1, MAX_PAGE_SIZE),
    ],
)
def test_a_page_has_one_to_maximum_rows_and_the_default_when_not_given(value, expected):
    assert page_size(value, default=25) == expected


def test_a_smaller_maximum():
    assert page_size("80", default=10, maximum=50) == 50
