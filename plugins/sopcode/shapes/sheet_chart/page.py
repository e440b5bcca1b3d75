"""One page's space while its arrows are routed: the table's lines, the ways into and out of
its symbols, the lines, arrowheads and labels already drawn, and the checks a new path must
pass (:meth:`PageSpace.check`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sopcode.shapes.routing import Box, Point, box_gap
from sopcode.shapes.sheet_chart.chart import PageChart, Symbol
from sopcode.shapes.sheet_chart.sizes import (
    ALONG,
    ARROW,
    CLEAR_ALONG,
    CLEAR_ALONG_ROW,
    CLEAR_BORDER,
    CLEAR_LINE,
    CLEAR_SYMBOL,
    CONNECTOR_H,
    CONNECTOR_W,
    HEAD_GAP,
    HEAD_HALF,
    HEAD_ROOM,
    HOUSE_INSET,
    JUNCTION,
    LABEL_CLEAR,
    LABEL_GAP,
    LINE,
    TRACK,
    label_size,
)

DIRS = {"N": (0.0, -1.0), "S": (0.0, 1.0), "E": (1.0, 0.0), "W": (-1.0, 0.0)}


@dataclass
class Attachment:
    """A way into or out of a symbol: the point on its outline and the direction away from it."""

    sym: Symbol
    point: Point
    d: str  # N, S, E, W: the direction a line leaves (or comes in against)
    cost: float = 0.0
    middle: bool = True  # in the middle of its side


class PageSpace:
    """One page's space: table lines, symbols, routed lines, labels and used ports."""

    def __init__(self, chart: PageChart, x0: list[float], widths: tuple[float, ...],
                 regions: list[tuple[float, float]]):
        self.chart = chart
        self.x0, self.widths = x0, widths
        self.regions = regions  # (top, bottom) of every row and band, top to bottom
        self.h_lines = [-LINE / 2] + [b - LINE / 2 for _, b in regions]
        self.v_lines = [-LINE / 2] + [x + w - LINE / 2 for x, w in zip(x0, widths)]
        # Routed stretches: (y, x1, x2, route id, cross from, cross to) for horizontal ones, and
        # (x, y1, y2, …) for vertical ones; another line may cross only between "from" and "to"
        # (clear of the stretch's bends, ends and arrowhead).
        self.hsegs: list[tuple[float, float, float, int, float, float]] = []
        self.vsegs: list[tuple[float, float, float, int, float, float]] = []
        self.labels: list[tuple[float, float, float, float]] = []
        self.heads: list[tuple[float, float, float, float, int]] = []  # arrowheads' boxes, with their route
        self.heads_in: dict[str, list[tuple[str, tuple[float, float, float, float]]]] = {}  # symbol -> (side, box)
        self.ports: dict[str, list[Point]] = {}
        self.sides: dict[str, list[tuple[str, str]]] = {}  # symbol -> (side, "in"/"out")
        self.reserved: dict[str, list[Point]] = {}
        self.lanes: list[float] = []
        self.lane_cost: dict[float, float] = {}  # lanes near a table line: their extra cost
        self.tracks: dict = {}
        self.near_line: set[float] = set()  # tracks nearer a row's line than CLEAR_ALONG_ROW
        self.trouble: set[str] = set()  # symbols of arrows not drawn cleanly
        self.failed: set[int] = set()  # those arrows' route ids
        self.crowded: set[str] = set()  # symbols whose sides' middles are kept for later arrows

    # Queries ------------------------------------------------------------------------

    def region_of(self, y: float) -> tuple[float, float]:
        for top, bottom in self.regions:
            if top - 0.01 <= y <= bottom + 0.01:
                return top, bottom
        return self.regions[0] if y < self.regions[0][0] else self.regions[-1]

    def column_of(self, x: float) -> int:
        for c, (x0, w) in enumerate(zip(self.x0, self.widths)):
            if x0 <= x < x0 + w:
                return c
        return 0 if x < 0 else len(self.widths) - 1

    def port_free(self, att: Attachment, outgoing: bool) -> bool:
        name = att.sym.name
        for p in self.ports.get(name, ()):
            if abs(p[0] - att.point[0]) < 3.5 and abs(p[1] - att.point[1]) < 3.5:
                return False
        if not outgoing:
            for p in self.reserved.get(name, ()):
                if abs(p[0] - att.point[0]) < 0.5 and abs(p[1] - att.point[1]) < 0.5:
                    return False
            # Arrowheads into one side keep a clear gap (else they read as one blot).
            mine = _head_box(att.point, att.d)
            for d, box in self.heads_in.get(name, ()):
                if box_gap(mine, box) < (HEAD_GAP if d == att.d else CLEAR_LINE):
                    return False
        return True

    def take_port(self, att: Attachment, outgoing: bool, head: bool = True) -> None:
        self.ports.setdefault(att.sym.name, []).append(att.point)
        if not outgoing and head:
            self.heads_in.setdefault(att.sym.name, []).append((att.d, _head_box(att.point, att.d)))
        self.sides.setdefault(att.sym.name, []).append((att.d, "out" if outgoing else "in"))
        if outgoing:
            kept = self.reserved.get(att.sym.name)
            if kept:
                self.reserved[att.sym.name] = [p for p in kept if abs(p[0] - att.point[0]) + abs(p[1] - att.point[1]) > 0.5]

    def side_clash(self, att: Attachment, outgoing: bool) -> int:
        """1 if an arrow in and an arrow out would share one side of a box (they read as one
        line, or as a junction); a diamond's corners are ports of their own."""
        if att.sym.kind == "keputusan":
            return 0
        role = "in" if outgoing else "out"
        return 1 if (att.d, role) in self.sides.get(att.sym.name, ()) else 0

    # Attachments ------------------------------------------------------------------------

    def attachments(self, s: Symbol, dirs: str) -> list[Attachment]:
        """The ways into or out of a symbol facing ``dirs``, cheapest first."""
        cx, cy = s.center
        hw, hh = s.width / 2, s.height / 2
        out: list[Attachment] = []
        if s.kind == "keputusan":
            corners = {"N": (cx, cy - hh), "S": (cx, cy + hh), "E": (cx + hw, cy), "W": (cx - hw, cy)}
            for d in dirs:
                out.append(Attachment(s, corners[d], d))
            quarter = {"NE": (cx + hw / 2, cy - hh / 2), "NW": (cx - hw / 2, cy - hh / 2),
                       "SE": (cx + hw / 2, cy + hh / 2), "SW": (cx - hw / 2, cy + hh / 2)}
            for key, p in quarter.items():
                for d in key:
                    if d in dirs:
                        out.append(Attachment(s, p, d, 25.0))
            return out
        if s.kind.startswith("konektor") or s.name.startswith(("mulai", "selesai")):
            # Graphviz draws a (inverted) house's flat side a little inside its box.
            top = cy - hh + (HOUSE_INSET if s.kind == "konektor" else 0.0)
            bottom = cy + hh - (HOUSE_INSET if s.kind == "konektor-naik" else 0.0)
            pts = {"N": (cx, top), "S": (cx, bottom)}
            return [Attachment(s, pts[d], d) for d in dirs if d in pts]
        ax = s.port_x if s.port_x is not None else cx
        for d in dirs:
            if d in "NS":
                y = cy - hh if d == "N" else cy + hh
                for off in (0.0, -8.0, 8.0, -16.0, 16.0):
                    x = ax + off
                    if abs(x - cx) <= hw - 3.0:
                        out.append(Attachment(s, (x, y), d, off_centre_cost(off), off == 0))
            else:
                x = cx + hw if d == "E" else cx - hw
                for off in (0.0, -6.0, 6.0):
                    if abs(off) <= hh - 2.5:
                        out.append(Attachment(s, (x, cy + off), d, off_centre_cost(off), off == 0))
        return out

    def jog_tracks(self, att: Attachment, first: float = 3.5) -> list[float]:
        """Candidate y of a jog leaving ``att`` vertically, ``first`` beyond its symbol and on,
        clear of table lines (an arrow's last bend leaves room for its arrowhead)."""
        key = (att.point, att.d, first)
        got = self.tracks.get(key)
        if got is None:
            got = self.tracks[key] = self._make_tracks(att, first)
        return got

    def _make_tracks(self, att: Attachment, first: float) -> list[float]:
        _x, y = att.point
        sign = 1.0 if att.d == "S" else -1.0
        out = []
        for k in range(14):
            yy = y + sign * (first + TRACK * k)
            if yy < 2.0 or yy > self.chart.height - 2.0:
                break
            gap = min(abs(yy - line) for line in self.h_lines)
            if gap >= CLEAR_BORDER:
                out.append(yy)
                if gap < CLEAR_ALONG_ROW:
                    self.near_line.add(yy)
        return out

    # Connectors -------------------------------------------------------------------------

    def connector_spots(self, band: str, near_x: float) -> list[Point]:
        """Free places for a connector in a band, nearest ``near_x`` first."""
        chart = self.chart
        if band == "atas":
            y = 2.5 + CONNECTOR_H / 2
        else:
            y = chart.height - LINE - 2.5 - CONNECTOR_H / 2
        spots = []
        c = self.column_of(near_x)
        x0, w = self.x0[c], self.widths[c]
        if x0 + CONNECTOR_W / 2 + 2.0 <= near_x <= x0 + w - LINE - CONNECTOR_W / 2 - 2.0:
            spots.append((near_x, y))  # straight below (above) the arrow's end
        for x0, w in zip(self.x0, self.widths):
            mid = x0 + w / 2
            fit = int((w - LINE - 4.0) // (CONNECTOR_W + 4.0))
            for k in range(fit):
                off = (k - (fit - 1) / 2) * (CONNECTOR_W + 4.0)
                spots.append((mid + off, y))
        free = []
        for x, yy in spots:
            if all(abs(x - s.center[0]) >= CONNECTOR_W + 4.0 or abs(yy - s.center[1]) > CONNECTOR_H
                   for s in chart.symbols):
                free.append((x, yy))
        return sorted(free, key=lambda p: abs(p[0] - near_x))

    # Checks ---------------------------------------------------------------------------

    def check(self, points: list[Point], src: Symbol | None, dst: Symbol | None, rid: int,
              first_fault: bool = False, why: list | None = None, head: bool = True) -> tuple[int, int]:
        """(hard faults, crossings) of a path against everything already on the page;
        ``first_fault`` stops at the first fault (the path is out of the running); ``head``:
        the path ends in an arrowhead."""
        faults = crossings = 0
        n = len(points) - 1
        w, h = self.chart.width, self.chart.height
        symbols = self.chart.symbols
        for k in range(n):
            (ax, ay), (bx, by) = points[k], points[k + 1]
            horizontal = abs(ay - by) < 0.01
            if not horizontal and abs(ax - bx) > 0.01:
                faults += 1
                continue
            if ax <= bx:
                x1, x2 = ax, bx
            else:
                x1, x2 = bx, ax
            if ay <= by:
                y1, y2 = ay, by
            else:
                y1, y2 = by, ay
            c_lo, c_hi = _window(ax, ay, bx, by, k == n - 1)
            bad = x1 < 1.0 or x2 > w - 1.5 or y1 < 1.0 or y2 > h - 1.5
            # Table lines it runs along: never on one, and not close beside a column's line for long.
            near = CLEAR_ALONG if y2 - y1 > ALONG else CLEAR_BORDER
            if horizontal:
                for y in self.h_lines:
                    if -near < ay - y < near:
                        bad = True
                        break
            else:
                for x in self.v_lines:
                    if -near < ax - x < near:
                        bad = True
                        break
            if not bad:
                # Symbols: clear of every one; its own ends only touched where it attaches.
                for sym in symbols:
                    if sym is src or sym is dst:
                        if (k == 0 and sym is src) or (k == n - 1 and sym is dst) or (src is dst):
                            margin = -0.3
                        else:
                            margin = CLEAR_SYMBOL
                    else:
                        margin = CLEAR_SYMBOL
                    if _seg_hits_symbol(x1, y1, x2, y2, sym, margin):
                        bad = True
                        break
            if not bad:
                for (lx1, ly1, lx2, ly2) in self.labels:
                    if x1 < lx2 + LABEL_CLEAR and x2 > lx1 - LABEL_CLEAR and y1 < ly2 + LABEL_CLEAR \
                            and y2 > ly1 - LABEL_CLEAR:
                        bad = True
                        break
            if not bad:
                # Arrowheads: room around every other one, and around this line's own.
                for (hx1, hy1, hx2, hy2, other) in self.heads:
                    if other != rid and x1 < hx2 + HEAD_ROOM and x2 > hx1 - HEAD_ROOM and y1 < hy2 + HEAD_ROOM \
                            and y2 > hy1 - HEAD_ROOM:
                        bad = True
                        break
                if not bad and head and k == n - 1:
                    bad = self._head_crowded(_head_end(ax, ay, bx, by), rid)
            if not bad:
                # Other lines: no shared stretch, no touching; crossings counted.
                if horizontal:
                    bad, met = _meets(ay, x1, x2, self.hsegs, self.vsegs, rid, c_lo, c_hi)
                else:
                    bad, met = _meets(ax, y1, y2, self.vsegs, self.hsegs, rid, c_lo, c_hi)
                crossings += met
            if bad:
                faults += 1
                if why is not None:
                    why.append(self._why(x1, y1, x2, y2, horizontal, src, dst, rid, k, n))
                if first_fault:
                    return faults, crossings
        return faults, crossings

    def _line_near(self, box, rid: int, gap: float) -> bool:
        """Whether a line of another arrow than ``rid`` comes nearer a box than ``gap``."""
        for (y, sx1, sx2, other, _, _) in self.hsegs:
            if other != rid and box_gap(box, (sx1, y, sx2, y)) < gap:
                return True
        return any(other != rid and box_gap(box, (x, sy1, x, sy2)) < gap for x, sy1, sy2, other, _, _ in self.vsegs)

    def _head_crowded(self, box, rid: int) -> bool:
        """Whether an arrowhead (its box) would touch another line or crowd a label."""
        return self._line_near(box, rid, HEAD_ROOM) or any(box_gap(box, lb) < LABEL_CLEAR for lb in self.labels)

    def _why(self, x1, y1, x2, y2, horizontal, src, dst, rid, k, n) -> str:
        """What a faulty stretch runs into, in words (for :attr:`PageChart.faults`)."""
        w, h = self.chart.width, self.chart.height
        if x1 < 1.0 or x2 > w - 1.5 or y1 < 1.0 or y2 > h - 1.5:
            return "keluar dari kolom pelaksana"
        lines = self.h_lines if horizontal else self.v_lines
        c = y1 if horizontal else x1
        if any(abs(c - v) < CLEAR_BORDER for v in lines):
            return "berimpit dengan garis tabel"
        if not horizontal and y2 - y1 > ALONG and any(abs(c - v) < CLEAR_ALONG for v in lines):
            return "terlalu dekat sepanjang garis tabel"
        for sym in self.chart.symbols:
            own = (k == 0 and sym is src) or (k == n - 1 and sym is dst) or (src is dst and sym is src)
            if _seg_hits_symbol(x1, y1, x2, y2, sym, -0.3 if own else CLEAR_SYMBOL):
                return f"menembus simbol {say(sym)}"
        for b in self.labels:
            if x1 < b[2] + LABEL_CLEAR and x2 > b[0] - LABEL_CLEAR and y1 < b[3] + LABEL_CLEAR and y2 > b[1] - LABEL_CLEAR:
                return "mencoret label Ya/Tidak"
        for head in self.heads:
            if head[4] != rid and box_gap((x1, y1, x2, y2), head[:4]) < HEAD_ROOM:
                return "menempel mata panah lain"
        return "menempel garis lain"

    def add(self, points: list[Point], rid: int, head: bool = True) -> None:
        n = len(points) - 1
        if head:
            self.heads.append((*_head_end(*points[-2], *points[-1]), rid))
        for k, ((ax, ay), (bx, by)) in enumerate(itertools.pairwise(points)):
            lo, hi = _window(ax, ay, bx, by, head and k == n - 1)
            if abs(ay - by) < 0.01:
                self.hsegs.append((ay, min(ax, bx), max(ax, bx), rid, lo, hi))
            else:
                self.vsegs.append((ax, min(ay, by), max(ay, by), rid, lo, hi))

    # Labels ---------------------------------------------------------------------------

    def place_label(self, text: str, points: list[Point], rid: int) -> tuple[Box, float] | None:
        """Where a branch's label goes, and how far along its line: beside its own line, nearest
        the decision, inside one cell, clear of every other line, symbol and label (None: nowhere)."""
        lw, lh = label_size(text)
        own = [(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
               for a, b in itertools.pairwise(points)]
        travelled = 0.0
        last = len(points) - 2
        for k in range(min(3, len(points) - 1)):
            (ax, ay), (bx, by) = points[k], points[k + 1]
            length = abs(bx - ax) + abs(by - ay)
            end = length - (ARROW + 2.0 if k == last else 0.0)
            t = 1.0
            while t <= end:
                for box in _label_boxes(ax, ay, bx, by, t, lw, lh):
                    if self._label_fits(box, own, rid):
                        return box, travelled + t
                t += 2.0
            travelled += length
        return None

    def _label_fits(self, box, own, rid) -> bool:
        x1, y1, x2, y2 = box
        # Inside one cell, clear of its lines.
        c = self.column_of((x1 + x2) / 2)
        cx0, cw = self.x0[c], self.widths[c]
        if x1 < cx0 + 1.2 or x2 > cx0 + cw - LINE - 1.2:
            return False
        top, bottom = self.region_of((y1 + y2) / 2)
        if y1 < top + 1.2 or y2 > bottom - LINE - 1.2:
            return False
        for s in self.chart.symbols:
            if _box_hits_symbol(box, s, 1.5):
                return False
        for (lx1, ly1, lx2, ly2) in self.labels:
            if x1 < lx2 + 1.5 and x2 > lx1 - 1.5 and y1 < ly2 + 1.5 and y2 > ly1 - 1.5:
                return False
        near = min(box_gap(box, s) for s in own)
        if near < 0.8 or near > LABEL_GAP + 1.0:
            return False
        if self._line_near(box, rid, max(LABEL_CLEAR, near + 1.5)):
            return False
        return all(not (hb[4] != rid and box_gap(box, hb[:4]) < LABEL_CLEAR) for hb in self.heads)


def off_centre_cost(off: float) -> float:
    """Cost of a port away from the middle of a box's side: more than the length it saves."""
    return 0.0 if off == 0 else 2.0 + 1.5 * abs(off)


def say(s: Symbol) -> str:
    """A symbol as a user knows it: the step's number, a connector's letter, Mulai or Selesai."""
    if s.kind.startswith("konektor"):
        return f"konektor {s.label}"
    if s.name in ("mulai", "selesai"):
        return s.label
    return f"langkah {s.name[1:].split('_')[0]}"


def _window(ax: float, ay: float, bx: float, by: float, tip: bool) -> tuple[float, float]:
    """Where along the stretch a→b another line may cross it: clear of its ends by
    :data:`JUNCTION`, and of its arrowhead too when b is an arrow's tip."""
    horizontal = abs(ay - by) < 0.01
    a, b = (ax, bx) if horizontal else (ay, by)
    guard_b = JUNCTION + (ARROW if tip else 0.0)
    if a <= b:
        return a + JUNCTION, b - guard_b
    return b + guard_b, a - JUNCTION


def _label_boxes(ax, ay, bx, by, t, lw, lh):
    """Label boxes beside the stretch a→b, ``t`` along it from a: both sides."""
    g = LABEL_GAP
    if abs(ay - by) < 0.01:  # horizontal: above, then below
        x = ax + t if bx > ax else ax - t - lw
        return ((x, ay - g - lh, x + lw, ay - g), (x, ay + g, x + lw, ay + g + lh))
    y = ay + t if by > ay else ay - t - lh
    return ((ax + g, y, ax + g + lw, y + lh), (ax - g - lw, y, ax - g, y + lh))


def _head_box(tip: Point, d: str) -> tuple[float, float, float, float]:
    """The box of an arrowhead ending at ``tip`` on a side facing ``d`` (it lies outside, towards d)."""
    dx, dy = DIRS[d]
    x, y = tip
    ex, ey = x + dx * ARROW, y + dy * ARROW
    if dx == 0:
        return (x - HEAD_HALF, min(y, ey), x + HEAD_HALF, max(y, ey))
    return (min(x, ex), y - HEAD_HALF, max(x, ex), y + HEAD_HALF)


def _head_end(ax: float, ay: float, bx: float, by: float) -> tuple[float, float, float, float]:
    """The box of the arrowhead at b of the last stretch a→b."""
    if abs(ay - by) < 0.01:
        return _head_box((bx, by), "E" if ax > bx else "W")
    return _head_box((bx, by), "S" if ay > by else "N")


def _seg_hits_symbol(x1, y1, x2, y2, s: Symbol, margin: float) -> bool:
    """Whether an axis-parallel segment enters a symbol grown by ``margin``."""
    cx, cy = s.center
    hw, hh = s.width / 2 + margin, s.height / 2 + margin
    if hw <= 0 or hh <= 0:
        return False
    top, bottom = cy - hh, cy + hh
    if s.kind == "konektor":  # the flat side of a house is drawn a little inside its box
        top += HOUSE_INSET
    elif s.kind == "konektor-naik":
        bottom -= HOUSE_INSET
    if x2 <= cx - hw or x1 >= cx + hw or y2 <= top or y1 >= bottom:
        return False
    if s.kind != "keputusan":
        return True
    # A diamond: the point of the segment nearest its centre decides.
    dx = 0.0 if x1 <= cx <= x2 else min(abs(x1 - cx), abs(x2 - cx))
    dy = 0.0 if y1 <= cy <= y2 else min(abs(y1 - cy), abs(y2 - cy))
    return dx / hw + dy / hh < 1.0 - 1e-6


def _box_hits_symbol(box, s: Symbol, margin: float) -> bool:
    x1, y1, x2, y2 = box
    return _seg_hits_symbol(x1, y1, x2, y2, s, margin)


def _meets(at: float, lo: float, hi: float, along: list, across: list, rid: int,
           c_lo: float, c_hi: float) -> tuple[bool, int]:
    """A straight stretch of arrow ``rid`` at ``at`` (y for a horizontal one, x for a vertical one)
    from ``lo`` to ``hi``, against the lines drawn before: (touches one, crossings).

    ``along`` are the lines parallel to it, ``across`` the ones at right angles, each
    (at, lo, hi, arrow, crossable_lo, crossable_hi). A parallel line closer than CLEAR_LINE is a shared
    stretch; a line across it may only cross it, inside the stretch's crossable part (``c_lo``..``c_hi``)
    and its own, never touch it at an end or a bend.
    """
    for (other_at, o_lo, o_hi, other, _, _) in along:
        if -CLEAR_LINE < at - other_at < CLEAR_LINE and lo < o_hi + CLEAR_LINE and hi > o_lo - CLEAR_LINE \
                and other != rid:
            return True, 0
    crossings = 0
    for (other_at, o_lo, o_hi, other, w_lo, w_hi) in across:
        if lo - JUNCTION < other_at < hi + JUNCTION and o_lo - JUNCTION < at < o_hi + JUNCTION and other != rid:
            if c_lo <= other_at <= c_hi and w_lo <= at <= w_hi:
                crossings += 1
            else:
                return True, crossings
    return False, crossings
