"""`sop ekspor ID --xlsx`: one SOP as an Excel workbook in the regulation's layout (issue 19, item 4).

What a user opening the workbook sees: the identity sheet's rows and boxes, the procedure table with
its headings, one row per step, the flowchart as Excel shapes in the actors' columns, drop-down lists
and checks where a person types, a landscape print with the headings on every page; and the same bytes
for the same SOP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import FIXTURES, ROOT, run_sop, sop_main
from gen_sop import random_sop
from sopcode.diagnostics import Loc
from sopcode.model.graph import Graph
from sopcode.model.load import load_folder
from sopcode.model.sop import Sop, Teks
from sopcode.sheets.excel import (
    DRAWING_PART,
    FLOW_COLUMNS,
    FLOW_NOTES,
    GEOMETRY,
    HEADER_ROWS,
    IDENTITY_EXTRA,
    PELAKSANA_LANGKAH,
    SHEET_IDENTITAS,
    SHEET_PROSEDUR,
    UNPRINTED_HEADING,
    export_xlsx,
)

XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def keramaian() -> Sop:
    return next(s for s in load_folder(str(ROOT / "sop_data")).sops if s.id == "sop-rekomendasi-izin-keramaian")


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _drawing(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(DRAWING_PART))


def test_the_same_sop_gives_the_same_bytes_dated_by_the_sop(keramaian: Sop):
    data = export_xlsx(keramaian)
    assert export_xlsx(keramaian) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in z.infolist()} == {(2020, 3, 9, 0, 0, 0)}  # its Tanggal Efektif
    assert _book(data).properties.identifier == "sop-rekomendasi-izin-keramaian"  # for an import to name its file
    assert keramaian.instansi.kertas == "F4"
    assert export_xlsx(keramaian, "A4") != data


def test_identity_sheet_has_the_header_the_rows_and_the_six_boxes(keramaian: Sop):
    sheet = _book(export_xlsx(keramaian))[SHEET_IDENTITAS]
    assert sheet["A1"].value.split("\n") == ["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI",
                                             "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM"]
    rows = {sheet.cell(r, 2).value: sheet.cell(r, 3).value for r in range(1, 7)}
    assert rows["Nomor SOP"] == "300/027/Kec.Bgs/2020"
    assert rows["Tanggal Pembuatan"] == "02 Maret 2020"
    assert rows["Tanggal Revisi"] == "-"
    assert rows["Tanggal Pengesahan"] == "09 Maret 2020"  # the institution's own label
    assert rows["Nama SOP"] == "Pelayanan Rekomendasi Izin Keramaian"
    signer = rows["Disahkan oleh"].split("\n")
    assert signer[0] == "CAMAT BUNGURSARI" and signer[-2:] == ["M.SARIPUL.HAROM.S.Sos", "NIP. 19640104 199101 1 004"]
    assert sheet["A7"].value == "Dasar Hukum:" and sheet["B7"].value == "Kualifikasi Pelaksana:"
    assert sheet["A8"].value.split("\n")[1] == "2. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert sheet["A9"].value == "Keterkaitan:" and sheet["A10"].value.startswith("1. sop-surat-keterangan-domisili\n2. SOP")
    assert sheet["A11"].value == "Peringatan:" and sheet["B11"].value == "Pencatatan dan Pendataan:"
    empty = _book(export_xlsx(dataclasses.replace(keramaian, peringatan=())))[SHEET_IDENTITAS]
    assert empty["A12"].value == "-"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 1)  # one page, as the form is


def test_the_fields_the_identity_sheet_does_not_print_are_in_labelled_cells_right_of_it(keramaian: Sop):
    """Unit kerja, Alias, Rujukan SOP (the Keterkaitan items that are ids of SOPs), Diganti oleh and
    the withdrawal: in columns E and F, an empty column apart from the printed table and outside its
    print area, under a heading saying they are not printed; each label with a note on what it holds."""
    from sopcode.model.sop import Dicabut, Keterkaitan

    loc = Loc("x.yaml", 1, 1)
    sop = dataclasses.replace(
        keramaian, alias=(Teks("SRIK", loc), Teks("Izin keramaian", loc)), diganti_oleh=Teks("sop-baru", loc),
        dicabut=Dicabut(dt.date(2024, 5, 31), Teks("Diganti Perbup 7/2024", loc)),
        keterkaitan=(*keramaian.keterkaitan, Keterkaitan(teks=Teks("SOP Pelayanan Umum", loc))))
    sheet = _book(export_xlsx(sop))[SHEET_IDENTITAS]
    assert sheet.print_area == f"'{SHEET_IDENTITAS}'!$A$1:$C$12"
    assert all(sheet.cell(r, 4).value is None for r in range(1, 13))  # the empty column between
    assert sheet["E1"].value == UNPRINTED_HEADING and "tidak ikut dicetak" in sheet["E1"].comment.text
    rows = {sheet.cell(r, 5).value: sheet.cell(r, 6).value for r in range(2, 2 + len(IDENTITY_EXTRA))}
    assert rows == {
        "Unit kerja": "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM", "Alias": "SRIK\nIzin keramaian",
        "Rujukan SOP": "sop-surat-keterangan-domisili", "Diganti oleh": "sop-baru",
        "Dicabut pada": "2024-05-31", "Alasan dicabut": "Diganti Perbup 7/2024"}
    assert all(sheet.cell(r, 5).comment.text == note for r, (_, _, note) in enumerate(IDENTITY_EXTRA, 2))
    plain = _book(export_xlsx(dataclasses.replace(keramaian, unit=None, keterkaitan=())))[SHEET_IDENTITAS]
    assert [plain.cell(r, 6).value for r in range(2, 2 + len(IDENTITY_EXTRA))] == [None] * len(IDENTITY_EXTRA)


def test_the_procedure_sheet_is_headed_by_its_title_on_every_page():
    """'SOP : <judul>' across the printed columns, bold, in the rows repeated on every page: the
    procedure's own title (nama_prosedur) when it has one, as the seed's 'PENGUKURAN KINERJA'."""
    seed = next(s for s in load_folder(str(ROOT / "sop_data")).sops if s.id == "sop-pengukuran-kinerja-bungursari")
    assert seed.nama_prosedur == "PENGUKURAN KINERJA" and seed.nama != seed.nama_prosedur
    sheet = _book(export_xlsx(seed))[SHEET_PROSEDUR]
    last = get_column_letter(2 + len(seed.pelaksana) + 4)
    assert sheet["A1"].value == "SOP : PENGUKURAN KINERJA" and sheet["A1"].font.b
    assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.print_title_rows == f"$1:${HEADER_ROWS}"


def test_procedure_sheet_has_the_forms_headings_a_row_per_step_and_prints_landscape(keramaian: Sop):
    sheet = _book(export_xlsx(keramaian))[SHEET_PROSEDUR]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:K1", "A2:A3", "B2:B3", "C2:G2", "H2:J2", "K2:K3"} <= merged
    assert sheet["A1"].value == "SOP : Pelayanan Rekomendasi Izin Keramaian"  # the title row, over the table
    assert [sheet.cell(2, c).value for c in (1, 2, 3, 8, 11)] == ["No", "Kegiatan", "Pelaksana", "Mutu Baku", "Keterangan"]
    assert [sheet.cell(3, c).value for c in range(3, 11)] == [*map(str, keramaian.pelaksana),
                                                             "Kelengkapan", "Waktu", "Output"]
    assert [sheet.cell(4, c).value for c in range(1, 12)] == [str(n) for n in range(1, 12)]
    steps = [[sheet.cell(HEADER_ROWS + 1 + i, c).value for c in (1, 2, 9, 10)] for i in range(len(keramaian.langkah))]
    assert steps[0] == ["1", str(keramaian.langkah[0].kegiatan), "10 menit", "Berkas permohonan"]
    assert steps[5][0] == "6" and sheet.cell(HEADER_ROWS + 6, 11).value == "Konsep yang belum sesuai dikembalikan untuk diperbaiki"
    assert sheet.cell(HEADER_ROWS + 1, 8).value.split("\n")[:2] == ["Surat permohonan", "Surat pengantar dari desa"]
    assert sheet.cell(HEADER_ROWS + len(keramaian.langkah) + 1, 1).value is None
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 14  # F4, as _instansi.yaml says
    assert sheet.print_title_rows == "$1:$4"  # the title and the headings on every printed page
    assert sheet.print_area == f"'{SHEET_PROSEDUR}'!$A$1:$K$13"  # the helper column is not printed
    assert _book(export_xlsx(keramaian, "A4"))[SHEET_PROSEDUR].page_setup.paperSize == 9


def test_actor_and_time_cells_carry_a_drop_down_list_and_a_unit_check(keramaian: Sop):
    sheet = _book(export_xlsx(keramaian))[SHEET_PROSEDUR]
    assert sheet["M2"].value == PELAKSANA_LANGKAH
    for i, step in enumerate(keramaian.langkah):
        assert sheet.cell(HEADER_ROWS + 1 + i, 13).value == step.pelaksana
    checks = {str(dv.sqref)[0]: dv for dv in sheet.data_validations.dataValidation}
    actors = checks["M"]
    assert actors.formula1 == "$C$3:$G$3"  # the Pelaksana headings: rename one and the list follows
    assert str(actors.sqref) == "M5:M33"
    assert actors.showErrorMessage and "Pelaksana" in actors.error
    waktu = checks["I"]
    assert str(waktu.sqref) == "I5:I33"
    for unit in ("menit", "jam", "hari"):
        assert f'="{unit}"' in waktu.formula1
    assert "menit, jam, atau hari" in waktu.prompt


def test_each_steps_flow_is_written_in_cells_beside_the_actor_column(keramaian: Sop):
    """Simbol, Ya, Tidak, Lanjut right of Pelaksana langkah (unprinted): what keeps the flow when a
    program drops the drawing; each header carries a note, each column a check."""
    sheet = _book(export_xlsx(keramaian))[SHEET_PROSEDUR]
    assert [sheet.cell(2, c).value for c in range(14, 18)] == list(FLOW_COLUMNS)
    assert all(sheet.cell(2, c).comment is not None and sheet.cell(2, c).comment.text == FLOW_NOTES[name]
               for c, name in zip(range(14, 18), FLOW_COLUMNS))
    for i, step in enumerate(keramaian.langkah):
        row = [sheet.cell(HEADER_ROWS + 1 + i, c).value for c in range(14, 18)]
        following = keramaian.langkah[i + 1].no if i + 1 < len(keramaian.langkah) else None
        assert row == [step.simbol.value, step.ya, step.tidak, step.lanjut if step.lanjut != following else None]
    assert any(step.ya for step in keramaian.langkah)
    checks = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert checks["N5:N33"].type == "list" and checks["N5:N33"].formula1 == '"terminator,proses,keputusan"'
    assert all(checks[f"{c}5:{c}33"].type == "whole" for c in "OPQ")
    assert sheet.print_area == f"'{SHEET_PROSEDUR}'!$A$1:$K$13"
    # the SOP's terminator (separate Mulai/Selesai capsules or not), under its heading right of Lanjut
    assert (sheet["R2"].value, sheet["R4"].value) == ("Terminator", "langkah")
    assert "R2:R3" in {str(r) for r in sheet.merged_cells.ranges} and "terpisah" in sheet["R2"].comment.text
    assert checks["R4"].type == "list" and checks["R4"].formula1 == '"langkah,terpisah"'
    separate = _book(export_xlsx(dataclasses.replace(keramaian, terminator="terpisah")))[SHEET_PROSEDUR]
    assert separate["R4"].value == "terpisah"
    # over them all, in the title row: a heading that says these cells are not printed
    assert sheet["M1"].value == UNPRINTED_HEADING and "M1:R1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "tidak ikut dicetak" in sheet["M1"].comment.text


def _anchors(root: etree._Element) -> list[etree._Element]:
    return root.findall(f"{XDR}twoCellAnchor")


def _cell(anchor: etree._Element, which: str) -> tuple[int, int]:
    mark = anchor.find(f"{XDR}{which}")
    return int(mark.findtext(f"{XDR}row")), int(mark.findtext(f"{XDR}col"))


def _flow_of(root: etree._Element) -> tuple[dict[str, tuple[str, etree._Element]], list[tuple[str, str]]]:
    """The drawing's shapes by id (name, anchor) and its arrows as (from id, to id), the way the arrow
    points (its head at the end, or at the start)."""
    shapes = {}
    for anchor in _anchors(root):
        sp = anchor.find(f"{XDR}sp")
        if sp is not None and sp.find(f"{XDR}nvSpPr/{XDR}cNvSpPr").get("txBox") != "1":
            pr = sp.find(f"{XDR}nvSpPr/{XDR}cNvPr")
            shapes[pr.get("id")] = (pr.get("name"), anchor)
    arrows = []
    for cxn in root.iter(f"{XDR}cxnSp"):
        props = cxn.find(f"{XDR}nvCxnSpPr/{XDR}cNvCxnSpPr")
        ends = (props.find(f"{A}stCxn").get("id"), props.find(f"{A}endCxn").get("id"))
        line = cxn.find(f"{XDR}spPr/{A}ln")
        assert (line.find(f"{A}tailEnd") is None) != (line.find(f"{A}headEnd") is None)  # one arrow head
        arrows.append(ends if line.find(f"{A}tailEnd") is not None else ends[::-1])
    return shapes, arrows


def _text(anchor: etree._Element) -> str:
    return "".join(t.text for t in anchor.iter(f"{A}t"))


@pytest.mark.parametrize("seed", [0, 4, 9])
def test_each_step_is_a_native_shape_in_its_actors_cell_and_arrows_are_glued_connectors(seed: int):
    """Every step's symbol in its actor's cell; every arrow of the flow glued to the symbols it joins,
    or, where it leaves a printed page, to an off-page connector joined to its twin on the other page."""
    sop = random_sop(seed)
    data = export_xlsx(sop)
    shapes, arrows = _flow_of(_drawing(data))
    actors = [str(a) for a in sop.pelaksana]
    symbols, offpage = {}, {}
    for ident, (name, anchor) in shapes.items():
        prst = anchor.find(f"{XDR}sp/{XDR}spPr/{A}prstGeom").get("prst")
        if prst == "flowChartOffpageConnector":
            offpage[ident] = _text(anchor)
            continue
        no = int(name.split()[1])
        symbols[ident] = no
        step = sop.step(no)
        assert prst == GEOMETRY[step.simbol]
        row = HEADER_ROWS + sop.langkah.index(step)
        col = 2 + actors.index(step.pelaksana)
        assert _cell(anchor, "from") == _cell(anchor, "to") == (row, col), f"langkah {no}"
    assert sorted(symbols.values()) == sorted(s.no for s in sop.langkah)
    flow = [(symbols[a], symbols[b]) for a, b in arrows if a in symbols and b in symbols]
    for a, mark in ((a, b) for a, b in arrows if b in offpage):  # through the connector's twin
        flow.extend((symbols[a], symbols[b]) for m, b in arrows if m in offpage and m != mark and offpage[m] == offpage[mark])
    assert sorted(flow) == sorted((e.src, e.dst) for e in Graph(sop).edges)
    labels = [_text(a) for a in _anchors(_drawing(data)) if a.find(f"{XDR}sp/{XDR}nvSpPr/{XDR}cNvSpPr[@txBox='1']") is not None]
    assert sorted(labels) == sorted(e.label for e in Graph(sop).edges if e.label)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "/xl/drawings/drawing1.xml" in z.read("[Content_Types].xml").decode()
        assert "../drawings/drawing1.xml" in z.read("xl/worksheets/_rels/sheet2.xml.rels").decode()
        assert b"<drawing " in z.read("xl/worksheets/sheet2.xml")


def _long_sop_looping_back_over_a_page() -> Sop:
    """29 steps over three printed pages (A4), decisions at steps 23 and 24 going back to 9 and 16."""
    sop = random_sop(9)
    assert len(sop.langkah) >= 25 and sop.instansi.kertas == "A4"
    return sop


def test_a_long_procedure_is_broken_into_pages_between_steps_each_fitting_its_paper():
    """The rows are packed into pages under the repeated headings, a row break after each page's last
    step: each page's rows fit the paper at the scale that fits the table's width to it."""
    sop = _long_sop_looping_back_over_a_page()
    sheet = _book(export_xlsx(sop))[SHEET_PROSEDUR]
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)  # one page wide, as many tall
    breaks = [b.id for b in sheet.row_breaks.brk]
    first, last = HEADER_ROWS + 1, HEADER_ROWS + len(sop.langkah)
    assert breaks and all(first <= r < last for r in breaks)
    px = [int(((256 * sheet.column_dimensions[get_column_letter(c)].width + 18) / 256) * 7) for c in range(1, 14)]
    assert sheet.print_area.endswith(f"$M${HEADER_ROWS + len(sop.langkah)}")
    scale = min(1.0, (842 - 72 * (sheet.page_margins.left + sheet.page_margins.right)) / (sum(px) * 0.75))
    printable = (595 - 72 * (sheet.page_margins.top + sheet.page_margins.bottom)) / scale
    titles = sum(sheet.row_dimensions[r].height for r in range(1, HEADER_ROWS + 1))
    for top, bottom in zip([first, *(b + 1 for b in breaks)], [*breaks, last]):
        used = sum(sheet.row_dimensions[r].height for r in range(top, bottom + 1))
        assert titles + used <= printable, (top, bottom)
        if bottom != last:  # and no page would have taken the next step too
            assert titles + used + sheet.row_dimensions[bottom + 1].height > 0.9 * printable


def test_an_arrow_crossing_a_page_break_ends_and_starts_at_a_pair_of_off_page_connectors(keramaian: Sop):
    """Where the flow leaves a printed page (the next step, or a decision looping back to an earlier
    page), the arrow ends at an off-page connector in its step's row, and another connector carrying
    the same step number starts the arrow into the target's symbol on its page."""
    sop = _long_sop_looping_back_over_a_page()
    data = export_xlsx(sop)
    sheet = _book(data)[SHEET_PROSEDUR]
    breaks = [b.id for b in sheet.row_breaks.brk]

    def page(i: int) -> int:
        return sum(HEADER_ROWS + 1 + i > b for b in breaks)

    graph = Graph(sop)
    crossing = [e for e in graph.edges if page(graph.index[e.src]) != page(graph.index[e.dst])]
    assert any(graph.is_back_edge(e) for e in crossing)  # a loop back over a break
    assert len(crossing) > len(breaks)
    shapes, arrows = _flow_of(_drawing(data))
    marks = {ident: (_text(anchor), _cell(anchor, "from")[0], _cell(anchor, "to")[0]) for ident, (name, anchor) in shapes.items()
             if anchor.find(f"{XDR}sp/{XDR}spPr/{A}prstGeom").get("prst") == "flowChartOffpageConnector"}
    assert all(top == bottom for _, top, bottom in marks.values())  # each inside one row
    expected_out = sorted((str(e.dst), HEADER_ROWS + graph.index[e.src]) for e in crossing)
    expected_in = sorted({(str(e.dst), HEADER_ROWS + graph.index[e.dst]) for e in crossing})
    into = {a for a, b in arrows if a in marks}
    assert sorted((t, r) for ident, (t, r, _) in marks.items() if ident not in into) == expected_out
    assert sorted((t, r) for ident, (t, r, _) in marks.items() if ident in into) == expected_in
    one_page = _book(export_xlsx(keramaian))[SHEET_PROSEDUR]  # nine steps: one page, no connector
    assert not one_page.row_breaks.brk
    assert not [a for a in _anchors(_drawing(export_xlsx(keramaian))) if _text(a).isdigit()]


def test_text_from_yaml_stays_text_in_cells_and_in_the_drawing():
    sop = random_sop(3)
    loc = Loc("x.yaml", 1, 1)
    hostile = Teks('=HYPERLINK("http://contoh.invalid","klik") & <b>"tebal"</b>', loc)
    actor = Teks("Kepala <Seksi> & \"Umum\"", loc)
    old = sop.langkah[0].pelaksana
    steps = tuple(dataclasses.replace(s, pelaksana=actor if s.pelaksana == old else s.pelaksana,
                                      kegiatan=hostile if i == 1 else s.kegiatan)
                  for i, s in enumerate(sop.langkah))
    sop = dataclasses.replace(sop, langkah=steps, pelaksana=tuple(actor if a == old else a for a in sop.pelaksana))
    data = export_xlsx(sop)
    sheet = _book(data)[SHEET_PROSEDUR]
    cell = sheet.cell(HEADER_ROWS + 2, 2)
    assert cell.value == hostile and cell.data_type == "s" and cell.quotePrefix
    assert actor in [sheet.cell(HEADER_ROWS - 1, c).value for c in range(3, 3 + len(sop.pelaksana))]
    names = [el.get("descr") for el in _drawing(data).iter(f"{XDR}cNvPr") if el.get("descr")]
    assert any(n.endswith(f", {actor}") for n in names)


def test_sop_ekspor_writes_the_workbook_and_says_where(tmp_path: Path, keramaian: Sop):
    out = tmp_path / "hasil"
    result = run_sop("ekspor", "sop-rekomendasi-izin-keramaian", "--xlsx", "--keluar", str(out),
                     "--folder", str(ROOT / "sop_data"))
    assert result.returncode == 0, result.stderr
    path = out / "sop-rekomendasi-izin-keramaian.xlsx"
    assert result.stdout.strip() == f"buku kerja Excel: {path} ditulis (lembar Identitas dan Prosedur)"
    assert path.read_bytes() == export_xlsx(keramaian)


def _png(width: int, height: int) -> bytes:
    """A real 8-bit grey PNG of one shade."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\0" + b"\x60" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _with_logo(tmp_path: Path, logo: bytes, name: str = "logo.png") -> Path:
    data = tmp_path / "sop_data"
    data.mkdir()
    settings = (ROOT / "sop_data" / "_instansi.yaml").read_text(encoding="utf-8")
    (data / "_instansi.yaml").write_text(settings + f"logo: {name}\n", encoding="utf-8")
    shutil.copy(ROOT / "sop_data" / "sop-rekomendasi-izin-keramaian.yaml", data)
    (data / name).write_bytes(logo)
    return data


def test_the_institutions_logo_is_a_picture_in_the_identity_header_kept_in_proportion(tmp_path: Path, keramaian: Sop):
    """logo: in _instansi.yaml: the picture sits in the header cell (A1:A6) above the institution's
    lines, at most 28 mm high as on the printed sheet, its proportions kept; same SOP, same bytes."""
    logo = _png(120, 150)
    data = _with_logo(tmp_path, logo)
    out = tmp_path / "hasil"
    args = ("ekspor", "sop-rekomendasi-izin-keramaian", "--xlsx", "--keluar", str(out), "--folder", str(data))
    result = sop_main(*args)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    path = out / "sop-rekomendasi-izin-keramaian.xlsx"
    written = path.read_bytes()
    assert sop_main(*args).returncode == 0 and path.read_bytes() == written
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/media/logo.png") == logo  # the file as it is
        assert 'Extension="png"' in z.read("[Content_Types].xml").decode()
    book = load_workbook(path)
    sheet = book[SHEET_IDENTITAS]
    (picture,) = sheet._images
    assert book[SHEET_PROSEDUR]._images == []
    start = picture.anchor._from
    assert (start.col, picture.anchor.to.col) == (0, 0)  # in column A, the header cell
    assert 0 <= start.row <= picture.anchor.to.row <= 5
    with zipfile.ZipFile(path) as z:
        drawing = etree.fromstring(z.read("xl/drawings/drawing2.xml"))
    (size,) = drawing.iter(f"{A}ext")
    w, h = int(size.get("cx")), int(size.get("cy"))
    assert abs(w / h - 120 / 150) < 0.01  # not distorted
    assert h <= round(28 / 25.4 * 72 * 12700) and h > 70 * 12700  # 28 mm high at most, as printed
    merged_h = sum(sheet.row_dimensions[r].height for r in range(1, 7)) * 12700
    offset = sum(sheet.row_dimensions[r].height for r in range(1, start.row + 1)) * 12700 + start.rowOff
    lines = len(sheet["A1"].value.split("\n"))
    assert offset > 0 and offset + h < (merged_h - lines * 12 * 12700) / 2  # above the centred lines
    assert written != export_xlsx(keramaian)  # without the logo: the workbook of before


def test_a_logo_that_is_not_taken_is_said_and_the_workbook_is_written_without_it(tmp_path: Path, keramaian: Sop):
    data = _with_logo(tmp_path, b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg")
    out = tmp_path / "hasil"
    result = sop_main("ekspor", "sop-rekomendasi-izin-keramaian", "--xlsx", "--keluar", str(out), "--folder", str(data))
    assert result.returncode == 0
    assert "peringatan: berkas logo 'logo.svg' berupa SVG" in result.stderr and "tanpa logo" in result.stderr
    assert (out / "sop-rekomendasi-izin-keramaian.xlsx").read_bytes() == export_xlsx(keramaian)


def test_sop_ekspor_names_a_close_id_and_refuses_without_a_format(tmp_path: Path):
    result = sop_main("ekspor", "sop-rekomendasi", "--xlsx", "--keluar", str(tmp_path), "--folder", str(ROOT / "sop_data"))
    assert result.returncode == 2
    assert "galat: SOP 'sop-rekomendasi' tidak ada" in result.stderr
    assert "sop-rekomendasi-izin-keramaian" in result.stderr
    missing = sop_main("ekspor", "sop-rekomendasi-izin-keramaian", "--keluar", str(tmp_path))
    assert missing.returncode == 2 and "argumen berikut wajib diberikan: --xlsx" in missing.stderr
    assert not any(tmp_path.iterdir())


def test_sop_ekspor_does_not_write_an_sop_whose_flow_has_errors(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    shutil.copy(ROOT / "sop_data" / "_instansi.yaml", data)
    shutil.copy(FIXTURES / "rusak" / "buntu.yaml", data / "sop-buntu.yaml")
    result = sop_main("ekspor", "sop-buntu", "--xlsx", "--keluar", str(tmp_path / "hasil"), "--folder", str(data))
    assert result.returncode == 1
    assert "galat:" in result.stderr and "tidak diekspor" in result.stderr
    assert not (tmp_path / "hasil").exists()
