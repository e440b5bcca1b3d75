"""Where things stand on the grid, in points: the cells' centres, the symbols' boxes, and
the course of every line drawn here (elbows, loops and jumps along the grid, S-curves to the
next step, a step's loop on itself, the lines joining the symbols of a shared step)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sopcode.model.sop import Simbol
from sopcode.shapes.swimlane.plan import CAPSULE, KANAN, MULAI, SELESAI, SIKU, Direct, Path, Plan, path_cells
from sopcode.shapes.swimlane.style import DOT, GUTTER, NODESEP, RANKSEP

ARROW = 7.0
"""Length of an arrowhead (points): Graphviz's 10 times ``arrowsize``."""
ARROW_HALF = 2.5
"""Half the width of an arrowhead (points)."""

Grid = dict[tuple[int, int], tuple[float, float]]
"""The centre of every grid cell (rank, column), in points (:func:`layout_grid`)."""


def layout_grid(plan: Plan, header_h: float, step_h: list[float]) -> Grid:
    """The centre of every grid cell (rank, column), in points, y upwards as Graphviz counts.

    Columns are as wide as their lane (or gutter) and ``NODESEP`` apart; rows
    as tall as what they hold and ``RANKSEP`` apart: the grid ``dot`` made of
    the same cells, without its search.
    """
    widths = [plan.widths[k] if kind == "lajur" else GUTTER for kind, k in plan.columns]
    capsules = [CAPSULE[1]] * plan.top
    heights = [header_h, *capsules, *step_h, *capsules, header_h if plan.footer else DOT]
    xs, x = [], 0.0
    for w in widths:
        xs.append((x + w / 2) * 72)
        x += w + NODESEP
    ys, y = [], 0.0
    for h in heights:
        ys.append((y + h / 2) * 72)
        y += h + RANKSEP
    total = (y - RANKSEP) * 72
    return {(r, c): (xs[c], total - ys[r]) for r in range(len(heights)) for c in range(len(widths))}


@dataclass
class Box:
    """Where a symbol stands: its centre (points, y upwards) and its size (inches)."""

    x: float
    y: float
    w: float
    h: float
    anchor: float | None = None
    """Where arrows from above or below meet it (an x): the middle of its first actor's lane
    when it spans several, but always a diamond's corner. None: its centre."""
    fixed: bool = False
    """Arrows from above or below meet it at ``anchor`` and nowhere else (a diamond's corner, a capsule)."""

    @property
    def at(self) -> float:
        return self.x if self.anchor is None else self.anchor

    def spans(self, x: float) -> bool:
        """An arrow down at ``x`` meets the flat top or bottom of this symbol (away from its corners)."""
        return not self.fixed and abs(x - self.x) < self.w * 36 - 6

    @property
    def top(self) -> float:
        return self.y + self.h * 36

    @property
    def bottom(self) -> float:
        return self.y - self.h * 36

    def side(self, toward: float) -> tuple[float, float]:
        """The middle of the side facing ``toward`` (an x): where an arrow along the row meets it."""
        return self.x + (self.w * 36 if toward > self.x else -self.w * 36), self.y


def run_width(plan: Plan, run: tuple[int, int]) -> float:
    """Inches from the left of the run's first lane column to the right of its last."""
    a, b = run
    return sum(plan.widths[a:b + 1]) + NODESEP * (b - a)


def symbols(plan: Plan, grid: Grid, heights: list[float]) -> tuple[dict[int, Box], dict[int, list[Box]]]:
    """Each step's own symbol (and the capsules, under :data:`~sopcode.shapes.swimlane.plan.MULAI`
    / :data:`~sopcode.shapes.swimlane.plan.SELESAI`), and the further symbols of a step done by
    several actors, left to right."""
    own: dict[int, Box] = {}
    more: dict[int, list[Box]] = {}
    for i in range(plan.n_steps):
        r, span = plan.row(i), plan.span(i)
        for a, b in plan.runs[i]:
            x, y = grid[(r, plan.col_of[("lajur", a)])]
            if b > a:  # across adjacent lanes: centred on them
                x += (run_width(plan, (a, b)) - plan.widths[a]) * 36
            box = Box(x, y, run_width(plan, (a, b)), heights[i])
            if (a, b) == span:
                diamond = plan.sop.langkah[i].simbol is Simbol.KEPUTUSAN
                if b > a and not diamond:
                    box.anchor = grid[(r, plan.lane_col(i))][0]
                box.fixed = diamond
                own[i] = box
            else:
                more.setdefault(i, []).append(box)
    if plan.top:  # in the first actor's lane of the first step, and of the last
        for cap, i in ((MULAI, 0), (SELESAI, plan.n_steps - 1)):
            width = min(CAPSULE[0], plan.widths[plan.lane_of[i]])
            r = plan.row(cap)
            own[cap] = Box(grid[(r, plan.lane_col(i))][0], grid[(r, 0)][1], width, CAPSULE[1], fixed=True)
    return own, more


def _down(src: Box, dst: Box) -> tuple[float, float]:
    """Where an arrow from the bottom of ``src`` to the top of ``dst`` leaves and arrives (x):
    straight down where one symbol's anchor lies over the other, else each at its anchor."""
    x1, x2 = src.at, dst.at
    if x1 != x2:
        if dst.spans(x1):
            x2 = x1
        elif src.spans(x2):
            x1 = x2
    return x1, x2


def is_curve(d: Direct) -> bool:
    """An arrow drawn from the bottom of its step to the top of the next (an S-curve, or straight down)."""
    return d.src != d.dst and (d.dst == d.src + 1 or MULAI in (d.src, d.dst) or d.dst == SELESAI)


def curve(d: Direct, boxes: dict[int, Box]) -> list[tuple[float, float]]:
    """The S-curve of an arrow to the next step: its start, two control points, where the
    arrowhead begins, and the tip on the next symbol's top."""
    (x1, x2), bottom, top = _down(boxes[d.src], boxes[d.dst]), boxes[d.src].bottom, boxes[d.dst].top
    base = top + ARROW
    bend = (bottom - base) / 2
    return [(x1, bottom), (x1, bottom - bend), (x2, base + bend), (x2, base), (x2, top)]


def joining_lines(i: int, own: Box, others: list[Box]) -> list[tuple[str, str, tuple[int, int], tuple]]:
    """The plain lines along the row joining the symbols of a step done by several actors:
    (tail node, head node, (step, n), the line's two ends), neighbour to neighbour."""
    named = sorted([(own.x, f"s{i}", own)] + [(b.x, f"b{i}_{m}", b) for m, b in enumerate(others, 2)])
    return [(tail, head, (i, n), (p.side(q.x), q.side(p.x)))
            for n, ((_, tail, p), (_, head, q)) in enumerate(itertools.pairwise(named), 2)]


def route(plan: Plan, path: Path, grid: Grid, boxes: dict[int, Box]) -> list[tuple[float, float]]:
    """The course of an arrow along the grid: straight pieces from cell centre to cell centre,
    from the step's outline to the tip on its target's."""
    src, dst = boxes[path.src], boxes[path.dst]
    if path.kind == SIKU:
        # Out of the side along the step's own row, then down into the top of the next step.
        start, r = src.side(dst.at), plan.row(path.src)
        lo, hi = sorted((start[0], dst.at))
        step = 1 if path.side == KANAN else -1
        cols = range(plan.edge_col(path.src, path.side) + step, plan.lane_col(path.dst) + step, step)
        between = [grid[(r, c)] for c in cols if lo < grid[(r, c)][0] < hi]
        points = [start, *between, (dst.at, src.y), (dst.at, dst.top)]
    else:
        cells = path_cells(plan, path)
        points = [grid[c] for c in cells]
        g = plan.col_of[(path.side, path.column)]
        corners = [k for k, c in enumerate(cells) if c[1] == g]  # where it turns into and out of the gutter
        toward = 1 if path.side == KANAN else -1
        if path.in_top:
            # Its side is closed or taken: along the gap above its row, into its top.
            x, y = _top_or_bottom(plan, path.dst, dst, toward), dst.top + RANKSEP * 36
            points[corners[-1]:] = [(points[corners[-1]][0], y), (x, y), (x, dst.top)]
        else:
            points[-1] = dst.side(points[-2][0])
        if path.out_bottom:
            # Its side is closed or taken: out of its bottom, along the gap below its row.
            x, y = _top_or_bottom(plan, path.src, src, toward), src.bottom - RANKSEP * 36
            points[:corners[0] + 1] = [(x, src.bottom), (x, y), (points[corners[0]][0], y)]
        else:
            points[0] = src.side(points[1][0])
    return points


OWN_LOOP = (10.0, 20.0)
"""How far (points) the loop of a step looping on itself goes out of its side, and up."""


def own_loop(plan: Plan, d: Direct, box: Box) -> list[tuple[float, float]]:
    """A step looping on itself: out of its side along its row, up, and back into the same side
    higher up (a diamond's flank above its corner)."""
    out, up = OWN_LOOP
    toward = 1 if d.side == KANAN else -1
    half_w, half_h = box.w * 36, box.h * 36
    up = min(up, half_h * 0.6)
    corner = box.x + toward * half_w
    back = box.x + toward * half_w * (1 - up / half_h) if plan.sop.langkah[d.src].simbol is Simbol.KEPUTUSAN else corner
    return [(corner, box.y), (corner + toward * out, box.y), (corner + toward * out, box.y + up), (back, box.y + up)]


def _top_or_bottom(plan: Plan, i: int, box: Box, toward: int) -> float:
    """Where a loop or jump meets the top or bottom of a step's symbol (an x): a diamond's corner,
    else a little off the middle of its first actor's lane, toward the route's side (the middle
    is where the arrows from and to the next steps meet it)."""
    if box.fixed:
        return box.at
    return box.at + toward * plan.widths[plan.lane_of[i]] * 18
