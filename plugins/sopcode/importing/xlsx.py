"""An Excel workbook (.xlsx, .xlsm) → pages: one :class:`Page` per sheet, its tables and its drawing.

Cells are read with openpyxl (the values Excel shows last computed, never a formula run), after
:func:`sopcode.importing.package.open_package` has checked the package; the drawing parts are read
here, with the package's safe XML parser.

* **Tables.** A sheet's filled cells are cut into tables at rows and columns that are wholly empty (a
  form's table, and a helper column kept apart from it, come out as two tables). Merged ranges become
  one cell with its spans. Text is what the cell shows: numbers without a trailing ``.0``, dates as
  ``09 Maret 2020`` (unambiguous whatever the cell's format), times of day as ``08:30``.
* **Geometry.** Column widths (characters) and row heights (points) give the edges; a column or row
  without its own size takes the sheet's default, and the box says it was estimated when a default was
  guessed rather than read.
* **Drawings.** ``xdr:twoCellAnchor`` (placed by two cells), ``xdr:oneCellAnchor`` (a cell and a size)
  and ``xdr:absoluteAnchor`` (a position and a size) give a drawing's box; its anchor cell is its top
  left cell (:class:`Anchor`, in table coordinates). ``xdr:sp`` with a preset outline is a
  :class:`Shape` (``prstGeom``, or ``custom`` for a free-form outline), a text box or a shape without
  an outline is a free text (``Page.texts``), ``xdr:cxnSp`` (and a line preset drawn as a shape) is a
  :class:`Line` with the ids it is glued to (``stCxn``/``endCxn``), its end points (flips and rotation
  applied) and where its heads are. Group shapes (``xdr:grpSp``) are read child by child, their
  positions mapped through the group's child coordinates. Pictures and charts are not read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from sopcode.importing.package import ImportRefused, Package, open_package
from sopcode.importing.page import Anchor, Box, Cell, Line, Page, Shape, Table
from sopcode.text import format_angka, format_tanggal

NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PT = 12700
_MDW = 7  # maximum digit width of the default font (Calibri 11) in pixels
DEFAULT_COL_WIDTH = 8.43
DEFAULT_ROW_HEIGHT = 15.0
MAX_ROWS = 5000
MAX_COLS = 300
"""The most rows and columns of filled cells a sheet may have: an SOP's tables are far smaller."""
LINE_PRESETS = ("line", "straightConnector1", "bentConnector2", "bentConnector3", "bentConnector4",
                "bentConnector5", "curvedConnector2", "curvedConnector3", "curvedConnector4", "curvedConnector5")


def _x(tag: str) -> str:
    return f"{{{NS_XDR}}}{tag}"


def _a(tag: str) -> str:
    return f"{{{NS_A}}}{tag}"


def width_pt(chars: float) -> float:
    """A column width in characters → points, as Excel draws it (whole pixels at 96 dpi)."""
    return int(((256 * chars + int(128 / _MDW)) / 256) * _MDW) * 0.75


def cell_text(value: object) -> str:
    """A cell's value as text, as it shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "BENAR" if value else "SALAH"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return format_tanggal(value.date())
        return f"{format_tanggal(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return format_tanggal(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_angka(value) if math.isfinite(value) else str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")


@dataclass
class _Grid:
    """A sheet's sizes: column left edges and row top edges in points (0-based), and which were guessed."""

    col_edges: list[float]
    row_edges: list[float]
    col_guessed: list[bool]
    row_guessed: list[bool]

    def x(self, col: int, off_emu: int = 0) -> float:
        return self._edge(self.col_edges, col) + off_emu / EMU_PT

    def y(self, row: int, off_emu: int = 0) -> float:
        return self._edge(self.row_edges, row) + off_emu / EMU_PT

    @staticmethod
    def _edge(edges: list[float], k: int) -> float:
        if k < len(edges):
            return edges[k]
        step = edges[-1] - edges[-2] if len(edges) > 1 else DEFAULT_ROW_HEIGHT
        return edges[-1] + (k - len(edges) + 1) * step

    def guessed(self, c1: int, c2: int, r1: int, r2: int) -> bool:
        cols = self.col_guessed[c1:c2 + 1] or [True]
        rows = self.row_guessed[r1:r2 + 1] or [True]
        return any(cols) or any(rows)

    def cell_at(self, x: float, y: float) -> tuple[int, int]:
        col = max(0, next((k for k in range(len(self.col_edges) - 1) if x < self.col_edges[k + 1]),
                          len(self.col_edges) - 2))
        row = max(0, next((k for k in range(len(self.row_edges) - 1) if y < self.row_edges[k + 1]),
                          len(self.row_edges) - 2))
        return row, col


def read_xlsx(path: str | os.PathLike[str]) -> list[Page]:
    """Every sheet of the workbook at ``path`` as a page (refused with :class:`ImportRefused`)."""
    from openpyxl import load_workbook

    with open_package(path) as pkg:
        drawings = _drawing_parts(pkg)
        _check_sizes(pkg)
        try:
            book = load_workbook(os.fspath(path), data_only=True, read_only=False, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
            raise ImportRefused(f"buku kerja tidak dapat dibaca ({type(exc).__name__}: {exc})",
                                "buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu impor lagi") from None
        pages = []
        for sheet in book.worksheets:
            page, grid, origins = _sheet_page(sheet)
            part = drawings.get(sheet.title)
            if part is not None:
                _read_drawing(pkg.xml(part), grid, page, origins)
            pages.append(page)
        book.close()
    return pages


MAX_CELLS = 300_000
"""The most cells a workbook may hold, counted before openpyxl builds an object for each."""
MAX_MERGED = 1_000_000
"""The most cells the merged ranges of a workbook may cover (openpyxl makes an object for every one)."""


def _check_sizes(pkg: Package) -> None:
    """Refuse a workbook whose cells or merged ranges would take openpyxl minutes and gigabytes:
    counted while streaming each worksheet's XML, before openpyxl opens it."""
    from openpyxl.utils.cell import range_boundaries

    cells = merged = 0
    for name, kind in sorted(pkg.content_types().items()):
        if not kind.endswith(".worksheet+xml"):
            continue
        data = pkg.read(name)
        if any(mark in data[:4096].upper() for mark in (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"))):
            raise ImportRefused(f"bagian {name} memuat DOCTYPE dan tidak dibaca", "simpan ulang berkas di Excel")
        events = etree.iterparse(io.BytesIO(data), events=("end",), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False)
        try:
            for _, el in events:
                local = etree.QName(el).localname
                if local == "c":
                    cells += 1
                elif local == "mergeCell":
                    try:
                        c1, r1, c2, r2 = range_boundaries(el.get("ref", ""))
                    except (ValueError, TypeError):
                        continue
                    merged += ((r2 or r1 or 1) - (r1 or 1) + 1) * ((c2 or c1 or 1) - (c1 or 1) + 1)
                if local in ("row", "mergeCell"):
                    el.clear()
                if cells > MAX_CELLS or merged > MAX_MERGED:
                    what = f"lebih dari {MAX_CELLS:,} sel" if cells > MAX_CELLS else f"sel gabungan seluas lebih dari {MAX_MERGED:,} sel"
                    raise ImportRefused(f"buku kerja memuat {what.replace(',', '.')}; terlalu besar untuk sebuah SOP",
                                        "hapus isi dan gabungan sel di luar tabel SOP, atau salin SOP ke buku kerja baru")
        except etree.XMLSyntaxError as exc:
            raise ImportRefused(f"bagian {name} rusak ({exc})", "buka dan simpan ulang berkas di Excel atau LibreOffice") from None


def _drawing_parts(pkg: Package) -> dict[str, str]:
    """Each sheet's drawing part, by the sheet's name."""
    book_part = next((r.target for r in pkg.rels("").values() if r.kind == "officeDocument"), "xl/workbook.xml")
    book_rels = pkg.rels(book_part)
    out: dict[str, str] = {}
    for sheet in pkg.xml(book_part).iter(f"{{{NS_MAIN}}}sheet"):
        rel = book_rels.get(sheet.get(f"{{{NS_R}}}id", ""))
        if rel is None or rel.external:
            continue
        for sheet_rel in pkg.rels(rel.target).values():
            if sheet_rel.kind == "drawing" and not sheet_rel.external and sheet_rel.target in pkg.names():
                out[sheet.get("name", "")] = sheet_rel.target
                break
    return out


def _sheet_page(sheet) -> tuple[Page, _Grid, list[tuple[int, int]]]:
    """The sheet's tables and sizes, and the sheet row and column each table starts at."""
    from openpyxl.utils import column_index_from_string

    values: dict[tuple[int, int], str] = {}
    # The cells the file holds, not every position between the first and the last (a value in A1 and
    # one in XFD1048576 would be seventeen billion positions).
    for (r, c), cell in sorted(getattr(sheet, "_cells", {}).items()):
        text = cell_text(cell.value)
        if text.strip():
            values[(r - 1, c - 1)] = text
    last_row = max([r for r, _ in values] + [0])
    last_col = max([c for _, c in values] + [0])
    if last_row >= MAX_ROWS or last_col >= MAX_COLS:
        raise ImportRefused(
            f"lembar {sheet.title} terisi sampai baris {last_row + 1} dan kolom {last_col + 1}; "
            f"yang dibaca paling banyak {MAX_ROWS} baris dan {MAX_COLS} kolom",
            "hapus isi di luar tabel SOP, atau pindahkan SOP ke buku kerja sendiri")
    merges = []
    end_row, end_col = last_row + 50, last_col + 20
    for rng in sheet.merged_cells.ranges:  # a range reaching far past the filled cells is cut short
        if rng.min_row - 1 <= last_row and rng.min_col - 1 <= last_col:
            merges.append((rng.min_row - 1, rng.min_col - 1, min(rng.max_row - 1, end_row), min(rng.max_col - 1, end_col)))
    max_row = max([last_row] + [m[2] for m in merges])
    max_col = max([last_col] + [m[3] for m in merges])
    fmt = sheet.sheet_format
    default_w = fmt.defaultColWidth or (fmt.baseColWidth + 0.71 if fmt.baseColWidth else None)
    default_h = fmt.defaultRowHeight or DEFAULT_ROW_HEIGHT
    widths: dict[int, float] = {}
    for key, dim in sheet.column_dimensions.items():
        if dim.width and dim.customWidth is not False:
            first = column_index_from_string(key) - 1 if dim.min is None else dim.min - 1
            last = first if dim.max is None else dim.max - 1
            for k in range(first, min(last, first + 16384) + 1):
                widths[k] = 0.0 if dim.hidden else dim.width
        elif dim.hidden:
            widths[column_index_from_string(key) - 1] = 0.0
    heights = {r - 1: (0.0 if dim.hidden else dim.height) for r, dim in sheet.row_dimensions.items()
               if dim.height is not None or dim.hidden}
    n_cols, n_rows = max_col + 2, max_row + 2
    col_edges, col_guessed = [0.0], []
    for k in range(n_cols):
        w = widths.get(k)
        col_guessed.append(w is None and default_w is None)
        col_edges.append(col_edges[-1] + width_pt(w if w is not None else (default_w or DEFAULT_COL_WIDTH)) if w != 0.0
                         else col_edges[-1])
    row_edges, row_guessed = [0.0], []
    for k in range(n_rows):
        h = heights.get(k)
        row_guessed.append(h is None and not fmt.customHeight and k in {r for r, _ in values})
        row_edges.append(row_edges[-1] + (h if h is not None else default_h))
    grid = _Grid(col_edges, row_edges, col_guessed, row_guessed)
    page = Page(where=f"lembar {sheet.title}")
    origins: list[tuple[int, int]] = []
    if values:
        for table, origin in _tables(values, merges, grid):
            # a step is found in a workbook by its row number, which every spreadsheet shows
            table.row_places = [f"lembar {sheet.title}, baris {origin[0] + 1 + r}" for r in range(table.n_rows)]
            page.tables.append(table)
            origins.append(origin)
    return page, grid, origins


def _tables(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]],
            grid: _Grid) -> list[tuple[Table, tuple[int, int]]]:
    """The filled cells cut into tables at wholly empty rows, then within each band at wholly empty columns."""
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in merges:
        for r in range(m[0], m[2] + 1):
            for c in range(m[1], m[3] + 1):
                covered[(r, c)] = m
    used = set(values) | set(covered)
    out: list[tuple[Table, tuple[int, int]]] = []
    for r1, r2 in _runs({r for r, _ in used} | {r for m in merges for r in range(m[0], m[2] + 1)}):
        band = {(r, c) for r, c in used if r1 <= r <= r2}
        for c1, c2 in _runs({c for _, c in band}):
            out.append((_table(values, merges, grid, r1, r2, c1, c2, len(out)), (r1, c1)))
    return out


def _runs(indices: set[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs of ``indices``, as (first, last)."""
    start = prev = None
    for k in sorted(indices):
        if prev is not None and k == prev + 1:
            prev = k
            continue
        if start is not None and prev is not None:
            yield start, prev
        start = prev = k
    if start is not None and prev is not None:
        yield start, prev


def _table(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]], grid: _Grid,
           r1: int, r2: int, c1: int, c2: int, n: int) -> Table:
    cells = []
    inside = [m for m in merges if r1 <= m[0] <= r2 and c1 <= m[1] <= c2]
    starts = {(m[0], m[1]): m for m in inside}
    hidden = {(r, c) for m in inside for r in range(m[0], m[2] + 1) for c in range(m[1], m[3] + 1)} - set(starts)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            if (r, c) in hidden:
                continue
            m = starts.get((r, c), (r, c, r, c))
            rs, cs = min(m[2], r2) - r + 1, min(m[3], c2) - c + 1
            box = Box(grid.x(c), grid.y(r), grid.x(c + cs) - grid.x(c), grid.y(r + rs) - grid.y(r),
                      grid.guessed(c, c + cs - 1, r, r + rs - 1))
            cells.append(Cell(r - r1, c - c1, values.get((r, c), ""), rs, cs, box))
    return Table(cells, r2 - r1 + 1, c2 - c1 + 1, [grid.x(c) for c in range(c1, c2 + 2)],
                 [grid.y(r) for r in range(r1, r2 + 2)], f"tabel {n + 1}")


# The drawing ----------------------------------------------------------------------------------------

Transform = Callable[[float, float], tuple[float, float]]


def _read_drawing(root: etree._Element, grid: _Grid, page: Page, origins: list[tuple[int, int]]) -> None:
    placed = []
    for anchor in root:
        if not isinstance(anchor.tag, str):
            continue
        kind = etree.QName(anchor).localname
        box = _anchor_box(anchor, kind, grid)
        if box is None:
            continue
        cell = _anchor_cell(anchor, kind, box, grid, page, origins)
        for element in anchor:
            if isinstance(element.tag, str) and etree.QName(element).localname in ("sp", "cxnSp", "grpSp"):
                placed.append((element, _xfrm(element), box, cell))
    sheet_map = _calibrate([(frame, box) for el, frame, box, _ in placed if etree.QName(el).localname != "cxnSp"])
    for element, frame, box, cell in placed:
        to_page = sheet_map if sheet_map is not None and frame is not None else _fit(frame, box)
        _element(element, to_page, box, cell, page)
    # A glue id naming no shape of the sheet records nothing (LibreOffice writes ids of its own there).
    ids = {shape.id for shape in page.shapes}
    page.lines[:] = [dataclasses.replace(line, start=line.start if line.start in ids else None,
                                         end=line.end if line.end in ids else None) for line in page.lines]


def _calibrate(samples: list[tuple[_Frame | None, Box]]) -> Transform | None:
    """One map from the drawing's own coordinates (EMU) to the sheet's points, fitted on the unturned
    shapes' frames and anchors, when they all agree on it within a point. A connector is then placed by
    its frame, not by its anchor (LibreOffice anchors a connector by the box of its drawn path). Within
    three points: column widths in characters round differently in LibreOffice than in Excel."""
    xs: list[tuple[float, float]] = []
    ys: list[tuple[float, float]] = []
    for frame, box in samples:
        if frame is None or frame.rot % 360 or frame.w <= 0 or frame.h <= 0:
            continue
        xs += [(frame.x, box.x), (frame.x + frame.w, box.x + box.w)]
        ys += [(frame.y, box.y), (frame.y + frame.h, box.y + box.h)]
    fx, fy = _line_fit(xs), _line_fit(ys)
    if fx is None or fy is None:
        return None
    (ax, bx), (ay, by) = fx, fy
    return lambda x, y: (ax * x + bx, ay * y + by)


def _line_fit(pairs: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least squares ``page = a * emu + b`` over ``pairs``, when every pair lies within three points of it."""
    if len({u for u, _ in pairs}) < 2:
        return None
    n = len(pairs)
    mu = sum(u for u, _ in pairs) / n
    mv = sum(v for _, v in pairs) / n
    var = sum((u - mu) ** 2 for u, _ in pairs)
    a = sum((u - mu) * (v - mv) for u, v in pairs) / var
    b = mv - a * mu
    if a <= 0 or any(abs(a * u + b - v) > 3.0 for u, v in pairs):
        return None
    return a, b


def _anchor_box(anchor: etree._Element, kind: str, grid: _Grid) -> Box | None:
    def mark(tag: str) -> tuple[int, int, int, int] | None:
        el = anchor.find(_x(tag))
        if el is None:
            return None
        try:
            return tuple(int(float(el.findtext(_x(k)) or 0)) for k in ("col", "colOff", "row", "rowOff"))  # type: ignore[return-value]
        except ValueError:
            return None

    def size() -> tuple[float, float]:
        ext = anchor.find(_x("ext"))
        if ext is None:
            return 0.0, 0.0
        return _emu(ext.get("cx")) / EMU_PT, _emu(ext.get("cy")) / EMU_PT

    if kind == "twoCellAnchor":
        start, end = mark("from"), mark("to")
        if start is None or end is None:
            return None
        x1, y1 = grid.x(start[0], start[1]), grid.y(start[2], start[3])
        x2, y2 = grid.x(end[0], end[1]), grid.y(end[2], end[3])
        return Box(x1, y1, max(0.0, x2 - x1), max(0.0, y2 - y1), grid.guessed(start[0], end[0], start[2], end[2]))
    if kind == "oneCellAnchor":
        start = mark("from")
        if start is None:
            return None
        w, h = size()
        return Box(grid.x(start[0], start[1]), grid.y(start[2], start[3]), w, h, grid.guessed(start[0], start[0], start[2], start[2]))
    if kind == "absoluteAnchor":
        pos = anchor.find(_x("pos"))
        if pos is None:
            return None
        w, h = size()
        return Box(_emu(pos.get("x")) / EMU_PT, _emu(pos.get("y")) / EMU_PT, w, h)
    return None


def _anchor_cell(anchor: etree._Element, kind: str, box: Box, grid: _Grid, page: Page,
                 origins: list[tuple[int, int]]) -> Anchor | None:
    """The table cell holding the drawing's top left corner, in that table's coordinates."""
    if kind in ("twoCellAnchor", "oneCellAnchor"):
        start = anchor.find(_x("from"))
        row = int(_emu(start.findtext(_x("row")) if start is not None else None))
        col = int(_emu(start.findtext(_x("col")) if start is not None else None))
    else:
        row, col = grid.cell_at(box.x, box.y)
    for n, (table, (top, left)) in enumerate(zip(page.tables, origins)):
        if top <= row < top + table.n_rows and left <= col < left + table.n_cols:
            return Anchor(n, row - top, col - left)
    return None


def _emu(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


@dataclass
class _Frame:
    x: float
    y: float
    w: float
    h: float
    rot: float = 0.0  # degrees clockwise
    flip_h: bool = False
    flip_v: bool = False
    ch: tuple[float, float, float, float] | None = None  # a group's child offset and extent


def _xfrm(element: etree._Element) -> _Frame | None:
    props = None
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname in ("spPr", "grpSpPr"):
            props = child
    xfrm = props.find(_a("xfrm")) if props is not None else None
    if xfrm is None:
        return None
    off, ext = xfrm.find(_a("off")), xfrm.find(_a("ext"))
    if off is None or ext is None:
        return None
    frame = _Frame(_emu(off.get("x")), _emu(off.get("y")), _emu(ext.get("cx")), _emu(ext.get("cy")),
                   _emu(xfrm.get("rot")) / 60000, xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true"))
    ch_off, ch_ext = xfrm.find(_a("chOff")), xfrm.find(_a("chExt"))
    if ch_off is not None and ch_ext is not None:
        frame.ch = (_emu(ch_off.get("x")), _emu(ch_off.get("y")), _emu(ch_ext.get("cx")), _emu(ch_ext.get("cy")))
    return frame


def _fit(frame: _Frame | None, box: Box) -> Transform:
    """Map the element's own coordinates (EMU) onto the anchor's box (points)."""
    if frame is None:
        return lambda x, y: (box.x + x / EMU_PT, box.y + y / EMU_PT)
    sx = box.w / frame.w if frame.w else 1 / EMU_PT
    sy = box.h / frame.h if frame.h else 1 / EMU_PT
    if frame.rot % 180 not in (0, 0.0) and 45 <= frame.rot % 180 < 135 and frame.w and frame.h:
        # Excel anchors a shape turned by about a quarter by its turned box: its centre is the box's, its
        # width the frame's height and its height the frame's width. The anchor is what Excel draws by;
        # LibreOffice writes some turned connectors with a frame wider than their anchor (a loop back
        # from a decision came out 79 pt wider), so the turned frame is scaled onto the anchor's box.
        cx, cy = box.cx, box.cy
        tx, ty = box.w / frame.h, box.h / frame.w
        return lambda x, y: (cx + (x - frame.x - frame.w / 2) * tx, cy + (y - frame.y - frame.h / 2) * ty)
    return lambda x, y: (box.x + (x - frame.x) * sx, box.y + (y - frame.y) * sy)


def _element(el: etree._Element, to_page: Transform, box: Box, cell: Anchor | None, page: Page) -> None:
    kind = etree.QName(el).localname
    frame = _xfrm(el)
    if kind == "grpSp":
        if frame is None:
            return
        ch = frame.ch or (frame.x, frame.y, frame.w, frame.h)

        def child_map(x: float, y: float, f: _Frame = frame, c: tuple = ch) -> tuple[float, float]:
            gx = f.x + (x - c[0]) * (f.w / c[2] if c[2] else 1)
            gy = f.y + (y - c[1]) * (f.h / c[3] if c[3] else 1)
            return to_page(gx, gy)

        for child in el:
            if isinstance(child.tag, str) and etree.QName(child).localname in ("sp", "cxnSp", "grpSp"):
                _element(child, child_map, box, cell, page)
        return
    own = _own_box(frame, to_page, box)
    pr = el.find(f".//{_x('cNvPr')}")
    ident = pr.get("id", "") if pr is not None else ""
    geom = el.find(f"{_x('spPr')}/{_a('prstGeom')}")
    preset = geom.get("prst", "") if geom is not None else ("custom" if el.find(f"{_x('spPr')}/{_a('custGeom')}") is not None else "")
    if kind == "cxnSp" or preset in LINE_PRESETS:
        page.lines.append(_line(el, ident, frame, to_page, own))
        return
    text = _text(el)
    c_nv = el.find(f"{_x('nvSpPr')}/{_x('cNvSpPr')}")
    text_box = c_nv is not None and c_nv.get("txBox") in ("1", "true")
    if text_box or (not _outlined(el) and text):
        if text:
            page.texts.append(Shape(ident, preset.lower() or "rect", own, text, cell))
        return
    page.shapes.append(Shape(ident, preset.lower() or "rect", own, text, cell))


def _own_box(frame: _Frame | None, to_page: Transform, box: Box) -> Box:
    if frame is None:
        return box
    x1, y1 = to_page(frame.x, frame.y)
    x2, y2 = to_page(frame.x + frame.w, frame.y + frame.h)
    return Box(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1), box.estimated)


def _outlined(el: etree._Element) -> bool:
    """Has an outline or a fill of its own (a text box drawn without either is free text)."""
    props = el.find(_x("spPr"))
    if props is None:
        return True
    ln = props.find(_a("ln"))
    no_line = ln is not None and ln.find(_a("noFill")) is not None
    no_fill = props.find(_a("noFill")) is not None
    return not (no_line and no_fill)


def _text(el: etree._Element) -> str:
    body = el.find(_x("txBody"))
    if body is None:
        return ""
    paragraphs = []
    for p in body.iter(_a("p")):
        parts = []
        for node in p.iter(_a("t"), _a("br")):
            parts.append("\n" if etree.QName(node).localname == "br" else (node.text or ""))
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


def _path(el: etree._Element) -> list[tuple[float, float]]:
    """A connector preset's path in its frame (0..1 each way), bends included: the elbow connectors'
    segments as DrawingML defines them from their adjust values; any other line runs corner to corner."""
    geom = el.find(f"{_x('spPr')}/{_a('prstGeom')}")
    preset = geom.get("prst", "") if geom is not None else ""
    adjust = {1: 0.5, 2: 0.5, 3: 0.5}
    if geom is not None:
        for gd in geom.iter(_a("gd")):
            name, formula = gd.get("name", ""), gd.get("fmla", "").split()
            if name[:3] == "adj" and (name[3:].isdigit() or not name[3:]) and len(formula) == 2 and formula[0] == "val":
                adjust[int(name[3:] or 1)] = _emu(formula[1]) / 100000
    a1, a2, a3 = adjust[1], adjust[2], adjust[3]
    if preset == "bentConnector2":
        return [(0, 0), (1, 0), (1, 1)]
    if preset == "bentConnector3":
        return [(0, 0), (a1, 0), (a1, 1), (1, 1)]
    if preset == "bentConnector4":
        return [(0, 0), (a1, 0), (a1, a2), (1, a2), (1, 1)]
    if preset == "bentConnector5":
        return [(0, 0), (a1, 0), (a1, a2), (a3, a2), (a3, 1), (1, 1)]
    return [(0, 0), (1, 1)]


def _line(el: etree._Element, ident: str, frame: _Frame | None, to_page: Transform, own: Box) -> Line:
    start_id = end_id = None
    c_nv = el.find(f"{_x('nvCxnSpPr')}/{_x('cNvCxnSpPr')}")
    if c_nv is not None:
        st, en = c_nv.find(_a("stCxn")), c_nv.find(_a("endCxn"))
        start_id = st.get("id") if st is not None else None
        end_id = en.get("id") if en is not None else None
    if frame is None:
        points: list[tuple[float, float]] = [(own.x, own.y), (own.x + own.w, own.y + own.h)]
    else:
        cx, cy = frame.x + frame.w / 2, frame.y + frame.h / 2
        turn = math.radians(frame.rot)

        def place(u: float, v: float) -> tuple[float, float]:
            """A point of the connector's own path (0..1 of its frame) on the page: flipped, turned, mapped."""
            x = frame.x + (1 - u if frame.flip_h else u) * frame.w
            y = frame.y + (1 - v if frame.flip_v else v) * frame.h
            if frame.rot:
                dx, dy = x - cx, y - cy
                x, y = cx + dx * math.cos(turn) - dy * math.sin(turn), cy + dx * math.sin(turn) + dy * math.cos(turn)
            return to_page(x, y)

        points = [place(u, v) for u, v in _path(el)]
    ln = el.find(f"{_x('spPr')}/{_a('ln')}")

    def head(tag: str) -> bool:
        end = ln.find(_a(tag)) if ln is not None else None
        return end is not None and end.get("type", "none") != "none"

    rounded = tuple((round(x, 2), round(y, 2)) for x, y in points)
    return Line(ident, rounded, start_id, end_id, head("headEnd"), head("tailEnd"), _text(el))  # text typed on the line
