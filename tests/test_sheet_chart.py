"""The in-table chart of the procedure sheet: placed exactly, orthogonal, cut into pages with connectors.

Coordinates are read back from Graphviz's own output (``neato -n2 -Tjson``).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from gen_sop import random_sops
from sopcode.model.graph import out_edges
from sopcode.model.load import load_folder
from sopcode.model.sop import Simbol, Sop
from sopcode.shapes.sheet_chart import PageChart, SheetLayout, layout_pages, min_row, page_bands, sheet_svgs, sheet_svgs_many


def real_sops() -> list[Sop]:
    return load_folder([str(ROOT / "sop_data")]).sops + load_folder([str(FIXTURES / "baik")]).sops


def random_layout(sop: Sop, rng: random.Random) -> SheetLayout:
    n = len(sop.langkah)
    cols = tuple(rng.choice([45.0, 55.0, 62.0, 70.0, 84.0]) for _ in sop.pelaksana)
    # As the sheet does: a decision's row is never lower than its diamond and labels need.
    rows = tuple(max(rng.choice([30.0, 38.0, 46.0, 60.0, 90.0]), min_row(s)) for s in sop.langkah)
    cuts = sorted(rng.sample(range(1, n), k=min(n - 1, rng.randint(0, 3))))
    bounds = [0, *cuts, n]
    return SheetLayout(cols, rows, tuple(itertools.pairwise(bounds)))


def render_json(charts: list[PageChart]) -> list[dict]:
    """All pages in one neato process; its output is one JSON document per graph."""
    source = "".join(c.to_dot(f"g{n}") for n, c in enumerate(charts))
    out = subprocess.run(["neato", "-n2", "-Tjson"], input=source, capture_output=True, text=True, check=True).stdout
    docs, pos, decoder = [], 0, json.JSONDecoder()
    while pos < len(out):
        while pos < len(out) and out[pos].isspace():
            pos += 1
        if pos >= len(out):
            break
        doc, pos = decoder.raw_decode(out, pos)
        docs.append(doc)
    return docs


def bezier_points(edge: dict) -> list[tuple[float, float]]:
    pts = []
    for op in edge.get("_draw_", []):
        if op["op"] in ("b", "B"):
            pts += [tuple(p) for p in op["points"]]
    return pts


def outline(node: dict, h: float) -> list[tuple[float, float]]:
    """A node's outline as Graphviz drew it (its polygon, or its box for a rounded one), y down."""
    for op in node.get("_draw_", []):
        if op["op"] in ("p", "P"):
            return [(x, h - y) for x, y in op["points"]]
    x, y = (float(v) for v in node["pos"].split(","))
    w, hh = float(node["width"]) * 72, float(node["height"]) * 72
    return [(x - w / 2, h - y - hh / 2), (x + w / 2, h - y - hh / 2), (x + w / 2, h - y + hh / 2),
            (x - w / 2, h - y + hh / 2)]


def crosses(p, q, shape) -> bool:
    """Whether the axis-parallel stretch p-q runs through the inside of a convex outline (0.5 pt in)."""
    cx = sum(v[0] for v in shape) / len(shape)
    cy = sum(v[1] for v in shape) / len(shape)
    inner = [(x + (cx - x) * 0.5 / (abs(cx - x) + abs(cy - y) or 1), y + (cy - y) * 0.5 / (abs(cx - x) + abs(cy - y) or 1))
             for x, y in shape]
    horizontal = abs(p[1] - q[1]) < 0.01
    c = p[1] if horizontal else p[0]
    hits = []
    for k in range(len(inner)):
        (x1, y1), (x2, y2) = inner[k], inner[(k + 1) % len(inner)]
        a, b, u1, u2 = (y1, y2, x1, x2) if horizontal else (x1, x2, y1, y2)
        if (a - c) * (b - c) <= 0 and abs(a - b) > 1e-9:
            hits.append(u1 + (c - a) / (b - a) * (u2 - u1))
    if not hits:
        return False
    lo, hi = sorted((p[0], q[0]) if horizontal else (p[1], q[1]))
    return lo < max(hits) and hi > min(hits)


STEP = re.compile(r"s(\d+)_(\d+)(?:_(\d+))?$")


def check_page(sop: Sop, layout: SheetLayout, chart: PageChart, doc: dict) -> None:
    h = chart.height
    nodes = {o["name"]: o for o in doc.get("objects", [])
             if not o["name"].startswith("sudut_") and not o["name"].endswith("_no")}
    col_x0 = [sum(layout.columns[:i]) for i in range(len(layout.columns))]
    actors = [str(a) for a in sop.pelaksana]
    boxes, shapes = {}, {}
    for name, node in nodes.items():
        x, y = (float(v) for v in node["pos"].split(","))
        w, hh = float(node["width"]) * 72, float(node["height"]) * 72
        boxes[name] = (x - w / 2, h - y - hh / 2, x + w / 2, h - y + hh / 2)
        shapes[name] = outline(node, h)
    assert chart.faults == [], chart.faults
    for sym in chart.symbols:
        bx = boxes[sym.name]
        got = ((bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2)
        assert abs(got[0] - sym.center[0]) < 0.05 and abs(got[1] - sym.center[1]) < 0.05, "pinned exactly"
        if sym.kind.startswith("konektor") or sym.name in ("mulai", "selesai"):
            assert bx[1] >= -0.01 and bx[3] <= h + 0.01
            assert bx[3] <= chart.pad_top + 0.01 or bx[1] >= h - chart.pad_bottom - 0.01, "in the bands"
            continue
        _no, i, _extra = STEP.match(sym.name).groups()
        step = sop.langkah[int(i)]
        cols = sorted(actors.index(str(a)) for a in step.semua_pelaksana)
        if len(cols) == 1:
            c = cols[0]
            assert col_x0[c] < got[0] < col_x0[c] + layout.columns[c], "centre in its actor's column"
            assert abs(got[0] - (col_x0[c] + layout.columns[c] / 2)) < 0.05, "centred in the column"
        else:  # an activity of several actors: within their columns, the number in the first one's
            assert col_x0[cols[0]] < bx[0] and bx[2] < col_x0[cols[-1]] + layout.columns[cols[-1]]
            assert sym.label == str(step.no), "every symbol of the step shows its number"
        assert bx[1] > chart.pad_top - 0.01 and bx[3] < h - chart.pad_bottom + 0.01
    by_id = {o["_gvid"]: o["name"] for o in doc.get("objects", [])}
    for edge in doc.get("edges", []):
        src, dst = by_id[edge["tail"]], by_id[edge["head"]]
        pts = [(x, h - y) for x, y in bezier_points(edge)]
        assert len(pts) >= 4
        distinct = [p for k, p in enumerate(pts) if k == 0 or abs(p[0] - pts[k - 1][0]) + abs(p[1] - pts[k - 1][1]) > 1e-6]
        for p, q in itertools.pairwise(distinct):
            assert abs(p[0] - q[0]) < 0.01 or abs(p[1] - q[1]) < 0.01, f"orthogonal {src}->{dst}: {p} {q}"
            for name, shape in shapes.items():
                if crosses(p, q, shape):
                    raise AssertionError(f"arrow {src}->{dst} passes through {name}")


def check_sop(sop: Sop, layout: SheetLayout, charts: list[PageChart], docs: list[dict]) -> None:
    assert len(charts) == len(layout.page_ranges())
    for chart, doc, (lo, hi) in zip(charts, docs, layout.page_ranges()):
        check_page(sop, layout, chart, doc)
        # Each step's symbol is centred in its own row; rows follow step order.
        h = chart.height
        centre_y = {}
        for o in doc.get("objects", []):
            m = STEP.match(o["name"])
            if m and m.group(3) is None:
                centre_y[int(m.group(2))] = h - float(o["pos"].split(",")[1])
        assert sorted(centre_y) == list(range(lo, hi)), "the page holds exactly its steps"
        for i in range(lo, hi):
            row_top = chart.pad_top + sum(layout.rows[lo:i])
            assert abs(centre_y[i] - (row_top + layout.rows[i] / 2)) < 0.05, "centred in its row"
        ys = [centre_y[i] for i in range(lo, hi)]
        assert ys == sorted(ys) and len(set(ys)) == len(ys), "one step per row, in step order"
    # Every step drawn once, on its page (a step of several actors: once, with its further symbols).
    drawn = [s.name for c in charts for s in c.symbols if STEP.match(s.name) and STEP.match(s.name).group(3) is None]
    assert len(drawn) == len(sop.langkah) == len(set(drawn))
    # Connectors come in pairs with the same label, on two different pages.
    labels: dict[str, list[int]] = {}
    for p, c in enumerate(charts):
        for s in c.symbols:
            if s.kind.startswith("konektor"):
                labels.setdefault(s.label, []).append(p)
    for label, pages in labels.items():
        assert len(pages) == 2 and pages[0] != pages[1], f"connector {label} pairs across pages"
    # Each decision has exactly two labelled arrows out (to a step or a connector).
    for k, step in enumerate(sop.langkah):
        if step.simbol is Simbol.KEPUTUSAN:
            name = f"s{step.no}_{k}"
            outs = []
            for doc in docs:  # as Graphviz drew them
                names = {o["_gvid"]: o["name"] for o in doc.get("objects", [])}
                outs += [e.get("label") for e in doc.get("edges", []) if names[e["tail"]] == name]
            assert sorted(outs) == ["Tidak", "Ya"]
    # Arrows cut by a break = connector pairs; the others stay whole on one page.
    page_of = {i: p for p, (lo, hi) in enumerate(layout.page_ranges()) for i in range(lo, hi)}
    index = {s.no: i for i, s in enumerate(sop.langkah)}
    cut = sum(1 for i in range(len(sop.langkah)) for e in out_edges(sop, i)
              if page_of[i] != page_of[index[e.dst]])
    assert cut == len(labels)


def cases() -> list[tuple[Sop, SheetLayout]]:
    rng = random.Random(35_2012)
    sops = real_sops() + random_sops(150)
    return [(sop, random_layout(sop, rng)) for sop in sops]


@pytest.mark.slow
def test_geometry_over_generated_and_real_sops():
    all_cases = cases()
    assert len(all_cases) >= 150 + 7
    charts = [layout_pages(sop, layout) for sop, layout in all_cases]
    docs = render_json([c for cs in charts for c in cs])
    k = 0
    for (sop, layout), cs in zip(all_cases, charts):
        check_sop(sop, layout, cs, docs[k:k + len(cs)])
        k += len(cs)


def test_svg_pages_have_the_sheet_size_and_escape_text(tmp_path: Path):
    sop = next(s for s in real_sops() if s.id == "sop-pengukuran-kinerja-bungursari")
    n = len(sop.langkah)
    layout = SheetLayout((60.0, 70.0, 80.0, 90.0), tuple([40.0] * n), ((0, 9), (9, n)))
    svgs = sheet_svgs(sop, layout)
    assert len(svgs) == 2
    bands = page_bands(sop, layout.page_ranges())
    assert bands[0][0] == 0 and bands[1][1] == 0 and bands[0][1] == bands[1][0] >= 30
    for svg, (lo, hi), (top, bottom) in zip(svgs, layout.page_ranges(), bands):
        assert f'width="{sum(layout.columns):g}pt"' in svg.replace(".00pt", "pt")
        height = 40.0 * (hi - lo) + top + bottom  # one band, where the table breaks: below page 1, above page 2
        assert f'viewBox="0.00 0.00 {sum(layout.columns):.2f} {height:.2f}"' in svg
    assert "<script" not in "".join(svgs)


@pytest.mark.parametrize("text", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "\\N \\G { | }"])
def test_hostile_kegiatan_lands_literally_in_the_tooltip(text: str):
    import dataclasses
    import html
    sop = next(s for s in real_sops() if s.id == "minimal")
    step = dataclasses.replace(sop.langkah[0], kegiatan=type(sop.langkah[0].kegiatan)(text, sop.langkah[0].kegiatan.loc))
    sop = dataclasses.replace(sop, langkah=(step, *sop.langkah[1:]))
    svg = sheet_svgs(sop, SheetLayout((80.0, 80.0), (40.0, 40.0)))[0]
    import xml.etree.ElementTree as ET
    root = ET.fromstring(svg.split("?>", 1)[-1].split("]>", 1)[-1] if "<!DOCTYPE" in svg else svg)
    for el in root.iter():
        assert el.tag.rsplit("}", 1)[-1] not in ("script", "img", "foreignObject")
        assert not any(a.lower().startswith("on") for a in el.attrib)
    assert text in html.unescape(svg)


def test_a_chart_too_cramped_to_draw_cleanly_says_what_went_wrong_in_words():
    """Columns and rows far narrower than any sheet makes: the router still draws every arrow, and
    says which ones it could not draw cleanly, by step number (the printer reports it as a problem)."""
    sop = next(s for s in real_sops() if s.id == "perizinan-enam-pelaksana")
    n = len(sop.langkah)
    faults: list = []
    svgs = sheet_svgs_many([(sop, SheetLayout(tuple([14.0] * 6), tuple([14.0] * n)))], faults=faults)
    assert len(svgs[0]) == 1 and svgs[0][0].count('class="edge"') >= n
    said = faults[0][0]
    assert said and all(re.match(r"panah (langkah \d+|konektor \w+|Mulai) ke (langkah \d+|konektor \w+|Selesai)", f)
                        for f in said), said
    assert any("label Ya" in f or "label Tidak" in f for f in said)
    faults = []
    sheet_svgs_many([(sop, SheetLayout(tuple([70.0] * 6), tuple(max(44.0, min_row(s)) for s in sop.langkah)))],
                    faults=faults)
    assert faults == [[[]]]
