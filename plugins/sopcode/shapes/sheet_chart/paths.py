"""Candidate paths of one arrow: the orthogonal shapes that join a way out of one symbol to a
way into another, directly or along a lane, each with its cost (:func:`add_shapes`), in tiers."""

from __future__ import annotations

import math

from sopcode.shapes.routing import Point
from sopcode.shapes.sheet_chart.page import DIRS, Attachment, PageSpace
from sopcode.shapes.sheet_chart.sizes import ALONG, ALONG_COST, ARROW, BEND

TIERS = (
    (12.0, "none", 3),  # direct paths between the main ports, no lane
    (0.0, "near", 2),  # the middles of the sides, the lanes nearest the arrow's span
    (12.0, "span", 3),  # ports a little off the middle, every lane of the span's columns and their neighbours
    (30.0, "span", 3),  # every port (a diamond's quarter points, far along a side)
    (30.0, "all", 3),  # every lane of the page
)
"""Tiers of candidate paths, each a superset of the ones before: the costliest port admitted,
the lanes used, how many tracks beyond a symbol a jog may take."""


def cost_of(cand: tuple) -> float:
    return cand[0]


SHORT = ARROW + 2.5
"""An arrow's last stretch is at least this long: a whole arrowhead with some line before it,
never a stub crammed against the symbol."""
_HOOK_LEN, HOOK = 6.0, 30.0
"""A stretch between two bends shorter than this costs that much more."""
_ROOMY = ARROW + 9.0
"""A last stretch shorter than this costs a little (the bend before an arrowhead kept away from its symbol)."""


def add_shapes(out: list, base: float, a: Attachment, b: Attachment, lanes: list[float], tracks_p: list[float],
            tracks_q: list[float], clash: int, pen: dict[float, float], near: set[float]) -> None:
    """Append the orthogonal paths from a (leaving along its direction) to b (arriving against
    its direction) to ``out``, unbuilt, with their cost: length, bends, a lane near a column's line
    (``pen``), a long jog near a row's line (``near``), a hook; a last stretch too short for its
    arrowhead is a fault."""
    (px, py), (qx, qy) = a.point, b.point
    dp, dq = DIRS[a.d], DIRS[b.d]
    hp, hq = dp[1] == 0, dq[1] == 0

    def add(shape, length, bends, last, x=0.0, y1=0.0, y2=0.0):
        short = last < SHORT  # a fault, like a side shared by an arrow in and out
        cost = length + BEND * bends + 500.0 * short + 1.5 * max(0.0, _ROOMY - last) + pen.get(x, 0.0)
        # A stretch between two bends too short to read reads as a hook; a long jog near a row's
        # line, as a doubled border. Each counts (a bool is one or none).
        hooks: int
        along: int
        if shape == 1:
            hooks, along = abs(qy - py) < _HOOK_LEN, 0
        elif shape == 3:
            hooks = (abs(y1 - py) < _HOOK_LEN) + (abs(qx - x) < _HOOK_LEN)
            along = y1 in near and abs(qx - x) > ALONG
        elif shape == 5:
            hooks = (abs(x - px) < _HOOK_LEN) + (abs(qy - y1) < _HOOK_LEN)
            along = y1 in near and abs(x - px) > ALONG
        elif shape == 6:
            hooks, along = abs(qx - px) < _HOOK_LEN, y1 in near and abs(qx - px) > ALONG
        elif shape == 7:
            hooks = (abs(x - px) < _HOOK_LEN) + (abs(y2 - y1) < _HOOK_LEN) + (abs(qx - x) < _HOOK_LEN)
            along = (y1 in near and abs(x - px) > ALONG) + (y2 in near and abs(qx - x) > ALONG)
        else:
            hooks = along = 0
        cost += HOOK * hooks + ALONG_COST * along
        out.append((base + cost, shape, a, b, x, y1, y2, clash + short))

    if hp and hq:
        if abs(py - qy) < 0.01 and (qx - px) * dp[0] > 0 and (px - qx) * dq[0] > 0:
            add(0, abs(qx - px), 0, abs(qx - px))
        dy = abs(qy - py)
        for x in lanes:
            if (x - px) * dp[0] > 2.0 and (x - qx) * dq[0] > 2.0:
                add(1, abs(x - px) + dy + abs(qx - x), 2, abs(qx - x), x)
    elif hp or hq:
        # One end along a row (h), the other along a column (v): an L (2 out of a side, 4 into
        # one), or out to a lane and along a jog beside the vertical end (3 and 5).
        (hx, hy), hd, (vx, vy), vd = (a.point, dp, b.point, dq) if hp else (b.point, dq, a.point, dp)
        shape_l, shape_jog, tracks = (2, 3, tracks_q) if hp else (4, 5, tracks_p)
        if (vx - hx) * hd[0] > 2.0 and (hy - vy) * vd[1] > 2.0:
            add(shape_l, abs(qx - px) + abs(qy - py), 1, abs(qy - py) if hp else abs(qx - px))
        for y in tracks:
            for x in lanes:
                if (x - hx) * hd[0] > 2.0 and abs(x - vx) > 2.0:
                    across, last = (abs(qx - x), abs(qy - y)) if hp else (abs(qy - y), abs(qx - x))
                    add(shape_jog, abs(x - px) + abs(y - py) + across + last, 3, last, x, y)
    else:
        if abs(px - qx) < 0.01 and (qy - py) * dp[1] > 0 and (py - qy) * dq[1] > 0:
            add(0, abs(qy - py), 0, abs(qy - py))
        if abs(px - qx) > 0.01:
            for y in tracks_p + tracks_q:
                if (y - py) * dp[1] > 2.0 and (y - qy) * dq[1] > 2.0:
                    add(6, abs(y - py) + abs(qx - px) + abs(qy - y), 2, abs(qy - y), 0.0, y)
        for y1 in tracks_p:
            for y2 in tracks_q:
                for x in lanes:
                    if abs(x - px) > 2.0 and abs(x - qx) > 2.0:
                        add(7, abs(y1 - py) + abs(x - px) + abs(y2 - y1) + abs(qx - x) + abs(qy - y2), 4,
                            abs(qy - y2), x, y1, y2)


def build_path(cand: tuple) -> list[Point]:
    """The points of a candidate path made by :func:`add_shapes`."""
    _, shape, a, b, x, y1, y2, _ = cand
    p, q = a.point, b.point
    if shape == 0:
        return [p, q]
    if shape == 1:
        return [p, (x, p[1]), (x, q[1]), q]
    if shape == 2:
        return [p, (q[0], p[1]), q]
    if shape == 3:
        return [p, (x, p[1]), (x, y1), (q[0], y1), q]
    if shape == 4:
        return [p, (p[0], q[1]), q]
    if shape == 5:
        return [p, (p[0], y1), (x, y1), (x, q[1]), q]
    if shape == 6:
        return [p, (p[0], y1), (q[0], y1), q]
    return [p, (p[0], y1), (x, y1), (x, y2), (q[0], y2), q]


def port_floor(outs: list[Attachment], ins: list[Attachment], tier: int) -> float:
    """The least a path through a port first admitted by a later tier can cost (its length at
    least the ports' distance, with a bend unless they face each other)."""
    limit = max(TIERS[t][0] for t in range(tier + 1))
    floor = math.inf
    for a in outs:
        for b in ins:
            if a.cost > limit or b.cost > limit:
                dx, dy = abs(a.point[0] - b.point[0]), abs(a.point[1] - b.point[1])
                straight = a.d in "NS" and b.d in "NS" and dx < 0.01
                floor = min(floor, a.cost + b.cost + dx + dy + (0.0 if straight else BEND))
    return floor


def candidates(page: PageSpace, outs: list[Attachment], ins: list[Attachment], tier: int,
               bound: float = math.inf) -> list[tuple]:
    """Candidate paths of one tier (see :data:`TIERS`) cheaper than ``bound`` may be, unbuilt:
    (cost, shape, out port, in port, x, y1, y2, faults of its shape); see :func:`build_path`."""
    limit, _, n_tracks = TIERS[tier]
    outs = [a for a in outs if a.cost <= limit] or outs[:1]
    ins = [a for a in ins if a.cost <= limit] or ins[:1]
    out: list[tuple] = []
    for a in outs:
        clash_a = page.side_clash(a, True)
        tracks_a = page.jog_tracks(a)[:n_tracks] if a.d in "NS" else []
        for b in ins:
            d = abs(a.point[0] - b.point[0]) + abs(a.point[1] - b.point[1])
            if (b.sym is a.sym and d < 1) or a.cost + b.cost + d >= bound:
                continue
            clash = clash_a + page.side_clash(b, False)
            tracks_b = page.jog_tracks(b, SHORT)[:n_tracks] if b.d in "NS" else []
            lanes = lanes_for(page, a.point[0], b.point[0], tier)
            base = a.cost + b.cost + 500.0 * clash
            add_shapes(out, base, a, b, lanes, tracks_a, tracks_b, clash, page.lane_cost, page.near_line)
    return out

def lanes_for(page: PageSpace, px: float, qx: float, tier: int) -> list[float]:
    which = TIERS[tier][1]
    if which == "none":
        return []
    if which == "all":
        return page.lanes
    lo, hi = min(px, qx), max(px, qx)
    c_lo, c_hi = page.column_of(lo), page.column_of(hi)
    x_lo = page.x0[max(0, c_lo - 1)]
    c_top = min(len(page.x0) - 1, c_hi + 1)
    x_hi = page.x0[c_top] + page.widths[c_top]
    lanes = [x for x in page.lanes if x_lo <= x <= x_hi]
    if which == "near":
        lanes.sort(key=lambda x: max(lo - x, x - hi, 0.0))
        lanes = lanes[:12]
    return lanes
