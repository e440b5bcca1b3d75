"""Sizes and clearances of the sheet's chart, in points: symbols, arrowheads, Ya/Tidak labels,
the gaps lines keep from one another and from the table, and the costs paths are ranked by."""

from __future__ import annotations

from sopcode.model.sop import Simbol

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
