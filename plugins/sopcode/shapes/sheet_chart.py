"""The flowchart inside the procedure sheet's table (Permenpan-RB 35/2012).

The sheet decides the geometry (actor column widths, row heights, page breaks)
and passes it in; this module places each symbol at the centre of its step's
row in its actor's column, routes every arrow orthogonally itself, and hands
the result to ``neato -n2``, which draws exactly what it is given. One drawing
per page; an arrow cut by a page break becomes a pair of off-page connectors
(pentagons with the same letter), one on each page, in a band of their own
above or below the page's rows.

How arrows are routed
---------------------
Arrows are routed one at a time, the arrows of earlier steps first and, of
one step, the arrow to the next step first. For each arrow, candidate
orthogonal paths are made from every way out of its source (a diamond's
corners, points along a box's sides) and every way into its target, joined
directly or along a vertical *lane* beside the columns; they are tried
cheapest first (length, bends, ports away from the middle of a side, a lane
near a column's line, a jog near a row's line, a hook, a bend close before the
arrowhead), and the first one is taken that

* crosses no symbol and no label, never runs on a table line, and never runs beside
  a column's line near enough to read as a doubled border;
* shares no corner (port) and no stretch with another arrow, and touches no other
  arrow except where two cross at right angles;
* ends in a whole arrowhead after some line of its own, keeps room around every
  arrowhead, and ends on a side of its symbol with a clear gap to any other arrowhead
  there (else it takes another side);
* for a decision's branch, leaves room for its **Ya**/**Tidak** label beside its
  own line, inside one cell, clear of every other line, arrowhead and symbol.

A decision's corners still needed by its own branches are kept from arrows
arriving at it, so a loop coming back to a decision never meets the decision's
own outgoing line at a corner. Among paths that pass, fewer crossings win. A
page where some arrow could not be drawn cleanly is routed again, with the
arrows into the symbols involved kept off the middle of their sides and then
with the failed arrows first; the drawing with the fewest faults is kept.

Every symbol of a step shows the step's number in its middle; a step done by
several actors has one symbol spanning adjacent actors' columns and one in each
further column, joined by a plain line.

Coordinates here are points (1/72 in), y growing downwards from the top of the
page's drawing (the top of its first row or band); Graphviz's y grows upwards
and is converted on output. x = 0 is the left edge of the first actor column.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field

from sopcode.model.graph import Edge, out_edges
from sopcode.model.sop import Simbol, Sop
from sopcode.workers import per_core
from sopcode.shapes.graphviz import cached_render_many, dot_string, dot_tooltip

Point = tuple[float, float]

PAD = 30.0
"""Least height of the band above/below a page's rows that holds off-page connectors."""
BAND_PER_CUT = 4.0
"""Extra height of a connector band for each arrow cut by the break beyond the third."""
TERMINAL_BAND = 30.0
"""Height of the band that holds a separate Mulai or Selesai capsule."""
MIN_ROW_KEPUTUSAN = 50.0
"""Least height of a decision's row: its diamond and the room for its Ya/Tidak labels."""
LINE = 0.75
"""Thickness of the table's lines (one CSS pixel); a cell's line is drawn inside its right and bottom edge."""
ARROW = 6.0
"""Length of an arrowhead."""
LABEL_PT = 7.0
"""Font size of the Ya/Tidak labels."""
CONNECTOR_W, CONNECTOR_H = 18.0, 14.0
HOUSE_INSET = 1.34
"""How far inside its box Graphviz draws the flat side of a connector of that size (``house``/``invhouse``)."""
TERMINAL_W, TERMINAL_H = 40.0, 16.0

CLEAR_BORDER = 3.0
"""Least distance between a line and a table line it runs along (centre to centre)."""
CLEAR_ALONG, ALONG = 7.0, 10.0
"""A line running beside a column's line for longer than ``ALONG`` keeps ``CLEAR_ALONG`` from it:
nearer, the two read as a doubled border."""
CLEAR_ALONG_ROW, ALONG_COST = 5.5, 40.0
"""A jog running beside a row's line for longer than ``ALONG`` may come nearer than
``CLEAR_ALONG_ROW`` (rows are often too low for anything else), at the cost of four bends."""
LANE_NEAR = 10.0
"""Lanes nearer a table line than this cost a little more: a lane beside the symbols is preferred."""
HEAD_HALF = 0.35 * ARROW
"""Half the width of an arrowhead (Graphviz's ``normal`` arrow is 0.7 of its length wide)."""
HEAD_GAP = 7.0
"""Least clear gap between two arrowheads ending on one side of a symbol."""
HEAD_ROOM = 2.5
"""Least distance between an arrowhead and another line passing it."""
CLEAR_LINE = 3.0
"""Least distance between two arrows running side by side."""
CLEAR_SYMBOL = 2.0
"""Least distance between an arrow and a symbol it passes."""
JUNCTION = 2.5
"""Two arrows may cross only this far from either's bends and ends (else it reads as a junction)."""
LABEL_GAP = 1.5
"""Distance between a label and its own line."""
LABEL_CLEAR = 3.5
"""Least distance between a label and any other line or arrowhead."""
TRACK = 3.0
"""Distance between neighbouring candidate tracks (lanes, jogs)."""
BEND = 10.0
"""Cost of a bend, in points of length."""
CROSSING = 45.0
"""Cost of crossing another arrow, in points of length."""
LABEL_FAR = 1.2
"""Cost of each point a branch's label sits along its line away from the decision."""

# Advance widths of Liberation Sans (= Helvetica/Arial metrics), per 1000 em.
_WIDTHS = {"Y": 667, "a": 556, "T": 611, "i": 222, "d": 556, "k": 500}


LABEL_HEIGHT = LABEL_PT * 1.117
"""Height of a label's box as Chromium sets it: Liberation Sans' ascent (0.905 em) and descent (0.212 em)."""
LABEL_DROP = LABEL_PT * 0.905 - LABEL_PT * 0.2343
"""From the top of a label's box to the label position Graphviz is given (its baseline is 0.2343 em below)."""


def label_size(text: str) -> tuple[float, float]:
    """Width and height (pt) of a Ya/Tidak label as Chromium sets it."""
    width = sum(_WIDTHS.get(ch, 600) for ch in text) * LABEL_PT / 1000
    return width + 0.4, LABEL_HEIGHT


def min_row(step) -> float:
    """Least height of a step's row for its symbol and labels (0: no need beyond the sheet's own)."""
    return MIN_ROW_KEPUTUSAN if step.simbol is Simbol.KEPUTUSAN else 0.0


def band_height(cuts: int) -> float:
    """Height of a connector band where ``cuts`` arrows cross the page break."""
    return PAD + BAND_PER_CUT * max(0, cuts - 3)


@dataclass(frozen=True)
class SheetLayout:
    """What the sheet decided: widths of the actor columns, heights of the step rows, pages."""

    columns: tuple[float, ...]  # one per actor, in declared order (pt)
    rows: tuple[float, ...]  # one per step, in file order (pt)
    pages: tuple[tuple[int, int], ...] = ()  # (first, last+1) step index per page; default: one page
    bands: tuple[tuple[float, float], ...] = ()  # (top, bottom) band height per page; default: page_bands()

    def page_ranges(self) -> tuple[tuple[int, int], ...]:
        return self.pages or ((0, len(self.rows)),)


def step_arrows(sop: Sop) -> list[tuple[int, int, Edge]]:
    """Every arrow between steps as (source index, target index, edge); targets that exist only."""
    index = {s.no: i for i, s in reversed(list(enumerate(sop.langkah)))}
    return [(i, index[e.dst], e) for i in range(len(sop.langkah)) for e in out_edges(sop, i) if e.dst in index]


def cuts_at(sop: Sop, start: int, arrows: list[tuple[int, int, Edge]] | None = None) -> int:
    """How many arrows cross a page break before the step at index ``start``."""
    arrows = step_arrows(sop) if arrows is None else arrows
    return sum(1 for i, j, _ in arrows if min(i, j) < start <= max(i, j))


def page_bands(sop: Sop, ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[float, float], ...]:
    """Height of the band above and below each page's rows: connectors where the table breaks,
    Mulai above the first page and Selesai below the last when the SOP draws them apart."""
    arrows = step_arrows(sop)
    terminal = TERMINAL_BAND if getattr(sop, "terminator_terpisah", False) else 0.0
    out = []
    for p, (lo, hi) in enumerate(ranges):
        top = band_height(cuts_at(sop, lo, arrows)) if p > 0 else terminal
        bottom = band_height(cuts_at(sop, hi, arrows)) if p < len(ranges) - 1 else terminal
        out.append((top, bottom))
    return tuple(out)


@dataclass
class Symbol:
    name: str
    kind: str  # terminator | proses | keputusan | konektor | konektor-naik
    center: Point
    width: float
    height: float
    label: str
    tooltip: str = ""
    port_x: float | None = None  # x of its main ports when not the centre (a symbol spanning columns)
    css: str = ""  # extra class: "bersama" for an activity shared by several actors

    def box(self) -> tuple[float, float, float, float]:
        x, y = self.center
        return (x - self.width / 2, y - self.height / 2, x + self.width / 2, y + self.height / 2)


@dataclass
class Arrow:
    points: list[Point]  # orthogonal polyline, tip last
    label: str | None = None
    src: str = ""
    dst: str = ""
    label_box: tuple[float, float, float, float] | None = None  # where the label is set (x0, y0, x1, y1)
    head: bool = True  # False: a plain line (the actors of one activity)


@dataclass
class PageChart:
    """One page's drawing: symbols and arrows in page coordinates, ready for DOT."""

    width: float
    height: float  # rows, plus the bands above and/or below them
    pad_top: float
    pad_bottom: float
    symbols: list[Symbol] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    column_edges: tuple[float, ...] = ()  # x of the borders between actor columns
    row_edges: tuple[float, ...] = ()  # y of the row borders, top of the first row to bottom of the last
    faults: list[str] = field(default_factory=list)  # what the router could not avoid (empty when all is well)

    def to_dot(self, name: str = "lembar", grid: bool = False) -> str:
        """DOT for ``neato -n2``; ``grid`` draws the table's lines too (to look at the chart alone)."""
        return _to_dot(self, name, grid)


def _symbol_size(kind: str, col_w: float, row_h: float) -> tuple[float, float]:
    """Whole points: Graphviz draws a node's outline rounded to whole points."""
    if kind == Simbol.KEPUTUSAN.value:
        return float(round(min(col_w * 0.56, 50.0))), float(round(min(row_h * 0.5, 28.0)))
    return float(round(min(col_w * 0.5, 46.0))), float(round(min(row_h * 0.5, 22.0)))


def layout_pages(sop: Sop, layout: SheetLayout) -> list[PageChart]:
    """Place symbols and route arrows for every page of the sheet."""
    return _Router(sop, layout).run()


# --- geometry of one page ------------------------------------------------------------------

_DIRS = {"N": (0.0, -1.0), "S": (0.0, 1.0), "E": (1.0, 0.0), "W": (-1.0, 0.0)}


@dataclass
class _Att:
    """A way into or out of a symbol: the point on its outline and the direction away from it."""

    sym: Symbol
    point: Point
    d: str  # N, S, E, W: the direction a line leaves (or comes in against)
    cost: float = 0.0
    middle: bool = True  # in the middle of its side


class _Page:
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

    def port_free(self, att: _Att, outgoing: bool) -> bool:
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
                if _box_distance(mine, box) < (HEAD_GAP if d == att.d else CLEAR_LINE):
                    return False
        return True

    def take_port(self, att: _Att, outgoing: bool, head: bool = True) -> None:
        self.ports.setdefault(att.sym.name, []).append(att.point)
        if not outgoing and head:
            self.heads_in.setdefault(att.sym.name, []).append((att.d, _head_box(att.point, att.d)))
        self.sides.setdefault(att.sym.name, []).append((att.d, "out" if outgoing else "in"))
        if outgoing:
            kept = self.reserved.get(att.sym.name)
            if kept:
                self.reserved[att.sym.name] = [p for p in kept if abs(p[0] - att.point[0]) + abs(p[1] - att.point[1]) > 0.5]

    def side_clash(self, att: _Att, outgoing: bool) -> int:
        """1 if an arrow in and an arrow out would share one side of a box (they read as one
        line, or as a junction); a diamond's corners are ports of their own."""
        if att.sym.kind == "keputusan":
            return 0
        role = "in" if outgoing else "out"
        return 1 if (att.d, role) in self.sides.get(att.sym.name, ()) else 0

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

    def _head_crowded(self, box, rid: int) -> bool:
        """Whether an arrowhead (its box) would touch another line or crowd a label."""
        for (y, sx1, sx2, other, _, _) in self.hsegs:
            if other != rid and _box_distance(box, (sx1, y, sx2, y)) < HEAD_ROOM:
                return True
        for (x, sy1, sy2, other, _, _) in self.vsegs:
            if other != rid and _box_distance(box, (x, sy1, x, sy2)) < HEAD_ROOM:
                return True
        return any(_box_distance(box, lb) < LABEL_CLEAR for lb in self.labels)

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
                return f"menembus simbol {_say(sym)}"
        for b in self.labels:
            if x1 < b[2] + LABEL_CLEAR and x2 > b[0] - LABEL_CLEAR and y1 < b[3] + LABEL_CLEAR and y2 > b[1] - LABEL_CLEAR:
                return "mencoret label Ya/Tidak"
        for b in self.heads:
            if b[4] != rid and _box_distance((x1, y1, x2, y2), b[:4]) < HEAD_ROOM:
                return "menempel mata panah lain"
        return "menempel garis lain"

    def add(self, points: list[Point], rid: int, head: bool = True) -> None:
        n = len(points) - 1
        if head:
            self.heads.append((*_head_end(*points[-2], *points[-1]), rid))
        for k, ((ax, ay), (bx, by)) in enumerate(zip(points, points[1:])):
            lo, hi = _window(ax, ay, bx, by, head and k == n - 1)
            if abs(ay - by) < 0.01:
                self.hsegs.append((ay, min(ax, bx), max(ax, bx), rid, lo, hi))
            else:
                self.vsegs.append((ax, min(ay, by), max(ay, by), rid, lo, hi))

    # Labels ---------------------------------------------------------------------------

    def place_label(self, text: str, points: list[Point], rid: int):
        """Where a branch's label goes, and how far along its line: beside its own line, nearest
        the decision, inside one cell, clear of every other line, symbol and label (None: nowhere)."""
        lw, lh = label_size(text)
        own = [(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
               for a, b in zip(points, points[1:])]
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
        near = min(_box_seg_distance(box, s) for s in own)
        if near < 0.8 or near > LABEL_GAP + 1.0:
            return False
        clear = max(LABEL_CLEAR, near + 1.5)
        for (y, sx1, sx2, other, _, _) in self.hsegs:
            if other != rid and _box_seg_distance(box, (sx1, y, sx2, y)) < clear:
                return False
        for (x, sy1, sy2, other, _, _) in self.vsegs:
            if other != rid and _box_seg_distance(box, (x, sy1, x, sy2)) < clear:
                return False
        for hb in self.heads:
            if hb[4] != rid and _box_distance(box, hb[:4]) < LABEL_CLEAR:
                return False
        return True


def _say(s: Symbol) -> str:
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
    dx, dy = _DIRS[d]
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


def _box_distance(a, b) -> float:
    dx = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy = max(b[1] - a[3], a[1] - b[3], 0.0)
    return math.hypot(dx, dy)


def _box_seg_distance(box, seg) -> float:
    x1, y1, x2, y2 = box
    sx1, sy1, sx2, sy2 = seg[:4]
    dx = max(sx1 - x2, x1 - sx2, 0.0)
    dy = max(sy1 - y2, y1 - sy2, 0.0)
    return math.hypot(dx, dy)


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


# --- the router ----------------------------------------------------------------------------

@dataclass(eq=False)
class _Route:
    """One arrow to draw on one page: between two symbols (a step, a connector, Mulai/Selesai).
    An arrow cut by a page break is two routes, one per page; the connector at the open end
    (``src`` or ``dst`` None) is placed in the band when the route is drawn."""

    src: Symbol | None
    dst: Symbol | None
    label: str | None
    order: tuple
    i: int = -1  # source step index (-1: Mulai, a connector)
    j: int = -1  # target step index (-1: Selesai, a connector)
    place: str = ""  # the band of the connector still to place: "atas" or "bawah"
    letter: str = ""
    up: bool = False
    rid: int = 0  # the route's id when last drawn


class _Router:
    """Places every symbol of an SOP's sheet and routes its arrows, page by page (see the module's notes)."""

    def __init__(self, sop: Sop, layout: SheetLayout):
        self.sop, self.layout = sop, layout
        actors = [str(a) for a in sop.pelaksana]
        widths = layout.columns
        self.x0 = [sum(widths[:c]) for c in range(len(widths))]
        self.width = sum(widths)
        self.cols: list[list[int]] = []
        for s in sop.langkah:
            names = [str(a) for a in getattr(s, "semua_pelaksana", (s.pelaksana,))]
            found = []
            for a in names:
                if a in actors and actors.index(a) not in found:
                    found.append(actors.index(a))
            self.cols.append(found or [0])
        self.arrows = step_arrows(sop)
        self.terpisah = bool(getattr(sop, "terminator_terpisah", False))
        ranges = layout.page_ranges()
        bands = layout.bands or page_bands(sop, ranges)
        self.page_of: dict[int, int] = {}
        self.row_top: dict[int, float] = {}
        self.pages: list[_Page] = []
        self.charts: list[PageChart] = []
        for p, ((lo, hi), (top, bottom)) in enumerate(zip(ranges, bands)):
            y = top
            regions = [(0.0, top)] if top else []
            row_edges = [y]
            for i in range(lo, hi):
                self.page_of[i] = p
                self.row_top[i] = y
                regions.append((y, y + layout.rows[i]))
                y += layout.rows[i]
                row_edges.append(y)
            if bottom:
                regions.append((y, y + bottom))
            chart = PageChart(self.width, y + bottom, top, bottom, column_edges=tuple(self.x0[1:]),
                              row_edges=tuple(row_edges))
            self.charts.append(chart)
            self.pages.append(_Page(chart, self.x0, widths, regions))
        self.symbols: dict[int, Symbol] = {}
        self.joins: list[tuple[int, Symbol, Symbol]] = []
        for i, step in enumerate(sop.langkah):
            self._place_step(i, step)
        for page in self.pages:
            page.lanes = self._lanes(page)
        self.letters = _connector_labels()
        self.rid = 0

    # Symbols ----------------------------------------------------------------------------

    def _place_step(self, i: int, step) -> None:
        """The step's symbol in its actor's column; an activity of several actors gets one symbol
        spanning adjacent columns, and a symbol in each further column joined by a plain line."""
        layout, page = self.layout, self.pages[self.page_of[i]]
        kind = step.simbol.value
        cy = self.row_top[i] + layout.rows[i] / 2
        primary = self.cols[i][0]
        runs: list[list[int]] = []
        for c in sorted(self.cols[i]):
            if runs and runs[-1][-1] == c - 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        made: list[Symbol] = []
        for k, run in enumerate(runs):
            first, last = run[0], run[-1]
            w0, h = _symbol_size(kind, layout.columns[first], layout.rows[i])
            w1, _ = _symbol_size(kind, layout.columns[last], layout.rows[i])
            left = self.x0[first] + (layout.columns[first] - w0) / 2
            right = self.x0[last] + layout.columns[last] - (layout.columns[last] - w1) / 2
            mine = primary in run
            name = f"s{step.no}_{i}" if mine else f"s{step.no}_{i}_{k}"
            # Every symbol of the step shows its number, in its middle; a symbol spanning columns
            # has its main ports in the middle of the primary actor's column (its own middle may
            # lie on a table line).
            port_x = None
            if mine and len(run) > 1:
                port_x = self.x0[primary] + layout.columns[primary] / 2
            sym = Symbol(name, kind, ((left + right) / 2, cy), float(round(right - left)), h, str(step.no),
                         str(step.kegiatan), port_x=port_x, css="bersama" if len(self.cols[i]) > 1 else "")
            made.append(sym)
            page.chart.symbols.append(sym)
            if mine:
                self.symbols[i] = sym
        for a, b in zip(made, made[1:]):
            self.joins.append((i, a, b))

    def _lanes(self, page: _Page) -> list[float]:
        """Candidate x of vertical runs: the margins beside each column's symbols, and its middle."""
        out: list[float] = []
        half: dict[int, float] = {}
        for s in page.chart.symbols:
            c = page.column_of(s.center[0])
            if s.width < self.layout.columns[c]:
                half[c] = max(half.get(c, 0.0), s.width / 2)
        for c, (x0, w) in enumerate(zip(self.x0, self.layout.columns)):
            mid = x0 + w / 2
            room = mid - half.get(c, w * 0.28)
            x = x0 - LINE / 2 + CLEAR_ALONG + 0.25  # a lane runs along the column's lines: not too near
            while x <= room - 2.5:
                out.append(x)
                out.append(2 * mid - x - LINE)
                x += TRACK
            for k in (0, -1, 1, -2, 2):
                out.append(mid + k * 4.0)
        lanes = sorted(set(round(x, 2) for x in out))
        page.lane_cost = {}
        for x in lanes:
            near = min(abs(x - v) for v in page.v_lines)
            if near < LANE_NEAR:
                page.lane_cost[x] = 0.8 * (LANE_NEAR - near)
        return lanes

    # Attachments ------------------------------------------------------------------------

    def _atts(self, s: Symbol, dirs: str, page: _Page) -> list[_Att]:
        """The ways into or out of a symbol facing ``dirs``, cheapest first."""
        cx, cy = s.center
        hw, hh = s.width / 2, s.height / 2
        out: list[_Att] = []
        if s.kind == "keputusan":
            corners = {"N": (cx, cy - hh), "S": (cx, cy + hh), "E": (cx + hw, cy), "W": (cx - hw, cy)}
            for d in dirs:
                out.append(_Att(s, corners[d], d))
            quarter = {"NE": (cx + hw / 2, cy - hh / 2), "NW": (cx - hw / 2, cy - hh / 2),
                       "SE": (cx + hw / 2, cy + hh / 2), "SW": (cx - hw / 2, cy + hh / 2)}
            for key, p in quarter.items():
                for d in key:
                    if d in dirs:
                        out.append(_Att(s, p, d, 25.0))
            return out
        if s.kind.startswith("konektor") or s.name.startswith(("mulai", "selesai")):
            # Graphviz draws a (inverted) house's flat side a little inside its box.
            top = cy - hh + (HOUSE_INSET if s.kind == "konektor" else 0.0)
            bottom = cy + hh - (HOUSE_INSET if s.kind == "konektor-naik" else 0.0)
            pts = {"N": (cx, top), "S": (cx, bottom)}
            return [_Att(s, pts[d], d) for d in dirs if d in pts]
        ax = s.port_x if s.port_x is not None else cx
        for d in dirs:
            if d in "NS":
                y = cy - hh if d == "N" else cy + hh
                for off in (0.0, -8.0, 8.0, -16.0, 16.0):
                    x = ax + off
                    if abs(x - cx) <= hw - 3.0:
                        out.append(_Att(s, (x, y), d, _off_centre(off), off == 0))
            else:
                x = cx + hw if d == "E" else cx - hw
                for off in (0.0, -6.0, 6.0):
                    if abs(off) <= hh - 2.5:
                        out.append(_Att(s, (x, cy + off), d, _off_centre(off), off == 0))
        return out

    def _tracks(self, page: _Page, att: _Att, first: float = 3.5) -> list[float]:
        """Candidate y of a jog leaving ``att`` vertically, ``first`` beyond its symbol and on,
        clear of table lines (an arrow's last bend leaves room for its arrowhead)."""
        key = (att.point, att.d, first)
        got = page.tracks.get(key)
        if got is None:
            got = page.tracks[key] = self._make_tracks(page, att, first)
        return got

    def _make_tracks(self, page: _Page, att: _Att, first: float) -> list[float]:
        x, y = att.point
        sign = 1.0 if att.d == "S" else -1.0
        out = []
        for k in range(14):
            yy = y + sign * (first + TRACK * k)
            if yy < 2.0 or yy > page.chart.height - 2.0:
                break
            gap = min(abs(yy - line) for line in page.h_lines)
            if gap >= CLEAR_BORDER:
                out.append(yy)
                if gap < CLEAR_ALONG_ROW:
                    page.near_line.add(yy)
        return out

    # Routing ------------------------------------------------------------------------------

    def run(self) -> list[PageChart]:
        routes: list[tuple[int, _Route]] = []  # (page, route)
        sop = self.sop
        n = len(sop.langkah)
        for i, a, b in self.joins:
            page = self.pages[self.page_of[i]]
            pa = _Att(a, (a.center[0] + a.width / 2, a.center[1]), "E")
            pb = _Att(b, (b.center[0] - b.width / 2, b.center[1]), "W")
            page.take_port(pa, True)
            page.take_port(pb, False, head=False)
            pts = [pa.point, pb.point]
            self.rid += 1
            page.add(pts, self.rid, head=False)
            page.chart.arrows.append(Arrow(pts, None, a.name, b.name, head=False))
        # A decision's corners are kept for its own branches, and a step's bottom for its arrow
        # to the next, until they are routed: arrows coming in take other ports.
        self.pending: dict[str, int] = {}
        for i, j, _ in self.arrows:
            self.pending[self.symbols[i].name] = self.pending.get(self.symbols[i].name, 0) + 1
        for i, s in self.symbols.items():
            if not self.pending.get(s.name):
                continue
            page = self.pages[self.page_of[i]]
            cx, cy = s.center
            bottom = (s.port_x if s.port_x is not None else cx, cy + s.height / 2)
            if s.kind == "keputusan":
                page.reserved[s.name] = [(cx + s.width / 2, cy), (cx - s.width / 2, cy), bottom]
            else:
                page.reserved[s.name] = [bottom]
        if self.terpisah and n:
            first, last = self.pages[0], self.pages[-1]
            c = self.cols[0][0]
            mulai = self._terminal(first, "mulai", "Mulai", self.x0[c] + self.layout.columns[c] / 2,
                                   first.chart.pad_top / 2)
            routes.append((0, _Route(mulai, self.symbols[0], None, (-1, 0), j=0)))
            if not out_edges(sop, n - 1):
                c = self.cols[n - 1][0]
                selesai = self._terminal(last, "selesai", "Selesai", self.x0[c] + self.layout.columns[c] / 2,
                                         last.chart.height - last.chart.pad_bottom / 2)
                routes.append((len(self.pages) - 1, _Route(self.symbols[n - 1], selesai, None, (n, 0), i=n - 1)))
        for i, j, edge in self.arrows:
            forward = [jj for ii, jj, _ in self.arrows if ii == i and jj > i]
            rank = 0 if forward and j == min(forward) else 1
            order = (i, rank, abs(j - i))
            p, q = self.page_of[i], self.page_of[j]
            if p == q:
                routes.append((p, _Route(self.symbols[i], self.symbols[j], edge.label, order, i, j)))
                continue
            letter = next(self.letters)
            up = j < i
            routes.append((p, _Route(self.symbols[i], None, edge.label, order, i, j,
                                     place="atas" if up else "bawah", letter=letter, up=up)))
            # The arrow from the twin connector on the target's page: with the arrows into
            # the top of the page first, those coming up from the bottom last.
            order_in = (-1, 0, j) if not up else (n + 1, 0, -j)
            routes.append((q, _Route(None, self.symbols[j], None, order_in, i, j,
                                     place="bawah" if up else "atas", letter=letter, up=up)))
        by_page: dict[int, list[_Route]] = {}
        for p, r in sorted(routes, key=lambda pr: (pr[0], pr[1].order)):
            by_page.setdefault(p, []).append(r)
        for p, mine in by_page.items():
            self._route_page(self.pages[p], mine)
        return self.charts

    def _route_page(self, page: _Page, routes: list[_Route]) -> None:
        """Route one page's arrows in order. When some could not be drawn cleanly, the page is
        routed again: with the arrows into the symbols involved kept off the middle of their sides
        (so that a later arrow finds a port beside an earlier one), then also with the arrows that
        failed routed first; the drawing with the fewest faults stays."""
        before = self._save(page)
        for r in routes:
            self._route(page, r)
        if not page.chart.faults or not page.trouble:
            return
        best = self._save(page)
        trouble = set(page.trouble)
        failed = [r for r in routes if r.rid in page.failed]
        orders = (routes, failed + [r for r in routes if r not in failed])
        for order in orders:
            self._load(page, before)
            page.crowded = trouble
            for r in order:
                self._route(page, r)
            if len(page.chart.faults) < len(best[11]):
                best = self._save(page)
            if not page.chart.faults:
                break
        self._load(page, best)

    def _save(self, page: _Page) -> tuple:
        """What routing changes on a page (and the router's count of arrows still to leave each
        symbol), copied: :meth:`_load` puts it back."""
        c = page.chart
        return _copied((page.hsegs, page.vsegs, page.labels, page.heads, page.heads_in, page.ports, page.sides,
                        page.reserved, self.pending, c.symbols, c.arrows, c.faults, page.trouble))

    def _load(self, page: _Page, saved: tuple) -> None:
        c = page.chart
        (page.hsegs, page.vsegs, page.labels, page.heads, page.heads_in, page.ports, page.sides, page.reserved,
         self.pending, c.symbols, c.arrows, c.faults, page.trouble) = _copied(saved)

    def _terminal(self, page: _Page, name: str, text: str, x: float, y: float) -> Symbol:
        c = page.column_of(x)
        w = float(round(min(TERMINAL_W, self.layout.columns[c] - 8.0)))
        sym = Symbol(name, "terminator", (x, y), w, TERMINAL_H, text, text)
        page.chart.symbols.append(sym)
        return sym

    def _connector_spots(self, page: _Page, band: str, near_x: float) -> list[Point]:
        """Free places for a connector in a band, nearest ``near_x`` first."""
        chart = page.chart
        if band == "atas":
            y = 2.5 + CONNECTOR_H / 2
        else:
            y = chart.height - LINE - 2.5 - CONNECTOR_H / 2
        spots = []
        c = page.column_of(near_x)
        x0, w = self.x0[c], self.layout.columns[c]
        if x0 + CONNECTOR_W / 2 + 2.0 <= near_x <= x0 + w - LINE - CONNECTOR_W / 2 - 2.0:
            spots.append((near_x, y))  # straight below (above) the arrow's end
        for c, (x0, w) in enumerate(zip(self.x0, self.layout.columns)):
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

    def _route(self, page: _Page, r: _Route) -> None:
        self.rid += 1
        rid = r.rid = self.rid
        if r.place:
            anchor = r.src if r.src is not None else r.dst
            near_x = anchor.port_x if anchor.port_x is not None else anchor.center[0]
            spots = self._connector_spots(page, r.place, near_x)
            best = None
            for spot in spots[:3]:
                kind = "konektor-naik" if r.up else "konektor"
                role = "keluar" if r.src is not None else "masuk"
                k = Symbol(f"konektor_{r.letter}_{role}", kind, spot, CONNECTOR_W, CONNECTOR_H, r.letter,
                           f"bersambung ke halaman lain ({r.letter})")
                page.chart.symbols.append(k)
                src, dst = (r.src, k) if r.src is not None else (k, r.dst)
                found = self._best_path(page, src, dst, r, rid)
                page.chart.symbols.pop()
                if found and (best is None or found[0] < best[0]):
                    best = (found[0], found[1], k, src, dst)
            if best is None:  # no spot at all (a full band): beside the anchor, whatever it crosses
                x = anchor.center[0]
                y = 2.5 + CONNECTOR_H / 2 if r.place == "atas" else page.chart.height - LINE - 2.5 - CONNECTOR_H / 2
                k = Symbol(f"konektor_{r.letter}_{'keluar' if r.src is not None else 'masuk'}",
                           "konektor-naik" if r.up else "konektor", (x, y), CONNECTOR_W, CONNECTOR_H, r.letter,
                           f"bersambung ke halaman lain ({r.letter})")
                src, dst = (r.src, k) if r.src is not None else (k, r.dst)
                page.chart.symbols.append(k)
                found = self._best_path(page, src, dst, r, rid)
                page.chart.symbols.pop()
                best = (found[0], found[1], k, src, dst) if found else None
            if best is None:
                page.chart.faults.append(f"panah ke konektor {r.letter} tidak dapat digambar")
                page.failed.add(rid)
                return
            score, choice, k, src, dst = best
            page.chart.symbols.append(k)
            self._commit(page, src, dst, r, rid, score, choice)
            return
        found = self._best_path(page, r.src, r.dst, r, rid)
        if not found:
            page.chart.faults.append(f"panah {_say(r.src)} ke {_say(r.dst)} tidak dapat digambar")
            page.failed.add(rid)
            return
        self._commit(page, r.src, r.dst, r, rid, found[0], found[1])

    def _commit(self, page: _Page, src: Symbol, dst: Symbol, r: _Route, rid: int, score, choice) -> None:
        points, a, b, box = choice
        if score[0]:
            page.trouble.update((src.name, dst.name))
            page.failed.add(rid)
            why: list[str] = []
            page.check(points, src, dst, rid, why=why)
            if page.side_clash(a, True) or page.side_clash(b, False):
                why.append("garis masuk dan keluar pada satu sisi simbol")
            if math.dist(points[-2], points[-1]) < _SHORT:
                why.append("mata panah terjepit di ujung garis")
            if r.label and r.src is not None and box is None:
                why.append(f"tidak ada tempat untuk label {r.label}")
            page.chart.faults.append(f"panah {_say(src)} ke {_say(dst)}: " + "; ".join(why))
        page.take_port(a, True)
        page.take_port(b, False)
        page.add(points, rid)
        if r.src is not None:
            left = self.pending.get(src.name, 0) - 1
            self.pending[src.name] = left
            if left <= 0:
                page.reserved.pop(src.name, None)
        label = r.label if r.src is not None else None
        if label and box is not None:
            page.labels.append(box)
        page.chart.arrows.append(Arrow(points, label, src.name, dst.name, box))

    def _best_path(self, page: _Page, src: Symbol, dst: Symbol, r: _Route, rid: int):
        """The cheapest path that passes every check; failing that, the one with the fewest faults.

        Candidates come in tiers (:data:`_TIERS`), each a superset of the one before: the symbols'
        main ports and the lanes near the arrow's span first, then off-centre ports, then every
        port, then every lane of the page. A later tier is tried when no clean path without
        crossings is found, or while a port it admits could still beat the best one by two bends.
        Returns ((faults, crossed, total cost), (points, out port, in port, label box)).
        """
        label = r.label if r.src is not None else None
        outs = self._out_atts(page, src, dst)
        ins = self._in_atts(page, src, dst)
        best = None  # (faults, total, points, a, b, box, crossings)
        seen: set = set()
        tier = 0
        while tier < len(_TIERS):
            bound = best[1] if best is not None and best[0] == 0 else math.inf
            cands = self._candidates(page, outs, ins, tier, bound)
            cands.sort(key=_first)
            tried = 0
            for cand in cands:
                cost = cand[0]
                clean = best is not None and best[0] == 0
                if clean and cost >= best[1]:
                    break
                points = _build(cand)
                key = (tuple(points), cand[2].d, cand[3].d)
                if key in seen:
                    continue
                seen.add(key)
                tried += 1
                if tried > (150 if clean else 3000):
                    break
                # A faulty path is out of the running: its first fault is enough to know.
                faults, crossings = page.check(points, src, dst, rid, first_fault=True)
                faults += cand[7]
                if clean and faults:
                    continue
                total = cost + CROSSING * crossings
                if clean and total >= best[1]:
                    continue
                box = None
                if label and not faults:
                    found = page.place_label(label, points, rid)
                    if found is None:
                        faults += 1
                    else:
                        box = found[0]
                        total += LABEL_FAR * found[1]
                if best is None or (faults, total) < (best[0], best[1]):
                    best = (faults, total, points, cand[2], cand[3], box, crossings)
                if not faults and not crossings and not label:
                    break
            if best is not None and best[0] == 0 and best[6] == 0:
                if tier >= 3 or best[1] <= self._port_floor(outs, ins, tier) + 2 * BEND:
                    break
                tier += 1  # every port, the span's lanes
            elif tier == 2 and best is not None and best[0] == 0:
                tier = 4  # crossing: every port, every lane
            else:
                tier += 1
        if best is None:
            return None
        faults, total, points, a, b, box, crossings = best
        return (faults, 1 if crossings else 0, total), (points, a, b, box)

    @staticmethod
    def _port_floor(outs: list[_Att], ins: list[_Att], tier: int) -> float:
        """The least a path through a port first admitted by a later tier can cost (its length at
        least the ports' distance, with a bend unless they face each other)."""
        limit = max(_TIERS[t][0] for t in range(tier + 1))
        floor = math.inf
        for a in outs:
            for b in ins:
                if a.cost > limit or b.cost > limit:
                    dx, dy = abs(a.point[0] - b.point[0]), abs(a.point[1] - b.point[1])
                    straight = a.d in "NS" and b.d in "NS" and dx < 0.01
                    floor = min(floor, a.cost + b.cost + dx + dy + (0.0 if straight else BEND))
        return floor

    def _out_atts(self, page: _Page, src: Symbol, dst: Symbol) -> list[_Att]:
        if src.kind.startswith("konektor") or src.name.startswith("mulai"):
            d = "S" if src.center[1] < dst.center[1] else "N"
            atts = self._atts(src, d, page)
        elif src.kind == "keputusan":
            atts = [a for a in self._atts(src, "SEW", page) if a.cost == 0]
        else:
            atts = self._atts(src, "SEW", page)
            for a in atts:
                if a.d != "S":
                    a.cost += 12.0
        return [a for a in atts if page.port_free(a, True)]

    def _in_atts(self, page: _Page, src: Symbol, dst: Symbol) -> list[_Att]:
        if dst.kind.startswith("konektor") or dst.name.startswith("selesai"):
            d = "N" if src.center[1] < dst.center[1] else "S"
            atts = self._atts(dst, d, page)
        else:
            atts = self._atts(dst, "NEWS", page)
            for a in atts:
                if a.d == "S":  # from below: a little dearer, as dear as a port off the middle of a side
                    a.cost += 12.0
            if dst.name in page.crowded and dst.kind != "keputusan":
                for a in atts:
                    if a.middle:
                        a.cost += 60.0
                atts.sort(key=lambda a: a.cost)
        return [a for a in atts if page.port_free(a, False)]

    def _candidates(self, page: _Page, outs: list[_Att], ins: list[_Att], tier: int,
                    bound: float = math.inf) -> list[tuple]:
        """Candidate paths of one tier (see :data:`_TIERS`) cheaper than ``bound`` may be, unbuilt:
        (cost, shape, out port, in port, x, y1, y2, faults of its shape); see :func:`_build`."""
        limit, _, n_tracks = _TIERS[tier]
        outs = [a for a in outs if a.cost <= limit] or outs[:1]
        ins = [a for a in ins if a.cost <= limit] or ins[:1]
        out: list[tuple] = []
        for a in outs:
            clash_a = page.side_clash(a, True)
            tracks_a = self._tracks(page, a)[:n_tracks] if a.d in "NS" else []
            for b in ins:
                d = abs(a.point[0] - b.point[0]) + abs(a.point[1] - b.point[1])
                if (b.sym is a.sym and d < 1) or a.cost + b.cost + d >= bound:
                    continue
                clash = clash_a + page.side_clash(b, False)
                tracks_b = self._tracks(page, b, _SHORT)[:n_tracks] if b.d in "NS" else []
                lanes = self._lanes_for(page, a.point[0], b.point[0], tier)
                base = a.cost + b.cost + 500.0 * clash
                _shapes(out, base, a, b, lanes, tracks_a, tracks_b, clash, page.lane_cost, page.near_line)
        return out

    def _lanes_for(self, page: _Page, px: float, qx: float, tier: int) -> list[float]:
        which = _TIERS[tier][1]
        if which == "none":
            return []
        if which == "all":
            return page.lanes
        lo, hi = min(px, qx), max(px, qx)
        c_lo, c_hi = page.column_of(lo), page.column_of(hi)
        x_lo = self.x0[max(0, c_lo - 1)]
        c_top = min(len(self.x0) - 1, c_hi + 1)
        x_hi = self.x0[c_top] + self.layout.columns[c_top]
        lanes = [x for x in page.lanes if x_lo <= x <= x_hi]
        if which == "near":
            lanes.sort(key=lambda x: max(lo - x, x - hi, 0.0))
            lanes = lanes[:12]
        return lanes


def _copied(values: tuple) -> tuple:
    """Copies of lists, sets and dicts (of lists) deep enough that routing on never changes them."""
    return tuple({k: list(x) if isinstance(x, list) else x for k, x in v.items()} if isinstance(v, dict)
                 else type(v)(v) for v in values)


_TIERS = (
    (12.0, "none", 3),  # direct paths between the main ports, no lane
    (0.0, "near", 2),  # the middles of the sides, the lanes nearest the arrow's span
    (12.0, "span", 3),  # ports a little off the middle, every lane of the span's columns and their neighbours
    (30.0, "span", 3),  # every port (a diamond's quarter points, far along a side)
    (30.0, "all", 3),  # every lane of the page
)
"""Tiers of candidate paths, each a superset of the ones before: the costliest port admitted,
the lanes used, how many tracks beyond a symbol a jog may take."""


def _off_centre(off: float) -> float:
    """Cost of a port away from the middle of a box's side: more than the length it saves."""
    return 0.0 if off == 0 else 2.0 + 1.5 * abs(off)


def _first(cand: tuple) -> float:
    return cand[0]


_SHORT = ARROW + 2.5
"""An arrow's last stretch is at least this long: a whole arrowhead with some line before it,
never a stub crammed against the symbol."""
_HOOK_LEN, HOOK = 6.0, 30.0
"""A stretch between two bends shorter than this costs that much more."""
_ROOMY = ARROW + 9.0
"""A last stretch shorter than this costs a little (the bend before an arrowhead kept away from its symbol)."""


def _shapes(out: list, base: float, a: _Att, b: _Att, lanes: list[float], tracks_p: list[float],
            tracks_q: list[float], clash: int, pen: dict[float, float], near: set[float]) -> None:
    """Append the orthogonal paths from a (leaving along its direction) to b (arriving against
    its direction) to ``out``, unbuilt, with their cost: length, bends, a lane near a column's line
    (``pen``), a long jog near a row's line (``near``), a hook; a last stretch too short for its
    arrowhead is a fault."""
    (px, py), (qx, qy) = a.point, b.point
    dp, dq = _DIRS[a.d], _DIRS[b.d]
    hp, hq = dp[1] == 0, dq[1] == 0

    def add(shape, length, bends, last, x=0.0, y1=0.0, y2=0.0):
        short = last < _SHORT  # a fault, like a side shared by an arrow in and out
        cost = length + BEND * bends + 500.0 * short + 1.5 * max(0.0, _ROOMY - last) + pen.get(x, 0.0)
        # A stretch between two bends too short to read reads as a hook; a long jog near a row's
        # line, as a doubled border.
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
    elif hp:
        if (qx - px) * dp[0] > 2.0 and (py - qy) * dq[1] > 2.0:
            add(2, abs(qx - px) + abs(qy - py), 1, abs(qy - py))
        for y in tracks_q:
            for x in lanes:
                if (x - px) * dp[0] > 2.0 and abs(x - qx) > 2.0:
                    add(3, abs(x - px) + abs(y - py) + abs(qx - x) + abs(qy - y), 3, abs(qy - y), x, y)
    elif hq:
        if (qy - py) * dp[1] > 2.0 and (px - qx) * dq[0] > 2.0:
            add(4, abs(qx - px) + abs(qy - py), 1, abs(qx - px))
        for y in tracks_p:
            for x in lanes:
                if (x - qx) * dq[0] > 2.0 and abs(x - px) > 2.0:
                    add(5, abs(y - py) + abs(x - px) + abs(qy - y) + abs(qx - x), 3, abs(qx - x), x, y)
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


def _build(cand: tuple) -> list[Point]:
    """The points of a candidate path made by :func:`_shapes`."""
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


def _connector_labels():
    for letter in string.ascii_uppercase:
        yield letter
    n = 1
    while True:
        for letter in string.ascii_uppercase:
            yield f"{letter}{n}"
        n += 1


# --- DOT for neato -n2 ---------------------------------------------------------------------

_SHAPES = {
    "terminator": 'shape=box, style="rounded"',
    "proses": "shape=box",
    "keputusan": "shape=diamond",
    "konektor": "shape=invhouse",  # off-page connector, flow continues downwards
    "konektor-naik": "shape=house",  # the same for a loop that continues upwards
}


def _grid_ops(chart: PageChart) -> str:
    """The table's lines as xdot drawing operations (Graphviz's ``_background``)."""
    h, w = chart.height, chart.width
    ops = ["c 7 -#9aa5b1"]
    ys = [0.0] + ([chart.pad_top] if chart.pad_top else []) + list(chart.row_edges[1:]) + [h]
    lines = [((x, 0.0), (x, h)) for x in (0.0, *chart.column_edges, w)]
    lines += [((0.0, y), (w, y)) for y in sorted(set(ys))]
    for (x0, y0), (x1, y1) in lines:
        ops.append(f"L 2 {x0:.2f} {h - y0:.2f} {x1:.2f} {h - y1:.2f}")
    return " ".join(ops) + " "


def _to_dot(chart: PageChart, name: str, grid: bool = False) -> str:
    h = chart.height

    def gp(p: Point) -> str:
        return f"{p[0]:.2f},{h - p[1]:.2f}"

    # On the sheet the chart lies over the table's own cells: no background of its own.
    background = f", _background={dot_string(_grid_ops(chart))}" if grid and chart.row_edges else ""
    bg = "white" if grid else "transparent"
    lines = [
        f"digraph {dot_string(name)} {{",
        f'  graph [bb="0,0,{chart.width:.2f},{h:.2f}", pad=0, splines=true, outputorder=edgesfirst, '
        f'bgcolor="{bg}"{background}];',
        '  node [fixedsize=true, fontname="Liberation Sans", fontsize=9, penwidth=1, style=filled, fillcolor=white];',
        f'  edge [fontname="Liberation Sans", fontsize={LABEL_PT:g}, penwidth=1, arrowsize=0.7];',
    ]
    # Graphviz crops the drawing to what is drawn; two invisible corner points
    # keep the drawing exactly the size of the table's actor columns (each point
    # 0.072 pt wide, set in by half of that so that it adds nothing).
    for corner, (x, y) in (("sudut_1", (0.036, 0.036)), ("sudut_2", (chart.width - 0.036, h - 0.036))):
        lines.append(f'  {corner} [shape=point, style=invis, width=0.001, height=0.001, pos="{x:.3f},{y:.3f}!"];')
    for s in chart.symbols:
        shape = _SHAPES[s.kind]
        if s.kind == "terminator":
            shape = 'shape=box, style="rounded,filled"'
        size = 8 if s.name.startswith(("mulai", "selesai")) else (8 if s.kind.startswith("konektor") else 9)
        css = f"{s.kind} {s.css}".strip()
        lines.append(
            f"  {dot_string(s.name)} [{shape}, pos=\"{gp(s.center)}!\", "
            f"width={s.width / 72:.4f}, height={s.height / 72:.4f}, label={dot_string(s.label)}, fontsize={size}, "
            f"tooltip={dot_tooltip(s.tooltip or s.label)}, id={dot_string(s.name)}, class={dot_string(css)}];")
    for a in chart.arrows:
        attrs = []
        if a.head:
            tip = a.points[-1]
            prev = a.points[-2]
            # The spline stops where the arrowhead starts; "e," names the tip.
            dx, dy = tip[0] - prev[0], tip[1] - prev[1]
            length = max(abs(dx), abs(dy)) or 1.0
            head = min(ARROW, length * 0.8)  # a short last stretch gets a smaller head
            base = (tip[0] - dx / length * head, tip[1] - dy / length * head)
            poly = a.points[:-1] + [base]
            attrs.append(f"arrowsize={head / 10:.3f}")
            prefix = f"e,{gp(tip)} "
        else:
            poly = list(a.points)
            prefix = ""
            attrs.append("dir=none")
        ctrl = [poly[0]]
        for p, q in zip(poly, poly[1:]):
            ctrl += [p, q, q]
        attrs.insert(0, f'pos="{prefix}{" ".join(gp(p) for p in ctrl)}"')
        if a.label and a.label_box:
            x1, y1, x2, y2 = a.label_box
            attrs.append(f'label={dot_string(a.label)}, lp="{gp(((x1 + x2) / 2, y1 + LABEL_DROP))}"')
        elif a.label:  # nowhere clear to put it (a layout too cramped): beside the start all the same
            lx, ly = a.points[0]
            attrs.append(f'label={dot_string(a.label)}, lp="{gp((min(max(lx + 10, 12), chart.width - 12), ly - 6))}"')
        lines.append(f"  {dot_string(a.src)} -> {dot_string(a.dst)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


PAPER_PT = {"A4": (841.9, 595.3), "F4": (935.4, 609.4)}
"""Landscape paper sizes in points (A4 297 x 210 mm, F4 330 x 215 mm)."""


def simple_layout(sop: Sop, kertas: str = "A4", column: float = 68.0, row: float = 44.0) -> SheetLayout:
    """A plain layout (equal columns, equal rows, as many rows per page as fit the paper).

    The printable sheet measures its own rows and passes them in; this one is
    for looking at a chart on its own (``scripts/gambar_sop.py``).
    """
    n = len(sop.langkah)
    rows = tuple(max(row, min_row(s)) for s in sop.langkah)
    usable = PAPER_PT.get(kertas, PAPER_PT["A4"])[1] - 2 * 36.0 - 90.0  # margins, table head
    bounds, used = [0], 0.0
    for i, h in enumerate(rows):
        if used + h + 2 * PAD > usable and i > bounds[-1]:
            bounds.append(i)
            used = 0.0
        used += h
    bounds.append(n)
    return SheetLayout(tuple([column] * len(sop.pelaksana)), rows, tuple(zip(bounds, bounds[1:])))


def sheet_dots(sop: Sop, layout: SheetLayout, grid: bool = False) -> list[str]:
    """The DOT source of each page's chart, for ``neato -n2``."""
    return [c.to_dot(f"{sop.id}-{n + 1}", grid) for n, c in enumerate(layout_pages(sop, layout))]


def _dots_and_faults(sop: Sop, layout: SheetLayout, grid: bool) -> tuple[list[str], list[list[str]]]:
    charts = layout_pages(sop, layout)
    return [c.to_dot(f"{sop.id}-{n + 1}", grid) for n, c in enumerate(charts)], [c.faults for c in charts]


def sheet_svgs(sop: Sop, layout: SheetLayout, cache_dir: str | None = None) -> list[str]:
    """One SVG per page of the procedure sheet, drawn by ``neato -n2``."""
    return sheet_svgs_many([(sop, layout)], cache_dir)[0]


def sheet_svgs_many(jobs: list[tuple[Sop, SheetLayout]], cache_dir: str | None = None,
                    grid: bool = False, faults: list | None = None) -> list[list[str]]:
    """The pages of many SOPs' charts in one batch of Graphviz processes (the binder's case).

    ``grid`` draws the lines between the actor columns and the rows and a white
    background, for a chart looked at on its own; on the sheet the table draws them.
    ``faults`` receives, per SOP, per page, what the router could not avoid (in words).
    """
    sources: list[str] = []
    counts: list[int] = []
    # Routing is the costly part (a few ms a page): many SOPs are routed on every core.
    for dots, found in per_core(lambda chunk: [_dots_and_faults(sop, layout, grid) for sop, layout in chunk],
                                jobs, minimum=24, chunks_per_worker=2):
        sources += dots
        counts.append(len(dots))
        if faults is not None:
            faults.append(found)
    svgs = cached_render_many(sources, engine="neato", fmt="svg", cache_dir=cache_dir, args=["-n2"])
    out, at = [], 0
    for n in counts:
        out.append(svgs[at:at + n])
        at += n
    return out


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
