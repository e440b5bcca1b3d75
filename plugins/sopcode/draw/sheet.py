"""The flowchart inside the procedure sheet's table (Permenpan-RB 35/2012).

The sheet decides the geometry (actor column widths, row heights, page breaks)
and passes it in; this module places each symbol at the centre of its step's
row in its actor's column, routes every arrow orthogonally itself, and hands
the result to ``neato -n2``, which draws exactly what it is given. One drawing
per page; an arrow cut by a page break becomes a pair of off-page connectors
(pentagons with the same letter), one on each page.

Coordinates here are points (1/72 in), y growing downwards from the top of the
page's drawing; Graphviz's y grows upwards and is converted on output.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from ..flow import Edge, out_edges
from ..model import Simbol, Sop
from .graphviz import cached_render_many, dot_string, dot_tooltip

Point = tuple[float, float]

PAD = 26.0
"""Height of the band above/below a page's rows that holds off-page connectors."""
LANE = 5.0
"""Distance between parallel arrows running beside a symbol in one column."""
ARROW = 7.0
"""Length of an arrowhead."""


@dataclass(frozen=True)
class SheetLayout:
    """What the sheet decided: widths of the actor columns, heights of the step rows, pages."""

    columns: tuple[float, ...]  # one per actor, in declared order (pt)
    rows: tuple[float, ...]  # one per step, in file order (pt)
    pages: tuple[tuple[int, int], ...] = ()  # (first, last+1) step index per page; default: one page

    def page_ranges(self) -> tuple[tuple[int, int], ...]:
        return self.pages or ((0, len(self.rows)),)


@dataclass
class Symbol:
    name: str
    kind: str  # terminator | proses | keputusan | konektor
    center: Point
    width: float
    height: float
    label: str
    tooltip: str = ""

    def box(self) -> tuple[float, float, float, float]:
        x, y = self.center
        return (x - self.width / 2, y - self.height / 2, x + self.width / 2, y + self.height / 2)


@dataclass
class Arrow:
    points: list[Point]  # orthogonal polyline, tip last
    label: str | None = None
    src: str = ""
    dst: str = ""


@dataclass
class PageChart:
    """One page's drawing: symbols and arrows in page coordinates, ready for DOT."""

    width: float
    height: float  # rows, plus a band of PAD above and/or below where the table breaks
    pad_top: float
    pad_bottom: float
    symbols: list[Symbol] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    column_edges: tuple[float, ...] = ()  # x of the borders between actor columns
    row_edges: tuple[float, ...] = ()  # y of the row borders, top of the first row to bottom of the last

    def to_dot(self, name: str = "lembar", grid: bool = False) -> str:
        """DOT for ``neato -n2``; ``grid`` draws the table's lines too (to look at the chart alone)."""
        return _to_dot(self, name, grid)


def _symbol_size(kind: str, col_w: float, row_h: float) -> tuple[float, float]:
    if kind == Simbol.KEPUTUSAN.value:
        return min(col_w * 0.62, 58.0), min(row_h * 0.8, 34.0)
    return min(col_w * 0.62, 58.0), min(row_h * 0.62, 24.0)


def layout_pages(sop: Sop, layout: SheetLayout) -> list[PageChart]:
    """Place symbols and route arrows for every page of the sheet."""
    return _Router(sop, layout).run()


class _Router:
    """Routes every arrow orthogonally through space no symbol uses.

    Free space, by construction: the band between a row's border and its
    symbol (one symbol per row), and the lanes near each column's sides
    (symbols are at most 62% of the column wide, centred). Horizontal runs
    stay inside the source's or the target's row; vertical runs longer than
    one row go down a lane.
    """

    def __init__(self, sop: Sop, layout: SheetLayout):
        self.sop, self.layout = sop, layout
        actors = [str(a) for a in sop.pelaksana]
        self.col_x0 = [sum(layout.columns[:c]) for c in range(len(layout.columns))]
        self.index = {s.no: i for i, s in reversed(list(enumerate(sop.langkah)))}
        self.col = [actors.index(str(s.pelaksana)) if str(s.pelaksana) in actors else 0 for s in sop.langkah]
        self.page_of: dict[int, int] = {}
        self.row_top: dict[int, float] = {}
        self.first_on_page: set[int] = set()
        self.last_on_page: set[int] = set()
        self.charts: list[PageChart] = []
        column_edges = tuple(self.col_x0[1:])
        ranges = layout.page_ranges()
        for p, (lo, hi) in enumerate(ranges):
            # A band for connectors where the table breaks: above the rows of every page
            # but the first, below the rows of every page but the last.
            top = PAD if p > 0 else 0.0
            bottom = PAD if p < len(ranges) - 1 else 0.0
            y = top
            row_edges = [y]
            for i in range(lo, hi):
                self.page_of[i] = p
                self.row_top[i] = y
                y += layout.rows[i]
                row_edges.append(y)
            self.first_on_page.add(lo)
            self.last_on_page.add(hi - 1)
            self.charts.append(PageChart(sum(layout.columns), y + bottom, top, bottom,
                                         column_edges=column_edges, row_edges=tuple(row_edges)))
        self.symbols: dict[int, Symbol] = {}
        for i, step in enumerate(sop.langkah):
            c = self.col[i]
            w, h = _symbol_size(step.simbol.value, layout.columns[c], layout.rows[i])
            center = (self.col_x0[c] + layout.columns[c] / 2, self.row_top[i] + layout.rows[i] / 2)
            sym = Symbol(f"s{step.no}_{i}", step.simbol.value, center, w, h, str(step.no), str(step.kegiatan))
            self.symbols[i] = sym
            self.charts[self.page_of[i]].symbols.append(sym)
        self.labels = _connector_labels()

    # Lanes ----------------------------------------------------------------------------

    def _range_cols(self, a: int, b: int) -> list[int]:
        return [self.col[k] for k in range(min(a, b), max(a, b) + 1)]

    def plan_lanes(self, routes: list[_Route]) -> None:
        """Give every route that runs beside the columns its own lane (an x).

        A route's lane lies beside the rightmost column its rows span (the
        leftmost, on the left side, for the few that must leave leftwards), so
        it never crosses the short arrows between consecutive steps, which
        stay between the columns' centres. Routes beside one column whose rows
        overlap get different lanes, the longest outermost, so nested loops
        never cross. Lanes fill the margin between the column's border and its
        symbols (symbols are at most 62% of a column wide, centred).
        """
        arriving_right: set[int] = set()
        leaving: dict[int, set[str]] = {}
        for r in routes:
            if r.needs_lane:
                r.side = "right"
                arriving_right.add(r.j)
        for r in routes:
            if r.needs_lane and r.port == "side":
                taken = leaving.setdefault(r.i, set())
                if "right" in taken or (r.i in arriving_right and r.j != r.i):
                    r.side = "left"  # the right vertex is busy: leave by the left one
                taken.add(r.side)
        groups: dict[tuple[int, str], list[_Route]] = {}
        for r in routes:
            if not r.needs_lane:
                continue
            cols = self._range_cols(r.i, r.j)
            r.lane_col = max(cols) if r.side == "right" else min(cols)
            groups.setdefault((r.lane_col, r.side), []).append(r)
        for (col, side), group in groups.items():
            slots: list[list[tuple[int, int]]] = []
            slot_of: dict[int, int] = {}
            for r in sorted(group, key=lambda r: (-abs(r.i - r.j), min(r.i, r.j))):
                lo, hi = min(r.i, r.j), max(r.i, r.j)
                for k, spans in enumerate(slots):
                    if all(hi < a or lo > b for a, b in spans):
                        spans.append((lo, hi))
                        slot_of[id(r)] = k
                        break
                else:
                    slots.append([(lo, hi)])
                    slot_of[id(r)] = len(slots) - 1
            width = self.layout.columns[col]
            margin = (width - min(width * 0.62, 58.0)) / 2
            step = LANE if len(slots) == 1 else min(LANE, max(0.5, (margin - 4.0) / (len(slots) - 1)))
            x0 = self.col_x0[col]
            for r in group:
                off = min(2.5 + slot_of[id(r)] * step, margin - 1.0)
                r.lane = x0 + width - off if side == "right" else x0 + off

    def run(self) -> list[PageChart]:
        sop = self.sop
        routes: list[_Route] = []
        for i in range(len(sop.langkah)):
            edges_out = [(e, self.index[e.dst]) for e in out_edges(sop, i) if e.dst in self.index]
            # The nearest forward arrow leaves from the bottom; loops and a
            # decision's other branch leave by a side vertex.
            forward = [j for _, j in edges_out if j > i]
            bottom_j = min(forward) if forward else None
            for edge, j in edges_out:
                port = "bottom" if j == bottom_j else "side"
                if port == "bottom":
                    bottom_j = None
                routes.append(_Route(i, j, edge, port, needs_lane=not (port == "bottom" and j == i + 1)))
        self.plan_lanes(routes)
        for r in routes:
            if self.page_of[r.i] == self.page_of[r.j]:
                self.add(r.i, self.route(r), r.edge.label, self.symbols[r.j].name)
            else:
                self.cut(r)
        return self.charts

    def add(self, page_step: int, points: list[Point], label: str | None, dst: str, src: str | None = None) -> None:
        src = src or self.symbols[page_step].name
        self.charts[self.page_of[page_step]].arrows.append(Arrow(_simplify(points), label, src, dst))

    # Pieces of routes ---------------------------------------------------------------

    def leave(self, r: _Route) -> list[Point]:
        """From a symbol to its route's lane: out of the side vertex facing it, or below."""
        s = self.symbols[r.i]
        (sx, sy) = s.center
        if r.port == "side":
            return [(sx + s.width / 2 if r.lane > sx else sx - s.width / 2, sy), (r.lane, sy)]
        below = sy + s.height / 2
        y = below + min(3.0, (self.row_top[r.i] + self.layout.rows[r.i] - below) / 2)
        return [(sx, below), (sx, y), (r.lane, y)]

    def arrive_side(self, j: int, lane_x: float) -> list[Point]:
        """From a lane into the target's side, along the target's own row."""
        d = self.symbols[j]
        (tx, ty) = d.center
        side = tx + d.width / 2 if lane_x > tx else tx - d.width / 2
        return [(lane_x, ty), (side, ty)]

    def route(self, r: _Route) -> list[Point]:
        i, j = r.i, r.j
        s, d = self.symbols[i], self.symbols[j]
        (sx, sy), (tx, ty) = s.center, d.center
        if j == i:  # waits on itself: out by the side, round below, back in from underneath
            below = sy + s.height / 2
            y = below + min(4.0, (self.row_top[i] + self.layout.rows[i] - below) * 0.6)
            back = sx + (s.width / 4 if r.lane > sx else -s.width / 4)
            return self.leave(r) + [(r.lane, y), (back, y), (back, below)]
        if not r.needs_lane:  # the next step: down, across just above it, down into it
            below, above = sy + s.height / 2, ty - d.height / 2
            if abs(sx - tx) < 0.01:
                return [(sx, below), (tx, above)]
            # Across just below the source, leaving a long last stretch for the arrowhead.
            y = max(below + 2, above - 12)
            return [(sx, below), (sx, y), (tx, y), (tx, above)]
        # A loop or a skip: to the lane, along it, in from the side along the target's row.
        return self.leave(r) + self.arrive_side(j, r.lane)

    def cut(self, r: _Route) -> None:
        """An arrow across a page break: to a connector on its page, from the twin on the other.

        Forward arrows leave through the band below the rows and come back in
        the band above the next page; loops leave upwards and come back from below.
        """
        i, j = r.i, r.j
        label = next(self.labels)
        sp, tp = self.charts[self.page_of[i]], self.charts[self.page_of[j]]
        s, d = self.symbols[i], self.symbols[j]
        if j > i:
            if r.port == "bottom" and i in self.last_on_page:
                out = [(s.center[0], s.center[1] + s.height / 2)]
            else:
                out = self.leave(r)
            band = sp.height - sp.pad_bottom + 5
            k_out = _connector(sp, "bawah", out[-1][0], label, "keluar")
            self.add(i, out + [(out[-1][0], band), (k_out.center[0], band), _top(k_out)], r.edge.label, k_out.name)
            if j in self.first_on_page:
                k_in = _connector(tp, "atas", d.center[0], label, "masuk")
                pts = [_bottom(k_in), (k_in.center[0], tp.pad_top - 3), (d.center[0], tp.pad_top - 3),
                       (d.center[0], d.center[1] - d.height / 2)]
            else:
                k_in = _connector(tp, "atas", r.lane, label, "masuk")
                pts = [_bottom(k_in), (k_in.center[0], tp.pad_top - 3), (r.lane, tp.pad_top - 3)]
                pts += self.arrive_side(j, r.lane)
            self.add(j, pts, None, d.name, src=k_in.name)
        else:
            band = sp.pad_top - 3
            k_out = _connector(sp, "atas", r.lane, label, "keluar", up=True)
            self.add(i, self.leave(r) + [(r.lane, band), (k_out.center[0], band), _bottom(k_out)],
                     r.edge.label, k_out.name)
            band = tp.height - tp.pad_bottom + 3
            k_in = _connector(tp, "bawah", r.lane, label, "masuk", up=True)
            self.add(j, [_top(k_in), (k_in.center[0], band), (r.lane, band)] + self.arrive_side(j, r.lane),
                     None, d.name, src=k_in.name)


@dataclass(eq=False)
class _Route:
    """One arrow of the SOP, before it is drawn: where it leaves and which lane it takes."""

    i: int  # source step index
    j: int  # target step index
    edge: Edge
    port: str  # "bottom" or "side"
    needs_lane: bool = True  # False only for the short arrow to the next step
    side: str = "right"
    lane_col: int = 0
    lane: float = 0.0


CONNECTOR_W, CONNECTOR_H = 20.0, 16.0


def _connector(chart: PageChart, band: str, x: float, label: str, role: str, up: bool = False) -> Symbol:
    """Put an off-page connector in a band, moved sideways until it overlaps no other."""
    y = chart.pad_top / 2 - 3 if band == "atas" else chart.height - chart.pad_bottom / 2 + 3
    taken = [s.center[0] for s in chart.symbols if s.kind.startswith("konektor") and abs(s.center[1] - y) < 1]
    candidates = [x + d * sign for d in range(0, int(chart.width), 4) for sign in (1, -1)]
    half = CONNECTOR_W / 2 + 2
    for cand in candidates:
        if half <= cand <= chart.width - half and all(abs(cand - t) >= CONNECTOR_W + 4 for t in taken):
            x = cand
            break
    sym = Symbol(f"konektor_{label}_{role}", "konektor-naik" if up else "konektor", (x, y), CONNECTOR_W, CONNECTOR_H, label,
                 f"bersambung ke halaman lain ({label})")
    chart.symbols.append(sym)
    return sym


def _top(s: Symbol) -> Point:
    return (s.center[0], s.center[1] - s.height / 2)


def _bottom(s: Symbol) -> Point:
    return (s.center[0], s.center[1] + s.height / 2)


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of a straight run."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (abs(ax - bx) < 0.01 and abs(bx - p[0]) < 0.01) or (abs(ay - by) < 0.01 and abs(by - p[1]) < 0.01):
                out[-1] = p
                continue
        out.append(p)
    return out


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
    top, bottom = chart.row_edges[0], chart.row_edges[-1]
    ops = ["c 7 -#9aa5b1"]
    lines = [((x, top), (x, bottom)) for x in (0.0, *chart.column_edges, w)]
    lines += [((0.0, y), (w, y)) for y in chart.row_edges]
    for (x0, y0), (x1, y1) in lines:
        ops.append(f"L 2 {x0:.2f} {h - y0:.2f} {x1:.2f} {h - y1:.2f}")
    return " ".join(ops) + " "


def _to_dot(chart: PageChart, name: str, grid: bool = False) -> str:
    h = chart.height

    def gp(p: Point) -> str:
        return f"{p[0]:.2f},{h - p[1]:.2f}"

    background = f", _background={dot_string(_grid_ops(chart))}" if grid and chart.row_edges else ""
    lines = [
        f"digraph {dot_string(name)} {{",
        f'  graph [bb="0,0,{chart.width:.2f},{h:.2f}", pad=0, splines=true, outputorder=edgesfirst{background}];',
        '  node [fixedsize=true, fontname="Liberation Sans", fontsize=9, penwidth=1];',
        '  edge [fontname="Liberation Sans", fontsize=8, penwidth=1, arrowsize=0.7];',
    ]
    # Graphviz crops the drawing to what is drawn; two invisible corner points
    # keep the drawing exactly the size of the table's actor columns.
    for corner, (x, y) in (("sudut_1", (0.0, 0.0)), ("sudut_2", (chart.width, h))):
        lines.append(f'  {corner} [shape=point, style=invis, width=0.001, height=0.001, pos="{x:.2f},{y:.2f}!"];')
    for s in chart.symbols:
        lines.append(
            f"  {dot_string(s.name)} [{_SHAPES[s.kind]}, pos=\"{gp(s.center)}!\", "
            f"width={s.width / 72:.4f}, height={s.height / 72:.4f}, label={dot_string(s.label)}, "
            f"tooltip={dot_tooltip(s.tooltip or s.label)}, id={dot_string(s.name)}, class={dot_string(s.kind)}];")
    for a in chart.arrows:
        tip = a.points[-1]
        prev = a.points[-2]
        # The spline stops where the arrowhead starts; "e," names the tip.
        dx, dy = tip[0] - prev[0], tip[1] - prev[1]
        length = max(abs(dx), abs(dy)) or 1.0
        head = min(ARROW, length * 0.8)  # a short last stretch gets a smaller head
        base = (tip[0] - dx / length * head, tip[1] - dy / length * head)
        poly = a.points[:-1] + [base]
        ctrl = [poly[0]]
        for p, q in zip(poly, poly[1:]):
            ctrl += [p, q, q]
        pos = f"e,{gp(tip)} " + " ".join(gp(p) for p in ctrl)
        attrs = [f'pos="{pos}"', f"arrowsize={head / 10:.3f}"]
        if a.label:
            lx, ly = a.points[0]
            nx, ny = a.points[1]
            if abs(nx - lx) > abs(ny - ly):  # leaves sideways: label above the first stretch
                lp = (lx + (12 if nx > lx else -12), ly - 6)
            else:  # leaves downwards: label beside it
                lp = (lx + 10, ly + 8)
            # Graphviz grows the drawing to hold a label that sticks out, which
            # would shift it off the table: keep labels inside (8 pt text ~ 4.6 pt a letter).
            half = len(a.label) * 2.3 + 1.0
            lp = (min(max(lp[0], half), chart.width - half), min(max(lp[1], 6.0), h - 6.0))
            attrs.append(f'label={dot_string(a.label)}, lp="{gp(lp)}"')
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
    usable = PAPER_PT.get(kertas, PAPER_PT["A4"])[1] - 2 * 36.0 - 90.0  # margins, table head
    per_page = max(1, int((usable - 2 * PAD) // row))
    bounds = list(range(0, n, per_page)) + [n]
    return SheetLayout(tuple([column] * len(sop.pelaksana)), tuple([row] * n),
                       tuple(zip(bounds, bounds[1:])))


def sheet_dots(sop: Sop, layout: SheetLayout, grid: bool = False) -> list[str]:
    """The DOT source of each page's chart, for ``neato -n2``."""
    return [c.to_dot(f"{sop.id}-{n + 1}", grid) for n, c in enumerate(layout_pages(sop, layout))]


def sheet_svgs(sop: Sop, layout: SheetLayout, cache_dir: str | None = None) -> list[str]:
    """One SVG per page of the procedure sheet, drawn by ``neato -n2``."""
    return sheet_svgs_many([(sop, layout)], cache_dir)[0]


def sheet_svgs_many(jobs: list[tuple[Sop, SheetLayout]], cache_dir: str | None = None,
                    grid: bool = False) -> list[list[str]]:
    """The pages of many SOPs' charts in one batch of Graphviz processes (the binder's case).

    ``grid`` draws the lines between the actor columns and the rows, for a chart
    placed in one cell spanning them.
    """
    sources: list[str] = []
    counts: list[int] = []
    for sop, layout in jobs:
        dots = sheet_dots(sop, layout, grid)
        sources += dots
        counts.append(len(dots))
    svgs = cached_render_many(sources, engine="neato", fmt="svg", cache_dir=cache_dir, args=["-n2"])
    out, at = [], 0
    for n in counts:
        out.append(svgs[at:at + n])
        at += n
    return out
