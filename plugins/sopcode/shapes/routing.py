"""Geometry both flowcharts route with: the swimlane of the web page and the chart of the printed sheet.

Coordinates are points; a box is ``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``.
Nothing here knows an SOP, a lane or a page.
"""

from __future__ import annotations

import itertools
import math

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def first_fit(spans: list[tuple[int, int]]) -> tuple[list[int], int]:
    """Pack spans (closed ranges ``(lo, hi)``) into columns, in the order given: each into the
    first column none of whose spans it overlaps, else into a new column.

    Returns each span's column (1 = the first) and how many columns were used. Given the
    shortest first, nested spans end up inside one another (a shorter one nearer column 1).
    """
    taken: list[list[tuple[int, int]]] = []
    columns: list[int] = []
    for lo, hi in spans:
        for col, held in enumerate(taken, 1):
            if all(hi < a or lo > b for a, b in held):
                held.append((lo, hi))
                columns.append(col)
                break
        else:
            taken.append([(lo, hi)])
            columns.append(len(taken))
    return columns, len(taken)


def straight_spline(points: list[Point]) -> list[Point]:
    """The control points of a Graphviz spline (``pos``) that draws straight pieces through
    ``points``: the first point, then for each piece two points a third and two thirds along it
    and its end. The curve passes through every given point."""
    spline = [points[0]]
    for (px, py), (qx, qy) in itertools.pairwise(points):
        spline += [(px + (qx - px) / 3, py + (qy - py) / 3), (px + 2 * (qx - px) / 3, py + 2 * (qy - py) / 3), (qx, qy)]
    return spline


def arrow_base(before: Point, tip: Point, length: float) -> Point:
    """Where an arrowhead of ``length`` ending at ``tip`` begins, on the line from ``before``:
    where the line drawn under it must stop (Graphviz draws the head from there to the tip)."""
    (px, py), (qx, qy) = before, tip
    run = max(math.hypot(qx - px, qy - py), 1e-6)
    return qx - (qx - px) / run * length, qy - (qy - py) / run * length


def box_gap(a: Box, b: Box) -> float:
    """How far apart two boxes are (0 where they touch or overlap). A straight line along an axis
    is a box of no width or height."""
    dx = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy = max(b[1] - a[3], a[1] - b[3], 0.0)
    return math.hypot(dx, dy)
