"""The geometry both flowcharts route with (sopcode.shapes.routing), on its own."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from sopcode.shapes.routing import arrow_base, box_gap, first_fit, straight_spline


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return not (a[1] < b[0] or b[1] < a[0])


# --- first fit ------------------------------------------------------------------------------

def test_first_fit_never_puts_overlapping_spans_in_one_column():
    rng = random.Random(7)
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(0, 15)):
            lo = rng.randint(0, 30)
            spans.append((lo, lo + rng.randint(0, 12)))
        columns, used = first_fit(spans)
        assert len(columns) == len(spans)
        assert set(columns) == set(range(1, used + 1))  # columns 1..used, none skipped
        for (s, c), (t, d) in itertools.combinations(zip(spans, columns), 2):
            assert c != d or not overlap(s, t), (s, t, c)


def test_first_fit_takes_the_first_column_that_is_free():
    # (2, 3) overlaps (1, 2) in column 1 and nothing in column 2; (5, 6) fits column 1 again.
    assert first_fit([(1, 2), (2, 3), (3, 4), (5, 6)]) == ([1, 2, 1, 1], 2)
    # Closed ranges: sharing an end is an overlap.
    assert first_fit([(1, 2), (2, 2)]) == ([1, 2], 2)
    assert first_fit([]) == ([], 0)


def test_first_fit_nests_spans_given_shortest_first():
    """The swimlane's gutters: shorter loops nearer the lanes, so nested loops never cross."""
    spans = sorted([(0, 10), (2, 8), (3, 5), (12, 14)], key=lambda s: (s[1] - s[0], s))
    columns, used = first_fit(spans)
    column = dict(zip(spans, columns))
    assert column[(3, 5)] < column[(2, 8)] < column[(0, 10)] and used == 3
    assert column[(12, 14)] == 1  # beside the others, not around them


# --- straight splines -------------------------------------------------------------------------

def bezier(p0, p1, p2, p3, u):
    a, b, c, d = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u * u * (1 - u), u ** 3
    return (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])


def distance_to_segment(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    return math.dist(p, (ax + t * (bx - ax), ay + t * (by - ay)))


@pytest.mark.parametrize("points", [
    [(0.0, 0.0), (30.0, 0.0)],
    [(10.0, 50.0), (10.0, 20.0), (80.0, 20.0), (80.0, 5.0)],
    [(0.0, 0.0), (12.5, 7.25), (-3.0, 40.0)],  # not along the axes either
])
def test_a_straight_spline_passes_through_every_point_and_stays_on_the_polyline(points):
    spline = straight_spline(points)
    assert len(spline) == 3 * (len(points) - 1) + 1  # what Graphviz's pos takes: 1 + 3n points
    assert spline[0] == points[0] and spline[-1] == points[-1]
    assert spline[::3] == points  # every piece ends on the next given point
    for k, (a, b) in enumerate(itertools.pairwise(points)):
        piece = spline[3 * k:3 * k + 4]
        for u in (0.1, 0.25, 0.5, 0.75, 0.9):
            assert distance_to_segment(bezier(*piece, u), a, b) < 1e-9  # straight, not bulging


# --- arrowheads ---------------------------------------------------------------------------------

@pytest.mark.parametrize("before, tip", [((0.0, 0.0), (0.0, 40.0)), ((50.0, 10.0), (10.0, 10.0)), ((0.0, 0.0), (3.0, 4.0))])
def test_the_arrowhead_begins_its_length_back_from_the_tip_on_the_line(before, tip):
    base = arrow_base(before, tip, 2.5)
    assert math.dist(base, tip) == pytest.approx(2.5)
    assert distance_to_segment(base, before, tip) < 1e-9


def test_an_arrow_of_no_length_does_not_fail():
    assert arrow_base((5.0, 5.0), (5.0, 5.0), 7.0) == (5.0, 5.0)


# --- distances between boxes ------------------------------------------------------------------

def test_box_gap():
    box = (0.0, 0.0, 10.0, 10.0)
    assert box_gap(box, (5.0, 5.0, 20.0, 20.0)) == 0.0  # overlapping
    assert box_gap(box, (10.0, 2.0, 12.0, 3.0)) == 0.0  # touching
    assert box_gap(box, (13.0, 2.0, 15.0, 3.0)) == 3.0  # beside
    assert box_gap(box, (13.0, 14.0, 15.0, 16.0)) == 5.0  # off a corner: 3 across, 4 down
    assert box_gap((13.0, 14.0, 15.0, 16.0), box) == 5.0  # either way round
    assert box_gap(box, (-4.0, 12.0, 30.0, 12.0)) == 2.0  # a line along an axis, below the box
