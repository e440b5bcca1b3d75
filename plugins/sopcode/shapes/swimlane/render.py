"""Rendering swimlanes: many SOPs at once (in worker processes, through the SVG caches), one
SOP as SVG for its page, or as PNG with the lanes drawn as Graphviz's own background."""

from __future__ import annotations

import os
import zlib
from functools import partial

from sopcode import cache
from sopcode.model.codec import SOP_MODEL
from sopcode.model.sop import Sop
from sopcode.shapes.graphviz import cached_render_many, clean_text, graphviz_version, render_bytes
from sopcode.shapes.swimlane.dot import ENGINE, ENGINE_ARGS, plan_dot
from sopcode.shapes.swimlane.finish import Geometry, chart_title, description, finish_svg, geometry, read_drawing
from sopcode.shapes.swimlane.plan import Plan, make_plan
from sopcode.shapes.swimlane.style import COLOURS, LANE_FILLS
from sopcode.workers import per_core

PARALLEL_MIN = 24
"""From this many drawings on, they are made in worker processes, one per core (Linux: forked)."""


def _key(*parts: str) -> str:
    return cache.key("swimlane", graphviz_version(ENGINE), " ".join(ENGINE_ARGS), *parts)


def swimlane_svgs(sops: list[Sop], cache_dir: str | None = None,
                  content_keys: dict[str, str] | None = None) -> dict[str, str]:
    """Many SOPs at once. Returns ``{sop.id: svg}``.

    With a cache, each finished drawing is kept under everything it is drawn from: the exact DOT
    handed to Graphviz and the SOP's model (the finishing adds full texts the DOT holds short),
    with Graphviz's version and our code (:func:`sopcode.cache.key`); Graphviz's own output is
    kept under its DOT (:func:`~sopcode.shapes.graphviz.cached_render_many`). ``content_keys`` (the
    loader's content key of each file, by path: the bytes, path and settings that make the
    model) lets an unchanged SOP be found without building its DOT at all; give it only for SOPs
    exactly as loaded from their files.
    """
    done: dict[int, str] = {}
    by_content: list[str | None] = [None] * len(sops)
    if cache_dir and content_keys:
        for i, sop in enumerate(sops):
            if content_keys.get(sop.path):
                by_content[i] = os.path.join(cache_dir, _key("content", content_keys[sop.path]) + ".finished.svg")
                cached = cache.read_text(by_content[i])
                if cached is not None:
                    done[i] = cached
    todo = [i for i in range(len(sops)) if i not in done]
    for i, svg in zip(todo, _draw_many([sops[i] for i in todo], cache_dir)):
        done[i] = svg
        cache.write(by_content[i], svg)
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
    dots = [plan_dot(p) for p in plans]
    done: dict[int, str] = {}
    paths: list[str | None] = [None] * len(plans)
    if cache_dir:
        for i, dot in enumerate(dots):
            paths[i] = os.path.join(cache_dir, _key("dot", dot, SOP_MODEL.dumps(sops[i])) + ".finished.svg")
            cached = cache.read_text(paths[i])
            if cached is not None:
                done[i] = cached
    todo = [i for i in range(len(plans)) if i not in done]
    raws = cached_render_many([dots[i] for i in todo], ENGINE, "svg", cache_dir, ENGINE_ARGS)
    for i, raw in zip(todo, raws):
        done[i] = finish_svg(raw, plans[i])
        cache.write(paths[i], done[i])
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
        colour("C", LANE_FILLS[lane.index % 2])
        colour("c", COLOURS["lane_border"])
        rect(lane.x0, lane.y0, lane.x1, lane.y1)
        colour("C", COLOURS["header"])
        for band in (lane.header, lane.footer):
            if band:
                rect(lane.x0, band[0], lane.x1, band[1])
    return " ".join(ops) + " "


def swimlane_png(sop: Sop, cache_dir: str | None = None) -> bytes:
    """The same drawing as PNG: the same DOT, the lanes drawn as Graphviz's own background; its name and
    description (those of the SVG, without the links it has not) written into it as text."""
    plan = make_plan(sop)
    raw = cached_render_many([plan_dot(plan)], ENGINE, "svg", cache_dir, ENGINE_ARGS)[0]
    background = _xdot_background(geometry(read_drawing(raw), plan), plan)
    png = render_bytes(plan_dot(plan, background=background), ENGINE, "png", ENGINE_ARGS)
    return with_text(png, {"Title": chart_title(plan), "Description": description(plan, linked=False)})


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def with_text(png: bytes, texts: dict[str, str]) -> bytes:
    """``png`` with an ``iTXt`` chunk (UTF-8, Indonesian) per keyword after its header chunk: the text
    alternative an image viewer or a document that embeds the file can show. Not a PNG: unchanged."""
    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return png
    after_header = 8 + 8 + int.from_bytes(png[8:12], "big") + 4
    chunks = b""
    for keyword, text in texts.items():
        data = keyword.encode("latin-1") + b"\0\0\0id\0\0" + clean_text(text).encode("utf-8")
        chunks += len(data).to_bytes(4, "big") + b"iTXt" + data + zlib.crc32(b"iTXt" + data).to_bytes(4, "big")
    return png[:after_header] + chunks + png[after_header:]
