"""The swimlane flowchart of an SOP for the web page: a grid placed here, drawn by Graphviz.

How it is built
---------------
Clusters would be the natural way to draw lanes, but Graphviz reorders
clusters freely. The drawing is instead a grid with no clusters: a cell in
every row (a header row, one row per step, a footer row) and column. A step
*is* the cell of its row in its actor's column, so the lane order and "one
step per row" come from the grid itself. :func:`_layout` places the grid
(columns as wide as their lane, rows as tall as what they hold) and
``neato -n2`` draws it where it is told; only the empty cells an arrow
passes are given to Graphviz at all. (Letting ``dot`` place a full
invisible grid gave the same picture for 10 ms of CPU per SOP.)

Columns, left to right: left gutters, the lanes in declared order, right
gutters. Arrows are drawn along grid links, so their course is decided here:

* to the next step in another lane (*siku*, an elbow): straight out of the
  step's side along its own row, which holds no other symbol, then down
  into the top of the next step;
* to the next step in the same lane: straight down;
* back up (*balik*, a loop) or forward over other steps (*lompat*): out of
  the step's side along its row to a gutter column, along the gutter, and
  into the target's side along the target's row. Loops prefer the right
  gutters, jumps the left, unless the other side crosses less; a gutter
  column holds routes whose rows do not overlap, shorter ones nearer the
  lanes, so nested loops never cross.

A side of a step is used by one arrow leaving it; arrows arriving may share
it (they merge). A step looping on itself takes a side first (one facing a
lane rather than a gutter, if it can): a small loop out of it and back into it
higher up. When an elbow's side is taken, that arrow becomes a curve
from the bottom of the step to the top of the next. A loop or jump whose side
is taken (or closed, below) leaves by the step's bottom or arrives by its top,
along the gap between the rows.

A step done by several actors (``pelaksana: [A, B]``) has one symbol across
its actors' lanes where they are adjacent, else a symbol in each run of
adjacent lanes, joined by a plain line along its row; the row holds nothing
else. Its arrows attach to the symbol holding its first actor, whose side
facing the other symbols is *closed*; arrows from above or below meet that
symbol over its first actor's lane. With ``terminator: terpisah`` a small
"Mulai" capsule has a row of its own above the first step, "Selesai" one
below the last, each in the lane of that step's first actor.

A decision's *Ya*/*Tidak* labels are placed here too (:func:`_place_labels`),
once every line drawn here is known: beside the first stretch of their own
line where it leaves the decision, on the side away from where the line turns
next (below the stretch of a loop that then goes up, above that of a jump that
goes down), else the first of a few spots further along that is clear of every
other line, arrowhead, symbol, lane header and label, and nearer its own line
than any other. Graphviz only draws a label where it is told (``tail_lp``), so
where it sits is in the DOT, and so in the key of every cached drawing.

Graphviz knows nothing of lanes as areas: :func:`finish_svg` reads the header
cells' coordinates back from the SVG and paints the lane columns behind the
drawing (``class="lajur"``); the headers repeat at the bottom of long SOPs.
An arrow along the grid is one edge whose line is given. Every step is
``<g class="langkah …" id="langkah-<no>">`` with its full text as hover title,
a further symbol of a shared step ``id="langkah-<no>-2"`` (``-3`` …, left to
right; all its symbols have class ``bersama``) and the lines joining them ``<g class="sambung"
id="sambung-<no>-<n>">``; the capsules are ``<g class="langkah terminator
mulai" id="mulai">`` and ``id="selesai"``. Arrows are ``<g class="panah …"
id="panah-<dari>-<ke>[-ya|-tidak]">`` (``panah-mulai-1``, ``panah-13-selesai``).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import textwrap
from dataclasses import dataclass, field
from functools import cached_property, partial

from sopcode.model.graph import Graph
from sopcode.model.sop import Simbol, Sop, Step
from sopcode.workers import per_core
from sopcode.shapes.graphviz import (
    DrawError, _read, _write_atomic, cache_key, cached_render_many, clean_text, dot_string,
    graphviz_version, html_label_text, render_bytes,
)

SVG_NS = "http://www.w3.org/2000/svg"

FONT = "Arial"
FONT_STACK = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 9.0  # points
HEADER_FONT_SIZE = 9.5
LINE = 0.155  # inches per line of text at FONT_SIZE

NODESEP = 0.16  # inches between neighbouring cells of a row
RANKSEP = 0.24  # inches between rows
GUTTER = 0.12  # width of a gutter cell, inches
DOT = 0.02  # height of an empty cell

DECISION_LANE = 1.3
"""How much wider a lane holding a decision is."""

FOOTER_MIN_STEPS = 8
"""Lane headers are repeated at the bottom when an SOP has at least this many steps."""

COLOURS = {
    "lane": ("#f3f5f8", "#e4e9ef"),  # alternating lane fills
    "lane_border": "#b4bfcb",
    "header": "#cdd7e1",
    "header_text": "#17212b",
    "arrow": "#1f4e79",
    "arrow_back": "#a0460c",
    "halo": "#ffffff",
    "proses": "#ffffff",
    "keputusan": "#fff4cc",
    "mulai": "#dff0e2",
    "selesai": "#f8e0dd",
    "stroke": "#2e3a46",
}

_LANE_WIDTH = {1: 2.4, 2: 2.3, 3: 2.0, 4: 1.7, 5: 1.38, 6: 1.18, 7: 1.05}
"""Lane width (inches) by number of lanes: seven lanes and two gutters still fit ~800 px."""


def lane_width(n_lanes: int) -> float:
    return _LANE_WIDTH.get(n_lanes, max(0.8, 7.0 / max(n_lanes, 1)))


# --- the plan: rows, columns, arrows -------------------------------------------------------

KIRI, KANAN = "kiri", "kanan"
SIKU, BALIK, LOMPAT, MAJU = "siku", "balik", "lompat", "maju"

MULAI, SELESAI = -1, -2
"""The separate "Mulai" and "Selesai" capsules (``terminator: terpisah``) where an arrow names a step index."""

CAPSULE = (0.8, 0.3)
"""Width and height (inches) of a separate "Mulai"/"Selesai" capsule: smaller than a step."""


@dataclass
class Path:
    """An arrow drawn along grid links: an elbow, a loop or a jump."""

    src: int  # index in sop.langkah
    dst: int
    label: str | None
    key: str  # e.g. "7-5-tidak": names its SVG elements
    kind: str = BALIK  # SIKU, BALIK or LOMPAT
    side: str = KANAN  # the side of ``src`` it leaves by
    column: int = 0  # gutter column, 1 = next to the lanes (loops and jumps only)
    out_bottom: bool = False  # the side was closed or taken: out of the bottom, along the gap below the row
    in_top: bool = False  # the target's side was: along the gap above its row, into its top

    @property
    def span(self) -> tuple[int, int]:
        return min(self.src, self.dst), max(self.src, self.dst)


@dataclass
class Direct:
    """An arrow not along grid links: to the next step in the same lane, an elbow whose side was
    taken (an S-curve drawn here), a step looping on itself (a small loop drawn here), or a loop
    with no free side (Graphviz's own route)."""

    src: int
    dst: int
    label: str | None
    key: str
    kind: str = MAJU
    side: str = KANAN  # a step looping on itself: the side its loop leaves by


@dataclass
class Plan:
    sop: Sop
    lanes: list[str]
    lane_of: list[int]  # lane per step index: its first actor's, where its arrows attach
    runs: list[list[tuple[int, int]]] = field(default_factory=list)
    """Per step, its actors' lanes as runs of adjacent lanes (first, last), left to right: one
    symbol per run, joined by lines. One run of one lane for a step done by one actor."""
    direct: list[Direct] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    n_left: int = 0
    n_right: int = 0
    footer: bool = False
    widths: list[float] = field(default_factory=list)  # lane widths, inches
    top: int = 0
    """1 when the SOP has separate capsules: the "Mulai" row above the first step (and "Selesai" below the last)."""

    @property
    def n_steps(self) -> int:
        return len(self.sop.langkah)

    @property
    def n_ranks(self) -> int:
        return self.n_steps + 2 + 2 * self.top

    def row(self, i: int) -> int:
        """The grid row (rank) of a step index, or of :data:`MULAI` / :data:`SELESAI`."""
        if i == MULAI:
            return 1
        if i == SELESAI:
            return self.n_steps + 2
        return i + 1 + self.top

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [next(r for r in runs if r[0] <= lane <= r[1]) for runs, lane in zip(self.runs, self.lane_of)]

    @cached_property
    def closed(self) -> list[frozenset[str]]:
        return [frozenset(([KIRI] if runs[0][0] < a else []) + ([KANAN] if runs[-1][1] > b else []))
                for runs, (a, b) in zip(self.runs, self.spans)]

    def span(self, i: int) -> tuple[int, int]:
        """The run of lanes of the step's own symbol (the one holding its first actor)."""
        return self.spans[i]

    def blocked(self, i: int) -> frozenset[str]:
        """The sides of the step's symbol with another symbol of the same step beyond them."""
        return self.closed[i]

    def edge_col(self, i: int, side: str) -> int:
        """The column of the step's symbol's outermost lane on a side."""
        a, b = self.span(i)
        return self.col_of[("lajur", b if side == KANAN else a)]

    def elbow_side(self, i: int, j: int) -> str | None:
        """The side an elbow from step ``i`` to step ``j`` leaves by; None when their symbols
        share a lane (the arrow goes down)."""
        (a1, b1), (a2, b2) = self.span(i), self.span(j)
        return KANAN if a2 > b1 else KIRI if b2 < a1 else None

    @cached_property
    def columns(self) -> list[tuple[str, int]]:
        """Left to right: (kiri, m) … (kiri, 1), (lajur, 0) … (lajur, n-1), (kanan, 1) …"""
        cols = [(KIRI, m) for m in range(self.n_left, 0, -1)]
        cols += [("lajur", i) for i in range(len(self.lanes))]
        cols += [(KANAN, m) for m in range(1, self.n_right + 1)]
        return cols

    @cached_property
    def col_of(self) -> dict[tuple[str, int], int]:
        return {c: i for i, c in enumerate(self.columns)}

    def lane_col(self, step: int) -> int:
        return self.col_of[("lajur", self.lane_of[step])]

    def cell(self, rank: int, c: int) -> str:
        """The name of the grid node in a row (rank) and column."""
        kind, k = self.columns[c]
        if kind == "lajur":
            if rank == 0:
                return f"kepala{k}"
            if rank == self.n_ranks - 1 and self.footer:
                return f"kaki{k}"
            if self.top and rank in (1, self.n_ranks - 2):
                if self.lane_of[0 if rank == 1 else -1] == k:
                    return "mulai" if rank == 1 else "selesai"
                return f"c{rank}_{c}"
            step = rank - 1 - self.top
            if 0 <= step < self.n_steps and self.lane_of[step] == k:
                return f"s{step}"
        return f"c{rank}_{c}"


def _key(sop: Sop, i: int, j: int, label: str | None, seen: set[str]) -> str:
    key = f"{sop.langkah[i].no}-{sop.langkah[j].no}" + (f"-{label.lower()}" if label else "")
    base, n = key, 2
    while key in seen:  # the same arrow twice: keep ids unique
        key, n = f"{base}-{n}", n + 1
    seen.add(key)
    return key


def _runs(lanes: set[int]) -> list[tuple[int, int]]:
    """Lanes as runs of adjacent ones: {1, 2, 4} → [(1, 2), (4, 4)]."""
    runs: list[tuple[int, int]] = []
    for k in sorted(lanes):
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def make_plan(sop: Sop) -> Plan:
    if not sop.langkah:
        raise DrawError(f"SOP '{sop.id}' tidak punya langkah untuk digambar")
    lanes = [str(a) for a in sop.pelaksana]
    lane_of, runs = [], []
    for step in sop.langkah:
        for name in map(str, step.semua_pelaksana):
            if name not in lanes:  # the checks report it; still drawn, in a lane of its own
                lanes.append(name)
        lane_of.append(lanes.index(str(step.pelaksana)))
        runs.append(_runs({lanes.index(str(a)) for a in step.semua_pelaksana}))
    plan = Plan(sop, lanes, lane_of, runs, footer=len(sop.langkah) >= FOOTER_MIN_STEPS,
                top=1 if sop.terminator_terpisah else 0)
    # A lane holding a decision is wider: a diamond's text fits only half its width
    # (a diamond across several lanes has room enough).
    base = lane_width(len(lanes))
    deciding = {lane_of[i] for i, s in enumerate(sop.langkah)
                if s.simbol is Simbol.KEPUTUSAN and plan.span(i)[0] == plan.span(i)[1]}
    plan.widths = [base * DECISION_LANE if k in deciding else base for k in range(len(lanes))]
    graph = Graph(sop)
    seen: set[str] = set()
    nexts: list[Direct] = []
    for edge in graph.edges:
        i, j = graph.index[edge.src], graph.index[edge.dst]
        key = _key(sop, i, j, edge.label, seen)
        if j == i + 1:
            nexts.append(Direct(i, j, edge.label, key))
        elif j == i:
            plan.direct.append(Direct(i, j, edge.label, key, BALIK))  # a step looping on itself
        else:
            plan.paths.append(Path(i, j, edge.label, key, BALIK if j < i else LOMPAT))
    used: dict[tuple[int, str], set[str]] = {}
    for d in plan.direct:  # a step looping on itself takes its side first: nothing else leaves or arrives there
        d.side = _own_loop_side(plan, d.src, graph)
        used.setdefault((d.src, d.side), set()).add("out")
    _choose_sides(plan, nexts, used)
    for d in nexts:
        side = plan.elbow_side(d.src, d.dst)
        if side is None or used.get((d.src, side)) or side in plan.blocked(d.src):
            plan.direct.append(d)
        else:
            plan.paths.append(Path(d.src, d.dst, d.label, d.key, SIKU, side))
            used.setdefault((d.src, side), set()).add("out")
    if plan.top:  # straight down from "Mulai" into the first step, from the last into "Selesai"
        first, last = sop.langkah[0].no, sop.langkah[-1].no
        plan.direct.append(Direct(MULAI, 0, None, f"mulai-{first}"))
        plan.direct.append(Direct(len(sop.langkah) - 1, SELESAI, None, f"{last}-selesai"))
    plan.n_left = _assign_columns([p for p in plan.paths if p.kind != SIKU and p.side == KIRI])
    plan.n_right = _assign_columns([p for p in plan.paths if p.kind != SIKU and p.side == KANAN])
    return plan


def _own_loop_side(plan: Plan, i: int, graph: Graph) -> str:
    """The side of a step looping on itself: not closed, facing a lane rather than a gutter
    (routes along a gutter pass too close to leave its label room), and away from where its
    other arrows would go or come from (an elbow to the next step's side; the right for loops,
    the left for jumps); else the right."""
    a, b = plan.span(i)

    def cost(side: str) -> float:
        c = 10.0 if side in plan.blocked(i) else 0.0
        for edge in graph.edges:
            j, k = graph.index[edge.src], graph.index[edge.dst]
            if j == k or i not in (j, k) or (j, k) == (i - 1, i):
                continue
            if (j, k) == (i, i + 1):
                c += plan.elbow_side(i, k) == side
            else:
                c += side == (KANAN if k < j else KIRI)
        return c + 1.5 * ((side == KIRI and a == 0) or (side == KANAN and b == len(plan.lanes) - 1))
    return min((KANAN, KIRI), key=cost)


def _choose_sides(plan: Plan, nexts: list[Direct], used: dict[tuple[int, str], set[str]]) -> None:
    """Left or right for each loop and jump, greedily, by a small cost.

    A side of a step is "out" when an arrow leaves through it and "in" when
    one arrives; arrows may arrive together, but a side used to leave is
    used by nothing else. Elbows to the next step are placed afterwards and
    give way: an elbow whose side is taken becomes a curve.

    A side *closed* by more symbols of the step beyond it (a step done by
    several actors, joined by a line along its row) is used by no arrow. When
    a route's side at its step is closed or taken, it leaves by the step's
    bottom (or arrives by its top) and runs along the gap between the rows to
    its gutter: the last resort, before Graphviz's own route. It never leaves
    a bottom toward the side the step's own next arrow heads for.
    """
    n_lanes = len(plan.lanes)
    elbow_side, heading = {}, {}
    for d in nexts:
        side = plan.elbow_side(d.src, d.dst)
        heading[d.src] = side
        if side is not None and side not in plan.blocked(d.src):
            elbow_side.setdefault(d.src, set()).add(side)
    bottoms: set[tuple[int, str]] = set()  # (step, side) of the routes leaving by its bottom

    def out_bottom(path: Path, side: str) -> bool:
        return side in plan.blocked(path.src) or bool(used.get((path.src, side)))

    def in_top(path: Path, side: str) -> bool:
        return side in plan.blocked(path.dst) or "out" in used.get((path.dst, side), set())

    def cost(path: Path, side: str) -> float:
        c = 0.0 if side == (KANAN if path.kind == BALIK else KIRI) else 0.5
        for step in (path.src, path.dst):  # lanes crossed along the two rows
            a, b = plan.span(step)
            c += 0.12 * (n_lanes - 1 - b if side == KANAN else a)
        if out_bottom(path, side):
            c += 5  # more than every other cost together but a clash
            if heading.get(path.src) == side or (path.src, side) in bottoms:
                c += 10  # along the gap its own next arrow (or another route) takes
        elif side in elbow_side.get(path.src, ()):
            c += 1  # the step's elbow would have to become a curve
        if in_top(path, side):
            c += 5
        elif side in elbow_side.get(path.dst, ()):
            c += 1
        return c

    for path in sorted(plan.paths, key=lambda p: (p.span[1] - p.span[0], p.src)):
        path.side = min((KANAN, KIRI), key=lambda side: cost(path, side))
        if cost(path, path.side) >= 10:
            # No way out but along a gap already taken: Graphviz's own spline.
            plan.paths.remove(path)
            plan.direct.append(Direct(path.src, path.dst, path.label, path.key, path.kind))
            continue
        path.out_bottom, path.in_top = out_bottom(path, path.side), in_top(path, path.side)
        if path.out_bottom:
            bottoms.add((path.src, path.side))
        else:
            used.setdefault((path.src, path.side), set()).add("out")
        if not path.in_top:
            used.setdefault((path.dst, path.side), set()).add("in")


def _assign_columns(paths: list[Path]) -> int:
    """First fit, shortest first: nested routes stay inside one another, none overlap."""
    taken: list[list[tuple[int, int]]] = []
    for path in sorted(paths, key=lambda p: (p.span[1] - p.span[0], p.span)):
        lo, hi = path.span
        for col, spans in enumerate(taken):
            if all(hi < a or lo > b for a, b in spans):
                spans.append((lo, hi))
                path.column = col + 1
                break
        else:
            taken.append([(lo, hi)])
            path.column = len(taken)
    return len(taken)


def path_cells(plan: Plan, path: Path) -> list[tuple[int, int]]:
    """The grid cells (rank, column) a loop or jump passes, from its step's side (the
    outermost lane of its symbol on that side) to its target's."""
    rs, cs = plan.row(path.src), plan.edge_col(path.src, path.side)
    rd, cd = plan.row(path.dst), plan.edge_col(path.dst, path.side)
    g = plan.col_of[(path.side, path.column)]
    out = 1 if g > cs else -1
    cells = [(rs, c) for c in range(cs, g + out, out)]
    down = 1 if rd > rs else -1
    cells += [(r, g) for r in range(rs + down, rd + down, down)]
    back = 1 if cd > g else -1
    cells += [(rd, c) for c in range(g + back, cd + back, back)]
    return cells


# --- text in the symbols -----------------------------------------------------------------

def _chars_per_line(width_in: float, font_size: float) -> int:
    # An average Arial character is a little over half an em; stay on the safe side.
    return max(8, int(width_in * 72 / (font_size * 0.58)))


def short_lines(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap ``text`` into at most ``max_lines`` lines of ``width`` characters; '…' when cut."""
    words = []
    for word in str(text).split():
        # A word longer than a line is cut with a hyphen rather than anywhere.
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1:]
        words.append(word)
    lines = textwrap.wrap(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if len(last) > width - 1:
            last = last[: width - 1].rstrip()
        lines[-1] = last + "…"
    return lines


def _step_label(step: Step, width_in: float) -> tuple[str, float]:
    """The symbol's HTML-like label (number in bold, then the short text) and its height."""
    number = f"<B>{html_label_text(str(step.no))}</B>"
    if step.simbol is Simbol.KEPUTUSAN:
        # The text must fit a rectangle inscribed in the diamond: w/W + h/H <= 1.
        share = 0.55
        lines = short_lines(step.kegiatan, _chars_per_line(width_in * share, FONT_SIZE), 3)
        height = (LINE * (len(lines) + 1) + 0.04) / (1 - share)
    else:
        lines = short_lines(step.kegiatan, _chars_per_line(width_in - 0.16, FONT_SIZE), 3)
        height = LINE * (len(lines) + 1) + 0.10
    body = "<BR/>".join(html_label_text(line) for line in lines)
    return f"<{number}<BR/>{body}>", max(height, 0.42)


# --- DOT ---------------------------------------------------------------------------------

class RawDot(str):
    """An attribute value already in DOT syntax (an HTML-like label, a pre-escaped string)."""


_PLAIN_VALUE = re.compile(r"[\w .,:#%+-]*")
"""A value that is its own DOT string once quoted: no quote, backslash, entity, line break or control."""


def _attrs(**kw) -> str:
    parts = []
    for key, value in kw.items():
        key = key.rstrip("_")  # class_ → class
        if value is None:
            continue
        if isinstance(value, RawDot):
            parts.append(f"{key}={value}")
        elif type(value) is str and _PLAIN_VALUE.fullmatch(value):
            parts.append(f'{key}="{value}"')
        elif isinstance(value, bool):
            parts.append(f"{key}={'true' if value else 'false'}")
        elif isinstance(value, float):
            parts.append(f"{key}={value:.4g}")
        elif isinstance(value, int):
            parts.append(f"{key}={value}")
        else:
            parts.append(f"{key}={dot_string(value)}")
    return "[" + ", ".join(parts) + "]"


def swimlane_dot(sop: Sop) -> str:
    """The DOT source of the swimlane (lane areas are painted by :func:`finish_svg`)."""
    return _dot(make_plan(sop))


def _header_lines(plan: Plan) -> list[list[str]]:
    return [short_lines(name, _chars_per_line(w - 0.12, HEADER_FONT_SIZE), 3)
            for name, w in zip(plan.lanes, plan.widths)]


ENGINE = "neato"
ENGINE_ARGS = ("-n2",)
"""The grid is placed here (:func:`_layout`) and Graphviz only draws it: ``neato -n2`` takes the
positions as given. Letting ``dot`` place a full invisible grid cost 10 ms of CPU per SOP."""


ARROW = 7.0
"""Length of an arrowhead (points): Graphviz's 10 times ``arrowsize``."""
ARROW_HALF = 2.5
"""Half the width of an arrowhead (points)."""


def _layout(plan: Plan, header_h: float, step_h: list[float]) -> dict[tuple[int, int], tuple[float, float]]:
    """The centre of every grid cell (rank, column), in points, y upwards as Graphviz counts.

    Columns are as wide as their lane (or gutter) and ``NODESEP`` apart; rows
    as tall as what they hold and ``RANKSEP`` apart: the grid ``dot`` made of
    the same cells, without its search.
    """
    widths = [plan.widths[k] if kind == "lajur" else GUTTER for kind, k in plan.columns]
    capsules = [CAPSULE[1]] * plan.top
    heights = [header_h] + capsules + step_h + capsules + [header_h if plan.footer else DOT]
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



def _pos(point: tuple[float, float]) -> str:
    return f"{point[0]:.2f},{point[1]:.2f}"


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


def _run_width(plan: Plan, run: tuple[int, int]) -> float:
    """Inches from the left of the run's first lane column to the right of its last."""
    a, b = run
    return sum(plan.widths[a:b + 1]) + NODESEP * (b - a)


def _symbols(plan: Plan, grid: dict, heights: list[float]) -> tuple[dict[int, Box], dict[int, list[Box]]]:
    """Each step's own symbol (and the capsules, under :data:`MULAI` / :data:`SELESAI`), and
    the further symbols of a step done by several actors, left to right."""
    own: dict[int, Box] = {}
    more: dict[int, list[Box]] = {}
    for i in range(plan.n_steps):
        r, span = plan.row(i), plan.span(i)
        for a, b in plan.runs[i]:
            x, y = grid[(r, plan.col_of[("lajur", a)])]
            if b > a:  # across adjacent lanes: centred on them
                x += (_run_width(plan, (a, b)) - plan.widths[a]) * 36
            box = Box(x, y, _run_width(plan, (a, b)), heights[i])
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


def _node(i: int) -> str:
    return "mulai" if i == MULAI else "selesai" if i == SELESAI else f"s{i}"


def _dot(plan: Plan, background: str | None = None) -> str:
    cols = plan.columns
    headers = _header_lines(plan)
    header_h = 0.14 + 0.16 * max(len(h) for h in headers)
    labels = [_step_label(step, _run_width(plan, plan.span(i))) for i, step in enumerate(plan.sop.langkah)]
    heights = [h for _, h in labels]
    grid = _layout(plan, header_h, heights)
    boxes, more = _symbols(plan, grid, heights)
    lines = [
        "digraph swimlane {",
        "  " + _graph_attrs(background),
        "  node " + _attrs(fontname=FONT, fontsize=FONT_SIZE, fontcolor=COLOURS["stroke"],
                           color=COLOURS["stroke"], penwidth=1.0) + ";",
        "  edge " + _attrs(fontname=FONT, fontsize=FONT_SIZE, color=COLOURS["arrow"],
                           fontcolor=COLOURS["arrow"], penwidth=1.3, arrowsize=0.7) + ";",
    ]
    name = {(r, c): plan.cell(r, c) for r in range(plan.n_ranks) for c in range(len(cols))}
    # Empty cells are drawn only along the first and last rows, which hold the drawing's
    # extent (lanes reach down to the last row, gutters out to their arrows).
    needed = {(r, c) for r in (0, plan.n_ranks - 1) for c in range(len(cols))}
    for rank in range(plan.n_ranks):
        for c, (kind, k) in enumerate(cols):
            node = name[(rank, c)]
            pos = _pos(grid[(rank, c)])
            if node.startswith(("kepala", "kaki")):
                where = "kepala" if rank == 0 else "kaki"
                # The header's band is painted with the lane; the node holds the name.
                lines.append(f"  {node} " + _attrs(
                    shape="box", style="filled", fillcolor=COLOURS["header"], color=COLOURS["header"],
                    fontsize=HEADER_FONT_SIZE, fontcolor=COLOURS["header_text"], label="\n".join(headers[k]),
                    width=plan.widths[k], height=header_h, fixedsize=True, pos=pos,
                    id=f"{where}-lajur-{k + 1}", class_=f"kepala-lajur lajur-{k + 1}") + ";")
            elif node in ("mulai", "selesai"):
                box = boxes[MULAI if node == "mulai" else SELESAI]
                lines.append(f"  {node} " + _attrs(
                    shape="box", style="rounded,filled", fillcolor=COLOURS[node], label=node.capitalize(),
                    width=box.w, height=box.h, fixedsize=True, pos=_pos((box.x, box.y)),
                    id=node, class_=f"langkah terminator {node} lajur-{k + 1}") + ";")
            elif node.startswith("s"):
                i = int(node[1:])
                lines.append(f"  {node} " + _step_attrs(plan, i, boxes[i], labels[i][0]) + ";")
                for m, box in enumerate(more.get(i, ()), 2):
                    lines.append(f"  b{i}_{m} " + _step_attrs(plan, i, box, None, m) + ";")
            elif (rank, c) in needed:  # written out directly: most nodes are these
                width = plan.widths[k] if kind == "lajur" else GUTTER
                lines.append(f'  {node} [shape=box, style=invis, label="", fixedsize=true, pos="{pos}", '
                             f"width={width:.4g}, height={DOT:.4g}];")
    # Every line's course first, then the labels placed clear of all of them, then the edges.
    routes = {path.key: _route(plan, path, grid, boxes) for path in plan.paths}
    routes.update({d.key: _own_loop(plan, d, boxes[d.src]) for d in plan.direct if d.src == d.dst})
    curves = {d.key: _curve(d, boxes) for d in plan.direct if _is_curve(d)}
    joins = [(tail, head, p, q) for i, others in more.items() for tail, head, p, q in _joins(i, boxes[i], others)]
    spots = _place_labels(plan, grid, header_h, routes, curves, joins, boxes, more)
    for path in sorted(plan.paths, key=lambda p: (p.kind != SIKU, p.column, p.src)):
        lines.append(_path_edge(path, routes[path.key], spots.get(path.key)))
    for d in plan.direct:
        if d.key in routes:  # a step looping on itself, by a side that nothing else uses
            ports = dict(pos=_straight_pos(routes[d.key]))
            if d.key in spots:
                ports["tail_lp"] = _pos(spots[d.key])
        elif d.key in curves:
            # From the bottom of the symbol to the top of the next, an S-curve drawn as given.
            (x1, y1), c1, c2, (x2, base), (_, top) = curves[d.key]
            ports = dict(tailport="s", headport="n", pos=(
                f"e,{x2:.2f},{top:.2f} {x1:.2f},{y1:.2f} {c1[0]:.2f},{c1[1]:.2f} "
                f"{c2[0]:.2f},{c2[1]:.2f} {x2:.2f},{base:.2f}"))
            if d.key in spots:
                ports["tail_lp"] = _pos(spots[d.key])
        else:
            ports = {}  # a loop or jump that found no free side: Graphviz's own route
        colour = COLOURS["arrow_back"] if d.kind == BALIK else COLOURS["arrow"]
        lines.append(f"  {_node(d.src)} -> {_node(d.dst)} " + _attrs(
            taillabel=d.label, labelangle=30.0, labeldistance=1.6, color=colour, fontcolor=colour,
            id=f"panah-{d.key}", class_=_arrow_class(d.kind, d.label, [d.key]), **ports) + ";")
    lines.extend(_joining_line(plan, *join) for join in joins)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _is_curve(d: Direct) -> bool:
    """An arrow drawn from the bottom of its step to the top of the next (an S-curve, or straight down)."""
    return d.src != d.dst and (d.dst == d.src + 1 or MULAI in (d.src, d.dst) or d.dst == SELESAI)


def _curve(d: Direct, boxes: dict[int, Box]) -> list[tuple[float, float]]:
    """The S-curve of an arrow to the next step: its start, two control points, where the
    arrowhead begins, and the tip on the next symbol's top."""
    (x1, x2), bottom, top = _down(boxes[d.src], boxes[d.dst]), boxes[d.src].bottom, boxes[d.dst].top
    base = top + ARROW
    bend = (bottom - base) / 2
    return [(x1, bottom), (x1, bottom - bend), (x2, base + bend), (x2, base), (x2, top)]


def _joins(i: int, own: Box, others: list[Box]) -> list[tuple[str, str, tuple[int, int], tuple]]:
    """The plain lines along the row joining the symbols of a step done by several actors:
    (tail node, head node, (step, n), the line's two ends), neighbour to neighbour."""
    named = sorted([(own.x, f"s{i}", own)] + [(b.x, f"b{i}_{m}", b) for m, b in enumerate(others, 2)])
    return [(tail, head, (i, n), (p.side(q.x), q.side(p.x)))
            for n, ((_, tail, p), (_, head, q)) in enumerate(zip(named, named[1:]), 2)]


def _joining_line(plan: Plan, tail: str, head: str, which: tuple[int, int], ends: tuple) -> str:
    (i, n), ((x1, y), (x2, _)) = which, ends
    line = " ".join(f"{x1 + (x2 - x1) * t / 3:.2f},{y:.2f}" for t in range(4))
    return f"  {tail} -> {head} " + _attrs(
        dir="none", pos=line, color=COLOURS["stroke"], penwidth=1.3,
        id=f"sambung-{plan.sop.langkah[i].no}-{n}", class_="sambung") + ";"


def _route(plan: Plan, path: Path, grid: dict, boxes: dict[int, Box]) -> list[tuple[float, float]]:
    """The course of an arrow along the grid: straight pieces from cell centre to cell centre,
    from the step's outline to the tip on its target's."""
    src, dst = boxes[path.src], boxes[path.dst]
    if path.kind == SIKU:
        # Out of the side along the step's own row, then down into the top of the next step.
        start, r = src.side(dst.at), plan.row(path.src)
        lo, hi = sorted((start[0], dst.at))
        step = 1 if path.side == KANAN else -1
        cells = range(plan.edge_col(path.src, path.side) + step, plan.lane_col(path.dst) + step, step)
        between = [grid[(r, c)] for c in cells if lo < grid[(r, c)][0] < hi]
        points = [start] + between + [(dst.at, src.y), (dst.at, dst.top)]
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


def _path_edge(path: Path, points: list[tuple[float, float]], spot: tuple[float, float] | None) -> str:
    """An arrow along the grid as one edge whose ``pos`` Graphviz draws as given: its route
    (:func:`_route`) cut short for the arrowhead. Given, so Graphviz routes nothing (routing a
    hundred arrows cost it seconds)."""
    colour = COLOURS["arrow_back"] if path.kind == BALIK else COLOURS["arrow"]
    attrs = dict(color=colour, fontcolor=colour,
                 class_=_arrow_class(MAJU if path.kind == SIKU else path.kind, path.label, [path.key]),
                 pos=_straight_pos(points))
    if path.label and spot is not None:
        attrs.update(taillabel=path.label, tail_lp=_pos(spot))
    return f"  s{path.src} -> s{path.dst} " + _attrs(**attrs) + ";"


def _straight_pos(points: list[tuple[float, float]]) -> str:
    """An edge's ``pos`` drawing straight pieces through ``points``, the last cut short for
    the arrowhead, whose tip is the last point."""
    points = list(points)
    tip = points[-1]
    (px, py), (qx, qy) = points[-2], tip
    length = max(((qx - px) ** 2 + (qy - py) ** 2) ** 0.5, 1e-6)
    points[-1] = (qx - (qx - px) / length * ARROW, qy - (qy - py) / length * ARROW)
    spline = [points[0]]
    for (px, py), (qx, qy) in zip(points, points[1:]):
        spline += [(px + (qx - px) / 3, py + (qy - py) / 3), (px + 2 * (qx - px) / 3, py + 2 * (qy - py) / 3), (qx, qy)]
    return f"e,{tip[0]:.2f},{tip[1]:.2f} " + " ".join(f"{x:.2f},{y:.2f}" for x, y in spline)


OWN_LOOP = (10.0, 20.0)
"""How far (points) the loop of a step looping on itself goes out of its side, and up."""


def _own_loop(plan: Plan, d: Direct, box: Box) -> list[tuple[float, float]]:
    """A step looping on itself: out of its side along its row, up, and back into the same side
    higher up (a diamond's flank above its corner)."""
    out, up = OWN_LOOP
    toward = 1 if d.side == KANAN else -1
    half_w, half_h = box.w * 36, box.h * 36
    up = min(up, half_h * 0.6)
    corner = box.x + toward * half_w
    back = box.x + toward * half_w * (1 - up / half_h) if plan.sop.langkah[d.src].simbol is Simbol.KEPUTUSAN else corner
    return [(corner, box.y), (corner + toward * out, box.y), (corner + toward * out, box.y + up), (back, box.y + up)]


# --- the Ya/Tidak labels -------------------------------------------------------------------

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
    for p, q in zip(line[1:], line[2:]):
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
        dx = max(x0 - max(px, qx), 0.0, min(px, qx) - x1)
        dy = max(y0 - max(py, qy), 0.0, min(py, qy) - y1)
        return (dx * dx + dy * dy) ** 0.5
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


def _place_labels(plan: Plan, grid: dict, header_h: float, routes: dict[str, list[Point]],
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
    lines: dict[str, list[Segment]] = {key: list(zip(pts, pts[1:])) + _head(pts[-2], pts[-1])
                                       for key, pts in routes.items()}
    for key, (p0, c1, c2, p3, tip) in curves.items():
        pts = _bezier(p0, c1, c2, p3) + [tip]
        lines[key] = list(zip(pts, pts[1:])) + _head(p3, tip)
    for _, _, (i, n), ends in joins:
        lines[f"sambung-{i}-{n}"] = [ends]
    labelled = [(a.key, a.label, routes[a.key] if a.key in routes else curves[a.key][:3])
                for a in [*plan.paths, *plan.direct] if a.label and (a.key in routes or a.key in curves)]
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


def _top_or_bottom(plan: Plan, i: int, box: Box, toward: int) -> float:
    """Where a loop or jump meets the top or bottom of a step's symbol (an x): a diamond's corner,
    else a little off the middle of its first actor's lane, toward the route's side (the middle
    is where the arrows from and to the next steps meet it)."""
    if box.fixed:
        return box.at
    return box.at + toward * plan.widths[plan.lane_of[i]] * 18


def _graph_attrs(background: str | None) -> str:
    attrs = dict(
        splines="spline", outputorder="edgesfirst", fontname=FONT, pad=0.1, bgcolor="transparent", margin=0,
        id="swimlane", class_="swimlane")
    if background:
        attrs["_background"] = background
    return "graph " + _attrs(**attrs) + ";"


def _step_attrs(plan: Plan, i: int, box: Box, label: str | None, m: int = 1) -> str:
    """A step's symbol; ``m`` > 1 (and no label: its number only) for a further symbol of a
    step done by several actors."""
    step = plan.sop.langkah[i]
    kind = step.simbol.value
    if len(plan.runs[i]) == 1 and plan.runs[i][0][0] == plan.runs[i][0][1]:
        lanes = f"lajur-{plan.lane_of[i] + 1}"
    else:
        a, b = plan.span(i) if m == 1 else [r for r in plan.runs[i] if r != plan.span(i)][m - 2]
        lanes = "bersama " + " ".join(f"lajur-{k + 1}" for k in range(a, b + 1))
    if label is None:
        label = f"<<B>{html_label_text(str(step.no))}</B>>"
    common = dict(
        label=RawDot(label), width=box.w, height=box.h, fixedsize=False, pos=_pos((box.x, box.y)),
        id=f"langkah-{step.no}" + (f"-{m}" if m > 1 else ""),
        class_=f"langkah {kind} {lanes}")
    if step.simbol is Simbol.KEPUTUSAN:
        return _attrs(shape="diamond", style="filled", fillcolor=COLOURS["keputusan"], margin="0,0", **common)
    if step.simbol is Simbol.TERMINATOR:
        fill = COLOURS["mulai"] if i == 0 else COLOURS["selesai"]
        return _attrs(shape="box", style="rounded,filled", fillcolor=fill, margin="0.06,0.03", **common)
    return _attrs(shape="box", style="filled", fillcolor=COLOURS["proses"], margin="0.06,0.03", **common)


def _arrow_class(kind: str, label: str | None, keys: list[str]) -> str:
    words = ["panah", kind] + ([label.lower()] if label else []) + [f"panah-{k}" for k in keys]
    return " ".join(words)


# --- after layout: geometry back from the SVG, lanes painted, arrows joined ------------------
#
# Graphviz's SVG is read as text: it writes one element per line, a group per node and per
# edge (``<g id class>``, ``<title>``, its shapes), and nothing we give it nests groups
# (no tooltips, no links). Anything else is refused as output we do not know. Parsing it
# as XML and writing it back cost three times as much as Graphviz drawing it.

_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_HEAD = re.compile(r'(<svg\b[^>]*>)\s*<g id="[^"]*" class="(graph[^"]*)"([^>]*)>\n<title>[^<]*</title>\n', re.S)
_GROUP = re.compile(r'<g id="([^"]*)" class="([^"]*)">\n<title>([^<]*)</title>\n((?:<(?!g[ >]|/g>)[^\n]*\n)*)</g>\n')
_TAIL = re.compile(r"</g>\s*</svg>\s*")
_SHAPE_POINTS = re.compile(r'<(?:polygon|path)\b[^>]*?\s(?:points|d)="([^"]*)"')
_FIRST_PATH_D = re.compile(r'<path\b[^>]*?\sd="([^"]*)"')
_MARKS = re.compile(r"<(?:polygon|text)\b[^\n]*\n")
_POLYGON = re.compile(r"<polygon\b[^\n]*\n")
_FONT = re.compile(r'font-family="[^"]*"')
_SIZE = re.compile(r'\s(width|height|viewBox)="([^"]*)"')
_STEP_OF = re.compile(r"[sb](\d+)")
"""The step index in a node's name (``s3``, ``b3_2``) or an edge's (``s3->b3_2``)."""


def _points(text: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in _NUM.findall(text)]
    return list(zip(nums[0::2], nums[1::2]))


def _text(value: str) -> str:
    """Text from a user's file as XML character data."""
    return html.escape(clean_text(value), quote=False)


def _attr(value: str) -> str:
    """Text from a user's file as an XML attribute value (a line break kept as one)."""
    return html.escape(clean_text(value)).replace("\n", "&#10;")


@dataclass
class _Part:
    """One node or edge as Graphviz drew it: its group's id, classes, title and shapes (text)."""

    id: str
    classes: list[str]
    title: str  # as written (entities not decoded)
    body: str

    @property
    def name(self) -> str:
        return html.unescape(self.title)

    def bbox(self) -> tuple[float, float, float, float] | None:
        """Bounding box (x0, y0, x1, y1) of the shapes drawn."""
        pts = [pt for found in _SHAPE_POINTS.findall(self.body) for pt in _points(found)]
        if not pts:
            return None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass
class _Drawn:
    """Graphviz's SVG in pieces."""

    svg: str  # the <svg> start tag
    graph_classes: str
    graph_attrs: str  # the graph group's attributes after its class (the transform)
    behind: str  # shapes drawn before any node or edge (a background polygon)
    parts: list[_Part]


def _read_drawing(raw: str) -> _Drawn:
    text = _COMMENT.sub("", raw).replace("&#45;", "-")
    head = _HEAD.search(text)
    if head is None:
        raise DrawError("keluaran Graphviz tidak berisi gambar (SVG tanpa grup 'graph')")
    pos = head.end()
    first = text.find("<g ", pos)
    behind = text[pos:first] if first >= 0 else ""
    parts = []
    pos = first if first >= 0 else pos
    while (m := _GROUP.match(text, pos)) is not None:
        parts.append(_Part(m.group(1), m.group(2).split(), m.group(3), m.group(4)))
        pos = m.end()
    if not _TAIL.fullmatch(text, pos) or "<g" in behind:
        where = " ".join(text[pos:pos + 80].split())
        raise DrawError(f"keluaran Graphviz tidak dikenal (di '{where}'); periksa versi Graphviz")
    return _Drawn(head.group(1), head.group(2), head.group(3), behind, parts)


@dataclass
class Lane:
    index: int
    name: str
    x0: float
    y0: float
    x1: float
    y1: float
    header: tuple[float, float]  # y range of the header band
    footer: tuple[float, float] | None


@dataclass
class Geometry:
    """What the SVG post-processing and the PNG background both need, in SVG coordinates."""

    lanes: list[Lane]


def _incomplete(what: str) -> DrawError:
    return DrawError(f"keluaran Graphviz tidak lengkap: {what}")


def geometry(drawn: _Drawn, plan: Plan) -> Geometry:
    nodes = {p.name: p for p in drawn.parts if "node" in p.classes}

    def box(name: str) -> tuple[float, float, float, float]:
        b = nodes[name].bbox() if name in nodes else None
        if b is None:
            raise _incomplete(f"simpul {name} tidak ditemukan")
        return b

    heads = [box(f"kepala{k}") for k in range(len(plan.lanes))]
    feet = [box(f"kaki{k}") for k in range(len(plan.lanes))] if plan.footer else None
    half_gap = NODESEP * 72 / 2
    top = min(h[1] for h in heads)
    header = (top, max(h[3] for h in heads))
    if feet:
        footer = (min(f[1] for f in feet), max(f[3] for f in feet))
        bottom = footer[1]
    else:
        footer = None
        ends = ["selesai"] if plan.top else []
        bottom = max(box(n)[3] for n in [f"s{i}" for i in range(plan.n_steps)] + ends) + RANKSEP * 72 / 2
    lanes = []
    for k, (x0, _, x1, _) in enumerate(heads):
        left = (heads[k - 1][2] + x0) / 2 if k > 0 else x0 - half_gap
        right = (x1 + heads[k + 1][0]) / 2 if k + 1 < len(heads) else x1 + half_gap
        lanes.append(Lane(k, plan.lanes[k], left, top, right, bottom, header, footer))
    return Geometry(lanes)


def _actors(step: Step) -> str:
    """The step's actors as written, first one first (each once)."""
    return ", ".join(dict.fromkeys(str(a) for a in step.semua_pelaksana))


def _hover_text(plan: Plan, i: int) -> str:
    """The step's full text, as written (XML cannot carry control characters: those go)."""
    step = plan.sop.langkah[i]
    return clean_text(f"{step.no}. {step.kegiatan}\nPelaksana: {_actors(step)}")


def _hover_more(plan: Plan, i: int) -> str:
    """The title of a further symbol of a step done by several actors (the text is on its own symbol)."""
    step = plan.sop.langkah[i]
    return clean_text(f"Langkah {step.no} dikerjakan bersama\nPelaksana: {_actors(step)}")


def _end_names(plan: Plan, i: int) -> tuple[str, str]:
    """An arrow's end as its ``data-`` value and in words: ``("3", "langkah 3")``, ``("mulai", "Mulai")``."""
    if i == MULAI:
        return "mulai", "Mulai"
    if i == SELESAI:
        return "selesai", "Selesai"
    no = str(plan.sop.langkah[i].no)
    return no, f"langkah {no}"


def _finish_inputs(plan: Plan) -> str:
    """What :func:`finish_svg` adds that the DOT does not hold in full: the title, the lanes'
    names and the steps' full texts (the DOT has their short forms)."""
    return "\0".join([str(plan.sop.nama), *plan.lanes, *(_hover_text(plan, i) for i in range(plan.n_steps))])


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str, extra: str = "") -> str:
    # Corners rounded first: neighbouring lanes share an edge exactly, not to within a rounding.
    x0, y0, x1, y1 = (round(v, 2) for v in (x0, y0, x1, y1))
    return (f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0:.2f}" height="{y1 - y0:.2f}" fill="{fill}" '
            f'stroke="{COLOURS["lane_border"]}" stroke-width="0.75"{extra} />\n')


def finish_svg(raw: str, plan: Plan) -> str:
    """Graphviz's SVG → the page's SVG: lanes painted, arrows whole, hover titles, stable classes."""
    drawn = _read_drawing(raw)
    sop = plan.sop
    geo = geometry(drawn, plan)
    title = f"Bagan alir lintas fungsi: {' '.join(str(sop.nama).split())}"
    size = " ".join(f'{k}="{v}"' for k, v in _SIZE.findall(drawn.svg))
    out = [f'<svg xmlns="{SVG_NS}" {size} class="swimlane" role="img" aria-label="{_attr(title)}" '
           'style="max-width: 100%; height: auto">\n',
           f'<g class="{drawn.graph_classes}"{drawn.graph_attrs}>\n<title>{_text(title)}</title>\n', drawn.behind]

    # Lanes, painted first (behind everything): a column, its header band, its footer band.
    out.append('<g class="lajur-latar">\n')
    for lane in geo.lanes:
        out.append(f'<g class="lajur" id="lajur-{lane.index + 1}">\n<title>{_text(lane.name)}</title>\n')
        out.append(_rect(lane.x0, lane.y0, lane.x1, lane.y1, COLOURS["lane"][lane.index % 2]))
        for band in (lane.header, lane.footer):
            if band:
                out.append(_rect(lane.x0, band[0], lane.x1, band[1], COLOURS["header"], ' class="kepala-lajur"'))
        out.append("</g>\n")
    out.append("</g>\n")

    # Arrows: one group each (where the edges were: Graphviz writes them first), its line
    # twice (a white halo under it keeps crossings readable), its arrowhead and label.
    arrows = {p.key: p for p in plan.paths}
    arrows.update({d.key: d for d in plan.direct})
    for part in drawn.parts:
        if "edge" not in part.classes:
            continue
        key = next((c[len("panah-"):] for c in part.classes if c.startswith("panah-")), None)
        found = _FIRST_PATH_D.search(part.body)
        if "sambung" in part.classes and found is not None:
            # The plain line joining the symbols of a step done by several actors: no arrowhead.
            i = int(_STEP_OF.match(part.name).group(1))
            out.append(f'<g class="sambung" id="{part.id}">\n<title>{_text(_hover_more(plan, i))}'
                       f'</title>\n<path class="garis" d="{found.group(1)}" fill="none" stroke="{COLOURS["stroke"]}" '
                       'stroke-width="1.3" />\n</g>\n')
            continue
        arrow = arrows.pop(key, None)
        if arrow is None or found is None:
            continue
        kind = MAJU if arrow.kind == SIKU else arrow.kind
        d = found.group(1)
        colour = COLOURS["arrow_back"] if kind == BALIK else COLOURS["arrow"]
        (a, a_words), (b, b_words) = _end_names(plan, arrow.src), _end_names(plan, arrow.dst)
        cls = " ".join(["panah", kind] + ([arrow.label.lower()] if arrow.label else []))
        line = f'd="{d}" fill="none" stroke-linejoin="round"'
        out.append(f'<g class="{_attr(cls)}" id="panah-{_attr(key)}" data-dari="{_attr(a)}" '
                   f'data-ke="{_attr(b)}">\n<title>Dari {_text(a_words)} ke {_text(b_words)}'
                   + (f" ({_text(arrow.label)})" if arrow.label else "") + "</title>\n"
                   f'<path class="halo" stroke="{COLOURS["halo"]}" stroke-width="4" stroke-opacity="0.9" {line} />\n'
                   f'<path class="garis" stroke="{colour}" stroke-width="1.3" {line} />\n')
        out.extend(_MARKS.findall(part.body))
        out.append("</g>\n")
    if arrows:
        raise _incomplete(f"panah {next(iter(arrows))} tidak ditemukan")

    # Nodes: the step's text as hover title; a lane's name on its header (its band is painted above).
    index_of = {f"s{i}": i for i in range(plan.n_steps)}
    for part in drawn.parts:
        if "node" not in part.classes:
            continue
        name, body = part.name, part.body
        if name in index_of:
            hover = _text(_hover_text(plan, index_of[name]))
        elif name.startswith("b") and _STEP_OF.match(name):  # b<step>_<m>: a further symbol of a step
            hover = _text(_hover_more(plan, int(_STEP_OF.match(name).group(1))))
        elif name in ("mulai", "selesai"):
            hover = name.capitalize()
        elif name.startswith(("kepala", "kaki")):
            hover = _text(plan.lanes[int(re.sub(r"\D", "", name))])
            body = _POLYGON.sub("", body)
        else:
            hover = part.title
        out.append(f'<g id="{part.id}" class="{" ".join(part.classes)}">\n<title>{hover}</title>\n{body}</g>\n')
    out.append("</g>\n</svg>\n")
    return _FONT.sub(f'font-family="{_attr(FONT_STACK)}"', "".join(out))


# --- rendering ---------------------------------------------------------------------------

FINISH_VERSION = "5"
"""Bump when :func:`finish_svg` changes: the finished drawings in the cache are then redrawn."""


PARALLEL_MIN = 24
"""From this many drawings on, they are made in worker processes, one per core (Linux: forked)."""


def swimlane_svgs(sops: list[Sop], cache_dir: str | None = None,
                  kunci: dict[str, str] | None = None) -> dict[str, str]:
    """Many SOPs at once. Returns ``{sop.id: svg}``.

    With a cache, the finished drawing is kept too, keyed by the DOT source and
    what the finishing adds (the title, the full texts of the hover titles): an
    unchanged SOP costs a file read. ``kunci`` (the loader's content key of each file, by path) lets an
    unchanged SOP be found without building its DOT at all; give it only for
    SOPs exactly as loaded from their files.
    """
    done: dict[int, str] = {}
    by_content: list[str | None] = [None] * len(sops)
    if cache_dir and kunci:
        salt = FINISH_VERSION + ENGINE + " ".join(ENGINE_ARGS) + graphviz_version(ENGINE)
        for i, sop in enumerate(sops):
            if kunci.get(sop.path):
                digest = hashlib.sha256((salt + kunci[sop.path]).encode()).hexdigest()
                by_content[i] = os.path.join(cache_dir, f"{digest}.isi.svg")
                cached = _read(by_content[i])
                if cached is not None:
                    done[i] = cached
    todo = [i for i in range(len(sops)) if i not in done]
    for i, svg in zip(todo, _draw_many([sops[i] for i in todo], cache_dir)):
        done[i] = svg
        if by_content[i]:
            _write_atomic(by_content[i], svg)
    return {sop.id: done[i] for i, sop in enumerate(sops)}


def _draw_many(sops: list[Sop], cache_dir: str | None) -> list[str]:
    """Each SOP's finished drawing; many of them split over the cores.

    Building the DOT and finishing Graphviz's SVG are ours and in Python: two
    thirds of the cost once Graphviz only draws. One worker per core does
    the whole of it for its share (its own Graphviz run included).
    """
    return per_core(partial(_draw_chunk, cache_dir=cache_dir), sops, PARALLEL_MIN)


def _draw_chunk(sops: list[Sop], cache_dir: str | None) -> list[str]:
    plans = [make_plan(sop) for sop in sops]
    dots = [_dot(p) for p in plans]
    done: dict[int, str] = {}
    keys: list[str | None] = [None] * len(plans)
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        for i, dot in enumerate(dots):
            finished = dot + FINISH_VERSION + _finish_inputs(plans[i])
            keys[i] = os.path.join(cache_dir, f"{cache_key(finished, ENGINE, 'svg', ENGINE_ARGS)}.selesai.svg")
            cached = _read(keys[i])
            if cached is not None:
                done[i] = cached
    todo = [i for i in range(len(plans)) if i not in done]
    raws = cached_render_many([dots[i] for i in todo], ENGINE, "svg", cache_dir, ENGINE_ARGS)
    for i, raw in zip(todo, raws):
        done[i] = finish_svg(raw, plans[i])
        if keys[i]:
            _write_atomic(keys[i], done[i])
    return [done[i] for i in range(len(plans))]


def swimlane_svg(sop: Sop, cache_dir: str | None = None) -> str:
    """The swimlane as an SVG document, to put inline in the SOP's page."""
    return swimlane_svgs([sop], cache_dir)[sop.id]


def _xdot_background(geo: Geometry, plan: Plan) -> str:
    """Lanes and header bands as xdot drawing operations (graph coordinates)."""
    ops: list[str] = []

    def colour(op: str, value: str) -> None:
        ops.append(f"{op} {len(value)} -{value}")

    def rect(x0: float, y0: float, x1: float, y1: float) -> None:
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        ops.append("P 4 " + " ".join(f"{x:.2f} {-y:.2f}" for x, y in pts))

    for lane in geo.lanes:
        colour("C", COLOURS["lane"][lane.index % 2])
        colour("c", COLOURS["lane_border"])
        rect(lane.x0, lane.y0, lane.x1, lane.y1)
        colour("C", COLOURS["header"])
        for band in (lane.header, lane.footer):
            if band:
                rect(lane.x0, band[0], lane.x1, band[1])
    return " ".join(ops) + " "


def swimlane_png(sop: Sop, cache_dir: str | None = None) -> bytes:
    """The same drawing as PNG: the same DOT, the lanes drawn as Graphviz's own background."""
    plan = make_plan(sop)
    raw = cached_render_many([_dot(plan)], ENGINE, "svg", cache_dir, ENGINE_ARGS)[0]
    background = _xdot_background(geometry(_read_drawing(raw), plan), plan)
    return render_bytes(_dot(plan, background=background), ENGINE, "png", ENGINE_ARGS)
