"""Excel SOPs drawn by hand (not by `sop ekspor`): tests/fixtures/excel/*.fods are LibreOffice Calc
sheets written the way offices draw them, each .xlsx beside it LibreOffice's own conversion."""

from __future__ import annotations

from pathlib import Path

from sopcode.importing.interpret import interpret
from sopcode.importing.xlsx import read_xlsx

EXCEL = Path(__file__).resolve().parent / "fixtures" / "excel"


def test_calc_sop_with_abbreviated_actors_and_decisions_looping_back_across_columns() -> None:
    """A reviewer's Bappeda 'Renja' (libreoffice-sop-renja): identity on one sheet, the procedure on
    another, five abbreviated actors, shapes anchored to cells, connectors Calc routes in odd elbows,
    'Ya'/'Tidak' in borderless rectangles (one across a column border), two decisions looping back
    across two to four columns. Everything the drawing says comes back, and nothing is left unsaid."""
    [found] = interpret(read_xlsx(EXCEL / "libreoffice-sop-renja.xlsx"), "renja.xlsx")
    flow = [(s["no"], s["pelaksana"], s.get("simbol", ""), s.get("ya"), s.get("tidak"), s.get("lanjut")) for s in found.data["langkah"]]
    assert flow == [
        (1, "Kaban", "", None, None, None), (2, "Sekban", "", None, None, None), (3, "Kasubbag Program", "", None, None, None),
        (4, "Kabid", "", None, None, None), (5, "Staf Perencana", "", None, None, None), (6, "Sekban", "keputusan", 7, 5, None),
        (7, "Kaban", "keputusan", 8, 3, None), (8, "Staf Perencana", "", None, None, None),
        (9, "Kasubbag Program", "", None, None, None)]
    assert found.problems == []
    assert found.data["nama"] == "Penyusunan Rencana Kerja (Renja) Bappeda"
    assert found.data["pelaksana"] == ["Kaban", "Sekban", "Kasubbag Program", "Kabid", "Staf Perencana"]


def test_a_step_number_computed_by_a_broken_formula_is_named_at_its_sheet_row() -> None:
    """Step numbers typed as formulas (=A4+1) whose cached value is an error (#VALUE!): the cell is not
    empty, so it is said as what it shows and why, at the sheet row a spreadsheet user finds it by; the
    steps are still numbered by their rows."""
    [found] = interpret(read_xlsx(EXCEL / "libreoffice-sop-renja-rumus-galat.xlsx"), "rumus.xlsx")
    assert [s["no"] for s in found.data["langkah"]] == list(range(1, 10))
    first = found.problems[0]
    assert (first.where, first.step) == ("lembar Prosedur, baris 5", 2)
    assert first.message == ("nomor langkah tertulis '#VALUE!' (baris ke-2 tabel prosedur), bukan angka; "
                             "rumus di selnya galat di Excel: betulkan rumusnya")


def test_text_typed_on_an_excel_line_is_its_label(tmp_path: Path) -> None:
    """A line or connector holding its own text ('Ya' typed on the arrow): read as the arrow's label."""
    import re
    import zipfile

    from sopcode.model.load import load_sop
    from sopcode.sheets.excel import export_xlsx

    sop, _ = load_sop(str(Path(__file__).resolve().parents[1] / "sop_data" / "sop-rekomendasi-izin-keramaian.yaml"))
    assert sop is not None
    book = tmp_path / "sop.xlsx"
    book.write_bytes(export_xlsx(sop))
    labelled = tmp_path / "label.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(labelled, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if re.fullmatch(r"xl/drawings/drawing\d+\.xml", info.filename) and b"<xdr:cxnSp" in data:
                head, _, rest = data.partition(b"<xdr:cxnSp")
                first, _, tail = rest.partition(b"</xdr:spPr>")
                text = b"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Ya</a:t></a:r></a:p></xdr:txBody>"
                data = head + b"<xdr:cxnSp" + first + b"</xdr:spPr>" + text + tail
            out.writestr(info, data)
    labels = [line.label for page in read_xlsx(labelled) for line in page.lines]
    assert labels.count("Ya") == 1 and labels.count("") == len(labels) - 1
