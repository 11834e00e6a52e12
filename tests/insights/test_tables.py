"""The dashboard's tables (``plaint.insights.tables``): each column of figures keeps its decimal
places, in the CSV and in the workbook (the page: ``test_views``)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from plaint.insights import tables

IMPORTANCE = {
    "note": "",
    "attributes": [
        {
            "attribute": "speed",
            "label": "Speed",
            "importance": 0.29,
            "performance": 81.0,
            "n": 40,
            "quadrant": "keep_up",
        },
        {
            "attribute": "tone",
            "label": "Tone",
            "importance": 0.2034,
            "performance": 64.25,
            "n": 40,
            "quadrant": "concentrate",
        },
        {
            "attribute": "price",
            "label": "Price",
            "importance": -0.0001,
            "performance": None,
            "n": 3,
            "quadrant": "",
        },
    ],
}


def test_a_column_of_figures_keeps_its_decimal_places():
    rows = tables.importance_table(IMPORTANCE).rows
    assert [row[2] for row in rows] == [Decimal("0.290"), Decimal("0.203"), Decimal("0.000")]
    assert [str(row[2]) for row in rows] == ["0.290", "0.203", "0.000"]  # no "-0.000"
    assert [row[3] for row in rows] == [Decimal("81.0"), Decimal("64.2"), None]


def test_the_csv_writes_the_places_and_the_workbook_numbers():
    table = tables.importance_table(IMPORTANCE)
    rows = list(csv.reader(io.StringIO(tables.to_csv(table).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["0.290", "0.203", "0.000"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(tables.to_xlsx(table)), read_only=True).active
    values = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [0.29, 0.203, 0]
