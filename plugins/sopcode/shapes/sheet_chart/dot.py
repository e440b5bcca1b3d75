"""The DOT source of a page's chart for ``neato -n2``: every node pinned where it was placed,
every arrow's line given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sopcode.shapes.graphviz import dot_string, dot_tooltip
from sopcode.shapes.routing import Point, arrow_base, straight_spline
from sopcode.shapes.sheet_chart.sizes import ARROW, LABEL_DROP, LABEL_PT

if TYPE_CHECKING:  # the chart holds its DOT: imported for the annotations only
    from sopcode.shapes.sheet_chart.chart import PageChart


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


def chart_dot(chart: PageChart, name: str, grid: bool = False) -> str:
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
            length = max(abs(tip[0] - prev[0]), abs(tip[1] - prev[1])) or 1.0
            head = min(ARROW, length * 0.8)  # a short last stretch gets a smaller head
            poly = [*a.points[:-1], arrow_base(prev, tip, head)]
            attrs.append(f"arrowsize={head / 10:.3f}")
            prefix = f"e,{gp(tip)} "
        else:
            poly = list(a.points)
            prefix = ""
            attrs.append("dir=none")
        attrs.insert(0, f'pos="{prefix}{" ".join(gp(p) for p in straight_spline(poly))}"')
        if a.label and a.label_box:
            x1, y1, x2, _y2 = a.label_box
            attrs.append(f'label={dot_string(a.label)}, lp="{gp(((x1 + x2) / 2, y1 + LABEL_DROP))}"')
        elif a.label:  # nowhere clear to put it (a layout too cramped): beside the start all the same
            lx, ly = a.points[0]
            attrs.append(f'label={dot_string(a.label)}, lp="{gp((min(max(lx + 10, 12), chart.width - 12), ly - 6))}"')
        lines.append(f"  {dot_string(a.src)} -> {dot_string(a.dst)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
