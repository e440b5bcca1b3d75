"""The plan of a swimlane: which row and column each step takes, and the course of every arrow.

:func:`make_plan` reads the SOP's graph and decides, before any coordinate is known, the
lanes (one per actor, declared order), the rows (one per step), which arrows are elbows,
loops, jumps or plain arrows down, which side of a step each leaves by, and which gutter
column each loop or jump runs along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sopcode.model.graph import Graph
from sopcode.model.sop import Simbol, Sop
from sopcode.shapes.graphviz import DrawError
from sopcode.shapes.routing import first_fit
from sopcode.shapes.swimlane.style import DECISION_LANE, FOOTER_MIN_STEPS, lane_width

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
    elbow_side: dict[int, set[str]] = {}
    heading: dict[int, str | None] = {}
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
    """A gutter column for each route, first fit, shortest first: nested routes stay inside one
    another, none overlap. Returns how many columns they take."""
    ordered = sorted(paths, key=lambda p: (p.span[1] - p.span[0], p.span))
    columns, used = first_fit([p.span for p in ordered])
    for path, column in zip(ordered, columns):
        path.column = column
    return used


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
