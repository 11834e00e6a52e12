"""Scatter labels: inside the plot, never on each other, on a point or on a fixed text; a name
with no room falls back to a number; the same input always gives the same picture."""

from __future__ import annotations

import itertools

from plaint.insights.placement import Box, place_labels, text_box

BOUNDS = Box(40, 30, 500, 330)
QUADRANT = Box(380, 34, 496, 50)  # a quadrant name in the top corner


def crowd(n: int) -> list[tuple[float, float]]:
    """``n`` points bunched in the middle, some on the plot's edges."""
    pts = [(250 + 9 * (i % 4), 180 + 7 * (i // 4)) for i in range(n)]
    return [*pts, (40, 30), (500, 330), (498, 40)]


def names(n: int) -> list[str]:
    return [f"Attribute number {i}" for i in range(n)]


def place(points, labels):
    return place_labels(points, labels, bounds=BOUNDS, obstacles=[QUADRANT], size=13)


def test_no_two_label_boxes_overlap_and_none_leaves_the_plot():
    points = crowd(12)
    spots = place(points, names(len(points)))
    boxes = [s.box for s in spots if s is not None]
    assert len(boxes) >= 10
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert box.inside(BOUNDS)
        assert not box.overlaps(QUADRANT)
        for x, y in points:
            assert not box.overlaps(Box(x - 5, y - 5, x + 5, y + 5))


def test_a_label_sits_next_to_its_point():
    spots = place([(200, 200)], ["tone"])
    spot = spots[0]
    assert spot is not None and spot.text == "tone" and not spot.numbered
    assert abs(spot.cx - 200) < 1 and spot.box.y1 < 200  # right above it


def test_a_label_at_the_edge_moves_inside():
    spot = place([(498, 200)], ["A rather long attribute name"])[0]
    assert spot is not None and spot.box.inside(BOUNDS)


def test_names_without_room_fall_back_to_numbers_in_order():
    small = Box(0, 0, 200, 120)
    points = [(40, 40), (150, 40), (100, 90)]
    labels = ["short", "a name far wider than the whole plot", "another name much too wide"]
    spots = place_labels(points, labels, bounds=small, obstacles=[], size=13)
    assert spots[0] is not None and spots[0].text == "short" and not spots[0].numbered
    assert [(s.text, s.numbered) for s in spots[1:] if s is not None] == [("1", True), ("2", True)]


def test_placement_is_deterministic():
    points = crowd(12)
    assert place(points, names(15)) == place(points, names(15))


def test_text_box_is_centred_on_its_x():
    box = text_box(100, 50, "abcd", 10)
    assert abs((box.x0 + box.x1) / 2 - 100) < 1e-9 and box.y0 < 50 < box.y1
