"""The router: places every symbol of an SOP's sheet and routes its arrows, page by page, as
:mod:`sopcode.shapes.sheet_chart` tells."""

from __future__ import annotations

import itertools
import math
import string
from dataclasses import dataclass
from typing import NamedTuple

from sopcode.model.graph import out_edges
from sopcode.model.sop import Sop
from sopcode.shapes.routing import Box, Point
from sopcode.shapes.sheet_chart.chart import Arrow, PageChart, SheetLayout, Symbol, page_bands, step_arrows, symbol_size
from sopcode.shapes.sheet_chart.page import Attachment, PageSpace, say
from sopcode.shapes.sheet_chart.paths import SHORT, TIERS, build_path, candidates, cost_of, port_floor
from sopcode.shapes.sheet_chart.sizes import (
    BEND,
    CLEAR_ALONG,
    CONNECTOR_H,
    CONNECTOR_W,
    CROSSING,
    LABEL_FAR,
    LANE_NEAR,
    LINE,
    TERMINAL_H,
    TERMINAL_W,
    TRACK,
)

Score = tuple[int, int, float]
"""How good a path is, less being better: (faults, 1 if it crosses another line else 0, total cost)."""
Choice = tuple[list[Point], Attachment, Attachment, Box | None]
"""A path as chosen: its points, its out and in ports, its label's box (None: no label)."""


class _Best(NamedTuple):
    """The best path :meth:`Router._best_path` has found so far."""

    faults: int
    total: float
    points: list[Point]
    a: Attachment
    b: Attachment
    box: Box | None
    crossings: int


def layout_pages(sop: Sop, layout: SheetLayout) -> list[PageChart]:
    """Place symbols and route arrows for every page of the sheet."""
    return Router(sop, layout).run()


@dataclass(eq=False)
class Route:
    """One arrow to draw on one page: between two symbols (a step, a connector, Mulai/Selesai).
    An arrow cut by a page break is two routes, one per page; the connector at the open end
    (``src`` or ``dst`` None) is placed in the band when the route is drawn."""

    src: Symbol | None
    dst: Symbol | None
    label: str | None
    order: tuple
    i: int = -1  # source step index (-1: Mulai, a connector)
    j: int = -1  # target step index (-1: Selesai, a connector)
    place: str = ""  # the band of the connector still to place: "atas" or "bawah"
    letter: str = ""
    up: bool = False
    rid: int = 0  # the route's id when last drawn


class Router:
    """Places every symbol of an SOP's sheet and routes its arrows, page by page (see the package's notes)."""

    def __init__(self, sop: Sop, layout: SheetLayout):
        self.sop, self.layout = sop, layout
        actors = [str(a) for a in sop.pelaksana]
        widths = layout.columns
        self.x0 = [sum(widths[:c]) for c in range(len(widths))]
        self.width = sum(widths)
        self.cols: list[list[int]] = []
        for s in sop.langkah:
            names = [str(a) for a in getattr(s, "semua_pelaksana", (s.pelaksana,))]
            found = []
            for a in names:
                if a in actors and actors.index(a) not in found:
                    found.append(actors.index(a))
            self.cols.append(found or [0])
        self.arrows = step_arrows(sop)
        self.terpisah = bool(getattr(sop, "terminator_terpisah", False))
        ranges = layout.page_ranges()
        bands = layout.bands or page_bands(sop, ranges)
        self.page_of: dict[int, int] = {}
        self.row_top: dict[int, float] = {}
        self.pages: list[PageSpace] = []
        self.charts: list[PageChart] = []
        for p, ((lo, hi), (top, bottom)) in enumerate(zip(ranges, bands)):
            y = top
            regions = [(0.0, top)] if top else []
            row_edges = [y]
            for i in range(lo, hi):
                self.page_of[i] = p
                self.row_top[i] = y
                regions.append((y, y + layout.rows[i]))
                y += layout.rows[i]
                row_edges.append(y)
            if bottom:
                regions.append((y, y + bottom))
            chart = PageChart(self.width, y + bottom, top, bottom, column_edges=tuple(self.x0[1:]),
                              row_edges=tuple(row_edges))
            self.charts.append(chart)
            self.pages.append(PageSpace(chart, self.x0, widths, regions))
        self.symbols: dict[int, Symbol] = {}
        self.joins: list[tuple[int, Symbol, Symbol]] = []
        for i, step in enumerate(sop.langkah):
            self._place_step(i, step)
        for page in self.pages:
            page.lanes = self._lanes(page)
        self.letters = _connector_labels()
        self.rid = 0

    # Symbols ----------------------------------------------------------------------------

    def _place_step(self, i: int, step) -> None:
        """The step's symbol in its actor's column; an activity of several actors gets one symbol
        spanning adjacent columns, and a symbol in each further column joined by a plain line."""
        layout, page = self.layout, self.pages[self.page_of[i]]
        kind = step.simbol.value
        cy = self.row_top[i] + layout.rows[i] / 2
        primary = self.cols[i][0]
        runs: list[list[int]] = []
        for c in sorted(self.cols[i]):
            if runs and runs[-1][-1] == c - 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        made: list[Symbol] = []
        for k, run in enumerate(runs):
            first, last = run[0], run[-1]
            w0, h = symbol_size(kind, layout.columns[first], layout.rows[i])
            w1, _ = symbol_size(kind, layout.columns[last], layout.rows[i])
            left = self.x0[first] + (layout.columns[first] - w0) / 2
            right = self.x0[last] + layout.columns[last] - (layout.columns[last] - w1) / 2
            mine = primary in run
            name = f"s{step.no}_{i}" if mine else f"s{step.no}_{i}_{k}"
            # Every symbol of the step shows its number, in its middle; a symbol spanning columns
            # has its main ports in the middle of the primary actor's column (its own middle may
            # lie on a table line).
            port_x = None
            if mine and len(run) > 1:
                port_x = self.x0[primary] + layout.columns[primary] / 2
            sym = Symbol(name, kind, ((left + right) / 2, cy), float(round(right - left)), h, str(step.no),
                         str(step.kegiatan), port_x=port_x, css="bersama" if len(self.cols[i]) > 1 else "")
            made.append(sym)
            page.chart.symbols.append(sym)
            if mine:
                self.symbols[i] = sym
        for a, b in itertools.pairwise(made):
            self.joins.append((i, a, b))

    def _lanes(self, page: PageSpace) -> list[float]:
        """Candidate x of vertical runs: the margins beside each column's symbols, and its middle."""
        out: list[float] = []
        half: dict[int, float] = {}
        for s in page.chart.symbols:
            c = page.column_of(s.center[0])
            if s.width < self.layout.columns[c]:
                half[c] = max(half.get(c, 0.0), s.width / 2)
        for c, (x0, w) in enumerate(zip(self.x0, self.layout.columns)):
            mid = x0 + w / 2
            room = mid - half.get(c, w * 0.28)
            x = x0 - LINE / 2 + CLEAR_ALONG + 0.25  # a lane runs along the column's lines: not too near
            while x <= room - 2.5:
                out.append(x)
                out.append(2 * mid - x - LINE)
                x += TRACK
            for k in (0, -1, 1, -2, 2):
                out.append(mid + k * 4.0)
        lanes = sorted({round(x, 2) for x in out})
        page.lane_cost = {}
        for x in lanes:
            near = min(abs(x - v) for v in page.v_lines)
            if near < LANE_NEAR:
                page.lane_cost[x] = 0.8 * (LANE_NEAR - near)
        return lanes

    # Routing ------------------------------------------------------------------------------

    def run(self) -> list[PageChart]:
        routes: list[tuple[int, Route]] = []  # (page, route)
        sop = self.sop
        n = len(sop.langkah)
        for i, a, b in self.joins:
            page = self.pages[self.page_of[i]]
            pa = Attachment(a, (a.center[0] + a.width / 2, a.center[1]), "E")
            pb = Attachment(b, (b.center[0] - b.width / 2, b.center[1]), "W")
            page.take_port(pa, True)
            page.take_port(pb, False, head=False)
            pts = [pa.point, pb.point]
            self.rid += 1
            page.add(pts, self.rid, head=False)
            page.chart.arrows.append(Arrow(pts, None, a.name, b.name, head=False))
        # A decision's corners are kept for its own branches, and a step's bottom for its arrow
        # to the next, until they are routed: arrows coming in take other ports.
        self.pending: dict[str, int] = {}
        for i, _, _ in self.arrows:
            self.pending[self.symbols[i].name] = self.pending.get(self.symbols[i].name, 0) + 1
        for i, s in self.symbols.items():
            if not self.pending.get(s.name):
                continue
            page = self.pages[self.page_of[i]]
            cx, cy = s.center
            bottom = (s.port_x if s.port_x is not None else cx, cy + s.height / 2)
            if s.kind == "keputusan":
                page.reserved[s.name] = [(cx + s.width / 2, cy), (cx - s.width / 2, cy), bottom]
            else:
                page.reserved[s.name] = [bottom]
        if self.terpisah and n:
            first, last = self.pages[0], self.pages[-1]
            c = self.cols[0][0]
            mulai = self._terminal(first, "mulai", "Mulai", self.x0[c] + self.layout.columns[c] / 2,
                                   first.chart.pad_top / 2)
            routes.append((0, Route(mulai, self.symbols[0], None, (-1, 0), j=0)))
            if not out_edges(sop, n - 1):
                c = self.cols[n - 1][0]
                selesai = self._terminal(last, "selesai", "Selesai", self.x0[c] + self.layout.columns[c] / 2,
                                         last.chart.height - last.chart.pad_bottom / 2)
                routes.append((len(self.pages) - 1, Route(self.symbols[n - 1], selesai, None, (n, 0), i=n - 1)))
        for i, j, edge in self.arrows:
            forward = [jj for ii, jj, _ in self.arrows if ii == i and jj > i]
            rank = 0 if forward and j == min(forward) else 1
            order = (i, rank, abs(j - i))
            p, q = self.page_of[i], self.page_of[j]
            if p == q:
                routes.append((p, Route(self.symbols[i], self.symbols[j], edge.label, order, i, j)))
                continue
            letter = next(self.letters)
            up = j < i
            routes.append((p, Route(self.symbols[i], None, edge.label, order, i, j,
                                     place="atas" if up else "bawah", letter=letter, up=up)))
            # The arrow from the twin connector on the target's page: with the arrows into
            # the top of the page first, those coming up from the bottom last.
            order_in = (-1, 0, j) if not up else (n + 1, 0, -j)
            routes.append((q, Route(None, self.symbols[j], None, order_in, i, j,
                                     place="bawah" if up else "atas", letter=letter, up=up)))
        by_page: dict[int, list[Route]] = {}
        for p, r in sorted(routes, key=lambda pr: (pr[0], pr[1].order)):
            by_page.setdefault(p, []).append(r)
        for p, mine in by_page.items():
            self._route_page(self.pages[p], mine)
        return self.charts

    def _route_page(self, page: PageSpace, routes: list[Route]) -> None:
        """Route one page's arrows in order. When some could not be drawn cleanly, the page is
        routed again: with the arrows into the symbols involved kept off the middle of their sides
        (so that a later arrow finds a port beside an earlier one), then also with the arrows that
        failed routed first; the drawing with the fewest faults stays."""
        before = self._save(page)
        for r in routes:
            self._route(page, r)
        if not page.chart.faults or not page.trouble:
            return
        best = self._save(page)
        trouble = set(page.trouble)
        failed = [r for r in routes if r.rid in page.failed]
        orders = (routes, failed + [r for r in routes if r not in failed])
        for order in orders:
            self._load(page, before)
            page.crowded = trouble
            for r in order:
                self._route(page, r)
            if len(page.chart.faults) < len(best[11]):
                best = self._save(page)
            if not page.chart.faults:
                break
        self._load(page, best)

    def _save(self, page: PageSpace) -> tuple:
        """What routing changes on a page (and the router's count of arrows still to leave each
        symbol), copied: :meth:`_load` puts it back."""
        c = page.chart
        return _copied((page.hsegs, page.vsegs, page.labels, page.heads, page.heads_in, page.ports, page.sides,
                        page.reserved, self.pending, c.symbols, c.arrows, c.faults, page.trouble))

    def _load(self, page: PageSpace, saved: tuple) -> None:
        c = page.chart
        (page.hsegs, page.vsegs, page.labels, page.heads, page.heads_in, page.ports, page.sides, page.reserved,
         self.pending, c.symbols, c.arrows, c.faults, page.trouble) = _copied(saved)

    def _terminal(self, page: PageSpace, name: str, text: str, x: float, y: float) -> Symbol:
        c = page.column_of(x)
        w = float(round(min(TERMINAL_W, self.layout.columns[c] - 8.0)))
        sym = Symbol(name, "terminator", (x, y), w, TERMINAL_H, text, text)
        page.chart.symbols.append(sym)
        return sym

    def _route(self, page: PageSpace, r: Route) -> None:
        self.rid += 1
        rid = r.rid = self.rid
        if r.place:
            # A route cut by a page break: one end a symbol on this page, the other the connector placed here.
            anchor = r.src if r.src is not None else r.dst
            assert anchor is not None
            near_x = anchor.port_x if anchor.port_x is not None else anchor.center[0]
            spots = page.connector_spots(r.place, near_x)
            best: tuple[Score, Choice, Symbol, Symbol, Symbol] | None = None
            for spot in spots[:3]:
                kind = "konektor-naik" if r.up else "konektor"
                role = "keluar" if r.src is not None else "masuk"
                k = Symbol(f"konektor_{r.letter}_{role}", kind, spot, CONNECTOR_W, CONNECTOR_H, r.letter,
                           f"bersambung ke halaman lain ({r.letter})")
                page.chart.symbols.append(k)
                src, dst = (r.src, k) if r.src is not None else (k, anchor)
                found = self._best_path(page, src, dst, r, rid)
                page.chart.symbols.pop()
                if found and (best is None or found[0] < best[0]):
                    best = (found[0], found[1], k, src, dst)
            if best is None:  # no spot at all (a full band): beside the anchor, whatever it crosses
                x = anchor.center[0]
                y = 2.5 + CONNECTOR_H / 2 if r.place == "atas" else page.chart.height - LINE - 2.5 - CONNECTOR_H / 2
                k = Symbol(f"konektor_{r.letter}_{'keluar' if r.src is not None else 'masuk'}",
                           "konektor-naik" if r.up else "konektor", (x, y), CONNECTOR_W, CONNECTOR_H, r.letter,
                           f"bersambung ke halaman lain ({r.letter})")
                src, dst = (r.src, k) if r.src is not None else (k, anchor)
                page.chart.symbols.append(k)
                found = self._best_path(page, src, dst, r, rid)
                page.chart.symbols.pop()
                best = (found[0], found[1], k, src, dst) if found else None
            if best is None:
                page.chart.faults.append(f"panah ke konektor {r.letter} tidak dapat digambar")
                page.failed.add(rid)
                return
            score, choice, k, src, dst = best
            page.chart.symbols.append(k)
            self._commit(page, src, dst, r, rid, score, choice)
            return
        # Not cut: both ends are symbols on this page.
        assert r.src is not None and r.dst is not None
        found = self._best_path(page, r.src, r.dst, r, rid)
        if not found:
            page.chart.faults.append(f"panah {say(r.src)} ke {say(r.dst)} tidak dapat digambar")
            page.failed.add(rid)
            return
        self._commit(page, r.src, r.dst, r, rid, found[0], found[1])

    def _commit(self, page: PageSpace, src: Symbol, dst: Symbol, r: Route, rid: int, score: Score,
                choice: Choice) -> None:
        points, a, b, box = choice
        if score[0]:
            page.trouble.update((src.name, dst.name))
            page.failed.add(rid)
            why: list[str] = []
            page.check(points, src, dst, rid, why=why)
            if page.side_clash(a, True) or page.side_clash(b, False):
                why.append("garis masuk dan keluar pada satu sisi simbol")
            if math.dist(points[-2], points[-1]) < SHORT:
                why.append("mata panah terjepit di ujung garis")
            if r.label and r.src is not None and box is None:
                why.append(f"tidak ada tempat untuk label {r.label}")
            page.chart.faults.append(f"panah {say(src)} ke {say(dst)}: " + "; ".join(why))
        page.take_port(a, True)
        page.take_port(b, False)
        page.add(points, rid)
        if r.src is not None:
            left = self.pending.get(src.name, 0) - 1
            self.pending[src.name] = left
            if left <= 0:
                page.reserved.pop(src.name, None)
        label = r.label if r.src is not None else None
        if label and box is not None:
            page.labels.append(box)
        page.chart.arrows.append(Arrow(points, label, src.name, dst.name, box))

    def _best_path(self, page: PageSpace, src: Symbol, dst: Symbol, r: Route, rid: int) -> tuple[Score, Choice] | None:
        """The cheapest path that passes every check; failing that, the one with the fewest faults.

        Candidates come in tiers (:data:`TIERS`), each a superset of the one before: the symbols'
        main ports and the lanes near the arrow's span first, then off-centre ports, then every
        port, then every lane of the page. A later tier is tried when no clean path without
        crossings is found, or while a port it admits could still beat the best one by two bends.
        Returns ((faults, crossed, total cost), (points, out port, in port, label box)).
        """
        label = r.label if r.src is not None else None
        outs = self._out_atts(page, src, dst)
        ins = self._in_atts(page, src, dst)
        best: _Best | None = None
        seen: set = set()
        tier = 0
        while tier < len(TIERS):
            bound = best.total if best is not None and best.faults == 0 else math.inf
            cands = candidates(page, outs, ins, tier, bound)
            cands.sort(key=cost_of)
            tried = 0
            for cand in cands:
                cost = cand[0]
                beat = best.total if best is not None and best.faults == 0 else None  # a clean path's cost
                clean = beat is not None
                if beat is not None and cost >= beat:
                    break
                points = build_path(cand)
                key = (tuple(points), cand[2].d, cand[3].d)
                if key in seen:
                    continue
                seen.add(key)
                tried += 1
                if tried > (150 if clean else 3000):
                    break
                # A faulty path is out of the running: its first fault is enough to know.
                faults, crossings = page.check(points, src, dst, rid, first_fault=True)
                faults += cand[7]
                if clean and faults:
                    continue
                total = cost + CROSSING * crossings
                if beat is not None and total >= beat:
                    continue
                box = None
                if label and not faults:
                    found = page.place_label(label, points, rid)
                    if found is None:
                        faults += 1
                    else:
                        box = found[0]
                        total += LABEL_FAR * found[1]
                if best is None or (faults, total) < (best.faults, best.total):
                    best = _Best(faults, total, points, cand[2], cand[3], box, crossings)
                if not faults and not crossings and not label:
                    break
            if best is not None and best.faults == 0 and best.crossings == 0:
                if tier >= 3 or best.total <= port_floor(outs, ins, tier) + 2 * BEND:
                    break
                tier += 1  # every port, the span's lanes
            elif tier == 2 and best is not None and best.faults == 0:
                tier = 4  # crossing: every port, every lane
            else:
                tier += 1
        if best is None:
            return None
        faults, total, points, a, b, box, crossings = best
        return (faults, 1 if crossings else 0, total), (points, a, b, box)

    def _out_atts(self, page: PageSpace, src: Symbol, dst: Symbol) -> list[Attachment]:
        if src.kind.startswith("konektor") or src.name.startswith("mulai"):
            d = "S" if src.center[1] < dst.center[1] else "N"
            atts = page.attachments(src, d)
        elif src.kind == "keputusan":
            atts = [a for a in page.attachments(src, "SEW") if a.cost == 0]
        else:
            atts = page.attachments(src, "SEW")
            for a in atts:
                if a.d != "S":
                    a.cost += 12.0
        return [a for a in atts if page.port_free(a, True)]

    def _in_atts(self, page: PageSpace, src: Symbol, dst: Symbol) -> list[Attachment]:
        if dst.kind.startswith("konektor") or dst.name.startswith("selesai"):
            d = "N" if src.center[1] < dst.center[1] else "S"
            atts = page.attachments(dst, d)
        else:
            atts = page.attachments(dst, "NEWS")
            for a in atts:
                if a.d == "S":  # from below: a little dearer, as dear as a port off the middle of a side
                    a.cost += 12.0
            if dst.name in page.crowded and dst.kind != "keputusan":
                for a in atts:
                    if a.middle:
                        a.cost += 60.0
                atts.sort(key=lambda a: a.cost)
        return [a for a in atts if page.port_free(a, False)]


def _copied(values: tuple) -> tuple:
    """Copies of lists, sets and dicts (of lists) deep enough that routing on never changes them."""
    return tuple({k: list(x) if isinstance(x, list) else x for k, x in v.items()} if isinstance(v, dict)
                 else type(v)(v) for v in values)


def _connector_labels():
    for letter in string.ascii_uppercase:
        yield letter
    n = 1
    while True:
        for letter in string.ascii_uppercase:
            yield f"{letter}{n}"
        n += 1
