"""The recap of one monitoring period as an Excel workbook (issue 16, item 6): one sheet per unit,
the columns of the annex's form "Monitoring Pelaksanaan SOP AP".

The bytes depend on the data only: the workbook's dates are the period's latest record (or its
last day), and every part of the archive carries one fixed time, so a warm build writes the
same file as a cold one. Text from YAML never becomes a formula: every text cell is stored as
text, and one that starts like a formula (``=``, ``+``, ``-``, ``@``) is also marked so Excel
keeps it as text when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.writer.excel import ExcelWriter

from sopcode.model.monitoring import Penilaian, Periode
from sopcode.model.sop import Sop
from sopcode.text import format_tanggal

KOLOM = ("No", "Prosedur", "Penilaian Terhadap Penerapan", "Catatan Hasil Penilaian",
         "Tindakan yang Harus Diambil", "Penilai (nama, jabatan)", "Tanggal", "Metode")
"""The form's columns, in its order."""
LEBAR = (5, 34, 22, 48, 40, 30, 12, 28)
"""Each column's width, in characters."""
BELUM = "belum dimonitor"
"""What the row of an SOP with no record in the period says."""

HEADER_ROW = 6
"""The header's row: the title takes the rows above it."""
_SHEET_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_name(unit: str, taken: set[str]) -> str:
    """A unit's sheet name: Excel's characters only, at most 31 of them, unlike any in ``taken``."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", unit).split()).strip("'") or "Unit"
    name, n = base[:_SHEET_MAX].rstrip(), 1
    while name.casefold() in taken:  # Excel compares sheet names without case
        n += 1
        suffix = f" ({n})"
        name = base[:_SHEET_MAX - len(suffix)].rstrip() + suffix
    taken.add(name.casefold())
    return name


def monitoring_workbook(periode: Periode, sops: Sequence[Sop], records: Mapping[str, Penilaian],
                        instansi: str) -> bytes:
    """The period's recap: per unit of ``sops`` (sorted by unit), a row per SOP in the order given,
    with its record in ``records`` (SOP id → record) or "belum dimonitor"."""
    by_unit: dict[str, list[Sop]] = defaultdict(list)
    for sop in sops:
        by_unit[sop.nama_unit].append(sop)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    for unit in sorted(by_unit, key=str.casefold):
        sheet = book.create_sheet(sheet_name(unit, taken))
        _title(sheet, periode, unit, instansi)
        for col, (label, width) in enumerate(zip(KOLOM, LEBAR), 1):
            cell = sheet.cell(HEADER_ROW, col)
            _text(cell, label)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = _BORDER
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
        for n, sop in enumerate(by_unit[unit], 1):
            _row(sheet, HEADER_ROW + n, n, sop, records.get(sop.id))
    if not book.worksheets:
        _title(book.create_sheet("Rekap"), periode, "-", instansi)
    dates = [r.tanggal for r in records.values()]
    stamp = dt.datetime.combine(max(dates, default=periode.akhir), dt.time())
    book.properties.creator = instansi or None
    book.properties.title = f"Rekap Monitoring Pelaksanaan SOP AP {periode.label}"
    book.properties.created = book.properties.modified = stamp
    return _fixed_bytes(book, stamp)


def _title(sheet, periode: Periode, unit: str, instansi: str) -> None:
    """The rows above the header: the form's title, the institution, the unit, the period."""
    _text(sheet.cell(1, 1), "MONITORING PELAKSANAAN SOP AP").font = Font(bold=True, size=13)
    _text(sheet.cell(2, 1), instansi)
    _text(sheet.cell(3, 1), f"Unit kerja: {unit}")
    _text(sheet.cell(4, 1), f"Periode: {periode.label} ({format_tanggal(periode.mulai)} - {format_tanggal(periode.akhir)})")


def _row(sheet, row: int, n: int, sop: Sop, record: Penilaian | None) -> None:
    prosedur = f"{sop.nama} ({sop.nomor})" if sop.nomor else str(sop.nama)
    if record is None:
        values: list[object] = [n, prosedur, BELUM, "", "", "", None, ""]
    else:
        values = [n, prosedur, record.penilaian, record.catatan, record.tindakan,
                  f"{record.penilai_nama}, {record.penilai_jabatan}", record.tanggal, ", ".join(record.metode)]
    for col, value in enumerate(values, 1):
        cell = sheet.cell(row, col)
        if isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "dd/mm/yyyy"
        elif isinstance(value, int):
            cell.value = value
        elif value is not None:
            _text(cell, str(value))
        cell.alignment = _WRAP
        cell.border = _BORDER


CELL_MAX = 32767
"""The most characters (UTF-16 code units) an Excel cell holds; a longer text makes Excel call the file damaged."""
CUT = " … (teks dipotong: satu sel Excel memuat paling banyak 32.767 karakter; teks lengkap ada di berkas YAML-nya)"


def _fit(text: str) -> str:
    """``text`` as a cell can hold it: cut with a note when it is longer than :data:`CELL_MAX`."""
    def units(t: str) -> int:
        return len(t.encode("utf-16-le")) // 2

    if units(text) <= CELL_MAX:
        return text
    room = CELL_MAX - units(CUT)
    keep = room
    while (over := units(text[:keep]) - room) > 0:  # characters beyond the BMP count twice
        keep -= over
    return text[:keep] + CUT


def _text(cell: Cell, text: str) -> Cell:
    """Text stored as text: never read as a formula, whatever it starts with (control characters,
    refused in YAML already, would make openpyxl fail: replaced, never written), and never longer
    than a cell holds."""
    cell.value = _fit(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def _fixed_bytes(book: Workbook, stamp: dt.datetime) -> bytes:
    """The workbook's bytes with every part of the archive dated ``stamp`` (openpyxl dates them now)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
