"""Drawings of an SOP, made by Graphviz from the one model.

``graphviz`` escapes text for DOT and runs Graphviz (in batches, with a cache);
``swimlane`` builds the swimlane flowchart of the web page (``dot``);
``sheet`` builds the chart inside the procedure sheet's table (``neato -n2``,
every symbol pinned and every arrow routed here).
"""

from sopcode.shapes.graphviz import DrawError, GraphvizError, GraphvizMissing, cached_render, run_graphviz
from sopcode.shapes.sheet_chart import SheetLayout, layout_pages, sheet_dots, sheet_svgs, sheet_svgs_many, simple_layout
from sopcode.shapes.swimlane import swimlane_dot, swimlane_png, swimlane_svg, swimlane_svgs

__all__ = [
    "DrawError", "GraphvizError", "GraphvizMissing", "cached_render", "run_graphviz",
    "SheetLayout", "layout_pages", "sheet_dots", "sheet_svgs", "sheet_svgs_many", "simple_layout",
    "swimlane_dot", "swimlane_png", "swimlane_svg", "swimlane_svgs",
]
