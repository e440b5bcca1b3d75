"""The flowchart inside the procedure sheet's table (Permenpan-RB 35/2012).

The package: :mod:`.sizes` (sizes and clearances), :mod:`.chart` (the layout passed in, the
symbols and arrows of a page), :mod:`.page` (one page's space and the checks a path must pass),
:mod:`.paths` (candidate paths of one arrow), :mod:`.router` (symbols placed, arrows routed),
:mod:`.dot` (DOT for ``neato -n2``), :mod:`.render` (DOT and SVG of SOPs, in batches) and
:mod:`.describe` (each page's drawing said in words: its text alternative).
The functions the printed sheet uses are importable from here.

The sheet decides the geometry (actor column widths, row heights, page breaks)
and passes it in; this package places each symbol at the centre of its step's
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

from sopcode.shapes.sheet_chart.chart import PageChart, SheetLayout, cuts_at, page_bands, step_arrows
from sopcode.shapes.sheet_chart.render import sheet_dots, sheet_svgs, sheet_svgs_many, simple_layout
from sopcode.shapes.sheet_chart.router import layout_pages
from sopcode.shapes.sheet_chart.sizes import TERMINAL_BAND, band_height, min_row

__all__ = [
    "TERMINAL_BAND",
    "PageChart",
    "SheetLayout",
    "band_height",
    "cuts_at",
    "layout_pages",
    "min_row",
    "page_bands",
    "sheet_dots",
    "sheet_svgs",
    "sheet_svgs_many",
    "simple_layout",
    "step_arrows",
]
