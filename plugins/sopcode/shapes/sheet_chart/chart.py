"""What a page's chart is made of: the layout the sheet decided (:class:`SheetLayout`), the
symbols and arrows placed on a page (:class:`PageChart`), and the arrows a page break cuts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sopcode.model.graph import Edge, out_edges
from sopcode.model.sop import Simbol, Sop
from sopcode.shapes.routing import Point
from sopcode.shapes.sheet_chart.dot import chart_dot
from sopcode.shapes.sheet_chart.sizes import TERMINAL_BAND, band_height


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
        return chart_dot(self, name, grid)


def symbol_size(kind: str, col_w: float, row_h: float) -> tuple[float, float]:
    """Whole points: Graphviz draws a node's outline rounded to whole points."""
    if kind == Simbol.KEPUTUSAN.value:
        return float(round(min(col_w * 0.56, 50.0))), float(round(min(row_h * 0.5, 28.0)))
    return float(round(min(col_w * 0.5, 46.0))), float(round(min(row_h * 0.5, 22.0)))
