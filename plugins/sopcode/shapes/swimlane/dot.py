"""The DOT source of the swimlane: the text inside the symbols, the nodes pinned where
:mod:`~sopcode.shapes.swimlane.routes` placed them, and the edges along the courses it drew
(``neato -n2`` draws them as given)."""

from __future__ import annotations

import re
import textwrap

from sopcode.model.sop import Simbol, Sop, Step
from sopcode.shapes.graphviz import dot_string, html_label_text
from sopcode.shapes.routing import arrow_base, straight_spline
from sopcode.shapes.swimlane.labels import place_labels
from sopcode.shapes.swimlane.plan import BALIK, MAJU, MULAI, SELESAI, SIKU, Path, Plan, make_plan
from sopcode.shapes.swimlane.routes import (
    ARROW,
    Box,
    curve,
    is_curve,
    joining_lines,
    layout_grid,
    own_loop,
    route,
    run_width,
    symbols,
)
from sopcode.shapes.swimlane.style import COLOURS, DOT, FONT, FONT_SIZE, GUTTER, HEADER_FONT_SIZE, LINE


def _chars_per_line(width_in: float, font_size: float) -> int:
    # An average Arial character is a little over half an em; stay on the safe side.
    return max(8, int(width_in * 72 / (font_size * 0.58)))


def wrapped_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped into lines of at most ``width`` characters, all of it: the symbol (or
    header) grows to hold them. A word longer than a line is split with a hyphen."""
    words = []
    for word in str(text).split():
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1:]
        words.append(word)
    return textwrap.wrap(" ".join(words), width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _step_label(step: Step, width_in: float) -> tuple[str, float]:
    """The symbol's HTML-like label (number in bold, then the whole text) and its height."""
    number = f"<B>{html_label_text(str(step.no))}</B>"
    if step.simbol is Simbol.KEPUTUSAN:
        # The text must fit a rectangle inscribed in the diamond: w/W + h/H <= 1.
        share = 0.55
        lines = wrapped_lines(step.kegiatan, _chars_per_line(width_in * share, FONT_SIZE))
        height = (LINE * (len(lines) + 1) + 0.04) / (1 - share)
    else:
        lines = wrapped_lines(step.kegiatan, _chars_per_line(width_in - 0.16, FONT_SIZE))
        height = LINE * (len(lines) + 1) + 0.10
    body = "<BR/>".join(html_label_text(line) for line in lines)
    return f"<{number}<BR/>{body}>", max(height, 0.42)


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
    """The DOT source of the swimlane (lane areas are painted by :func:`~sopcode.shapes.swimlane.finish.finish_svg`)."""
    return plan_dot(make_plan(sop))


def _header_lines(plan: Plan) -> list[list[str]]:
    return [wrapped_lines(name, _chars_per_line(w - 0.12, HEADER_FONT_SIZE))
            for name, w in zip(plan.lanes, plan.widths)]


ENGINE = "neato"
ENGINE_ARGS = ("-n2",)
"""The grid is placed by :func:`~sopcode.shapes.swimlane.routes.layout_grid` and Graphviz only
draws it: ``neato -n2`` takes the positions as given. Letting ``dot`` place a full invisible grid
cost 10 ms of CPU per SOP."""


def _pos(point: tuple[float, float]) -> str:
    return f"{point[0]:.2f},{point[1]:.2f}"


def _node(i: int) -> str:
    return "mulai" if i == MULAI else "selesai" if i == SELESAI else f"s{i}"


def plan_dot(plan: Plan, background: str | None = None) -> str:
    cols = plan.columns
    headers = _header_lines(plan)
    header_h = 0.14 + 0.16 * max(len(h) for h in headers)
    labels = [_step_label(step, run_width(plan, plan.span(i))) for i, step in enumerate(plan.sop.langkah)]
    heights = [h for _, h in labels]
    grid = layout_grid(plan, header_h, heights)
    boxes, more = symbols(plan, grid, heights)
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
    routes = {path.key: route(plan, path, grid, boxes) for path in plan.paths}
    routes.update({d.key: own_loop(plan, d, boxes[d.src]) for d in plan.direct if d.src == d.dst})
    curves = {d.key: curve(d, boxes) for d in plan.direct if is_curve(d)}
    joins = [(tail, head, p, q) for i, others in more.items() for tail, head, p, q in joining_lines(i, boxes[i], others)]
    spots = place_labels(plan, grid, header_h, routes, curves, joins, boxes, more)
    for path in sorted(plan.paths, key=lambda p: (p.kind != SIKU, p.column, p.src)):
        lines.append(_path_edge(path, routes[path.key], spots.get(path.key)))
    for d in plan.direct:
        if d.key in routes:  # a step looping on itself, by a side that nothing else uses
            ports = {"pos": _straight_pos(routes[d.key])}
            if d.key in spots:
                ports["tail_lp"] = _pos(spots[d.key])
        elif d.key in curves:
            # From the bottom of the symbol to the top of the next, an S-curve drawn as given.
            (x1, y1), c1, c2, (x2, base), (_, top) = curves[d.key]
            ports = {"tailport": "s", "headport": "n", "pos": (
                f"e,{x2:.2f},{top:.2f} {x1:.2f},{y1:.2f} {c1[0]:.2f},{c1[1]:.2f} "
                f"{c2[0]:.2f},{c2[1]:.2f} {x2:.2f},{base:.2f}")}
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


def _joining_line(plan: Plan, tail: str, head: str, which: tuple[int, int], ends: tuple) -> str:
    (i, n), ((x1, y), (x2, _)) = which, ends
    line = " ".join(f"{x1 + (x2 - x1) * t / 3:.2f},{y:.2f}" for t in range(4))
    return f"  {tail} -> {head} " + _attrs(
        dir="none", pos=line, color=COLOURS["stroke"], penwidth=1.3,
        id=f"sambung-{plan.sop.langkah[i].no}-{n}", class_="sambung") + ";"


def _path_edge(path: Path, points: list[tuple[float, float]], spot: tuple[float, float] | None) -> str:
    """An arrow along the grid as one edge whose ``pos`` Graphviz draws as given: its route
    (:func:`~sopcode.shapes.swimlane.routes.route`) cut short for the arrowhead. Given, so
    Graphviz routes nothing (routing a hundred arrows cost it seconds)."""
    colour = COLOURS["arrow_back"] if path.kind == BALIK else COLOURS["arrow"]
    attrs = {"color": colour, "fontcolor": colour,
                 "class_": _arrow_class(MAJU if path.kind == SIKU else path.kind, path.label, [path.key]),
                 "pos": _straight_pos(points)}
    if path.label and spot is not None:
        attrs.update(taillabel=path.label, tail_lp=_pos(spot))
    return f"  s{path.src} -> s{path.dst} " + _attrs(**attrs) + ";"


def _straight_pos(points: list[tuple[float, float]]) -> str:
    """An edge's ``pos`` drawing straight pieces through ``points``, the last cut short for
    the arrowhead, whose tip is the last point."""
    tip = points[-1]
    spline = straight_spline([*points[:-1], arrow_base(points[-2], tip, ARROW)])
    return f"e,{tip[0]:.2f},{tip[1]:.2f} " + " ".join(f"{x:.2f},{y:.2f}" for x, y in spline)


def _graph_attrs(background: str | None) -> str:
    attrs = {
        "splines": "spline", "outputorder": "edgesfirst", "fontname": FONT, "pad": 0.1, "bgcolor": "transparent", "margin": 0,
        "id": "swimlane", "class_": "swimlane"}
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
    common = {
        "label": RawDot(label), "width": box.w, "height": box.h, "fixedsize": False, "pos": _pos((box.x, box.y)),
        "id": f"bagan-langkah-{step.no}" + (f"-{m}" if m > 1 else ""),
        "class_": f"langkah {kind} {lanes}"}
    if step.simbol is Simbol.KEPUTUSAN:
        return _attrs(shape="diamond", style="filled", fillcolor=COLOURS["keputusan"], margin="0,0", **common)
    if step.simbol is Simbol.TERMINATOR:
        fill = COLOURS["mulai"] if i == 0 else COLOURS["selesai"]
        return _attrs(shape="box", style="rounded,filled", fillcolor=fill, margin="0.06,0.03", **common)
    return _attrs(shape="box", style="filled", fillcolor=COLOURS["proses"], margin="0.06,0.03", **common)


def _arrow_class(kind: str, label: str | None, keys: list[str]) -> str:
    words = ["panah", kind] + ([label.lower()] if label else []) + [f"panah-{k}" for k in keys]
    return " ".join(words)
