"""One SOP as an Excel workbook in the regulation's layout (issue 19, item 4): ``sop ekspor SOP --xlsx``.

Two sheets, as the SOP is printed:

* **Identitas**: the header cell with the institution's lines (left), the rows ``label | value``
  (Nomor SOP, Tanggal Pembuatan, Tanggal Revisi, Tanggal Efektif, Disahkan oleh, Nama SOP) on the
  right, then the six boxes in three pairs, each a heading row and a row of numbered lines. Right of it,
  an empty column apart and outside the print area, under the heading **Tidak dicetak**: ``label | value``
  rows for what the sheet does not print, or prints only inside another cell (``IDENTITY_EXTRA``: Unit
  kerja, Alias, Rujukan SOP (the Keterkaitan items that are references to other SOPs: their ids, as the
  box prints them), Diganti oleh, Dicabut pada, Alasan dicabut), each label with a note; the import reads
  them by their labels, so an SOP comes back with every field its file holds. With the
  institution's ``logo:`` (as accepted for the printed sheets), a picture in the header cell above the
  institution's lines, sized as the printed sheet's (at most 28 mm high and 60 % of the cell wide, in
  proportion); the import does not read pictures.
* **Prosedur**: the procedure table. A title row, ``SOP : <judul>`` across the table (the procedure's own
  title, ``nama_prosedur``, else the SOP's name), as the printed sheet heads each procedure page with it
  (the import reads it back as ``nama_prosedur`` when it differs from the name). Header rows: No |
  Kegiatan | Pelaksana (one column per actor) | Mutu Baku (Kelengkapan, Waktu, Output) | Keterangan,
  then the row numbering the columns; one row per step. The flowchart is drawn with native Excel shapes
  (DrawingML) anchored to the cells: each step's symbol in its actor's column of its row (terminator,
  process, decision), connectors glued to the symbols' connection points with an arrow head,
  "Ya"/"Tidak" as small text boxes at a decision's branches. Printed landscape on A4 or F4, one page
  wide, the title and header rows repeated on every page.
  Where the pages break is decided here, not left to the spreadsheet: a row break after the last step
  that fits each page (at the scale that fits the table's width to the paper, with room to spare), so
  that an arrow whose steps fall on two pages is drawn as the regulation draws it: into an off-page
  connector (pentagon) under its source, and out of one over its target on the other page, both
  carrying the target's step number (the import joins connectors labelled alike).

Data validation, and why it is laid out this way. The symbols, not the cells, say who does a step in
the regulation's table, and Excel cannot validate a drawing. So the sheet carries one more column, right
of the printed table and apart from it (an empty column between, outside the print area):
**Pelaksana langkah**, the step's actor(s) written out, with a drop-down list of the actor names read
from the header cells of the Pelaksana columns (rename an actor there and the list follows). A person
editing the workbook picks the actor of a new step there; the import reads the symbol's column and this
column and says when they disagree. The **Waktu** column keeps the regulation's single cell ("15 menit",
"1-2 hari") so the printed table stays the regulation's; its validation is a formula that accepts a
value ending in a time unit (menit, jam, hari, hari kerja, hk), with an input message naming the units.
A list of units would need the number and the unit in two columns, which the regulation's form has not.

The flow in cells, beside **Pelaksana langkah** (same unprinted area): **Simbol** (terminator, proses,
keputusan; a list), **Ya**, **Tidak** and **Lanjut** (step numbers; whole-number validation), each header
cell carrying a note that says what the column is. Lanjut is left empty when the flow goes on to the next
row's step. A program that drops drawings when it saves (openpyxl, some spreadsheet apps, an export from
Google Sheets) leaves these cells: the import rebuilds the flow from them and says the chart was not in
the workbook. When chart and cells disagree, the import uses the cells (what a person typed, and what can
be validated) and names the step in a problem, as it does for Pelaksana langkah. Right of Lanjut, in the
heading rows, **Terminator** holds the SOP's ``terminator`` (``langkah`` or ``terpisah``; a list): whether
Mulai and Selesai are separate capsules is otherwise only in the drawing. Over these columns, in the
title row, the heading **Tidak dicetak** with a note saying what they are for. What the import reads from
these cells is read, not inferred: the SOP file it writes marks none of it ``# disimpulkan``.

Deterministic: the same SOP gives the same bytes (every part dated with the SOP's own latest date,
entries sorted, the drawing written by us with ids in drawing order). Text from YAML goes into cells as
text (never a formula) and into the drawing through lxml (escaped).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sopcode.model.graph import Edge, Graph
from sopcode.model.logo import Logo
from sopcode.model.sop import KOTAK, Keterkaitan, Simbol, Sop
from sopcode.sheets.workbook import _text

SHEET_IDENTITAS = "Identitas"
SHEET_PROSEDUR = "Prosedur"
PELAKSANA_LANGKAH = "Pelaksana langkah"
"""The heading of the column with each step's actor(s) and its drop-down list (see the module's text)."""
FLOW_COLUMNS = ("Simbol", "Ya", "Tidak", "Lanjut")
"""The headings of the columns with each step's flow, right of Pelaksana langkah (see the module's text)."""
FLOW_NOTES = {
    "Simbol": "Simbol langkah di bagan alir: terminator, proses, atau keputusan.",
    "Ya": "Untuk keputusan: nomor langkah tujuan bila jawabannya Ya.",
    "Tidak": "Untuk keputusan: nomor langkah tujuan bila jawabannya Tidak.",
    "Lanjut": "Nomor langkah berikutnya bila bukan langkah di baris bawahnya; kosong: lanjut ke baris bawahnya.",
}
"""The note on each flow column's header cell (Indonesian: what a person editing the workbook reads)."""
TERMINATOR_COLUMN = "Terminator"
"""The heading of the cell right of the flow columns that holds the SOP's ``terminator`` (see the module's text)."""
TERMINATOR_NOTE = ("Kapsul Mulai dan Selesai: 'terpisah' bila digambar tersendiri sebelum langkah pertama dan "
                   "sesudah langkah terakhir; 'langkah' bila simbol langkah pertama dan terakhir sendiri terminator.")

UNPRINTED_HEADING = "Tidak dicetak"
"""The heading over the unprinted cells of each sheet (outside the print area, right of an empty column)."""
UNPRINTED_NOTE = ("Sel di kanan area cetak: tidak ikut dicetak, tetapi dibaca kembali oleh 'sop impor' "
                  "sehingga SOP yang diimpor sama dengan aslinya.")
IDENTITY_EXTRA = (
    ("unit", "Unit kerja", "Unit kerja pemilik SOP: baris terakhir kop identitas (kosong bila tidak ada)."),
    ("alias", "Alias", "Nama singkat atau nama lain SOP (mis. SKD), satu per baris: tampil di halaman SOP "
                       "dan dapat dicari, tidak dicetak."),
    ("rujukan_sop", "Rujukan SOP", "Id SOP lain yang disebut di kotak Keterkaitan, satu per baris: butir "
                                   "Keterkaitan yang sama persis dengan id ini diimpor sebagai rujukan ke SOP itu."),
    ("diganti_oleh", "Diganti oleh", "Id SOP yang menggantikan SOP ini; kosong bila tidak ada."),
    ("dicabut_pada", "Dicabut pada", "Tanggal SOP ini dicabut (mis. 2024-05-31); kosong bila masih berlaku."),
    ("dicabut_alasan", "Alasan dicabut", "Alasan pencabutan, mis. peraturan yang mencabutnya."),
)
"""The SOP's fields the identity sheet does not print (or prints only inside another cell), as
``(key, label, note)``: a table of ``label | value`` rows right of the printed one, each label carrying
its note. ``sop impor`` reads them by their labels (importing/identity.py)."""

GEOMETRY = {
    Simbol.TERMINATOR: "flowChartTerminator",
    Simbol.PROSES: "flowChartProcess",
    Simbol.KEPUTUSAN: "flowChartDecision",
}
"""Each symbol as a DrawingML preset outline (the names Excel's own flowchart shapes have)."""

GEOMETRY_OFFPAGE = "flowChartOffpageConnector"
"""The off-page connector: where an arrow leaves a printed page, and where it comes in on another."""

# Connection sites of the three flowchart presets, in their cxnLst order: top, left, bottom, right.
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3

TITLE_ROWS = 1  # the procedure's title ("SOP : <judul>"), across the printed table
HEADER_ROWS = TITLE_ROWS + 3  # the title, two rows of headings, the row numbering the columns: on every page
TITLE_PREFIX = "SOP : "
"""How the title row begins: the import reads "SOP : <judul>" as the procedure's title (``nama_prosedur``
when it differs from the SOP's name)."""
EMU_PX = 9525
EMU_PT = 12700
_MDW = 7  # the maximum digit width of Calibri 11 in pixels: Excel's unit of column width

W_NO, W_KEGIATAN, W_PELAKSANA = 5, 36, 15
W_MUTU = (22, 11, 22)  # Kelengkapan, Waktu, Output
W_KETERANGAN = 20
W_GAP, W_HELPER = 3, 26
W_FLOW = 11
LINE_PT = 12.0  # one line of 9-point text, with its leading
SYMBOL_H = {Simbol.TERMINATOR: 22.0, Simbol.PROSES: 24.0, Simbol.KEPUTUSAN: 34.0}
SYMBOL_W = 0.62  # of the actor's column
EXTRA_CAPSULE = 30.0  # room a separate Mulai/Selesai capsule takes in the first/last row

NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
DRAWING_PART = "xl/drawings/drawing1.xml"
LOGO_DRAWING_PART = "xl/drawings/drawing2.xml"
"""The Identitas sheet's drawing: the institution's logo, when it has one."""
REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LOGO_MAX_H = 28 / 25.4 * 72  # points: 28 mm, as the printed sheet's logo (sheet.css)
LOGO_MAX_W = 0.6  # of the header cell's width, as the printed sheet's

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(size=9)
_BOLD = Font(size=9, bold=True)
_TITLE = Font(size=11, bold=True)
_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_PAPER = {"A4": 9, "F4": 14}  # F4 (215 × 330 mm) prints on Excel's Folio (8.5 × 13 in)
_PAGE_PT = {9: (842.0, 595.0), 14: (936.0, 612.0)}  # each paper landscape, in points (width, height)
MARGIN_SIDE_IN, MARGIN_TOP_IN = 0.4, 0.5
FIT = 0.96  # of the printable width and height the table is laid out to: room for a spreadsheet's rounding
OFFPAGE_W, OFFPAGE_H = 18.0, 15.0  # an off-page connector (pentagon), in points
OFFPAGE_GAP = 9.0  # the arrow between a symbol and its off-page connector
OFFPAGE_ROOM = OFFPAGE_H + OFFPAGE_GAP + 3  # room a row gives its connector above or below its symbol


def col_px(width: float) -> int:
    """A column ``width`` (in characters) in pixels, as Excel computes it."""
    return int(((256 * width + int(128 / _MDW)) / 256) * _MDW)


def export_xlsx(sop: Sop, kertas: str | None = None, logo: Logo | None = None) -> bytes:
    """The workbook of ``sop``: its bytes depend on the SOP only (and the paper, and the logo of its
    institution as accepted by :func:`sopcode.model.logo.read_logo`, drawn in the header cell)."""
    book = Workbook()
    identitas = book.active
    assert identitas is not None
    identitas.title = SHEET_IDENTITAS
    paper = _PAPER.get(kertas or sop.instansi.kertas, 9)
    logo_box = _identity_sheet(identitas, sop, paper, logo)
    prosedur = book.create_sheet(SHEET_PROSEDUR)
    layout = _procedure_sheet(prosedur, sop, paper)
    stamp = dt.datetime.combine(sop.tanggal_terakhir() or dt.date(2000, 1, 1), dt.time())
    book.properties.creator = "sop ekspor"
    book.properties.title = _clean(str(sop.nama))
    book.properties.identifier = _clean(sop.id)  # the SOP's id, for an import to name its file by
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source:
        for name in source.namelist():
            parts[name] = source.read(name)
    sheet_part = f"xl/worksheets/sheet{book.worksheets.index(prosedur) + 1}.xml"
    _add_drawing(parts, sheet_part, _drawing_xml(sop, layout))
    if logo is not None and logo_box is not None:
        _add_drawing(parts, f"xl/worksheets/sheet{book.worksheets.index(identitas) + 1}.xml",
                     _logo_xml(logo_box), LOGO_DRAWING_PART)
        _add_picture(parts, LOGO_DRAWING_PART, logo)
    return _zip(parts, stamp)


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _put(sheet: Worksheet, row: int, col: int, text: str, font: Font = _BODY, align: Alignment = _TOP,
         border: bool = True) -> None:
    cell = sheet.cell(row, col)
    assert isinstance(cell, Cell)  # a merged range is written at its top left cell, before it is merged
    _text(cell, text)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = _BORDER


def _merge(sheet: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """Merge a range with its border drawn on every cell of it (Excel draws the merged cell's border
    from its edge cells)."""
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            sheet.cell(r, c).border = _BORDER
    if (r1, c1) != (r2, c2):
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _height(texts: list[tuple[str, float]], minimum: float) -> float:
    """A row's height in points: the most lines any of its cells wraps to (text, column width)."""
    most = 1
    for text, width in texts:
        per_line = max(1, int(width * 1.25))  # 9-point text in a column of ``width`` characters
        n = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n")) if text else 1
        most = max(most, n)
    return max(minimum, most * LINE_PT + 6)


def numbered(items: list[str]) -> str:
    """A box's list as numbered lines, ``-`` when it is empty (as printed)."""
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1)) if items else "-"


def _keterkaitan(item: Keterkaitan) -> str:
    return str(item.teks if item.teks is not None else item.sop or "")


# The identity sheet ---------------------------------------------------------------------------------

def _identity_sheet(sheet: Worksheet, sop: Sop, paper: int, logo: Logo | None = None) -> tuple[Layout, _Box] | None:
    """The identity sheet; with a ``logo``, where its picture goes (see :func:`_logo_place`)."""
    labels = sop.instansi.labels
    for col, width in ((1, 48), (2, 22), (3, 58)):
        sheet.column_dimensions[get_column_letter(col)].width = width
    header = [str(line) for line in sop.instansi.hierarki]
    if sop.unit and (not header or header[-1] != str(sop.unit)):
        header.append(str(sop.unit))
    signer = sop.disahkan_oleh
    nip = sop.identitas("nip")
    signed = "\n".join([sop.identitas("jabatan"), "", "", "", sop.identitas("nama")]
                       + ([f"NIP. {nip}"] if nip else []))
    rows = [
        (labels["nomor"], sop.identitas("nomor")),
        (labels["tanggal_pembuatan"], sop.identitas("tanggal_pembuatan")),
        (labels["tanggal_revisi"], sop.identitas("tanggal_revisi")),
        (labels["tanggal_efektif"], sop.identitas("tanggal_efektif")),
        (labels["disahkan_oleh"], signed if any((signer.jabatan, signer.nama, signer.nip)) else ""),
        (labels["nama"], str(sop.nama)),
    ]
    _put(sheet, 1, 1, "\n".join(header), _BOLD, _CENTER)
    _merge(sheet, 1, 1, len(rows), 1)
    for r, (label, value) in enumerate(rows, 1):
        _put(sheet, r, 2, label, _BOLD)
        _put(sheet, r, 3, value, _BOLD if label == labels["nama"] else _BODY)
        sheet.row_dimensions[r].height = _height([(value, 58)], 20)
    sheet.row_dimensions[len(rows)].height = max(sheet.row_dimensions[len(rows)].height or 0,
                                                 _height([("\n".join(header), 48)], 20) - 5 * 20)
    placed = _logo_place(sheet, logo, len(rows), len(header)) if logo is not None else None
    row = len(rows) + 1
    for (lkey, _), (rkey, _) in zip(KOTAK[0::2], KOTAK[1::2]):
        left = [_keterkaitan(i) if lkey == "keterkaitan" else str(i) for i in sop.kotak(lkey)]
        right = [_keterkaitan(i) if rkey == "keterkaitan" else str(i) for i in sop.kotak(rkey)]
        _put(sheet, row, 1, labels[lkey] + ":", _BOLD)
        _put(sheet, row, 2, labels[rkey] + ":", _BOLD)
        _merge(sheet, row, 2, row, 3)
        _put(sheet, row + 1, 1, numbered(left))
        _put(sheet, row + 1, 2, numbered(right))
        _merge(sheet, row + 1, 2, row + 1, 3)
        sheet.row_dimensions[row].height = 16
        sheet.row_dimensions[row + 1].height = _height([(numbered(left), 48), (numbered(right), 80)], 20)
        row += 2
    _print_setup(sheet, paper, f"A1:C{row - 1}", one_page=True)
    _identity_extra(sheet, sop)
    return placed


def _identity_extra(sheet: Worksheet, sop: Sop) -> None:
    """The unprinted ``label | value`` rows (:data:`IDENTITY_EXTRA`) in columns E and F, an empty column
    apart from the printed table, under a heading that says they are not printed."""
    sheet.column_dimensions["D"].width = W_GAP
    sheet.column_dimensions["E"].width = 18
    sheet.column_dimensions["F"].width = 40
    _put(sheet, 1, 5, UNPRINTED_HEADING, _BOLD, _CENTER)
    sheet.cell(1, 5).comment = Comment(UNPRINTED_NOTE, "sop ekspor", width=260, height=80)
    _merge(sheet, 1, 5, 1, 6)
    dicabut = sop.dicabut
    values = {
        "unit": str(sop.unit or ""),
        "alias": "\n".join(str(a) for a in sop.alias),
        "rujukan_sop": "\n".join(str(i.sop) for i in sop.keterkaitan if i.sop is not None and i.teks is None),
        "diganti_oleh": str(sop.diganti_oleh or ""),
        "dicabut_pada": dicabut.tanggal.isoformat() if dicabut is not None and dicabut.tanggal else "",
        "dicabut_alasan": str(dicabut.alasan or "") if dicabut is not None else "",
    }
    for r, (key, label, note) in enumerate(IDENTITY_EXTRA, 2):
        _put(sheet, r, 5, label, _BOLD)
        sheet.cell(r, 5).comment = Comment(note, "sop ekspor", width=260, height=80)
        _put(sheet, r, 6, values[key])
        if "\n" in values[key]:
            sheet.row_dimensions[r].height = max(sheet.row_dimensions[r].height or 15, _height([(values[key], 40)], 20))


def _logo_place(sheet: Worksheet, logo: Logo, n_rows: int, n_lines: int) -> tuple[Layout, _Box]:
    """The logo's box in the header cell (rows 1 to ``n_rows`` of column A), as the printed sheet draws
    it: at most 28 mm high and 60 % of the cell wide, its proportions kept, centred, right above the
    institution's lines (centred in the cell); the cell's last row grows when the logo and the lines do
    not fit one above the other."""
    cell_w = col_px(sheet.column_dimensions["A"].width) * EMU_PX
    h = round(LOGO_MAX_H * EMU_PT)
    w = round(h * logo.lebar / logo.tinggi)
    if w > cell_w * LOGO_MAX_W:
        w = round(cell_w * LOGO_MAX_W)
        h = round(w * logo.tinggi / logo.lebar)
    text = n_lines * LINE_PT
    pad, gap = 4.0, 4.0
    total = sum(sheet.row_dimensions[r].height or 15 for r in range(1, n_rows + 1))
    need = text + 2 * (h / EMU_PT + gap + pad)  # the lines stay centred: as much room below them as above
    if total < need:
        sheet.row_dimensions[n_rows].height = (sheet.row_dimensions[n_rows].height or 15) + math.ceil(need - total)
        total = sum(sheet.row_dimensions[r].height or 15 for r in range(1, n_rows + 1))
    y = round(((total - text) / 2 - gap) * EMU_PT) - h
    col_x = [0, cell_w]
    row_y = [0]
    for r in range(1, n_rows + 1):
        row_y.append(row_y[-1] + round((sheet.row_dimensions[r].height or 15) * EMU_PT))
    return Layout(col_x, row_y, 0, 0), _Box(2, (cell_w - w) // 2, y, w, h)


def _print_setup(sheet: Worksheet, paper: int, area: str, one_page: bool = False) -> None:
    """Landscape on the institution's paper, as wide as the page; ``one_page``: the whole sheet on one
    page (the identity sheet), else as many pages as the rows need (broken where the sheet's row breaks
    say, see :func:`_paginate`), the headings repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_area = area
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "Halaman &P dari &N"
    sheet.page_margins.left = sheet.page_margins.right = MARGIN_SIDE_IN
    sheet.page_margins.top = sheet.page_margins.bottom = MARGIN_TOP_IN


# The procedure sheet --------------------------------------------------------------------------------

@dataclass
class Layout:
    """Where the procedure table's cells lie, in EMU from the sheet's top left corner."""

    col_x: list[int]  # left edge of each column (0-based), and the right edge of the last
    row_y: list[int]  # top edge of each row (0-based), and the bottom edge of the last
    first_actor_col: int  # 0-based column of the first actor
    first_step_row: int  # 0-based row of the first step
    page_of: list[int] = field(default_factory=list)  # each step's printed page (0-based)
    room_above: set[int] = field(default_factory=set)  # steps with an off-page connector above their symbol
    room_below: set[int] = field(default_factory=set)  # steps with an off-page connector below their symbol


def _procedure_sheet(sheet: Worksheet, sop: Sop, paper: int) -> Layout:
    actors = [str(a) for a in sop.pelaksana]
    n = len(actors)
    widths = [W_NO, W_KEGIATAN, *([W_PELAKSANA] * n), *W_MUTU, W_KETERANGAN, W_GAP, W_HELPER,
              *([W_FLOW] * (len(FLOW_COLUMNS) + 1))]
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    c_act = 3
    c_mutu = c_act + n
    c_ket = c_mutu + 3
    c_help = c_ket + 2
    # The title row: the procedure's title (its own, else the SOP's name) across the printed table, as
    # the printed sheet heads each procedure page with it; repeated on every page with the headings.
    title = f"{TITLE_PREFIX}{sop.judul_prosedur}"
    _put(sheet, 1, 1, title, _TITLE, _CENTER)
    _merge(sheet, 1, 1, 1, c_ket)
    # The two heading rows and the row numbering the columns.
    h1, h2, h3 = TITLE_ROWS + 1, TITLE_ROWS + 2, TITLE_ROWS + 3
    for col, label in ((1, "No"), (2, "Kegiatan"), (c_ket, "Keterangan")):
        _put(sheet, h1, col, label, _BOLD, _CENTER)
        _merge(sheet, h1, col, h2, col)
    _put(sheet, h1, c_act, "Pelaksana", _BOLD, _CENTER)
    _merge(sheet, h1, c_act, h1, c_mutu - 1)
    _put(sheet, h1, c_mutu, "Mutu Baku", _BOLD, _CENTER)
    _merge(sheet, h1, c_mutu, h1, c_ket - 1)
    for k, actor in enumerate(actors):
        _put(sheet, h2, c_act + k, actor, _BOLD, _CENTER)
    for k, label in enumerate(("Kelengkapan", "Waktu", "Output")):
        _put(sheet, h2, c_mutu + k, label, _BOLD, _CENTER)
    for col in range(1, c_ket + 1):
        _put(sheet, h3, col, str(col), _BODY, _CENTER)
    c_term = c_help + len(FLOW_COLUMNS) + 1
    # Over the unprinted columns, in the title row: what they are (and the rows of both tables stay alike).
    _put(sheet, 1, c_help, UNPRINTED_HEADING, _BOLD, _CENTER)
    sheet.cell(1, c_help).comment = Comment(UNPRINTED_NOTE, "sop ekspor", width=260, height=80)
    _merge(sheet, 1, c_help, 1, c_term)
    _put(sheet, h1, c_help, PELAKSANA_LANGKAH, _BOLD, _CENTER)
    _merge(sheet, h1, c_help, h3, c_help)
    for k, label in enumerate(FLOW_COLUMNS, 1):
        _put(sheet, h1, c_help + k, label, _BOLD, _CENTER)
        sheet.cell(h1, c_help + k).comment = Comment(FLOW_NOTES[label], "sop ekspor", width=220, height=80)
        _merge(sheet, h1, c_help + k, h3, c_help + k)
    # The SOP's terminator, in the heading rows (it is the SOP's, not a step's; inserting or deleting
    # steps' rows leaves it where it is). The drawing says it too, but a program that drops drawings
    # would lose it.
    _put(sheet, h1, c_term, TERMINATOR_COLUMN, _BOLD, _CENTER)
    sheet.cell(h1, c_term).comment = Comment(TERMINATOR_NOTE, "sop ekspor", width=260, height=100)
    _merge(sheet, h1, c_term, h2, c_term)
    _put(sheet, h3, c_term, sop.terminator, _BODY, _CENTER)
    sheet.row_dimensions[1].height = _height([(title, sum(widths[:c_ket]) * 0.8)], 22)
    sheet.row_dimensions[h1].height = 16
    sheet.row_dimensions[h2].height = _height([(a, W_PELAKSANA) for a in actors], 16)
    sheet.row_dimensions[h3].height = 13
    last = len(sop.langkah) - 1
    for i, step in enumerate(sop.langkah):
        row = HEADER_ROWS + 1 + i
        kelengkapan = "\n".join(str(t) for t in step.mutu_baku.kelengkapan)
        output = "\n".join(str(t) for t in step.mutu_baku.output)
        waktu = str(step.mutu_baku.waktu) if step.mutu_baku.waktu is not None else ""
        cells = [(1, str(step.no)), (2, str(step.kegiatan)), (c_mutu, kelengkapan), (c_mutu + 1, waktu),
                 (c_mutu + 2, output), (c_ket, str(step.keterangan or ""))]
        for col in range(1, c_ket + 1):
            _put(sheet, row, col, "")
        for col, text in cells:
            _put(sheet, row, col, text, _BODY, _CENTER if col == 1 else _TOP)
        if text := "\n".join(str(a) for a in step.semua_pelaksana):
            _put(sheet, row, c_help, text)
        _flow_cells(sheet, row, c_help + 1, sop, i)
        minimum = SYMBOL_H[step.simbol] + 20
        if sop.terminator_terpisah and i in (0, last):
            minimum += EXTRA_CAPSULE
        sheet.row_dimensions[row].height = _height([(t, widths[c - 1]) for c, t in cells], minimum)
    first, end = HEADER_ROWS + 1, HEADER_ROWS + max(len(sop.langkah), 1)
    actor_list = DataValidation(
        type="list", formula1=f"${get_column_letter(c_act)}${h2}:${get_column_letter(c_mutu - 1)}${h2}",
        allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle="Pelaksana tidak dikenal", error="Pilih salah satu nama di baris judul kolom Pelaksana.",
        promptTitle=PELAKSANA_LANGKAH,
        prompt="Pilih pelaksana langkah ini; simbolnya digambar di kolom pelaksana itu.")
    actor_list.add(f"{get_column_letter(c_help)}{first}:{get_column_letter(c_help)}{end + 20}")
    w = get_column_letter(c_mutu + 1)
    units = ",".join(f'RIGHT(TRIM({w}{first}),{len(u)})="{u}"' for u in ("menit", "jam", "hari", "kerja", "hk"))
    waktu_unit = DataValidation(
        type="custom", formula1=f"OR({units})", allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle="Satuan waktu", error="Tulis waktu dengan angka dan satuannya: menit, jam, atau hari (mis. 15 menit).",
        promptTitle="Waktu", prompt="Angka dan satuan waktu: menit, jam, atau hari (mis. 15 menit, 1-2 hari).")
    waktu_unit.add(f"{w}{first}:{w}{end + 20}")
    sheet.add_data_validation(actor_list)
    sheet.add_data_validation(waktu_unit)
    c_simbol = get_column_letter(c_help + 1)
    simbol_list = DataValidation(
        type="list", formula1='"' + ",".join(s.value for s in Simbol) + '"', allow_blank=True,
        showErrorMessage=True, showInputMessage=True, errorTitle="Simbol", error="Pilih terminator, proses, atau keputusan.",
        promptTitle="Simbol", prompt=FLOW_NOTES["Simbol"])
    simbol_list.add(f"{c_simbol}{first}:{c_simbol}{end + 20}")
    sheet.add_data_validation(simbol_list)
    for k, label in enumerate(FLOW_COLUMNS[1:], 2):
        c = get_column_letter(c_help + k)
        number = DataValidation(
            type="whole", operator="between", formula1="1", formula2="999", allow_blank=True,
            showErrorMessage=True, showInputMessage=True, errorTitle=label, error="Tulis nomor langkah (angka bulat).",
            promptTitle=label, prompt=FLOW_NOTES[label])
        number.add(f"{c}{first}:{c}{end + 20}")
        sheet.add_data_validation(number)
    terminator_list = DataValidation(
        type="list", formula1='"langkah,terpisah"', allow_blank=False, showErrorMessage=True, showInputMessage=True,
        errorTitle=TERMINATOR_COLUMN, error="Pilih langkah atau terpisah.", promptTitle=TERMINATOR_COLUMN,
        prompt=TERMINATOR_NOTE)
    terminator_list.add(f"{get_column_letter(c_term)}{h3}")
    sheet.add_data_validation(terminator_list)
    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    page_of, above, below = _paginate(sheet, sop, widths[:c_ket], paper)
    _print_setup(sheet, paper, f"A1:{get_column_letter(c_ket)}{end}")
    col_x = [0]
    for width in widths:
        col_x.append(col_x[-1] + col_px(width) * EMU_PX)
    row_y = [0]
    for r in range(1, HEADER_ROWS + len(sop.langkah) + 1):
        row_y.append(row_y[-1] + round((sheet.row_dimensions[r].height or 15) * EMU_PT))
    return Layout(col_x, row_y, c_act - 1, HEADER_ROWS, page_of, above, below)


def _paginate(sheet: Worksheet, sop: Sop, printed: list[int], paper: int) -> tuple[list[int], set[int], set[int]]:
    """The procedure table's printed pages, decided here rather than left to the spreadsheet, so the chart
    can say where its flow leaves a page: at the scale that fits the printed columns to the paper's
    width (as the spreadsheet computes it from the columns' widths), the steps' rows packed into pages
    under the repeated headings, with a little room to spare, and a row break set after each page's last
    row. The sheet is still printed "one page wide": a spreadsheet whose font draws wider columns (e.g.
    LibreOffice without Calibri or Carlito) prints smaller and its pages keep the same rows, where a
    fixed scale would cut the table's right columns onto pages of their own. An arrow whose ends fall
    on two pages is drawn as the regulation draws it, an off-page connector under its source and another
    over its target; their rows get the room, which may move a break, so this is repeated until the
    pages stay the same.

    Returns each step's page (0-based) and the steps with a connector above and below their symbol."""
    from openpyxl.worksheet.pagebreak import Break

    page_w, page_h = _PAGE_PT.get(paper, _PAGE_PT[9])
    table_w = sum(col_px(w) for w in printed) * 0.75
    scale = min(1.0, (page_w - 2 * 72 * MARGIN_SIDE_IN) / table_w)
    titles = sum(sheet.row_dimensions[r].height or 15 for r in range(1, HEADER_ROWS + 1))
    room = FIT * (page_h - 2 * 72 * MARGIN_TOP_IN) / scale - titles
    rows = [HEADER_ROWS + 1 + i for i in range(len(sop.langkah))]
    base = [sheet.row_dimensions[r].height or 15 for r in rows]
    graph = Graph(sop)
    above: set[int] = set()
    below: set[int] = set()
    page_of: list[int] = []
    for _ in range(2 * len(rows) + 2):  # each round adds a room, of 2 per step at most: this ends
        page_of, used = [], 0.0
        for i, h in enumerate(base):
            h += OFFPAGE_ROOM * ((i in above) + (i in below))
            if page_of and used + h > room:
                page_of.append(page_of[-1] + 1)
                used = h
            else:
                page_of.append(page_of[-1] if page_of else 0)
                used += h
        crossing = [(graph.index[e.src], graph.index[e.dst]) for e in graph.edges
                    if page_of[graph.index[e.src]] != page_of[graph.index[e.dst]]]
        more_above = above | {j for _, j in crossing}
        more_below = below | {i for i, _ in crossing}
        if (more_above, more_below) == (above, below):
            break
        above, below = more_above, more_below
    for i, r in enumerate(rows):
        sheet.row_dimensions[r].height = base[i] + OFFPAGE_ROOM * ((i in above) + (i in below))
        if i + 1 < len(rows) and page_of[i + 1] != page_of[i]:
            sheet.row_breaks.append(Break(id=r))
    return page_of, above, below


def _flow_cells(sheet: Worksheet, row: int, col: int, sop: Sop, i: int) -> None:
    """The step's Simbol, Ya, Tidak, Lanjut in the cells from ``col`` on: numbers as numbers, Lanjut only
    where the flow does not simply go on to the next row's step."""
    step = sop.langkah[i]
    following = sop.langkah[i + 1].no if i + 1 < len(sop.langkah) else None
    lanjut = step.lanjut if step.lanjut != following else None
    _put(sheet, row, col, step.simbol.value)
    for k, value in enumerate((step.ya, step.tidak, lanjut), 1):
        cell = sheet.cell(row, col + k)
        cell.border = _BORDER
        cell.font = _BODY
        if value is not None:
            cell.value = int(value)


# The chart ------------------------------------------------------------------------------------------

@dataclass
class _Box:
    id: int
    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    def site(self, idx: int) -> tuple[int, int]:
        return {TOP: (self.x + self.w // 2, self.y), LEFT: (self.x, self.y + self.h // 2),
                BOTTOM: (self.x + self.w // 2, self.y + self.h), RIGHT: (self.x + self.w, self.y + self.h // 2)}[idx]


class _Drawing:
    """The drawing part being written: anchors in drawing order, ids counted from 2 (1 is the sheet's)."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.root = etree.Element(f"{{{NS_XDR}}}wsDr", nsmap={"xdr": NS_XDR, "a": NS_A, "r": NS_R})
        self.next_id = 2
        self.arrivals: set[int] = set()  # steps whose off-page connector is drawn

    def _cell(self, x: int, y: int) -> tuple[int, int, int, int]:
        """(col, colOff, row, rowOff) of a point."""
        xs, ys = self.layout.col_x, self.layout.row_y
        col = max(0, min(len(xs) - 2, next((k for k in range(len(xs) - 1) if x < xs[k + 1]), len(xs) - 2)))
        row = max(0, min(len(ys) - 2, next((k for k in range(len(ys) - 1) if y < ys[k + 1]), len(ys) - 2)))
        return col, x - xs[col], row, y - ys[row]

    def _anchor(self, x: int, y: int, w: int, h: int) -> etree._Element:
        anchor = etree.SubElement(self.root, f"{{{NS_XDR}}}twoCellAnchor")
        for tag, (px, py) in (("from", (x, y)), ("to", (x + w, y + h))):
            mark = etree.SubElement(anchor, f"{{{NS_XDR}}}{tag}")
            for name, value in zip(("col", "colOff", "row", "rowOff"), self._cell(px, py)):
                etree.SubElement(mark, f"{{{NS_XDR}}}{name}").text = str(value)
        return anchor

    @staticmethod
    def _xfrm(parent: etree._Element, x: int, y: int, w: int, h: int, flip_h: bool = False,
              flip_v: bool = False) -> None:
        xfrm = etree.SubElement(parent, f"{{{NS_A}}}xfrm")
        if flip_h:
            xfrm.set("flipH", "1")
        if flip_v:
            xfrm.set("flipV", "1")
        etree.SubElement(xfrm, f"{{{NS_A}}}off", x=str(x), y=str(y))
        etree.SubElement(xfrm, f"{{{NS_A}}}ext", cx=str(w), cy=str(h))

    @staticmethod
    def _line_props(parent: etree._Element, arrow: bool, head_at_start: bool = False) -> None:
        ln = etree.SubElement(parent, f"{{{NS_A}}}ln", w="9525")
        fill = etree.SubElement(ln, f"{{{NS_A}}}solidFill")
        etree.SubElement(fill, f"{{{NS_A}}}srgbClr", val="000000")
        if arrow:
            etree.SubElement(ln, f"{{{NS_A}}}{'headEnd' if head_at_start else 'tailEnd'}", type="triangle", w="med", len="med")

    def shape(self, geometry: str, x: int, y: int, w: int, h: int, name: str, descr: str = "",
              text: str = "", text_box: bool = False) -> _Box:
        box = _Box(self.next_id, x, y, w, h)
        self.next_id += 1
        anchor = self._anchor(x, y, w, h)
        sp = etree.SubElement(anchor, f"{{{NS_XDR}}}sp", macro="", textlink="")
        nv = etree.SubElement(sp, f"{{{NS_XDR}}}nvSpPr")
        pr = etree.SubElement(nv, f"{{{NS_XDR}}}cNvPr", id=str(box.id), name=_clean(name))
        if descr:
            pr.set("descr", _clean(descr))
        c_nv = etree.SubElement(nv, f"{{{NS_XDR}}}cNvSpPr")
        if text_box:
            c_nv.set("txBox", "1")
        sp_pr = etree.SubElement(sp, f"{{{NS_XDR}}}spPr")
        self._xfrm(sp_pr, x, y, w, h)
        geom = etree.SubElement(sp_pr, f"{{{NS_A}}}prstGeom", prst=geometry)
        etree.SubElement(geom, f"{{{NS_A}}}avLst")
        if text_box:
            etree.SubElement(sp_pr, f"{{{NS_A}}}noFill")
            etree.SubElement(etree.SubElement(sp_pr, f"{{{NS_A}}}ln"), f"{{{NS_A}}}noFill")
        else:
            fill = etree.SubElement(sp_pr, f"{{{NS_A}}}solidFill")
            etree.SubElement(fill, f"{{{NS_A}}}srgbClr", val="FFFFFF")
            ln = etree.SubElement(sp_pr, f"{{{NS_A}}}ln", w="12700")
            line_fill = etree.SubElement(ln, f"{{{NS_A}}}solidFill")
            etree.SubElement(line_fill, f"{{{NS_A}}}srgbClr", val="000000")
        body = etree.SubElement(sp, f"{{{NS_XDR}}}txBody")
        etree.SubElement(body, f"{{{NS_A}}}bodyPr", vertOverflow="overflow", horzOverflow="overflow",
                         wrap="none", lIns="0", tIns="0", rIns="0", bIns="0", rtlCol="0", anchor="ctr")
        etree.SubElement(body, f"{{{NS_A}}}lstStyle")
        p = etree.SubElement(body, f"{{{NS_A}}}p")
        etree.SubElement(p, f"{{{NS_A}}}pPr", algn="ctr")
        if text:
            run = etree.SubElement(p, f"{{{NS_A}}}r")
            etree.SubElement(run, f"{{{NS_A}}}rPr", lang="id-ID", sz="700")
            etree.SubElement(run, f"{{{NS_A}}}t").text = _clean(text)
        else:
            etree.SubElement(p, f"{{{NS_A}}}endParaRPr", lang="id-ID", sz="700")
        etree.SubElement(anchor, f"{{{NS_XDR}}}clientData")
        return box

    def connector(self, a: _Box, a_site: int, b: _Box, b_site: int, name: str, descr: str = "",
                  via_x: int | None = None, arrow: bool = True, head_at_start: bool = False) -> tuple[int, int]:
        """A connector glued from ``a``'s site to ``b``'s: straight when they line up, one bend (out of a
        side, into a top) between consecutive rows, and three segments beside the columns through
        ``via_x`` for side to side. ``head_at_start``: the arrow points at ``a`` (a bend that must leave
        ``b`` vertically is drawn from ``a``, whose side it leaves horizontally). Returns its start point."""
        (x1, y1), (x2, y2) = a.site(a_site), b.site(b_site)
        adj: int | None = None
        if via_x is not None:
            geometry = "bentConnector3"
            if x1 == x2:
                x2 += EMU_PT  # a three-segment connector needs a width to be bent in
            x, w = min(x1, x2), abs(x2 - x1)
            flip_h = x1 > x2
            along = (x + w - via_x) if flip_h else (via_x - x)
            adj = round(along * 100000 / w)
        elif x1 == x2 or y1 == y2:
            geometry = "straightConnector1"
            flip_h = x1 > x2
        else:
            geometry = "bentConnector2"
            flip_h = x1 > x2
        flip_v = y1 > y2
        x, y, w, h = min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)
        anchor = self._anchor(x, y, w, h)
        cxn = etree.SubElement(anchor, f"{{{NS_XDR}}}cxnSp", macro="")
        nv = etree.SubElement(cxn, f"{{{NS_XDR}}}nvCxnSpPr")
        pr = etree.SubElement(nv, f"{{{NS_XDR}}}cNvPr", id=str(self.next_id), name=_clean(name))
        self.next_id += 1
        if descr:
            pr.set("descr", _clean(descr))
        c_nv = etree.SubElement(nv, f"{{{NS_XDR}}}cNvCxnSpPr")
        etree.SubElement(c_nv, f"{{{NS_A}}}stCxn", id=str(a.id), idx=str(a_site))
        etree.SubElement(c_nv, f"{{{NS_A}}}endCxn", id=str(b.id), idx=str(b_site))
        sp_pr = etree.SubElement(cxn, f"{{{NS_XDR}}}spPr")
        self._xfrm(sp_pr, x, y, w, h, flip_h, flip_v)
        geom = etree.SubElement(sp_pr, f"{{{NS_A}}}prstGeom", prst=geometry)
        av = etree.SubElement(geom, f"{{{NS_A}}}avLst")
        if adj is not None:
            etree.SubElement(av, f"{{{NS_A}}}gd", name="adj1", fmla=f"val {adj}")
        self._line_props(sp_pr, arrow, head_at_start)
        etree.SubElement(anchor, f"{{{NS_XDR}}}clientData")
        return x1, y1

    def label(self, text: str, x: int, y: int, name: str) -> None:
        w, h = round(len(text) * 4.2 * EMU_PT + 4 * EMU_PT), round(10 * EMU_PT)
        self.shape("rect", x, y, w, h, name, text=text, text_box=True)


def _drawing_xml(sop: Sop, layout: Layout) -> bytes:
    drawing = _Drawing(layout)
    xs, ys = layout.col_x, layout.row_y
    actors = [str(a) for a in sop.pelaksana]
    boxes: dict[int, _Box] = {}  # step index → its symbol
    last = len(sop.langkah) - 1
    start = end = None
    for i, step in enumerate(sop.langkah):
        row = layout.first_step_row + i
        top, bottom = ys[row], ys[row + 1]
        if sop.terminator_terpisah and i == 0:
            top += round(EXTRA_CAPSULE * EMU_PT)
        if sop.terminator_terpisah and i == last:
            bottom -= round(EXTRA_CAPSULE * EMU_PT)
        top += round(OFFPAGE_ROOM * EMU_PT) * (i in layout.room_above)
        bottom -= round(OFFPAGE_ROOM * EMU_PT) * (i in layout.room_below)
        h = round(SYMBOL_H[step.simbol] * EMU_PT)
        y = (top + bottom - h) // 2
        for k, actor in enumerate(step.semua_pelaksana):
            if actor not in actors:
                continue
            col = layout.first_actor_col + actors.index(actor)
            cw = xs[col + 1] - xs[col]
            w = round(cw * SYMBOL_W)
            box = drawing.shape(GEOMETRY[step.simbol], xs[col] + (cw - w) // 2, y, w, h,
                                f"Langkah {step.no}" + (f" ({actor})" if k else ""),
                                f"Langkah {step.no}: {step.simbol.value}, {actor}")
            if k == 0:
                boxes[i] = box
            elif i in boxes:  # a further actor of a joint step: joined by a plain line
                main = boxes[i]
                side = (RIGHT, LEFT) if box.x > main.x else (LEFT, RIGHT)
                drawing.connector(main, side[0], box, side[1], f"Garis langkah {step.no}", arrow=False)
        if sop.terminator_terpisah and i in (0, last) and i in boxes:
            main = boxes[i]
            cap_h = round(SYMBOL_H[Simbol.TERMINATOR] * EMU_PT)
            cap_y = ys[row] + round(4 * EMU_PT) if i == 0 else ys[row + 1] - round(4 * EMU_PT) - cap_h
            cap = drawing.shape(GEOMETRY[Simbol.TERMINATOR], main.x, cap_y, main.w, cap_h,
                                "Mulai" if i == 0 else "Selesai", text="Mulai" if i == 0 else "Selesai")
            if i == 0:
                start = cap
            else:
                end = cap
    if start is not None and 0 in boxes:
        drawing.connector(start, BOTTOM, boxes[0], TOP, "Panah mulai")
    _arrows(sop, drawing, boxes, layout)
    if end is not None and last in boxes:
        drawing.connector(boxes[last], BOTTOM, end, TOP, "Panah selesai")
    return etree.tostring(drawing.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _arrows(sop: Sop, drawing: _Drawing, boxes: dict[int, _Box], layout: Layout) -> None:
    """Every arrow of the flow: down (or out of a side and down) into the next row's symbol, and beside
    the columns, side to side, to any other row on the same printed page; to a step on another page,
    into an off-page connector under the symbol (out of its bottom, else a free side), the target's
    connector drawn over it on its page; a decision's branches labelled where they leave it."""
    graph = Graph(sop)
    xs = layout.col_x
    margin = round(6 * EMU_PT)
    for i, step in enumerate(sop.langkah):
        a = boxes.get(i)
        if a is None or graph.index.get(step.no) != i:
            continue
        routes: list[tuple[Edge, _Box, int | None]] = []  # (edge, target, exit site; None: beside the columns)
        leaving: list[tuple[Edge, int]] = []  # to a step on another printed page
        taken: set[int] = set()
        for e in (e for e in graph.edges if e.src == step.no):
            j = graph.index[e.dst]
            b = boxes.get(j)
            if b is None:
                continue
            if layout.page_of and layout.page_of[j] != layout.page_of[i]:
                leaving.append((e, j))
            elif j == i + 1:
                down = BOTTOM if abs(b.cx - a.cx) < EMU_PT else (RIGHT if b.x > a.x else LEFT)
                taken.add(down)
                routes.append((e, b, down))
            else:
                routes.append((e, b, None))
        for e, b, exit_site in routes:
            site = exit_site
            name = f"Panah {step.no} ke {e.dst}"
            label = e.label or ""
            if site is None:
                side = LEFT if graph.is_back_edge(e) else RIGHT
                if side in taken:
                    side = RIGHT if side == LEFT else LEFT
                taken.add(side)
                cols = (_col_of(xs, a.x), _col_of(xs, b.x))
                via = xs[min(cols)] + margin if side == LEFT else xs[max(cols) + 1] - margin
                x0, y0 = drawing.connector(a, side, b, side, name, label, via_x=via)
                site = side
            else:
                x0, y0 = drawing.connector(a, site, b, TOP, name, label)
            _branch_label(drawing, label, site, x0, y0, step.no)
        for e, j in leaving:
            site = next(s for s in (BOTTOM, RIGHT, LEFT, TOP) if s not in taken)
            taken.add(site)
            col = _col_of(xs, a.x)
            w, h, gap = round(OFFPAGE_W * EMU_PT), round(OFFPAGE_H * EMU_PT), round(OFFPAGE_GAP * EMU_PT)
            x = {BOTTOM: a.cx - w // 2, RIGHT: xs[col + 1] - w - EMU_PT, LEFT: xs[col] + EMU_PT}.get(site, a.cx - w // 2)
            mark = drawing.shape(GEOMETRY_OFFPAGE, x, a.y + a.h + gap, w, h, f"Penghubung ke langkah {e.dst}",
                                 f"Penghubung antarhalaman ke langkah {e.dst}", text=str(e.dst))
            x0, y0 = drawing.connector(a, site, mark, TOP, f"Panah {step.no} ke penghubung {e.dst}", e.label or "")
            _branch_label(drawing, e.label or "", site, x0, y0, step.no)
            _arriving(sop, drawing, boxes, layout, j)


def _branch_label(drawing: _Drawing, label: str, site: int, x0: int, y0: int, no: int) -> None:
    """A decision's 'Ya'/'Tidak' where its arrow leaves the symbol at ``(x0, y0)``, out of ``site``."""
    if not label:
        return
    width = round((len(label) * 4.2 + 4) * EMU_PT)
    if site == BOTTOM:
        lx, ly = x0 + round(3 * EMU_PT), y0 + round(2 * EMU_PT)
    else:
        lx = x0 - width - round(2 * EMU_PT) if site == LEFT else x0 + round(2 * EMU_PT)
        ly = y0 - round(11 * EMU_PT)
    drawing.label(label, lx, ly, f"Label {label} langkah {no}")


def _arriving(sop: Sop, drawing: _Drawing, boxes: dict[int, _Box], layout: Layout, j: int) -> None:
    """The off-page connector over step ``j``'s symbol, on its page, with its arrow into the symbol: once
    however many arrows from other pages lead to it (they carry its step number, as it does). Over the
    first step of an SOP with a separate Mulai capsule (whose arrow comes down into the symbol's top),
    the connector sits at the column's right edge and its arrow comes into the symbol's right side."""
    if j in drawing.arrivals:
        return
    drawing.arrivals.add(j)
    b = boxes[j]
    no = sop.langkah[j].no
    xs = layout.col_x
    w, h, gap = round(OFFPAGE_W * EMU_PT), round(OFFPAGE_H * EMU_PT), round(OFFPAGE_GAP * EMU_PT)
    name, descr = f"Penghubung langkah {no}", f"Penghubung antarhalaman ke langkah {no}"
    if sop.terminator_terpisah and j == 0:
        col = _col_of(xs, b.x)
        mark = drawing.shape(GEOMETRY_OFFPAGE, xs[col + 1] - w - EMU_PT, b.y - gap - h, w, h, name, descr, text=str(no))
        drawing.connector(b, RIGHT, mark, BOTTOM, f"Panah penghubung ke langkah {no}", head_at_start=True)
    else:
        mark = drawing.shape(GEOMETRY_OFFPAGE, b.cx - w // 2, b.y - gap - h, w, h, name, descr, text=str(no))
        drawing.connector(mark, BOTTOM, b, TOP, f"Panah penghubung ke langkah {no}")


def _col_of(xs: list[int], x: int) -> int:
    return next((k for k in range(len(xs) - 1) if x < xs[k + 1]), len(xs) - 2)


# The package ----------------------------------------------------------------------------------------

def _add_drawing(parts: dict[str, bytes], sheet_part: str, drawing: bytes, part: str = DRAWING_PART) -> None:
    """Put the drawing into the package openpyxl wrote: the part, its relationship from the sheet,
    the sheet's ``<drawing>`` element (in its place in the schema's order) and its content type."""
    parts[part] = drawing
    folder, base = sheet_part.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{base}.rels"
    if rels_name in parts:
        rels = etree.fromstring(parts[rels_name])
    else:
        rels = etree.Element(f"{{{NS_PKG_RELS}}}Relationships", nsmap={None: NS_PKG_RELS})
    taken = {el.get("Id") for el in rels}
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    etree.SubElement(rels, f"{{{NS_PKG_RELS}}}Relationship", Id=rid, Type=REL_DRAWING,
                     Target="../drawings/" + part.rsplit("/", 1)[1])
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    sheet = etree.fromstring(parts[sheet_part])
    element = etree.Element(f"{{{NS_MAIN}}}drawing", nsmap={"r": NS_R})
    element.set(f"{{{NS_R}}}id", rid)
    after = {"legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
             "webPublishItems", "tableParts", "extLst"}
    later = next((el for el in sheet if etree.QName(el).localname in after), None)
    if later is not None:
        later.addprevious(element)
    else:
        sheet.append(element)
    parts[sheet_part] = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{NS_CT}}}Override", PartName="/" + part, ContentType=CT_DRAWING)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)


def _logo_xml(place: tuple[Layout, _Box]) -> bytes:
    """The Identitas sheet's drawing: the logo as a picture anchored in the header cell (moving with
    it, not resized with it; its proportions locked)."""
    layout, box = place
    drawing = _Drawing(layout)
    anchor = drawing._anchor(box.x, box.y, box.w, box.h)
    anchor.set("editAs", "oneCell")
    pic = etree.SubElement(anchor, f"{{{NS_XDR}}}pic")
    nv = etree.SubElement(pic, f"{{{NS_XDR}}}nvPicPr")
    etree.SubElement(nv, f"{{{NS_XDR}}}cNvPr", id=str(box.id), name="Logo instansi", descr="Logo instansi")
    locks = etree.SubElement(nv, f"{{{NS_XDR}}}cNvPicPr")
    etree.SubElement(locks, f"{{{NS_A}}}picLocks", noChangeAspect="1")
    fill = etree.SubElement(pic, f"{{{NS_XDR}}}blipFill")
    etree.SubElement(fill, f"{{{NS_A}}}blip", {f"{{{NS_R}}}embed": "rId1"})
    etree.SubElement(etree.SubElement(fill, f"{{{NS_A}}}stretch"), f"{{{NS_A}}}fillRect")
    sp_pr = etree.SubElement(pic, f"{{{NS_XDR}}}spPr")
    drawing._xfrm(sp_pr, box.x, box.y, box.w, box.h)
    etree.SubElement(etree.SubElement(sp_pr, f"{{{NS_A}}}prstGeom", prst="rect"), f"{{{NS_A}}}avLst")
    etree.SubElement(anchor, f"{{{NS_XDR}}}clientData")
    return etree.tostring(drawing.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_picture(parts: dict[str, bytes], drawing_part: str, logo: Logo) -> None:
    """The logo's bytes as they are (``xl/media/logo.png`` or ``.jpeg``), the drawing's relationship
    ``rId1`` to it, and the content type of its extension."""
    ext = "png" if logo.jenis == "png" else "jpeg"
    parts[f"xl/media/logo.{ext}"] = logo.data
    folder, base = drawing_part.rsplit("/", 1)
    rels = etree.Element(f"{{{NS_PKG_RELS}}}Relationships", nsmap={None: NS_PKG_RELS})
    etree.SubElement(rels, f"{{{NS_PKG_RELS}}}Relationship", Id="rId1", Type=REL_IMAGE, Target=f"../media/logo.{ext}")
    parts[f"{folder}/_rels/{base}.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    if not any(el.get("Extension", "").lower() == ext for el in types):
        default = etree.Element(f"{{{NS_CT}}}Default", Extension=ext, ContentType=f"image/{ext}")
        types.insert(0, default)  # the schema puts every Default before the Overrides
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)


def _zip(parts: dict[str, bytes], stamp: dt.datetime) -> bytes:
    """The package with its entries sorted and every one dated ``stamp``."""
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name])
    return out.getvalue()
