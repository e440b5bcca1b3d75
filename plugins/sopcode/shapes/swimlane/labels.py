"""Where a decision's *Ya*/*Tidak* labels sit: beside their own line, clear of every other
line, arrowhead, symbol, header and label (:func:`place_labels`)."""

from __future__ import annotations

import itertools
from functools import partial

from sopcode.model.sop import Simbol
from sopcode.shapes.routing import box_gap
from sopcode.shapes.swimlane.plan import Direct, Path, Plan
from sopcode.shapes.swimlane.routes import ARROW, ARROW_HALF, Box, Grid
from sopcode.shapes.swimlane.style import FONT_SIZE, GUTTER, RANKSEP

Point = tuple[float, float]
Segment = tuple[Point, Point]

LABEL_CLEAR = 2.0
"""Points a label's box keeps from every other line, symbol and label; and how much farther
from any other line than from its own."""
LABEL_NEAR = (1.0, 7.0)
"""How far (points) a label's box is from its own line: beside it, neither on it nor astray."""
LABEL_OVERHANG = 12.0
"""How far (points) a label may stick out past the outermost columns and still count as within
the drawing (as the label of a loop out of the outermost lane always did)."""


def _label_box(label: str, spot: Point) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, y upwards) covered by a label whose middle is ``spot`` (Graphviz's
    ``tail_lp``), a little larger than its text: an Arial character is about half an em wide,
    and Graphviz puts the baseline 2.2 points below the middle."""
    half = 0.3 * FONT_SIZE * len(label) + 1.0
    return spot[0] - half, spot[1] - 5.0, spot[0] + half, spot[1] + 5.5


LABEL_REACH = 80.0
"""How far along its line (points from where it leaves the step) a label's middle may sit."""


def _spots(label: str, line: list[Point]) -> list[Point]:
    """Where a label may sit, best first: beside the first stretch of its line near where it
    leaves the step, on the side away from where the line turns next (below a stretch that
    then goes up, above one that goes down, left of one going down that then turns right),
    then on the other side (a line straight down: left first); then a little further along;
    then beside the next stretches, as long as it stays within :data:`LABEL_REACH`."""
    along = 2.6 * len(label) + 3  # from a horizontal stretch's start to the label's middle
    beside = 3 * len(label) + 4  # from a vertical stretch to the label's middle
    corners = line[:1]  # the stretches: a route passes cell centres on its way
    for p, q in itertools.pairwise(line):
        o = corners[-1]
        if not (o[0] == p[0] == q[0] or o[1] == p[1] == q[1]):
            corners.append(p)
    line = corners + line[-1:]
    out, done = [], 0.0
    for k in range(min(3, len(line) - 1)):
        (x, y), (ox, oy) = line[k], line[k + 1]
        after = line[k + 2] if k + 2 < len(line) else None
        flat = abs(ox - x) >= abs(oy - y)
        if flat:  # above (+1) or below (-1) it
            d, length, first = (1 if ox > x else -1), abs(ox - x), along
            away = -1 if after is not None and after[1] > oy else 1
        else:  # right (+1) or left (-1) of it
            d, length, first = (1 if oy > y else -1), abs(oy - y), 8.0
            away = 1 if after is not None and after[0] < ox else -1
        for shift in (0, 12, 24, 36, 48):
            if (shift and shift > length - first) or done + first + shift > LABEL_REACH:
                break
            if flat:
                out += [(x + d * (along + shift), y + (7 if side > 0 else -8.3)) for side in (away, -away)]
            else:
                out += [(x + side * beside, y + d * (8 + shift)) for side in (away, -away)]
        done += length
    return out


def _seg_distance(box: tuple[float, float, float, float], p: Point, q: Point) -> float:
    """How far a straight segment is from a box (0 where it meets it)."""
    x0, y0, x1, y1 = box
    (px, py), (qx, qy) = p, q
    if px == qx or py == qy:  # along an axis (most lines): as between two boxes
        return box_gap(box, (min(px, qx), min(py, qy), max(px, qx), max(py, qy)))
    t0, t1, dx, dy = 0.0, 1.0, qx - px, qy - py  # Liang-Barsky: does it cross the box?
    for den, num in ((-dx, px - x0), (dx, x1 - px), (-dy, py - y0), (dy, y1 - py)):
        if den == 0:
            if num < 0:
                break
        elif den < 0:
            t0 = max(t0, num / den)
        else:
            t1 = min(t1, num / den)
        if t0 > t1:
            break
    else:
        return 0.0
    best = min(((max(x0 - cx, 0.0, cx - x1)) ** 2 + (max(y0 - cy, 0.0, cy - y1)) ** 2) ** 0.5
               for cx, cy in (p, q))
    length = dx * dx + dy * dy
    for cx, cy in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
        t = max(0.0, min(1.0, ((cx - px) * dx + (cy - py) * dy) / length))
        best = min(best, ((cx - px - t * dx) ** 2 + (cy - py - t * dy) ** 2) ** 0.5)
    return best


def _on_symbol(box: tuple[float, float, float, float], sym: Box, diamond: bool) -> bool:
    """Whether a box comes within :data:`LABEL_CLEAR` of a symbol (a diamond by its outline)."""
    a, b = sym.w * 36 + LABEL_CLEAR, sym.h * 36 + LABEL_CLEAR
    dx = max(box[0] - sym.x, 0.0, sym.x - box[2])  # the box's nearest point to the middle
    dy = max(box[1] - sym.y, 0.0, sym.y - box[3])
    return dx < a and dy < b and (not diamond or dx / a + dy / b < 1)


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 8) -> list[Point]:
    out = []
    for k in range(n + 1):
        u = k / n
        a, b, c, e = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u * u * (1 - u), u ** 3
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return out


def _head(p: Point, tip: Point) -> list[Segment]:
    """The outline of the arrowhead at the end of a line from ``p`` to ``tip``."""
    dx, dy = tip[0] - p[0], tip[1] - p[1]
    length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / length, dy / length
    bx, by = tip[0] - ux * ARROW, tip[1] - uy * ARROW
    left, right = (bx - uy * ARROW_HALF, by + ux * ARROW_HALF), (bx + uy * ARROW_HALF, by - ux * ARROW_HALF)
    return [(left, tip), (right, tip), (left, right)]


def _clear(box: tuple[float, float, float, float], own: list[Segment], near: list[Segment],
           symbols: list[tuple[Box, bool]], labels: list[tuple[float, float, float, float]],
           rows: tuple[float, float]) -> bool:
    """Whether a label's box may stand: between the headers (``rows``, y from and to), beside its
    own line, farther from every other line by :data:`LABEL_CLEAR`, clear of symbols and labels."""
    if box[1] < rows[0] or box[3] > rows[1]:
        return False
    mine = min(_seg_distance(box, p, q) for p, q in own)
    if not LABEL_NEAR[0] <= mine <= LABEL_NEAR[1]:
        return False
    need = mine + LABEL_CLEAR
    return not (any(_seg_distance(box, p, q) < need for p, q in near)
                or any(_on_symbol(box, b, diamond) for b, diamond in symbols)
                or any(box[0] < o[2] + LABEL_CLEAR and o[0] < box[2] + LABEL_CLEAR
                       and box[1] < o[3] + LABEL_CLEAR and o[1] < box[3] + LABEL_CLEAR for o in labels))


def place_labels(plan: Plan, grid: Grid, header_h: float, routes: dict[str, list[Point]],
                  curves: dict[str, list[Point]], joins: list, boxes: dict[int, Box],
                  more: dict[int, list[Box]]) -> dict[str, Point]:
    """Where each Ya/Tidak label sits (its middle): the first of its :func:`_spots` whose box
    is beside its own line (:data:`LABEL_NEAR`), farther from every other line (and arrowhead)
    by :data:`LABEL_CLEAR`, clear of every symbol and of the labels placed before it, between
    the lane headers, and within the lanes and gutters; else the first such spot out beside
    them (the drawing grows a little); else the first spot.

    No spot is clear only in drawings crowded beyond what labels can mend (seen in a few of
    a thousand SOPs with many decisions): a label between two gutter lines narrower than
    itself, an arrow to the next step along a gap between rows that a loop also runs along.
    A loop Graphviz routes itself (no free side) is not known here: its label is Graphviz's.
    """
    lines: dict[str, list[Segment]] = {key: list(itertools.pairwise(pts)) + _head(pts[-2], pts[-1])
                                       for key, pts in routes.items()}
    for key, (p0, c1, c2, p3, tip) in curves.items():
        pts = [*_bezier(p0, c1, c2, p3), tip]
        lines[key] = list(itertools.pairwise(pts)) + _head(p3, tip)
    for _, _, (i, n), ends in joins:
        lines[f"sambung-{i}-{n}"] = [ends]
    arrows: list[Path | Direct] = [*plan.paths, *plan.direct]
    labelled = [(a.key, a.label, routes[a.key] if a.key in routes else curves[a.key][:3])
                for a in arrows if a.label and (a.key in routes or a.key in curves)]
    if not labelled:
        return {}
    deciding = [step.simbol is Simbol.KEPUTUSAN for step in plan.sop.langkah]
    symbols = [(box, i >= 0 and deciding[i]) for i, box in boxes.items()]
    symbols += [(box, deciding[i]) for i, others in more.items() for box in others]
    # The lanes' drawing, inside its outermost columns and between its header and footer bands.
    last = len(plan.columns) - 1
    widths = [plan.widths[k] if kind == "lajur" else GUTTER for kind, k in plan.columns]
    x_lo = grid[(0, 0)][0] - widths[0] * 36 - LABEL_OVERHANG
    x_hi = grid[(0, last)][0] + widths[last] * 36 + LABEL_OVERHANG
    y_hi = grid[(0, 0)][1] - header_h * 36
    if plan.footer:
        y_lo = grid[(plan.n_ranks - 1, 0)][1] + header_h * 36
    else:
        y_lo = min(box.bottom for box in boxes.values()) - RANKSEP * 36
    placed: list[tuple[float, float, float, float]] = []
    spots: dict[str, Point] = {}
    margin = LABEL_NEAR[1] + 2 * LABEL_CLEAR  # beyond it, nothing can come too near a label
    for key, label, line in labelled:
        own, candidates = lines[key], _spots(label, line)
        cand_boxes = [_label_box(label, spot) for spot in candidates]
        # Only what lies near the candidates matters.
        rx0, ry0 = min(b[0] for b in cand_boxes) - margin, min(b[1] for b in cand_boxes) - margin
        rx1, ry1 = max(b[2] for b in cand_boxes) + margin, max(b[3] for b in cand_boxes) + margin
        near = [(p, q) for other, segs in lines.items() if other != key for p, q in segs
                if min(p[0], q[0]) <= rx1 and max(p[0], q[0]) >= rx0 and min(p[1], q[1]) <= ry1
                and max(p[1], q[1]) >= ry0]
        syms = [(b, diamond) for b, diamond in symbols
                if b.x - b.w * 36 <= rx1 and b.x + b.w * 36 >= rx0 and b.y - b.h * 36 <= ry1 and b.y + b.h * 36 >= ry0]
        clear = partial(_clear, own=own, near=near, symbols=syms, labels=placed, rows=(y_lo, y_hi))
        # Within the lanes and gutters if it can, else out beside them (the drawing grows).
        inside = [n for n, box in enumerate(cand_boxes) if x_lo <= box[0] and box[2] <= x_hi]
        chosen = next((n for n in inside if clear(cand_boxes[n])), None)
        if chosen is None:
            chosen = next((n for n, box in enumerate(cand_boxes) if n not in inside and clear(box)), 0)
        spots[key] = candidates[chosen]
        placed.append(cand_boxes[chosen])
    return spots
