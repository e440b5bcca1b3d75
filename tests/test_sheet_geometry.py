"""The printed procedure sheet, as Chromium lays it out: chart and table, over many hard SOPs.

Every SOP goes through the real pipeline (measured in headless Chromium,
paginated, its charts drawn by ``neato -n2``), its procedure pages are laid
out in one Chromium document exactly as they print, and everything asserted
here is read back from that layout: the table's cells and their borders from
the DOM and the computed style, the chart's symbols, lines, arrowheads and
Ya/Tidak labels from the SVG as Chromium placed it (Graphviz's own coordinates
through the browser's transforms, the labels' boxes as set in the font). The
layout code's numbers are never used to say where something *is*.

What a user would notice, checked on every page:

* no line crosses a symbol or a label; a line never hides in a table line, and never runs
  beside a column's line near enough to read as a doubled border (a jog beside a row's
  line, which low rows often force, keeps a little less);
* no two lines share a port (a corner of a diamond, a point of a box) or a stretch,
  and a box never has an arrow in and an arrow out on one side; lines meet only by
  crossing at right angles (never a T or an L that reads as a junction);
* every arrowhead ends on its symbol's outline, whole, after a visible stretch of its
  own line; arrowheads into one side of a symbol keep a clear gap between them;
* every off-page connector has its twin with the same letter on another page;
* every Ya/Tidak label sits beside its own line, nearer to it than to any other,
  clear of every other line, arrowhead, symbol, label and table line;
* every symbol of a step shows the step's number in its middle (each symbol of a step
  done by several actors, a symbol spanning adjacent columns included);
* the table's four outer borders and every cell's border are drawn: inside the
  sheet (nothing clipped) and not covered by a symbol.

Besides the generated SOPs, the project's own and the good fixtures, the sheets of
``tests/fixtures/lembar`` are laid out: real SOPs a user printed, whose faults these
checks were written for.
"""

from __future__ import annotations

import collections
import math
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from gen_lembar import lembar_sops, with_paper
from sopcode.model.load import load_folder
from sopcode.shapes.sheet_chart import step_arrows
from sopcode.sheets.chromium import Chromium
from sopcode.sheets.layout import MARGIN, PT_PER_MM, PX, Lembar, SheetInputs, _document, _macros, _open, check_document, prepare

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # measures and prints sheets in Chromium

N_RANDOM = 170

HEAD_GAP = 6.0
"""Least clear gap (pt) between two arrowheads into one side of a symbol."""
HEAD_MIN = 5.5
"""Least length of an arrowhead (a full one is 6 pt)."""
STUB_MIN = 2.0
"""Least visible line before an arrowhead, after the line's last bend."""
ALONG_CLEAR, ALONG_RUN = 6.5, 12.0
"""A line running beside a column's line closer than this, for longer than that, reads as a doubled border."""
ALONG_ROW = 2.8
"""Beside a row's line a jog may come this near (rows are often too low for more), never nearer."""
LABEL_ROOM = 3.0
"""Least distance between a Ya/Tidak label and any other line or arrowhead."""
STEP_NODE = re.compile(r"s(\d+)_\d+(_\d+)?$")

EXTRACT_JS = r"""
(() => {
  const out = [];
  const num = v => parseFloat(v) || 0;
  for (const s of document.querySelectorAll('section.lembar-prosedur')) {
    const sr = s.getBoundingClientRect();
    const ox = sr.left, oy = sr.top;
    const rect = r => [r.left - ox, r.top - oy, r.right - ox, r.bottom - oy];
    const table = s.querySelector('table.prosedur');
    const ts = getComputedStyle(table);
    const line = (w, st, c) => ({w: num(w), style: st, color: c});
    const cells = [];
    for (const [r, tr] of [...table.rows].entries()) {
      for (const c of tr.cells) {
        const cs = getComputedStyle(c);
        cells.push({row: r, part: tr.parentElement.tagName, cls: tr.className + ' ' + c.className, box: rect(c.getBoundingClientRect()),
                    right: line(cs.borderRightWidth, cs.borderRightStyle, cs.borderRightColor),
                    bottom: line(cs.borderBottomWidth, cs.borderBottomStyle, cs.borderBottomColor)});
      }
    }
    const svg = s.querySelector('td.jangkar svg');
    const pt = (el, x, y) => { const m = el.getScreenCTM(); return [m.a * x + m.c * y + m.e - ox, m.b * x + m.d * y + m.f - oy]; };
    const nums = d => (d.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g) || []).map(Number);
    const pairs = a => { const o = []; for (let i = 0; i + 1 < a.length; i += 2) o.push([a[i], a[i + 1]]); return o; };
    const nodes = [], edges = [];
    for (const g of svg.querySelectorAll('g.node')) {
      const title = g.querySelector('title').textContent;
      const shape = g.querySelector('polygon, path, ellipse');
      let outline = [];
      if (shape && shape.tagName === 'polygon') outline = pairs(nums(shape.getAttribute('points'))).map(([x, y]) => pt(shape, x, y));
      else if (shape && shape.tagName === 'path') {
        const b = shape.getBBox();
        outline = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]].map(([x, y]) => pt(shape, x, y));
      }
      const texts = [...g.querySelectorAll('text')].map(t => ({text: t.textContent, box: rect(t.getBoundingClientRect())}));
      nodes.push({name: title, cls: g.getAttribute('class'), shape: shape ? shape.tagName : '', outline, texts,
                  fill: shape ? shape.getAttribute('fill') : ''});
    }
    for (const g of svg.querySelectorAll('g.edge')) {
      const title = g.querySelector('title').textContent;
      const paths = [...g.querySelectorAll('path')].map(p => {
        const a = pairs(nums(p.getAttribute('d')));
        return a.filter((_, k) => k % 3 === 0).map(([x, y]) => pt(p, x, y));
      });
      const heads = [...g.querySelectorAll('polygon')].map(p => pairs(nums(p.getAttribute('points'))).map(([x, y]) => pt(p, x, y)));
      const texts = [...g.querySelectorAll('text')].map(t => ({text: t.textContent, box: rect(t.getBoundingClientRect())}));
      edges.push({title, paths, heads, texts});
    }
    // What the chart paints under everything (Graphviz's page background): must let the table show.
    const ground = [...svg.querySelectorAll('g.graph > polygon')].map(p => getComputedStyle(p).fill);
    out.push({sop: s.dataset.sop, page: +s.dataset.halaman, sheet: [0, 0, sr.width, sr.height], ground,
              table: rect(table.getBoundingClientRect()),
              tableTop: line(ts.borderTopWidth, ts.borderTopStyle, ts.borderTopColor),
              tableLeft: line(ts.borderLeftWidth, ts.borderLeftStyle, ts.borderLeftColor),
              svg: rect(svg.getBoundingClientRect()), cells, nodes, edges});
  }
  return out;
})()
"""


# --- geometry in points ---------------------------------------------------------------------

def pt(v):
    return v * PX


def box_pt(b):
    return tuple(pt(v) for v in b)


def segments_of(points):
    return [(points[k], points[k + 1]) for k in range(len(points) - 1)
            if abs(points[k][0] - points[k + 1][0]) + abs(points[k][1] - points[k + 1][1]) > 1e-6]


def seg_box_distance(seg, box):
    (ax, ay), (bx, by) = seg
    x1, y1, x2, y2 = box
    sx1, sx2, sy1, sy2 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    dx = max(sx1 - x2, x1 - sx2, 0.0)
    dy = max(sy1 - y2, y1 - sy2, 0.0)
    return math.hypot(dx, dy)


def polyline_box_distance(points, box):
    return min(seg_box_distance(s, box) for s in segments_of(points))


def interval_of(outline, horizontal, c):
    """Where the line y=c (horizontal) or x=c crosses a convex outline: (lo, hi) or None."""
    hits = []
    n = len(outline)
    for k in range(n):
        (x1, y1), (x2, y2) = outline[k], outline[(k + 1) % n]
        if horizontal:
            a, b, u1, u2 = y1, y2, x1, x2
        else:
            a, b, u1, u2 = x1, x2, y1, y2
        if (a - c) * (b - c) <= 0 and abs(a - b) > 1e-9:
            hits.append(u1 + (c - a) / (b - a) * (u2 - u1))
        elif abs(a - c) < 1e-9 and abs(b - c) < 1e-9:
            hits += [u1, u2]
    return (min(hits), max(hits)) if hits else None


def shrink(outline, by):
    """A convex outline pulled towards its centre by ``by`` pt."""
    cx = sum(p[0] for p in outline) / len(outline)
    cy = sum(p[1] for p in outline) / len(outline)
    out = []
    for x, y in outline:
        d = math.hypot(x - cx, y - cy) or 1.0
        out.append((x + (cx - x) / d * by, y + (cy - y) / d * by))
    return out


def seg_enters(seg, outline, by=0.5) -> bool:
    """Whether an axis-parallel segment enters a convex outline (pulled in by ``by``)."""
    inner = shrink(outline, by)
    (ax, ay), (bx, by_) = seg
    if abs(ay - by_) < 0.05:
        span = interval_of(inner, True, ay)
        return bool(span) and min(ax, bx) < span[1] and max(ax, bx) > span[0]
    span = interval_of(inner, False, ax)
    return bool(span) and min(ay, by_) < span[1] and max(ay, by_) > span[0]


def point_outline_distance(p, outline):
    best = float("inf")
    n = len(outline)
    for k in range(n):
        (x1, y1), (x2, y2) = outline[k], outline[(k + 1) % n]
        dx, dy = x2 - x1, y2 - y1
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((p[0] - x1) * dx + (p[1] - y1) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(p[0] - x1 - t * dx, p[1] - y1 - t * dy))
    return best


def bbox(outline):
    xs, ys = [p[0] for p in outline], [p[1] for p in outline]
    return (min(xs), min(ys), max(xs), max(ys))


def boxes_overlap(a, b, margin=0.0):
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin and b[1] < a[3] + margin


# --- one page, as laid out ------------------------------------------------------------------

class Page:
    def __init__(self, raw: dict, kertas: str):
        self.raw, self.kertas = raw, kertas
        self.sop, self.no = raw["sop"], raw["page"]
        self.where = f"{self.sop} ({kertas}) hlm {self.no}"
        self.nodes = {}
        self.numbers = collections.defaultdict(list)  # symbol -> texts set apart from it (class "nomor")
        for n in raw["nodes"]:
            if "nomor" in n["cls"].split():
                self.numbers[n["name"].removesuffix("_no")] += [dict(t, box=box_pt(t["box"])) for t in n["texts"]]
                continue
            if n["name"].startswith("sudut_"):
                continue
            self.nodes[n["name"]] = dict(n, outline=[tuple(map(pt, p)) for p in n["outline"]],
                                         texts=[dict(t, box=box_pt(t["box"])) for t in n["texts"]])
        self.edges = []
        for e in raw["edges"]:
            src, dst = re.split(r"->", e["title"].replace("&#45;", "-").replace("&gt;", ">"))
            points = [tuple(map(pt, p)) for path in e["paths"] for p in path]
            heads = [[tuple(map(pt, p)) for p in h] for h in e["heads"]]
            texts = [dict(t, box=box_pt(t["box"])) for t in e["texts"]]
            self.edges.append({"src": src, "dst": dst, "points": points, "heads": heads, "texts": texts})
        self.cells = [dict(c, box=box_pt(c["box"])) for c in raw["cells"]]
        self.sheet = box_pt(raw["sheet"])
        self.table = box_pt(raw["table"])
        self.svg = box_pt(raw["svg"])

    def border_lines(self):
        """Every table line as a thin box (x1, y1, x2, y2), with whose it is."""
        out = []
        for c in self.cells:
            x1, y1, x2, y2 = c["box"]
            out.append(((x2 - pt(c["right"]["w"]), y1, x2, y2), "kanan", c))
            out.append(((x1, y2 - pt(c["bottom"]["w"]), x2, y2), "bawah", c))
        t = self.table
        out.append(((t[0], t[1], t[2], t[1] + pt(self.raw["tableTop"]["w"])), "atas tabel", None))
        out.append(((t[0], t[1], t[0] + pt(self.raw["tableLeft"]["w"]), t[3]), "kiri tabel", None))
        return out


def dark(line: dict) -> bool:
    m = re.findall(r"[\d.]+", line["color"])
    return line["style"] == "solid" and line["w"] >= 0.99 and all(float(v) < 80 for v in m[:3])


# --- checks ---------------------------------------------------------------------------------

def check_table(page: Page, counts: collections.Counter) -> None:
    sheet, table = page.sheet, page.table
    where = page.where
    assert table[2] <= sheet[2] + 0.01 and table[3] <= sheet[3] + 0.01, f"{where}: tabel terpotong tepi lembar"
    assert dark(page.raw["tableTop"]) and dark(page.raw["tableLeft"]), f"{where}: garis atas/kiri tabel"
    for c in page.cells:
        assert dark(c["right"]) and dark(c["bottom"]), f"{where}: sel {c['cls']} baris {c['row']} tanpa garis"
        assert c["box"][2] <= sheet[2] + 0.01 and c["box"][3] <= sheet[3] + 0.01, f"{where}: sel terpotong"
        counts["sel"] += 1
    # The right and bottom outer borders: the cells along the table's right (bottom) edge draw
    # their right (bottom) line, and together they run the table's whole height (width).
    inner_top = table[1] + pt(page.raw["tableTop"]["w"])
    inner_left = table[0] + pt(page.raw["tableLeft"]["w"])
    right = sorted((c["box"][1], c["box"][3]) for c in page.cells if abs(c["box"][2] - table[2]) < 0.05)
    bottom = sorted((c["box"][0], c["box"][2]) for c in page.cells if abs(c["box"][3] - table[3]) < 0.05)
    for spans, lo, hi, side in ((right, inner_top, table[3], "kanan"), (bottom, inner_left, table[2], "bawah")):
        reach = lo
        for a, b in spans:
            assert a <= reach + 0.05, f"{where}: garis tepi {side} tabel berlubang di {reach:.1f} pt"
            reach = max(reach, b)
        assert reach >= hi - 0.05, f"{where}: garis tepi {side} tabel berhenti di {reach:.1f} pt"
    rows = collections.defaultdict(list)
    for c in page.cells:
        rows[c["row"]].append(c)
    # The band rows (connectors, Mulai/Selesai) are rows of cells like any other.
    width = {r: len(cs) for r, cs in rows.items()}
    for c in page.cells:
        if "sambungan" in c["cls"]:
            assert width[c["row"]] == width[max(r for r in rows if "langkah" in rows[r][0]["cls"])], where


def check_chart(page: Page, counts: collections.Counter) -> None:
    where = page.where
    nodes, edges = page.nodes, page.edges
    borders = page.border_lines()
    labels = []
    for k, e in enumerate(edges):
        for t in e["texts"]:
            labels.append((k, t["text"], t["box"]))
    symbols = {name: n for name, n in nodes.items() if n["outline"]}
    # The chart paints no background over the table's lines.
    assert all(f in ("none", "transparent", "rgba(0, 0, 0, 0)") for f in page.raw["ground"]), \
        f"{where}: bagan menutupi tabel dengan latar {page.raw['ground']}"
    # The chart lies exactly over the actor columns of the page's rows.
    assert page.svg[1] >= page.table[1] - 0.01 and page.svg[3] <= page.table[3] + 0.01, where

    # Symbols: inside one cell (a shared activity may span adjacent columns), over no label.
    for name, n in symbols.items():
        b = bbox(n["outline"])
        spans = "bersama" in n["cls"].split()
        for line, side, cell in borders:
            thin = (line[0] + 0.05, line[1] + 0.05, line[2] - 0.05, line[3] - 0.05)
            if boxes_overlap(b, thin):
                if spans and side == "kanan" and line[1] < b[1] and line[3] > b[3] and "aktor" in cell["cls"]:
                    continue  # the one symbol of an activity of adjacent actors lies across their line
                raise AssertionError(f"{where}: simbol {name} menutupi garis tabel ({side})")
        counts["simbol"] += 1

    arrows = [e for e in edges if e["heads"]]
    counts["panah"] += len(arrows)
    counts["garis bersama"] += len(edges) - len(arrows)
    segs = [(k, s) for k, e in enumerate(edges) for s in segments_of(e["points"])]
    for k, ((ax, ay), (bx, by)) in segs:
        e = edges[k]
        assert abs(ax - bx) < 0.05 or abs(ay - by) < 0.05, f"{where}: garis {e['src']}->{e['dst']} miring"
        # A line never crosses a symbol (its own only at the point where it attaches).
        for name, n in symbols.items():
            assert not seg_enters(((ax, ay), (bx, by)), n["outline"], 0.5), \
                f"{where}: garis {e['src']}->{e['dst']} menembus simbol {name}"
        # ... nor a label.
        for _, text, box in labels:
            inner = (box[0] + 0.2, box[1] + 0.2, box[2] - 0.2, box[3] - 0.2)
            assert seg_box_distance(((ax, ay), (bx, by)), inner) > 0, \
                f"{where}: garis {e['src']}->{e['dst']} mencoret label {text}"
        # ... nor hides in a table line it runs along, nor runs beside one far enough to read as a
        # doubled border.
        for line, side, _ in borders:
            horizontal_line = line[2] - line[0] > line[3] - line[1]
            if (abs(ay - by) < 0.05) != horizontal_line:
                continue
            if horizontal_line:
                gap, lo, hi, a, b = abs(ay - (line[1] + line[3]) / 2), line[0], line[2], min(ax, bx), max(ax, bx)
            else:
                gap, lo, hi, a, b = abs(ax - (line[0] + line[2]) / 2), line[1], line[3], min(ay, by), max(ay, by)
            along = min(b, hi) - max(a, lo)
            if along > 0 and gap < 2.5:
                raise AssertionError(f"{where}: garis {e['src']}->{e['dst']} berimpit dengan garis tabel")
            if along > ALONG_RUN and gap < (ALONG_ROW if horizontal_line else ALONG_CLEAR):
                raise AssertionError(f"{where}: garis {e['src']}->{e['dst']} sejajar {gap:.1f} pt dari garis tabel "
                                     f"({side}) sepanjang {along:.0f} pt (terbaca sebagai garis ganda)")

    # Two lines never share a stretch, and meet only by crossing at right angles.
    for x, (k1, s1) in enumerate(segs):
        for k2, s2 in segs[x + 1:]:
            if k1 == k2:
                continue
            _meet(page, edges[k1], s1, edges[k2], s2)

    # Ports: every end of a line on a symbol is its own point; no side of a box both in and out.
    ends = collections.defaultdict(list)
    for e in edges:
        if e["points"]:
            ends[e["src"]].append(("out", e["points"][0], e))
        tip = _tip(e) if e["heads"] else (e["points"][-1] if e["points"] else None)
        if tip is not None:
            ends[e["dst"]].append(("in", tip, e))
    for name, found in ends.items():
        n = nodes.get(name)
        if n is None or not n["outline"]:
            continue
        for a in range(len(found)):
            for b in range(a + 1, len(found)):
                pa, pb = found[a][1], found[b][1]
                assert math.hypot(pa[0] - pb[0], pa[1] - pb[1]) >= 3.0, \
                    f"{where}: dua garis pada satu titik simbol {name}: {found[a][0]} dan {found[b][0]}"
        if n["shape"] != "polygon" or len(set(n["outline"])) != 4 or "keputusan" not in n["cls"]:
            b = bbox(n["outline"])
            sides = collections.defaultdict(set)
            for role, p, _ in found:
                side = min((abs(p[1] - b[1]), "atas"), (abs(p[1] - b[3]), "bawah"),
                           (abs(p[0] - b[0]), "kiri"), (abs(p[0] - b[2]), "kanan"))[1]
                sides[side].add(role)
            for side, roles in sides.items():
                assert roles != {"in", "out"}, f"{where}: sisi {side} simbol {name} dipakai garis masuk dan keluar"
        counts["ujung garis"] += len(found)

    # Two arrowheads never overlap (two arrows into one side of a box each keep their own).
    heads = [bbox(e["heads"][-1]) for e in arrows]
    for a in range(len(heads)):
        for b in range(a + 1, len(heads)):
            assert not boxes_overlap(heads[a], heads[b], -0.2), \
                f"{where}: mata panah {arrows[a]['src']}->{arrows[a]['dst']} menimpa {arrows[b]['src']}->{arrows[b]['dst']}"
    # Every arrowhead ends on its symbol's outline, pointing into it, whole, after a visible
    # stretch of its own line (never a stub crammed against the symbol).
    for e in arrows:
        n = nodes[e["dst"]]
        tip = _tip(e)
        assert point_outline_distance(tip, n["outline"]) < 0.75, \
            f"{where}: panah {e['src']}->{e['dst']} berhenti {point_outline_distance(tip, n['outline']):.2f} pt dari simbolnya"
        head = math.dist(tip, e["points"][-1])
        stub = math.dist(*segments_of(e["points"])[-1]) if segments_of(e["points"]) else 0.0
        assert head >= HEAD_MIN and stub >= STUB_MIN, \
            f"{where}: mata panah {e['src']}->{e['dst']} terjepit (mata {head:.1f} pt, garis sebelumnya {stub:.1f} pt)"
    # Arrowheads into one side of a symbol keep a clear gap between them.
    into = collections.defaultdict(list)
    for e in arrows:
        tip = _tip(e)
        d = (round((tip[0] - e["points"][-1][0]) / HEAD_MIN), round((tip[1] - e["points"][-1][1]) / HEAD_MIN))
        into[e["dst"], d].append(e)
    for (name, _), found in into.items():
        for a in range(len(found)):
            for b in range(a + 1, len(found)):
                gap = polygon_distance(found[a]["heads"][-1], found[b]["heads"][-1])
                assert gap >= HEAD_GAP, f"{where}: mata panah {found[a]['src']}->{name} dan " \
                                        f"{found[b]['src']}->{name} pada satu sisi hanya berjarak {gap:.1f} pt"
                counts["mata panah sesisi"] += 1

    # Labels: beside their own line, nearer to it than to any other, clear of everything else.
    for k, text, box in labels:
        own = polyline_box_distance(edges[k]["points"], box)
        others = [polyline_box_distance(e["points"], box) for j, e in enumerate(edges) if j != k and e["points"]]
        assert own <= 4.0, f"{where}: label {text} jauh ({own:.1f} pt) dari garisnya"
        assert all(own < o for o in others), f"{where}: label {text} lebih dekat ke garis lain"
        assert all(o >= LABEL_ROOM for o in others), f"{where}: label {text} menempel garis lain"
        for e in arrows:
            if e is not edges[k]:
                room = polygon_box_distance(e["heads"][-1], box)
                assert room >= LABEL_ROOM, \
                    f"{where}: label {text} terjepit mata panah {e['src']}->{e['dst']} ({room:.1f} pt)"
        for name, n in symbols.items():
            assert not _box_in_outline(box, n["outline"]), f"{where}: label {text} menutupi simbol {name}"
        for line, side, _ in borders:
            assert not boxes_overlap(box, line), f"{where}: label {text} mencoret garis tabel ({side})"
        for j, other, obox in labels:
            if j != k:
                assert not boxes_overlap(box, obox), f"{where}: label {text} menimpa label {other}"
        counts["label"] += 1
    # Every symbol of a step shows the step's number, in the middle of the symbol (a step of several
    # actors: each of its symbols, and a symbol spanning adjacent columns in its own middle).
    for name, n in symbols.items():
        m = STEP_NODE.match(name)
        if not m:
            continue
        texts = n["texts"] + page.numbers.get(name, [])
        assert [t["text"] for t in texts] == [m.group(1)], \
            f"{where}: simbol {name} bernomor {[t['text'] for t in texts]}"
        b, t = bbox(n["outline"]), texts[0]["box"]
        off = (t[0] + t[2]) / 2 - (b[0] + b[2]) / 2
        assert abs(off) <= 1.0 and b[1] <= t[1] and t[3] <= b[3], \
            f"{where}: nomor {m.group(1)} tidak di tengah simbolnya ({off:+.1f} pt)"
        counts["nomor langkah"] += 1
        counts["nomor simbol tambahan"] += m.group(2) is not None
    # Each decision: two arrows out, Ya and Tidak.
    for name, n in nodes.items():
        if "keputusan" in n["cls"].split():
            outs = sorted(t["text"] for e in edges if e["src"] == name for t in e["texts"])
            assert outs == ["Tidak", "Ya"], f"{where}: keputusan {name}: {outs}"


def polygon_distance(a, b) -> float:
    """Least distance between two convex polygons that do not overlap (the nearest points of two
    such polygons include a corner of one of them)."""
    return min(*(point_outline_distance(p, b) for p in a), *(point_outline_distance(p, a) for p in b))


def polygon_box_distance(poly, box) -> float:
    """Least distance between a convex polygon and a box (0 when a corner of the polygon is inside it)."""
    x1, y1, x2, y2 = box
    if any(x1 <= p[0] <= x2 and y1 <= p[1] <= y2 for p in poly):
        return 0.0
    return polygon_distance(poly, [(x1, y1), (x2, y1), (x2, y2), (x1, y2)])


def _box_in_outline(box, outline) -> bool:
    """Whether a label box overlaps a symbol's outline (its corners or edges inside it)."""
    x1, y1, x2, y2 = box
    for seg in (((x1, y1), (x2, y1)), ((x1, y2), (x2, y2)), ((x1, y1), (x1, y2)), ((x2, y1), (x2, y2))):
        if seg_enters(seg, outline, -0.0):
            return True
    cx, cy = sum(p[0] for p in outline) / len(outline), sum(p[1] for p in outline) / len(outline)
    return x1 < cx < x2 and y1 < cy < y2


def _tip(e) -> tuple[float, float]:
    """The arrowhead's point: its corner farthest from where the line ends."""
    end = e["points"][-1]
    head = e["heads"][-1]
    return max(head, key=lambda p: math.hypot(p[0] - end[0], p[1] - end[1]))


def _meet(page, e1, s1, e2, s2) -> None:
    (a1, a2), (b1, b2) = s1, s2
    h1, h2 = abs(a1[1] - a2[1]) < 0.05, abs(b1[1] - b2[1]) < 0.05
    where = f"{page.where}: {e1['src']}->{e1['dst']} dan {e2['src']}->{e2['dst']}"
    if h1 == h2:
        c1, c2 = (a1[1], b1[1]) if h1 else (a1[0], b1[0])
        lo1, hi1 = sorted((a1[0], a2[0]) if h1 else (a1[1], a2[1]))
        lo2, hi2 = sorted((b1[0], b2[0]) if h1 else (b1[1], b2[1]))
        if abs(c1 - c2) < 1.5 and lo1 < hi2 + 1.0 and lo2 < hi1 + 1.0:
            raise AssertionError(f"{where}: berimpit")
        return
    (hx1, hx2), hy = sorted((a1[0], a2[0])) if h1 else sorted((b1[0], b2[0])), (a1[1] if h1 else b1[1])
    vx, (vy1, vy2) = (b1[0] if h1 else a1[0]), (sorted((b1[1], b2[1])) if h1 else sorted((a1[1], a2[1])))
    if hx1 - 1.5 <= vx <= hx2 + 1.5 and vy1 - 1.5 <= hy <= vy2 + 1.5:
        # Two arrows into one symbol may meet only at their heads, which are not part of the path.
        inside = hx1 + 1.5 < vx < hx2 - 1.5 and vy1 + 1.5 < hy < vy2 - 1.5
        assert inside, f"{where}: bertemu di ujung atau tikungan (terbaca sebagai percabangan)"
        page.crossings = getattr(page, "crossings", 0) + 1


def check_connectors(pages: list[Page], counts: collections.Counter) -> None:
    """Every connector has its twin with the same letter on another page of the same SOP."""
    by_sop = collections.defaultdict(list)
    for page in pages:
        for name, n in page.nodes.items():
            if "konektor" in n["cls"]:
                letter = "".join(t["text"] for t in n["texts"])
                ins = [e for e in page.edges if e["dst"] == name]
                outs = [e for e in page.edges if e["src"] == name]
                role = "keluar" if ins and not outs else "masuk" if outs and not ins else "?"
                by_sop[page.sop, page.kertas].append((letter, page.no, role))
    for sop, found in by_sop.items():
        letters = collections.defaultdict(list)
        for letter, no, role in found:
            letters[letter].append((no, role))
        for letter, where in letters.items():
            assert len(where) == 2 and where[0][0] != where[1][0], f"{sop}: konektor {letter} tanpa pasangan: {where}"
            assert sorted(r for _, r in where) == ["keluar", "masuk"], f"{sop}: konektor {letter}: {where}"
            counts["pasangan konektor"] += 1


# --- the run --------------------------------------------------------------------------------

def procedure_document(lembars: list[Lembar]) -> str:
    m = _macros()
    body = "\n".join(str(m.prosedur(lb, page)) for lb in lembars for page in lb.pages)
    return _document(body, lembars[0].kertas, "uji geometri")


PRINTED = 12
"""Generated SOPs per paper size also printed to PDF and looked at pixel by pixel, beside the project's own."""


@pytest.fixture(scope="module")
def laid_out():
    """170 generated SOPs (A4 and F4) and the project's own, measured, paginated, drawn and laid out;
    the project's own and a few generated ones also printed (the PDF's pages in the same order)."""
    generated = lembar_sops(N_RANDOM)
    real = load_folder(str(ROOT / "sop_data")).sops + load_folder(str(FIXTURES / "baik")).sops \
        + load_folder(str(FIXTURES / "lembar")).sops
    pages, lembars, problems, printed = [], [], [], []
    with tempfile.TemporaryDirectory() as work, Chromium() as browser:
        for kertas, mine in (("A4", generated[0::2]), ("F4", generated[1::2])):
            mine = [with_paper(s, kertas) for s in mine]
            these = prepare(mine + real, browser, work, SheetInputs(paper=kertas))
            for name, part, pdf in (("semua", these[PRINTED:len(mine)], False),
                                    ("cetak", these[:PRINTED] + these[len(mine):], True)):
                tab = _open(browser, work, f"geometri-{kertas}-{name}.html", procedure_document(part))
                try:
                    problems += check_document(tab)
                    laid = [Page(raw, kertas) for raw in tab.evaluate(EXTRACT_JS)]
                    if pdf:
                        printed.append((tab.pdf(), laid))
                    pages += laid
                finally:
                    tab.close()
            lembars += these
    return generated, lembars, pages, problems, printed


def test_every_procedure_sheet_reads_right(laid_out, hitungan):
    generated, lembars, pages, problems, _ = laid_out
    assert problems == [], problems[:10]  # the printer's own check of the same pages
    counts: collections.Counter = collections.Counter()
    for page in pages:
        check_table(page, counts)
        check_chart(page, counts)
    check_connectors(pages, counts)
    ids = {s.id for s in generated}
    breaks = collections.Counter(len(lb.pages) - 1 for lb in lembars if lb.sop.id in ids)
    n_sops = len(lembars)
    shared = sum(1 for lb in lembars for s in lb.sop.langkah if s.pelaksana_lain)
    terpisah = sum(1 for lb in lembars if lb.sop.terminator_terpisah)
    crossings = sum(getattr(p, "crossings", 0) for p in pages)
    loops: collections.Counter = collections.Counter()
    across = 0
    for sop in generated:
        for i, j, _ in step_arrows(sop):
            if j < i:
                loops[i - j] += 1
                across += sop.langkah[i].pelaksana != sop.langkah[j].pelaksana
    hitungan(f"lembar prosedur: {n_sops} SOP ({len(generated)} acak), {len(pages)} halaman, "
          f"{counts['panah']} panah, {counts['label']} label Ya/Tidak, {counts['pasangan konektor']} pasangan "
          f"konektor, {counts['simbol']} simbol, {counts['garis bersama']} garis kegiatan bersama, "
          f"{counts['sel']} sel tabel, {crossings} persilangan, {counts['mata panah sesisi']} pasang mata panah "
          f"sesisi, {counts['nomor simbol tambahan']} simbol tambahan kegiatan bersama bernomor; "
          f"panah kembali per jarak langkah: "
          f"{dict(sorted(loops.items()))} ({across} ke kolom lain); jeda halaman per SOP acak: "
          f"{dict(sorted(breaks.items()))}; {shared} langkah beberapa pelaksana, {terpisah} SOP Mulai/Selesai terpisah")
    # The generated SOPs are what the issue asks for: at least 150 whose table breaks 1–4 times
    # (every count of breaks among them), 2–8 actors, 1–4 decisions, shared steps, separate capsules.
    assert sum(n for b, n in breaks.items() if 1 <= b <= 4) >= 150 and set(breaks) >= {1, 2, 3, 4}, breaks
    assert {len(s.pelaksana) for s in generated} == set(range(2, 9))
    assert {sum(st.simbol.value == "keputusan" for st in s.langkah) for s in generated} == {1, 2, 3, 4}
    assert shared >= 30 and terpisah >= 30
    assert set(loops) >= set(range(1, 9)), loops  # back 1 to 8 steps ...
    assert across >= 0.6 * sum(loops.values())  # ... most of them into another actor's column


# --- on paper -------------------------------------------------------------------------------

DPI = 100


def raster(pdf: bytes, folder: str) -> list[tuple[int, int, bytes]]:
    """Every page of a PDF in grey, as Poppler renders it: (width, height, pixels)."""
    path = os.path.join(folder, "lembar.pdf")
    with open(path, "wb") as fh:
        fh.write(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), path, os.path.join(folder, "h")], check=True)
    out = []
    for name in sorted(os.listdir(folder), key=lambda n: (len(n), n)):
        if name.startswith("h") and name.endswith(".pgm"):
            data = Path(folder, name).read_bytes()
            magic, w, h, depth, rest = data.split(maxsplit=4)
            assert magic == b"P5" and depth == b"255"
            out.append((int(w), int(h), rest[: int(w) * int(h)]))
    return out


def test_printed_sheets_show_every_table_line(laid_out, hitungan):
    """On the printed PDF, read back with Poppler: every table line of every procedure page is
    dark along its whole length (the right outer border, the bands' lines, the lines under the
    chart), except where the one symbol of an activity of adjacent actors lies across it."""
    _, _, _, _, printed = laid_out
    scale = DPI / 72
    left, top = MARGIN[3] * PT_PER_MM, MARGIN[0] * PT_PER_MM
    n_lines = n_pages = 0
    with tempfile.TemporaryDirectory() as folder:
        for pdf, laid in printed:
            images = raster(pdf, folder)
            for name in os.listdir(folder):
                os.remove(os.path.join(folder, name))
            assert len(images) == len(laid)
            for (w, h, px), page in zip(images, laid):
                shared = [bbox(n["outline"]) for n in page.nodes.values()
                          if "bersama" in n["cls"].split() and n["outline"]]
                for line, side, cell in page.border_lines():
                    x1, y1, x2, y2 = line
                    vertical = y2 - y1 > x2 - x1
                    length = (y2 - y1) if vertical else (x2 - x1)
                    samples = dark_samples = 0
                    for k in range(1, max(2, int(length * scale / 2))):
                        t = (y1 + (y2 - y1) * k * 2 / (length * scale)) if vertical else \
                            (x1 + (x2 - x1) * k * 2 / (length * scale))
                        at = ((x1 + x2) / 2, t) if vertical else (t, (y1 + y2) / 2)
                        if any(b[0] - 1 <= at[0] <= b[2] + 1 and b[1] - 1 <= at[1] <= b[3] + 1 for b in shared):
                            continue
                        cx, cy = (left + at[0]) * scale, (top + at[1]) * scale
                        darkest = 255
                        for dx in (-1, 0, 1):
                            for dy in (-1, 0, 1):
                                xx, yy = int(cx) + dx, int(cy) + dy
                                if 0 <= xx < w and 0 <= yy < h:
                                    darkest = min(darkest, px[yy * w + xx])
                        samples += 1
                        dark_samples += darkest < 150
                    assert samples == 0 or dark_samples == samples, \
                        f"{page.where}: garis {side} {cell['cls'] if cell else ''} baris {cell['row'] if cell else ''} " \
                        f"hilang di {samples - dark_samples} dari {samples} titik"
                    n_lines += 1
                n_pages += 1
    hitungan(f"dicetak dan diperiksa per piksel: {n_pages} halaman, {n_lines} garis tabel")
    assert n_pages >= 40
