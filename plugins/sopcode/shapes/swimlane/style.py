"""The swimlane's look: font, sizes of the grid (inches), colours, lane widths."""

from __future__ import annotations

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

LANE_FILLS = ("#f3f5f8", "#e4e9ef")
"""The lanes' fills, alternating."""

COLOURS: dict[str, str] = {
    "lane_border": "#b4bfcb",
    "header": "#cdd7e1",
    "header_text": "#17212b",
    "arrow": "#1f4e79",
    "arrow_back": "#96410a",  # 4.7:1 on the header band, where a loop's "Tidak" may sit
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
