"""Charts of SOPs as DOT and SVG: a plain layout to look at a chart on its own, and the pages
of many SOPs drawn in one batch."""

from __future__ import annotations

import itertools

from sopcode.model.sop import Sop
from sopcode.shapes.graphviz import cached_render_many
from sopcode.shapes.sheet_chart.chart import SheetLayout
from sopcode.shapes.sheet_chart.describe import chart_description, labelled
from sopcode.shapes.sheet_chart.router import layout_pages
from sopcode.shapes.sheet_chart.sizes import PAD, min_row
from sopcode.workers import per_core

PAPER_PT = {"A4": (841.9, 595.3), "F4": (935.4, 609.4)}
"""Landscape paper sizes in points (A4 297 x 210 mm, F4 330 x 215 mm)."""


def simple_layout(sop: Sop, kertas: str = "A4", column: float = 68.0, row: float = 44.0) -> SheetLayout:
    """A plain layout (equal columns, equal rows, as many rows per page as fit the paper).

    The printable sheet measures its own rows and passes them in; this one is
    for looking at a chart on its own (``sop gambar``).
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
    return SheetLayout(tuple([column] * len(sop.pelaksana)), rows, tuple(itertools.pairwise(bounds)))


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
    for (sop, layout), n in zip(jobs, counts):
        # Each page's drawing named by what it shows (its text alternative, in the tagged PDF too).
        out.append([labelled(svg, chart_description(sop, lo, hi))
                    for svg, (lo, hi) in zip(svgs[at:at + n], layout.page_ranges())])
        at += n
    return out
