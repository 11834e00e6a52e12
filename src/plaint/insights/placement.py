"""Labels for the points of a scatter, placed inside the plot without touching each other, the
points or the fixed texts: a deterministic nudge through a short list of spots around each point,
nearest first. A name with no free spot falls back to its number (explained in a legend)."""

from __future__ import annotations

from dataclasses import dataclass

from plaint.core.charts import text_width

GAP = 2.0  # the least space between two text boxes, in user units
MARK = 6.0  # the half-size of the box kept clear around a point


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in SVG coordinates (y grows downward)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )


@dataclass(frozen=True)
class Spot:
    """Where a label goes: centred on ``cx`` with its baseline at ``baseline``; ``numbered``
    when the point carries its number instead of its name."""

    cx: float
    baseline: float
    text: str
    box: Box
    numbered: bool = False


def text_box(cx: float, baseline: float, text: str, size: float) -> Box:
    """The box a centred text takes (ascent and descent of a sans-serif face, generous width)."""
    half = text_width(text, size) / 2
    return Box(cx - half, baseline - 0.95 * size, cx + half, baseline + 0.3 * size)


def _candidates(px: float, py: float, w: float, size: float):
    """Centre and baseline of the spots around a point, nearest first: above, below, after,
    before, the four diagonals; then the same further out."""
    h = 1.25 * size
    for reach in (1.0, 1.9, 2.8, 3.7):
        near = MARK + GAP + (reach - 1) * h
        side = MARK + GAP + w / 2 + (reach - 1) * h
        above = py - near - 0.3 * size
        below = py + near + 0.95 * size
        middle = py + 0.33 * size
        yield from (
            (px, above),
            (px, below),
            (px + side, middle),
            (px - side, middle),
            (px + side, above),
            (px - side, above),
            (px + side, below),
            (px - side, below),
        )


def _free_spot(px, py, text, size, bounds: Box, taken: list[Box]) -> Spot | None:
    w = text_width(text, size)
    for cx, baseline in _candidates(px, py, w, size):
        box = text_box(cx, baseline, text, size)
        if box.inside(bounds) and not any(box.overlaps(t, GAP) for t in taken):
            return Spot(cx, baseline, text, box)
    return None


def place_labels(
    points: list[tuple[float, float]],
    names: list[str],
    *,
    bounds: Box,
    obstacles: list[Box],
    size: float,
) -> list[Spot | None]:
    """A spot for each point's name inside ``bounds``, clear of the obstacles, of every point and
    of the labels placed before it; else a spot for its number (1, 2, … among the numbered);
    else None."""
    taken = list(obstacles) + [Box(x - MARK, y - MARK, x + MARK, y + MARK) for x, y in points]
    spots: list[Spot | None] = []
    numbered = 0
    for (px, py), name in zip(points, names, strict=True):
        spot = _free_spot(px, py, name, size, bounds, taken)
        if spot is None:
            numbered += 1
            found = _free_spot(px, py, str(numbered), size, bounds, taken)
            spot = None if found is None else Spot(**{**vars(found), "numbered": True})
        if spot is not None:
            taken.append(spot.box)
        spots.append(spot)
    return spots
