"""The swimlane drawing, with the real Graphviz: geometry as a property, escaping, batching, cache.

The geometry is read back from what Graphviz drew (the SVG of the page, and
``dot -Tjson`` of the same DOT), never from the drawing code's own numbers: the
Ya/Tidak labels too, their boxes estimated from the <text> Graphviz wrote.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import os
import random
import re
import shutil
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEED, sop_main, write
from gen_sop import random_sop, random_sops
from sopcode.model.graph import Graph
from sopcode.model.load import load_folder, load_sop
from sopcode.model.sop import Simbol, Sop, Teks
from sopcode.rules import check_sop
from sopcode.shapes.graphviz import (
    DrawError,
    GraphvizError,
    GraphvizMissing,
    cached_render,
    dot_string,
    html_label_text,
    run_graphviz,
)
from sopcode.shapes.swimlane import ENGINE, ENGINE_ARGS, swimlane_dot, swimlane_png, swimlane_svg, swimlane_svgs

N_RANDOM = 150
N_DENSE = 100
"""Generated SOPs with many decisions (:func:`dense_sops`), besides the N_RANDOM plain ones."""
TERPISAH, BERSAMA = 0.3, 0.5
"""The share of generated SOPs with separate Mulai/Selesai capsules, and with steps done together."""
S = "{http://www.w3.org/2000/svg}"
DOT = "/usr/bin/dot" if os.path.exists("/usr/bin/dot") else "dot"
EPS = 1.0  # points: a line may touch a symbol's outline, not enter it


# --- helpers: a dot that counts its runs, SVG geometry ------------------------------------

@pytest.fixture(scope="module")
def counting_dot(tmp_path_factory) -> Path:
    """A folder whose `dot` and `neato` log every start and then run the real Graphviz."""
    folder = tmp_path_factory.mktemp("bin")
    log = folder / "runs.log"
    for program in ("dot", "neato"):
        script = folder / program
        real = subprocess.run(["which", program], capture_output=True, text=True).stdout.strip()
        script.write_text(f'#!/bin/sh\necho "{program} $*" >> "{log}"\nexec "{real or program}" "$@"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    log.write_text("")
    return folder


def runs(folder: Path) -> list[str]:
    return (folder / "runs.log").read_text().splitlines()


def points(text: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", text)]
    return list(zip(nums[0::2], nums[1::2]))


def path_samples(d: str, per_curve: int = 16) -> list[tuple[float, float]]:
    """Points along an SVG path made of M, C and L commands."""
    out: list[tuple[float, float]] = []
    pos = None
    for cmd, args in re.findall(r"([MCL])([^MCL]*)", d):
        pts = points(args)
        if cmd == "M":
            pos = pts[0]
            out.append(pos)
        elif cmd == "L":
            for p in pts:
                for t in range(1, per_curve + 1):
                    u = t / per_curve
                    out.append((pos[0] + (p[0] - pos[0]) * u, pos[1] + (p[1] - pos[1]) * u))
                pos = p
        else:
            for i in range(0, len(pts) - 2, 3):
                p0, p1, p2, p3 = pos, pts[i], pts[i + 1], pts[i + 2]
                for t in range(1, per_curve + 1):
                    u = t / per_curve
                    a, b, c, e = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u * u * (1 - u), u ** 3
                    out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                                a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
                pos = p3
    return out


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


class Symbol:
    def __init__(self, group):
        self.group = group
        poly = group.find(S + "polygon")
        path = group.find(S + "path")
        self.shape = "polygon" if poly is not None else "path"
        pts = points(poly.get("points") if poly is not None else path.get("d"))
        if self.shape == "polygon" and pts[0] == pts[-1]:
            pts = pts[:-1]
        self.pts = pts
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        self.box = (min(xs), min(ys), max(xs), max(ys))
        self.cx, self.cy = (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2

    def contains(self, x: float, y: float) -> bool:
        """Strictly inside the outline (by more than EPS)."""
        x0, y0, x1, y1 = self.box
        if not (x0 + EPS < x < x1 - EPS and y0 + EPS < y < y1 - EPS):
            return False
        if self.shape == "polygon" and len(self.pts) == 4 and not self.axis_aligned():
            # A diamond: |dx|/hw + |dy|/hh < 1, shrunk by EPS.
            hw, hh = (x1 - x0) / 2 - EPS, (y1 - y0) / 2 - EPS
            return abs(x - self.cx) / hw + abs(y - self.cy) / hh < 1
        return True

    def axis_aligned(self) -> bool:
        return all(abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01
                   for a, b in zip(self.pts, self.pts[1:] + self.pts[:1]))


def parse(svg: str):
    """The drawing's parts: symbols by id (steps, their further symbols, the capsules), lanes by id
    as (x0, x1, name), arrows, and the lines joining a shared step's symbols."""
    root = ET.fromstring(svg)
    steps, lanes, arrows, joins = {}, {}, [], []
    for g in root.iter(S + "g"):
        cls, gid = classes(g), g.get("id", "")
        if "langkah" in cls:
            steps[gid] = Symbol(g)
        elif "lajur" in cls:
            rect = g.find(S + "rect")
            lanes[gid] = (float(rect.get("x")), float(rect.get("x")) + float(rect.get("width")),
                          g.find(S + "title").text)
        elif "panah" in cls:
            arrows.append(g)
        elif "sambung" in cls:
            joins.append(g)
    return root, steps, lanes, arrows, joins


def lane_runs(sop: Sop, step) -> list[tuple[int, int]]:
    """The step's actors' lanes (0-based, declared order) as runs of adjacent lanes, left to right."""
    names = [str(a) for a in sop.pelaksana]
    runs: list[tuple[int, int]] = []
    for k in sorted({names.index(str(a)) for a in step.semua_pelaksana}):
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def flow_ends(sop: Sop) -> list[tuple[str, str, str]]:
    """The arrows a reader expects: the flow's, and Mulai/Selesai's with separate capsules."""
    want = [(str(e.src), str(e.dst), e.label or "") for e in Graph(sop).edges]
    if sop.terminator_terpisah:
        want += [("mulai", str(sop.langkah[0].no), ""), (str(sop.langkah[-1].no), "selesai", "")]
    return sorted(want)


def check_geometry(sop: Sop, svg: str, with_labels: bool = True) -> Counter:
    """Every property of the drawing, read from the SVG Graphviz drew; the Ya/Tidak labels' too
    (:func:`check_labels`) unless ``with_labels`` is false. Returns the counts of the labels checked."""
    root, steps, lanes, arrows, joins = parse(svg)
    where = f"SOP {sop.id}"
    ids = [g.get("id") for g in root.iter(S + "g") if g.get("id")]
    assert len(ids) == len(set(ids)), f"{where}: ids used twice"
    assert not list(root.iter(S + "ellipse")) and not list(root.iter(S + "circle")), f"{where}: a circle"
    # Lanes: one per actor, in declared order, left to right, not overlapping.
    assert [lanes[f"lajur-{k + 1}"][2] for k in range(len(sop.pelaksana))] == [str(a) for a in sop.pelaksana]
    xs = [lanes[f"lajur-{k + 1}"] for k in range(len(lanes))]
    assert all(a[1] <= b[0] + 0.01 for a, b in itertools.pairwise(xs)), f"{where}: lanes out of order"
    # Steps: the right symbol, inside its actor's lane (one across adjacent lanes of a step done
    # together, one more in each further lane, joined by a line), one row per step, in step order.
    names = [str(a) for a in sop.pelaksana]
    prev_bottom = None
    expected_ids = set()
    for step in sop.langkah:
        runs = lane_runs(sop, step)
        own = names.index(str(step.pelaksana))
        # The step's symbols, left to right: its own, the others numbered from 2 in lane order.
        further = iter(range(2, len(runs) + 1))
        ids = [f"bagan-langkah-{step.no}" if a <= own <= b else f"bagan-langkah-{step.no}-{next(further)}" for a, b in runs]
        expected_ids.update(ids)
        syms = [steps.get(i) for i in ids]
        assert all(syms), f"{where}: step {step.no} lacks one of {ids}"
        sym = steps[f"bagan-langkah-{step.no}"]
        for (a, b), one in zip(runs, syms):
            x0, x1 = lanes[f"lajur-{a + 1}"][0], lanes[f"lajur-{b + 1}"][1]
            assert x0 <= one.box[0] and one.box[2] <= x1, f"{where}: step {step.no} sticks out of its lanes"
            for k in range(a, b + 1):  # across every lane of its run
                lx0, lx1, _ = lanes[f"lajur-{k + 1}"]
                assert one.box[0] < (lx0 + lx1) / 2 < one.box[2], f"{where}: step {step.no} misses lane {k + 1}"
            assert abs(one.cy - sym.cy) < 0.5, f"{where}: step {step.no}'s symbols not on one row"
        top, bottom = min(o.box[1] for o in syms), max(o.box[3] for o in syms)
        if prev_bottom is not None:
            assert top > prev_bottom, f"{where}: step {step.no} not below the step before it"
        prev_bottom = bottom
        for one in syms:
            if step.simbol is Simbol.TERMINATOR:
                assert one.shape == "path", f"{where}: step {step.no} should be a rounded terminator"
            elif step.simbol is Simbol.PROSES:
                assert one.shape == "polygon" and len(one.pts) == 4 and one.axis_aligned(), f"{where}: {step.no}"
            else:
                assert one.shape == "polygon" and len(one.pts) == 4 and not one.axis_aligned(), f"{where}: {step.no}"
            text = " ".join(t.text or "" for t in one.group.iter(S + "text"))
            assert text.split()[0] == str(step.no), f"{where}: step {step.no} does not show its number"
        # The symbols of a step done together are joined, neighbour to neighbour, by a plain
        # line along the row (no arrowhead).
        lines = [g for g in joins if g.get("id", "").startswith(f"sambung-{step.no}-")]
        assert len(lines) == len(syms) - 1, f"{where}: step {step.no} has {len(lines)} joining lines"
        for g in lines:
            assert g.find(S + "polygon") is None, f"{where}: the line joining step {step.no} has an arrowhead"
            samples = path_samples(g.find(S + "path").get("d"))
            assert all(abs(y - sym.cy) < 0.5 for _, y in samples), f"{where}: step {step.no}'s line leaves its row"
            lo, hi = min(x for x, _ in samples), max(x for x, _ in samples)
            left = next(o for o in syms if abs(o.box[2] - lo) < 2)
            right = next(o for o in syms if abs(o.box[0] - hi) < 2)
            assert syms.index(right) == syms.index(left) + 1, f"{where}: step {step.no}'s line skips a symbol"
        if len(syms) > 1:
            title = sym.group.find(S + "title").text
            assert all(str(a) in title for a in step.semua_pelaksana), f"{where}: step {step.no}'s title"
    # Separate capsules: exactly one "Mulai" above step 1 and one "Selesai" below the last step,
    # each in the lane of that step's (first) actor; none otherwise.
    capsules = {k: v for k, v in steps.items() if k in ("mulai", "selesai")}
    assert set(steps) == expected_ids | set(capsules), f"{where}: symbols {sorted(set(steps) - expected_ids)}"
    if sop.terminator_terpisah:
        assert set(capsules) == {"mulai", "selesai"}, f"{where}: capsules {sorted(capsules)}"
        for cap, step in (("mulai", sop.langkah[0]), ("selesai", sop.langkah[-1])):
            one = capsules[cap]
            x0, x1, _ = lanes[f"lajur-{names.index(str(step.pelaksana)) + 1}"]
            assert x0 <= one.box[0] and one.box[2] <= x1, f"{where}: {cap} not in the lane of step {step.no}"
            assert one.shape == "path" and "terminator" in classes(one.group), f"{where}: {cap} is no capsule"
            assert one.group.find(S + "title").text == cap.capitalize()
            assert "".join(t.text for t in one.group.iter(S + "text")) == cap.capitalize()
            if cap == "mulai":
                assert one.box[3] < min(o.box[1] for o in steps.values() if o is not one), f"{where}: Mulai not on top"
            else:
                assert one.box[1] > max(o.box[3] for o in steps.values() if o is not one), f"{where}: Selesai not last"
        assert all(s.simbol is not Simbol.TERMINATOR or s.simbol_eksplisit for s in sop.langkah), where
    else:
        assert not capsules, f"{where}: capsules {sorted(capsules)} without `terminator: terpisah`"
    # Arrows: exactly the flow's edges (and the capsules'), decisions labelled, each from its
    # step's own symbol to its target's, none through any symbol it does not join.
    got = []
    for g in arrows:
        label = " ".join(t.text for t in g.iter(S + "text"))
        got.append((g.get("data-dari"), g.get("data-ke"), label))
    want = flow_ends(sop)
    assert sorted(got) == want, f"{where}: arrows {sorted(got)} != flow {want}"
    for step in sop.langkah:
        if step.simbol is Simbol.KEPUTUSAN:
            labels = sorted(label for a, _, label in got if a == str(step.no))
            assert labels == ["Tidak", "Ya"], f"{where}: decision {step.no} has {labels}"
    symbol_of = {"mulai": "mulai", "selesai": "selesai"}
    for g in arrows:
        a, b = g.get("data-dari"), g.get("data-ke")
        line = g.find(S + "path[@class='garis']")
        samples = path_samples(line.get("d"))
        heads = [p for poly in g.findall(S + "polygon") for p in points(poly.get("points"))]
        ends = symbol_of.get(a, f"bagan-langkah-{a}"), symbol_of.get(b, f"bagan-langkah-{b}")
        src, dst = steps[ends[0]], steps[ends[1]]
        assert _near(samples[0], src), f"{where}: arrow {a}->{b} does not start at step {a}"
        # It reaches its target: with its arrowhead, or (merged into another arrow) with its line.
        end = min(_gap(p, dst) for p in heads) if heads else _gap(samples[-1], dst) - 10
        assert end < 2, f"{where}: arrow {a}->{b} does not reach step {b}"
        _through(where, f"arrow {a}->{b}", samples + heads, steps, ends)
    for g in joins:
        samples = path_samples(g.find(S + "path").get("d"))
        _through(where, g.get("id"), samples, steps, ())
    return check_labels(where, root, steps, arrows, joins) if with_labels else Counter()


def _through(where: str, what: str, pts: list, steps: dict, ends) -> None:
    """No point of a line lies inside a symbol other than the ones it joins."""
    xs_, ys_ = [p[0] for p in pts], [p[1] for p in pts]
    span = (min(xs_), min(ys_), max(xs_), max(ys_))
    for no, sym in steps.items():
        if no in ends:
            continue
        if sym.box[2] < span[0] or sym.box[0] > span[2] or sym.box[3] < span[1] or sym.box[1] > span[3]:
            continue
        hit = next((p for p in pts if sym.contains(*p)), None)
        assert hit is None, f"{where}: {what} passes through {no} at {hit}"


# --- the Ya/Tidak labels: beside their own line, clear of everything else --------------------

LABEL_CHAR = 0.6
"""Width of a label's character, in ems: more than Arial's average ("Tidak" is 2.45 ems wide)."""
STROKE = 0.65  # half an arrow's line width, points: a label closer than this touches the line
BESIDE = 8.0  # points: a label is beside its line when its box is at most this far from it
NEAR_START = 90.0  # points along its line: where a label sits, near the decision it leaves


def label_box(text) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) of a label drawn as SVG <text>, estimated from its anchor point
    (the middle of its baseline), font size and length: an em high, ascent 0.8 of it."""
    assert text.get("text-anchor") == "middle", "a label not centred on its point"
    x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
    half = (LABEL_CHAR * size * len(text.text) + 1) / 2
    return x - half, y - 0.8 * size, x + half, y + 0.25 * size


def segments(pts: list) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(p, q) for p, q in itertools.pairwise(pts) if p != q] or [(pts[0], pts[0])]


def polygon_segments(poly) -> list:
    pts = points(poly.get("points"))
    return segments(pts + pts[:1])


def _clip(box, p, q) -> bool:
    """Whether the segment p-q meets the box (Liang-Barsky)."""
    x0, y0, x1, y1 = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for den, num in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if den == 0:
            if num < 0:
                return False
            continue
        t = num / den
        if den < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _point_segment(c, p, q) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((c[0] - p[0]) * dx + (c[1] - p[1]) * dy) / length))
    return ((c[0] - p[0] - t * dx) ** 2 + (c[1] - p[1] - t * dy) ** 2) ** 0.5


def box_distance(box, segs) -> float:
    """How far a box is from a line given as segments (0: they meet)."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    best = float("inf")
    for p, q in segs:
        if _clip(box, p, q):
            return 0.0
        for c in (p, q):  # an end of the segment to the box
            dx = max(x0 - c[0], 0.0, c[0] - x1)
            dy = max(y0 - c[1], 0.0, c[1] - y1)
            best = min(best, (dx * dx + dy * dy) ** 0.5)
        for c in corners:  # a corner of the box to the segment
            best = min(best, _point_segment(c, p, q))
    return best


def boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_in_symbol(box, sym: Symbol) -> bool:
    """Whether a label's box overlaps a symbol: its outline (a diamond's four sides) or its inside."""
    if not boxes_overlap(box, sym.box):
        return False
    if sym.shape == "polygon" and not sym.axis_aligned():
        outline = segments(sym.pts + sym.pts[:1])
        if box_distance(box, outline) < STROKE:
            return True
        return sym.contains((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)  # wholly inside
    return True


def along(segs, box) -> float:
    """How far along a line (points from its start) its nearest point to a box lies."""
    lengths = [((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2) ** 0.5 for p, q in segs]
    k = min(range(len(segs)), key=lambda n: box_distance(box, segs[n:n + 1]))
    (p, q), best, at = segs[k], float("inf"), 0.0
    for n in range(17):
        c = (p[0] + (q[0] - p[0]) * n / 16, p[1] + (q[1] - p[1]) * n / 16)
        d = box_distance(box, [(c, c)])
        if d < best - 1e-9:
            best, at = d, lengths[k] * n / 16
    return sum(lengths[:k]) + at


def extent(segs) -> tuple[float, float, float, float]:
    xs = [x for seg in segs for x, _ in seg]
    ys = [y for seg in segs for _, y in seg]
    return min(xs), min(ys), max(xs), max(ys)


def box_gap(a, b) -> float:
    """How far apart two boxes are (0 when they meet)."""
    dx, dy = max(a[0] - b[2], 0.0, b[0] - a[2]), max(a[1] - b[3], 0.0, b[1] - a[3])
    return (dx * dx + dy * dy) ** 0.5


def check_labels(where: str, root, steps: dict, arrows: list, joins: list) -> Counter:
    """Each Ya/Tidak label (from the SVG's <text> and paths, never from the drawing code):
    beside its own arrow's line (not on it, at most BESIDE away, near where it leaves its step),
    nearer that line than any other line, and clear of every other arrow's line and head, the
    lines joining a shared step's symbols, every symbol, every lane header and every other label."""
    lines: dict[str, list] = {}  # every line drawn, with its arrowhead, by its group's id
    labels: list[tuple[str, str, tuple]] = []
    for g in arrows:
        segs = segments(path_samples(g.find(S + "path[@class='garis']").get("d"), 8))
        lines[g.get("id")] = segs + [s for poly in g.findall(S + "polygon") for s in polygon_segments(poly)]
        for text in g.findall(S + "text"):
            labels.append((g.get("id"), text.text, label_box(text)))
    for g in joins:
        lines[g.get("id")] = segments(path_samples(g.find(S + "path").get("d"), 8))
    bands = [(float(r.get("x")), float(r.get("y")), float(r.get("x")) + float(r.get("width")),
              float(r.get("y")) + float(r.get("height")))
             for r in root.iter(S + "rect") if "kepala-lajur" in classes(r)]
    extents = {key: extent(segs) for key, segs in lines.items()}
    counts = Counter()
    for n, (key, text, box) in enumerate(labels):
        what = f"{where}: label {text!r} of {key} at {tuple(round(v, 1) for v in box)}"
        assert text in ("Ya", "Tidak"), what
        own = lines[key]
        mine = box_distance(box, own)
        assert STROKE <= mine <= BESIDE, f"{what} is {mine:.1f} pt from its own line"
        line_only = segments(path_samples(root.find(f".//{S}g[@id='{key}']/{S}path[@class='garis']").get("d"), 8))
        assert along(line_only, box) <= NEAR_START, f"{what} is far from where its line starts"
        for other, segs in lines.items():
            if other == key or box_gap(box, extents[other]) > max(mine, STROKE) + 1:
                continue  # too far to matter
            gap = box_distance(box, segs)
            assert gap >= STROKE, f"{what} lies on {other}"
            assert gap > mine, f"{what} is as near {other} ({gap:.1f} pt) as its own line ({mine:.1f} pt)"
        for name, sym in steps.items():
            assert not _box_in_symbol(box, sym), f"{what} lies on the symbol {name}"
        for band in bands:
            assert not boxes_overlap(box, band), f"{what} lies on a lane header"
        for other, other_text, other_box in labels[n + 1:]:
            assert not boxes_overlap(box, other_box), f"{what} lies on the label {other_text!r} of {other}"
        group = root.find(f".//{S}g[@id='{key}']")
        counts[text] += 1
        counts[next(c for c in ("balik", "lompat", "maju") if c in classes(group))] += 1
        counts["sendiri"] += group.get("data-dari") == group.get("data-ke")
    return counts


def _gap(p, sym: Symbol) -> float:
    x0, y0, x1, y1 = sym.box
    dx = max(x0 - p[0], 0, p[0] - x1)
    dy = max(y0 - p[1], 0, p[1] - y1)
    return (dx * dx + dy * dy) ** 0.5


def _near(p, sym: Symbol) -> bool:
    return _gap(p, sym) < 2


# --- the corpus: 150 random SOPs, the seed data, the good fixtures -------------------------

def dense_sop(seed: int) -> Sop:
    """A generated SOP with two to six more decisions, each with both branches anywhere: to the
    next step, back, forward over others, or to itself (a step looping on itself). Their arrows
    crowd the steps' sides, the gaps between rows and the gutters, where labels must still find
    room. A decision that would leave the SOP invalid (a step no longer reached) is not made."""
    sop = random_sop(seed, terpisah=TERPISAH, bersama=BERSAMA)
    rng = random.Random(f"padat-{seed}")
    steps, numbers = list(sop.langkah), [s.no for s in sop.langkah]
    n = len(steps)
    for i in rng.sample(range(1, n - 1), min(n - 2, rng.randint(2, 6))):
        kind = rng.choice(["next-back", "next-fwd", "back-fwd", "back-back", "fwd-fwd", "self-next"])
        pick = {"next": [i + 1], "back": list(range(i)), "fwd": list(range(i + 2, n)) or [i + 1], "self": [i]}
        a, b = (rng.choice(pick[k]) for k in kind.split("-"))
        if a == b:
            continue
        if rng.random() < 0.5:
            a, b = b, a
        before = steps[i]
        steps[i] = dataclasses.replace(before, simbol=Simbol.KEPUTUSAN, simbol_eksplisit=True,
                                       ya=numbers[a], tidak=numbers[b], lanjut=None)
        if any(d.is_error for d in check_sop(dataclasses.replace(sop, langkah=tuple(steps)))):
            steps[i] = before
    return dataclasses.replace(sop, id=f"padat-{seed:04d}", langkah=tuple(steps))


def dense_sops(count: int, start: int = 1000) -> list[Sop]:
    return [dense_sop(seed) for seed in range(start, start + count)]


@pytest.fixture(scope="module")
def corpus() -> list[Sop]:
    sops = random_sops(N_RANDOM, terpisah=TERPISAH, bersama=BERSAMA) + dense_sops(N_DENSE)
    real = load_folder(str(ROOT / "sop_data")).sops + load_folder(str(FIXTURES / "baik")).sops
    assert len(real) >= 7
    for sop in sops + real:
        assert not [d for d in check_sop(sop) if d.is_error], sop.id
    return sops + real


@pytest.fixture(scope="module")
def drawn(corpus, counting_dot):
    """All SVGs, drawn in one batch by the counting `dot`: (svgs, processes, seconds)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PATH", f"{counting_dot}{os.pathsep}{os.environ['PATH']}")
    before = len(runs(counting_dot))
    start = time.perf_counter()
    try:
        svgs = swimlane_svgs(corpus)
    finally:
        mp.undo()
    return svgs, len(runs(counting_dot)) - before, time.perf_counter() - start


@pytest.mark.slow
def test_generated_sops_are_varied_and_deterministic():
    plain = random_sops(N_RANDOM)
    sops = random_sops(N_RANDOM, terpisah=TERPISAH, bersama=BERSAMA)
    assert [s.langkah for s in plain[:5]] == [s.langkah for s in random_sops(5)]
    assert sops[:5] == random_sops(5, terpisah=TERPISAH, bersama=BERSAMA)
    # Without traits, nothing of them; with them, the same SOPs but for them.
    assert not any(s.terminator_terpisah or st.pelaksana_lain for s in plain for st in s.langkah)
    for a, b in zip(plain, sops):
        assert [st.kegiatan for st in a.langkah] == [st.kegiatan for st in b.langkah]
    # The traits: separate capsules, and steps done together in adjacent lanes, apart, and
    # with the first actor between the others.
    assert 20 < sum(s.terminator_terpisah for s in sops) < 80
    shared = [(s, st) for s in sops for st in s.langkah if st.pelaksana_lain]
    kinds = [len(lane_runs(s, st)) for s, st in shared]
    assert kinds.count(1) > 30 and len(kinds) - kinds.count(1) > 30  # one symbol across / a symbol per lane
    middle = [(s, st) for s, st in shared
              if lane_runs(s, st)[0][0] < [str(a) for a in s.pelaksana].index(st.pelaksana) < lane_runs(s, st)[-1][1]]
    assert len(middle) > 5
    assert any(st.simbol is Simbol.KEPUTUSAN for _, st in shared)
    assert any(s.terminator_terpisah and s.langkah[i].pelaksana_lain for s in sops for i in (0, -1))
    assert {len(s.pelaksana) for s in sops} == set(range(2, 8))
    assert min(len(s.langkah) for s in sops) == 5 and max(len(s.langkah) for s in sops) == 30
    decisions = [sum(st.simbol is Simbol.KEPUTUSAN for st in s.langkah) for s in sops]
    assert set(decisions) == {0, 1, 2, 3}
    graphs = [Graph(s) for s in sops]
    assert sum(g.is_back_edge(e) for g in graphs for e in g.edges) > 50  # loops back
    assert sum(g.index[e.dst] > g.index[e.src] + 1 for g in graphs for e in g.edges) > 50  # jumps forward
    assert any(st.lanjut is not None for s in sops for st in s.langkah)


@pytest.mark.slow
def test_geometry_of_every_drawing(corpus, drawn, hitungan):
    svgs, _, _ = drawn
    assert len(svgs) == len(corpus) >= N_RANDOM + N_DENSE + 7
    failures, crowded = [], []
    counts, decisions = Counter(), 0
    for sop in corpus:
        try:
            check_geometry(sop, svgs[sop.id], with_labels=False)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
            continue
        try:
            root, steps, _, arrows, joins = parse(svgs[sop.id])
            counts += check_labels(f"SOP {sop.id}", root, steps, arrows, joins)
        except AssertionError as exc:
            (crowded if sop.id.startswith("padat-") else failures).append(str(exc).splitlines()[0])
            continue
        decisions += sum(st.simbol is Simbol.KEPUTUSAN for st in sop.langkah)
    assert not failures, f"{len(failures)} of {len(corpus)} drawings fail:\n" + "\n".join(failures[:20])
    # Drawings crowded with decisions may leave a label no clear spot: where its line must pass
    # between gutter lines closer together than the label is wide, or along a gap between rows
    # that another arrow runs along too (only a different route would help). Rare, and bounded.
    assert len(crowded) <= N_DENSE // 50, f"{len(crowded)} crowded drawings:\n" + "\n".join(crowded)
    # Every decision's two labels were checked: the flow's labelled arrows, all of them.
    assert counts["Ya"] == counts["Tidak"] == decisions > 500, counts
    assert counts["balik"] > 200 and counts["lompat"] > 100 and counts["sendiri"] > 30, counts
    hitungan(f"label Ya/Tidak diperiksa: {counts['Ya'] + counts['Tidak']} ({counts['Ya']} Ya, "
          f"{counts['Tidak']} Tidak; {counts['maju']} maju, {counts['balik']} balik (dari langkah ke "
          f"dirinya sendiri: {counts['sendiri']}), {counts['lompat']} lompat) di {len(corpus)} gambar"
          + "".join(f"\n  tanpa tempat lapang: {c}" for c in crowded))


@pytest.mark.slow
def test_batch_uses_few_processes(corpus, drawn, hitungan):
    _svgs, processes, seconds = drawn
    assert processes < len(corpus) / 10, processes  # one `dot -V` and a process per core
    hitungan(f"{len(corpus)} SOP: {processes} proses dot, {seconds:.2f} s, "
          f"{1000 * seconds / len(corpus):.1f} ms per SOP")


@pytest.mark.slow
def test_grid_from_graphviz_json(corpus):
    """The layout as Graphviz drew it (-Tjson): lanes in order, every step centred in its lane's
    column (or on the columns of the adjacent lanes it spans), the capsules above and below."""
    sources = [swimlane_dot(s) for s in corpus]
    layouts = [json.loads(doc) for doc in run_graphviz(sources, ENGINE, "json", ENGINE_ARGS)]
    for sop, layout in zip(corpus, layouts):
        objects = {o["name"]: o for o in layout["objects"] if "pos" in o}
        pos = {name: tuple(float(v) for v in o["pos"].split(",")) for name, o in objects.items()}
        heads = [pos[f"kepala{k}"][0] for k in range(len(sop.pelaksana))]
        half = [float(objects[f"kepala{k}"]["width"]) * 36 for k in range(len(sop.pelaksana))]
        assert heads == sorted(heads) and len(set(heads)) == len(heads), sop.id
        rows = [f"s{i}" for i in range(len(sop.langkah))]
        if sop.terminator_terpisah:
            rows = ["mulai", *rows, "selesai"]
        ys = [pos[name][1] for name in rows]
        assert all(a > b for a, b in itertools.pairwise(ys)), f"{sop.id}: rows not in step order"
        names = [str(a) for a in sop.pelaksana]
        for i, step in enumerate(sop.langkah):
            own = names.index(step.pelaksana)
            a, b = next(run for run in lane_runs(sop, step) if run[0] <= own <= run[1])
            centre = (heads[a] - half[a] + heads[b] + half[b]) / 2
            assert abs(pos[f"s{i}"][0] - centre) < 0.5, f"{sop.id}: step {step.no}"
        if sop.terminator_terpisah:
            for name, step in (("mulai", sop.langkah[0]), ("selesai", sop.langkah[-1])):
                assert abs(pos[name][0] - heads[names.index(step.pelaksana)]) < 0.5, f"{sop.id}: {name}"


# --- hostile text ------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Menyimpan di C:\\Data\\N\\G\\L \\N \\G \\L \\E \\T \\H \\n akhir\\",
    "{ kurung | pipa } & &amp; &lt; &#60; ]]> <!-- -->",
    "baris satu\nbaris \"dua\" 'tiga'\n\tbaris tiga",
    'Memeriksa <berkas> & "kop" Pertanggungjawabanpenggunaandanadesaberdasarkanperaturanmenteridalamnegeri',
]

HOSTILE_YAML = """\
nama: "SOP <b>uji</b> & \\"kutip\\""
tanggal_pembuatan: 2024-01-02
tanggal_efektif: 2024-01-08
disahkan_oleh:
  jabatan: CAMAT
  nama: Nama
  nip: "196401041991011004"
pelaksana:
  - "Petugas <i>\\\\N</i> & \\\\G"
  - Camat
langkah:
{steps}
"""


def hostile_sop(tmp_path: Path) -> Sop:
    steps = []
    for i, text in enumerate([*HOSTILE, "Memeriksa akhir"]):
        steps.append(f"  - no: {i + 1}\n    kegiatan: {json.dumps(text)}\n"
                     f"    pelaksana: {json.dumps('Petugas <i>' + chr(92) + 'N</i> & ' + chr(92) + 'G' if i % 2 == 0 else 'Camat')}\n"
                     f"    mutu_baku:\n      waktu: 5 menit")
    path = write(tmp_path / "jahat.yaml", HOSTILE_YAML.format(steps="\n".join(steps)))
    sop, diags = load_sop(str(path))
    assert sop is not None, [d.format() for d in diags]
    return sop


def test_hostile_text_is_shown_literally_and_never_runs(tmp_path):
    sop = hostile_sop(tmp_path)
    assert str(sop.langkah[0].kegiatan) == HOSTILE[0] and str(sop.langkah[2].kegiatan) == HOSTILE[2]
    svg = swimlane_svg(sop)
    root = ET.fromstring(svg)  # well-formed XML
    tags = {el.tag.replace(S, "") for el in root.iter()}
    assert not tags & {"script", "img", "foreignObject", "iframe", "object", "embed"}
    for el in root.iter():
        assert not [a for a in el.attrib if a.lower().startswith("on")], el.attrib
    assert "<script" not in svg and "<img" not in svg and "onerror=" not in svg.replace("onerror=alert", "")
    titles = {g.get("id"): g.find(S + "title").text for g in root.iter(S + "g") if g.get("id")}
    for step in sop.langkah:
        assert str(step.kegiatan) in titles[f"bagan-langkah-{step.no}"], step.no  # the full text, on hover
        shown = "".join(t.text or "" for t in root.find(f".//{S}g[@id='bagan-langkah-{step.no}']").iter(S + "text"))
        flat = "".join(str(step.kegiatan).split()).replace("-", "")
        # The whole text, literally, over as many lines as it needs (a long word split with a hyphen).
        assert "".join(shown.split()).replace("-", "") == f"{step.no}{flat}", step.no
        link = next(a for a in root.iter(S + "a") if a.find(f"{S}g[@id='bagan-langkah-{step.no}']") is not None)
        assert link.get("href") == f"#langkah-{step.no}"
        assert link.get("aria-label") == f"Langkah {step.no}: {' '.join(str(step.kegiatan).split())}"
    assert titles["lajur-1"] == "Petugas <i>\\N</i> & \\G"
    header = "".join(t.text for t in root.find(f".//{S}g[@id='kepala-lajur-1']").iter(S + "text"))
    assert header == "Petugas <i>\\N</i> & \\G"  # through dot_string: no \N substitution, no entity
    # A step done together: every actor's name, literally, in its titles and its line's.
    third = Teks('Bendahara "B" <b>&amp; \\N', sop.loc)
    shared = dataclasses.replace(sop, pelaksana=(*sop.pelaksana, third), langkah=(
        dataclasses.replace(sop.langkah[0], pelaksana_lain=(third,)), *sop.langkah[1:]))
    svg = swimlane_svg(shared)
    check_geometry(shared, svg)
    titles = {g.get("id"): g.find(S + "title").text for g in ET.fromstring(svg).iter(S + "g") if g.get("id")}
    assert titles["bagan-langkah-1"].endswith(f"\nPelaksana: {sop.langkah[0].pelaksana}, {third}")
    assert titles["bagan-langkah-1-2"].endswith(f", {third}") and titles["sambung-1-2"] == titles["bagan-langkah-1-2"]


def test_escapers():
    assert dot_string('a"b\\N\nc&amp;') == '"a\\"b\\\\N\\nc&amp;amp;"'
    assert dot_string("\\") == '"\\\\"'
    assert html_label_text('<a href="x">&amp;</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;"
    out = run_graphviz([f"digraph {{ a [shape=box label={dot_string(t)}] }}" for t in HOSTILE[:4]])
    for text, svg in zip(HOSTILE, out):
        shown = "".join(html.unescape(x) for x in re.findall(r"<text[^>]*>(.*?)</text>", svg))
        assert shown == text


# --- Graphviz missing, failing, batched, cached --------------------------------------------

def test_missing_dot_says_how_to_install_it(tmp_path, monkeypatch):
    sop = load_sop(str(SEED))[0]
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without Graphviz
    with pytest.raises(GraphvizMissing) as info:
        swimlane_svg(sop)
    message = str(info.value)
    assert "tidak ditemukan" in message and "apt-get install graphviz" in message and "`graphviz`" in message
    assert isinstance(info.value, DrawError)
    with pytest.raises(GraphvizMissing):
        run_graphviz(["digraph { a }"])


def test_failing_dot_carries_its_stderr():
    good = "digraph { a -> b }"
    with pytest.raises(GraphvizError) as info:
        run_graphviz([good] * 3 + ["digraph { a -> }"] + [good] * 6)
    assert "syntax error" in info.value.stderr and info.value.index == 3
    assert isinstance(info.value, DrawError) and "Graphviz gagal" in str(info.value)


def test_batch_output_is_split_per_graph(counting_dot, monkeypatch):
    monkeypatch.setenv("PATH", f"{counting_dot}{os.pathsep}{os.environ['PATH']}")
    before = len(runs(counting_dot))
    sources = [f'digraph g{i} {{ n{i} [label="{i}"] }}' for i in range(150)]
    out = run_graphviz(sources)
    assert len(out) == 150 and all(f">{i}</text>" in svg for i, svg in enumerate(out))
    assert len(runs(counting_dot)) - before <= 4
    docs = run_graphviz(sources[:3], fmt="json")
    assert [json.loads(d)["objects"][0]["label"] for d in docs] == ["0", "1", "2"]


def test_cache_draws_an_unchanged_sop_once(tmp_path, counting_dot, monkeypatch):
    monkeypatch.setenv("PATH", f"{counting_dot}{os.pathsep}{os.environ['PATH']}")
    sop = load_sop(str(SEED))[0]
    cache = tmp_path / "cache"
    source = swimlane_dot(sop)
    first = cached_render(source, ENGINE, cache_dir=str(cache), args=ENGINE_ARGS)
    files = sorted(cache.iterdir())
    assert len(files) == 1 and files[0].suffix == ".svg" and not files[0].name.startswith(".")
    stamp = files[0].stat().st_mtime_ns
    before = len(runs(counting_dot))
    assert cached_render(source, ENGINE, cache_dir=str(cache), args=ENGINE_ARGS) == first
    assert swimlane_svg(sop, cache_dir=str(cache)) == swimlane_svg(sop, cache_dir=str(cache))
    assert len(runs(counting_dot)) == before, "dot ran although the drawing was cached"
    # The finished drawing is kept beside Graphviz's own; the raw one is not written again.
    now = sorted(cache.iterdir())
    assert [p for p in now if p not in files] == [p for p in now if p.name.endswith(".finished.svg")]
    assert len(now) == 2 and files[0].stat().st_mtime_ns == stamp
    cached_render(source + "\n", ENGINE, cache_dir=str(cache), args=ENGINE_ARGS)  # a changed source: drawn again
    assert len(list(cache.iterdir())) == 3 and len(runs(counting_dot)) == before + 1


# --- the picture for people ----------------------------------------------------------------

def test_png_and_svg_of_the_seed(tmp_path):
    sop = load_sop(str(SEED))[0]
    png = swimlane_png(sop)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    svg = swimlane_svg(sop)
    root = ET.fromstring(svg)
    assert root.get("class") == "swimlane"
    assert len([g for g in root.iter(S + "g") if "langkah" in classes(g)]) == len(sop.langkah)
    assert len([g for g in root.iter(S + "g") if "lajur" in classes(g)]) == len(sop.pelaksana)
    width_pt = float(root.get("width").removesuffix("pt"))
    assert width_pt * 4 / 3 < 900  # about a page's width (~800 px) for four actors


def test_every_symbol_of_the_seed_sops_shows_its_whole_text_and_links_to_its_row():
    """Issue 18: no text cut with '…' (phones have no hover), each step a link to its table row, Tab in step order."""
    sops = load_folder(str(ROOT / "sop_data")).sops
    assert len(sops) >= 4
    for sop in sops:
        root, steps, _, _, _ = parse(swimlane_svg(sop))
        assert root.get("role") != "img"  # that would hide the links from screen readers
        links = list(root.iter(S + "a"))
        in_tab_order = [a for a in links if a.get("tabindex") != "-1"]
        assert [a.get("href") for a in in_tab_order] == [f"#langkah-{step.no}" for step in sop.langkah], sop.id
        for step, link in zip(sop.langkah, in_tab_order):
            group = link.find(S + "g")
            assert group.get("id") == f"bagan-langkah-{step.no}"
            words = [t.text or "" for t in group.iter(S + "text")]
            assert not any("…" in w for w in words), (sop.id, step.no, words)
            shown = " ".join(" ".join(words).split()).replace("- ", "")
            assert shown == f"{step.no} {' '.join(str(step.kegiatan).split())}".replace("- ", ""), (sop.id, step.no)
            # Every line inside its symbol: the symbol grew to hold them.
            sym = steps[group.get("id")]
            for t in group.iter(S + "text"):
                assert sym.box[1] < float(t.get("y")) < sym.box[3], (sop.id, step.no, t.text)
        headers = ["".join(t.text or "" for t in g.iter(S + "text")) for g in root.iter(S + "g")
                   if (g.get("id") or "").startswith("kepala-lajur-")]
        assert not any("…" in h for h in headers), headers


def test_a_long_step_grows_its_symbol_instead_of_being_cut(tmp_path):
    sop = load_sop(str(SEED))[0]
    long_text = " ".join(["Memeriksa kelengkapan berkas permohonan beserta lampirannya"] * 6)
    longer = dataclasses.replace(sop, langkah=(dataclasses.replace(sop.langkah[0], kegiatan=Teks(long_text, sop.loc)),
                                               *sop.langkah[1:]))
    before = parse(swimlane_svg(sop))[1]["bagan-langkah-1"]
    svg = swimlane_svg(longer)
    check_geometry(longer, svg)
    root, steps, _, _, _ = parse(svg)
    after = steps["bagan-langkah-1"]
    assert after.box[3] - after.box[1] > 2 * (before.box[3] - before.box[1])
    shown = " ".join(t.text for t in root.find(f".//{S}g[@id='bagan-langkah-1']").iter(S + "text"))
    assert " ".join(shown.split()) == f"1 {long_text}"


def own_cache(tmp_path) -> dict[str, str]:
    """The environment of a command whose cache is the test's own (a single file's is otherwise the user's)."""
    return {**os.environ, "SOPCODE_CACHE_DIR": str(tmp_path / "cache")}


def test_sop_gambar_writes_svg_and_png(tmp_path):
    out = tmp_path / "gambar"
    done = sop_main("gambar", str(SEED), "--keluar", str(out), cwd=tmp_path, env=own_cache(tmp_path))
    assert done.returncode == 0, done.stderr
    stem = SEED.stem
    swimlane = (out / f"{stem}-swimlane.svg").read_text()
    assert swimlane.startswith("<svg")
    # The SOP's own words: its title, every actor, every step's full text (the shapes' hover titles).
    sop = next(s for s in load_folder(str(SEED.parent)).sops if s.id == stem)
    text = " ".join(html.unescape(swimlane).split())
    for word in [sop.nama, *sop.pelaksana, *(step.kegiatan for step in sop.langkah)]:
        assert " ".join(str(word).split()) in text, word
    assert (out / f"{stem}-swimlane.png").read_bytes().startswith(b"\x89PNG")
    # The procedure sheet's chart, page by page: 14 steps on plain rows of the seed's F4 paper.
    pages = sorted(out.glob(f"{stem}-lembar-*.svg"))
    assert len(pages) == 2, pages
    for page in pages:
        root = ET.fromstring(page.read_text())
        assert root.tag == S + "svg"
        assert page.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    texts = [t.text for page in pages for t in ET.fromstring(page.read_text()).iter(S + "text")]
    assert [t for t in texts if t.isdigit()] == [str(n) for n in range(1, 15)]
    assert texts.count("A") == 2  # the page break: one pair of off-page connectors
    assert f"bagan alir lintas fungsi: {out / stem}-swimlane.svg ditulis" in done.stdout


def test_sop_gambar_reports_a_broken_file_without_traceback(tmp_path):
    broken = write(tmp_path / "rusak.yaml", "nama: [tidak ditutup\n")
    done = sop_main("gambar", str(broken), "--keluar", str(tmp_path / "o"), cwd=tmp_path, env=own_cache(tmp_path))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "galat" in done.stderr and "rusak.yaml" in done.stderr
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_readme_shows_the_seed_swimlane():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images, "README has no picture"
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, image


def test_unchanged_files_are_found_in_the_cache_without_building_their_dot(tmp_path, counting_dot, monkeypatch):
    monkeypatch.setenv("PATH", f"{counting_dot}{os.pathsep}{os.environ['PATH']}")
    data = tmp_path / "sop_data"
    shutil.copytree(ROOT / "sop_data", data)
    cache = str(tmp_path / "cache")
    loaded = load_folder(str(data))
    first = swimlane_svgs(loaded.sops, cache, content_keys=loaded.content_keys)
    before = len(runs(counting_dot))
    again = load_folder(str(data))
    assert swimlane_svgs(again.sops, cache, content_keys=again.content_keys) == first
    assert len(runs(counting_dot)) == before  # nothing drawn: every picture came from the cache
    seed = data / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "Penggandaan dokumen", "Penggandaan berkas", 1), encoding="utf-8")
    edited = load_folder(str(data))
    now = swimlane_svgs(edited.sops, cache, content_keys=edited.content_keys)
    assert "Penggandaan berkas" in now[SEED.stem] and now[SEED.stem] != first[SEED.stem]
    assert all(now[k] == first[k] for k in first if k != SEED.stem)
    assert len(runs(counting_dot)) > before  # only the edited SOP was drawn again


# --- separate capsules and steps done together, drawn as a reader sees them -------------------

BERSAMA_YAML = """\
nama: Pelayanan Bersama
tanggal_pembuatan: 2024-01-02
tanggal_efektif: 2024-01-08
disahkan_oleh:
  jabatan: CAMAT
  nama: Nama
  nip: "196401041991011004"
{terminator}pelaksana: [Pemohon, Front Office, Back Office, Kasi, Camat]
langkah:
  - no: 1
    kegiatan: Mengajukan permohonan
    pelaksana: Pemohon
    mutu_baku: {{waktu: 5 menit}}
  - no: 2
    kegiatan: Menyerahkan tanda terima kepada pemohon
    pelaksana: [Front Office, Pemohon]
    mutu_baku: {{waktu: 5 menit}}
  - no: 3
    kegiatan: Menelaah berkas bersama Kasi
    pelaksana: [Back Office, Camat, Pemohon, Kasi]
    mutu_baku: {{waktu: 5 menit}}
  - no: 4
    kegiatan: Memeriksa kelengkapan berkas
    pelaksana: Kasi
    ya: 5
    tidak: 3
    mutu_baku: {{waktu: 5 menit}}
  - no: 5
    kegiatan: Menandatangani surat dan menyerahkannya
    pelaksana: [Camat, Front Office]
    mutu_baku: {{waktu: 5 menit}}
"""


def bersama_sop(tmp_path: Path, terminator: str = "") -> Sop:
    path = write(tmp_path / "bersama.yaml", BERSAMA_YAML.format(terminator=terminator))
    sop, diags = load_sop(str(path))
    assert sop is not None, [d.format() for d in diags]
    return sop


def test_steps_done_together_and_separate_capsules_as_a_reader_sees_them(tmp_path):
    sop = bersama_sop(tmp_path, "terminator: terpisah\n")
    svg = swimlane_svg(sop)
    check_geometry(sop, svg)
    root, steps, lanes, arrows, joins = parse(svg)

    def lane_of(sym) -> str:
        return next(name for x0, x1, name in lanes.values() if x0 < sym.cx < x1)

    # 2: Front Office and Pemohon are adjacent lanes: one symbol across both, no line.
    assert lanes["lajur-1"][0] < steps["bagan-langkah-2"].box[0] < lanes["lajur-1"][1] < steps["bagan-langkah-2"].box[2]
    assert "bagan-langkah-2-2" not in steps and not [g for g in joins if g.get("id").startswith("sambung-2-")]
    # 3: Back Office first, then Camat, Pemohon, Kasi (lanes 3, 5, 1, 4): its own symbol across
    # Back Office, Kasi and Camat, another in Pemohon's lane, joined by one line through the
    # empty Front Office lane.
    own = steps["bagan-langkah-3"]
    assert lanes["lajur-3"][0] <= own.box[0] < lanes["lajur-3"][1] and lanes["lajur-5"][0] < own.box[2]
    assert {k for k in steps if k.startswith("bagan-langkah-3")} == {"bagan-langkah-3", "bagan-langkah-3-2"}
    assert lane_of(steps["bagan-langkah-3-2"]) == "Pemohon"
    assert [g.get("id") for g in joins if g.get("id").startswith("sambung-3-")] == ["sambung-3-2"]
    # The loop back into 3 cannot arrive by its left side (the line is there).
    loop = path_samples(next(g for g in arrows if g.get("id") == "panah-4-3-tidak").find(S + "path").get("d"))
    assert min(x for x, _ in loop) > own.box[0]
    # 5: Camat first, Front Office apart: the further symbol left of it, the arrows at Camat's.
    assert lane_of(steps["bagan-langkah-5"]) == "Camat" and lane_of(steps["bagan-langkah-5-2"]) == "Front Office"
    title = root.find(f".//{S}g[@id='bagan-langkah-5']/{S}title").text
    assert title == "5. Menandatangani surat dan menyerahkannya\nPelaksana: Camat, Front Office"
    assert root.find(f".//{S}g[@id='bagan-langkah-5-2']/{S}title").text.startswith("Langkah 5 dikerjakan bersama")
    assert "bersama" in classes(root.find(f".//{S}g[@id='bagan-langkah-5-2']"))
    # The capsules: Mulai over step 1 in Pemohon's lane, Selesai under step 5 in Camat's,
    # each joined by an arrow straight down.
    assert lane_of(steps["mulai"]) == "Pemohon" and lane_of(steps["selesai"]) == "Camat"
    by_id = {g.get("id"): g for g in arrows}
    for key, sym in (("panah-mulai-1", steps["mulai"]), ("panah-5-selesai", steps["bagan-langkah-5"])):
        line = path_samples(by_id[key].find(S + "path[@class='garis']").get("d"))
        assert max(x for x, _ in line) - min(x for x, _ in line) < 0.5 and abs(line[0][0] - sym.cx) < 0.5, key
    assert by_id["panah-mulai-1"].find(S + "title").text == "Dari Mulai ke langkah 1"
    assert by_id["panah-5-selesai"].get("data-ke") == "selesai"
    # The same SOP with its first and last steps as capsules: no separate ones.
    plain = bersama_sop(tmp_path)
    svg = swimlane_svg(plain)
    check_geometry(plain, svg)
    assert 'id="mulai"' not in svg and 'id="selesai"' not in svg and "panah-mulai" not in svg


def test_a_warm_build_draws_what_a_cold_one_does(tmp_path):
    """Everything the drawing shows is in its cache keys: the separate capsules (per SOP or
    as the institution's default), a step's actors, the name, text beyond the short form."""
    data = tmp_path / "sop_data"
    write(data / "_instansi.yaml", "hierarki: [PEMERINTAH KABUPATEN CONTOH]\n")
    path = write(data / "bersama.yaml", BERSAMA_YAML.format(terminator=""))
    cache = str(tmp_path / "cache")
    text = path.read_text(encoding="utf-8")
    versions = [
        text,
        text.replace("nama: Pelayanan Bersama", "terminator: terpisah\nnama: Pelayanan Bersama"),
        text.replace("pelaksana: [Camat, Front Office]", "pelaksana: [Camat, Kasi]"),
        text.replace("pelaksana: [Front Office, Pemohon]", "pelaksana: Front Office"),
        text.replace("nama: Pelayanan Bersama", "nama: Pelayanan Bersama yang Lain"),
        text.replace("Menelaah berkas bersama Kasi", "Menelaah berkas bersama Kasi " + "sangat " * 30 + "teliti"),
    ]
    seen = []
    for version in versions:
        path.write_text(version, encoding="utf-8")
        loaded = load_folder(str(data))
        warm = swimlane_svgs(loaded.sops, cache, content_keys=loaded.content_keys)["bersama"]
        again = swimlane_svgs(loaded.sops, cache)["bersama"]  # by the DOT's key alone
        cold = swimlane_svgs(loaded.sops)["bersama"]
        assert warm == again == cold
        assert cold not in seen
        seen.append(cold)
    # The institution's default: the same file, drawn with separate capsules.
    path.write_text(text, encoding="utf-8")
    write(data / "_instansi.yaml", "hierarki: [PEMERINTAH KABUPATEN CONTOH]\nterminator: terpisah\n")
    loaded = load_folder(str(data))
    assert loaded.sops[0].terminator_terpisah
    warm = swimlane_svgs(loaded.sops, cache, content_keys=loaded.content_keys)["bersama"]
    assert warm == swimlane_svgs(loaded.sops)["bersama"] and 'id="mulai"' in warm and warm != seen[0]


# --- a decision looping on itself; labels moved are drawn again ------------------------------

BERULANG_YAML = """\
nama: Pelayanan Berulang
tanggal_pembuatan: 2024-01-02
tanggal_efektif: 2024-01-08
disahkan_oleh:
  jabatan: CAMAT
  nama: Nama
  nip: "196401041991011004"
pelaksana: [Pemohon, Petugas, Kasi]
langkah:
  - no: 1
    kegiatan: Mengajukan permohonan
    pelaksana: Pemohon
    mutu_baku: {{waktu: 5 menit}}
  - no: 2
    kegiatan: Menunggu kelengkapan berkas?
    pelaksana: {kedua}
    simbol: keputusan
    ya: 3
    tidak: 2
    mutu_baku: {{waktu: 5 menit}}
  - no: 3
    kegiatan: Mencatat permohonan
    pelaksana: {ketiga}
    mutu_baku: {{waktu: 5 menit}}
  - no: 4
    kegiatan: Menerima surat
    pelaksana: Pemohon
    mutu_baku: {{waktu: 5 menit}}
"""


@pytest.mark.parametrize("kedua, ketiga, side", [
    ("Kasi", "Petugas", "kiri"),  # the right faces the gutter (its routes pass close by): the left
    ("Petugas", "Petugas", "kanan"),  # Ya straight down, both sides face a lane: the right
    ("Pemohon", "Petugas", "kanan"),  # the left faces the gutter: the right, though Ya's elbow went there
])
def test_a_decision_looping_on_itself(tmp_path, kedua, ketiga, side):
    """A step looping on itself is a small loop drawn here: out of one side of its symbol, up,
    and back into the same side; its label beside it like any other (see check_labels)."""
    path = write(tmp_path / "berulang.yaml", BERULANG_YAML.format(kedua=kedua, ketiga=ketiga))
    sop, diags = load_sop(str(path))
    assert sop is not None and not [d for d in diags if d.is_error], [d.format() for d in diags]
    svg = swimlane_svg(sop)
    counts = check_geometry(sop, svg)
    assert counts["sendiri"] == 1 and counts["Ya"] == counts["Tidak"] == 1
    _root, steps, _, arrows, _ = parse(svg)
    diamond = steps["bagan-langkah-2"]
    loop = next(g for g in arrows if g.get("id") == "panah-2-2-tidak")
    line = path_samples(loop.find(S + "path[@class='garis']").get("d"))
    head = points(loop.find(S + "polygon").get("points"))
    toward = 1 if side == "kanan" else -1
    corner = diamond.box[2] if side == "kanan" else diamond.box[0]
    assert abs(line[0][0] - corner) < 1 and abs(line[0][1] - diamond.cy) < 1  # out of the corner
    assert all(toward * (x - diamond.cx) > 0 for x, _ in line + head)  # all on that side
    assert max(toward * (x - corner) for x, _ in line) < 15  # a small loop, not a route to a gutter
    assert all(y < diamond.cy - 5 for _, y in head) and min(_gap(p, diamond) for p in head) < 1  # back in, higher
    text = loop.find(S + "text")
    assert text.text == "Tidak" and toward * (float(text.get("x")) - diamond.cx) > 0


def test_a_moved_label_is_drawn_again(tmp_path, monkeypatch):
    """Where a label sits is in the DOT, so in the finished drawing's cache key: a drawing
    cached before its labels moved is not served again."""
    from sopcode.shapes.swimlane import dot
    sop = load_sop(str(FIXTURES / "baik" / "perizinan-enam-pelaksana.yaml"))[0]
    cache = str(tmp_path / "cache")
    before = swimlane_svgs([sop], cache)[sop.id]
    assert swimlane_svgs([sop], cache)[sop.id] == before
    place = dot.place_labels
    monkeypatch.setattr(dot, "place_labels", lambda *a: {k: (x + 3, y) for k, (x, y) in place(*a).items()})
    moved = swimlane_svgs([sop], cache)[sop.id]
    assert moved != before and moved == swimlane_svgs([sop])[sop.id]
