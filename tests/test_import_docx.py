"""The Word reader on SOPs made the way institutions make them (tests/fixtures/impor, written by
tests/gen_impor.py and checked by eye in LibreOffice's rendering): each symbol must be found in the
column of the actor who does that step, in that step's row, however the file positions it."""

from __future__ import annotations

import shutil
from pathlib import Path

import gen_impor
import pytest
import yaml
from gen_impor import EMPAT, ENAM, MARKS, SEED

from sopcode.importing.docx import read_converted_doc, read_docx
from sopcode.importing.interpret import interpret
from sopcode.importing.package import convert_legacy
from sopcode.importing.page import Page, Shape, Table

IMPOR = Path(__file__).resolve().parent / "fixtures" / "impor"
SEED_YAML = Path(__file__).resolve().parent.parent / "sop_data" / "sop-pengukuran-kinerja-bungursari.yaml"
HEADER_ROWS = 3  # groups, names, column numbers
WPC = "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"


def procedure(pages: list[Page]) -> tuple[Page, Table]:
    for page in pages:
        for table in page.tables:
            if any(c.row == 0 and c.text == "KEGIATAN" for c in table.cells):
                return page, table
    raise AssertionError("no procedure table")


def text_at(table: Table, row: int, col: int) -> str:
    return next(c.text for c in table.cells if c.row == row and c.col == col)


def column_of(table: Table, x: float) -> int:
    return next(k for k in range(table.n_cols) if table.col_edges[k] <= x < table.col_edges[k + 1])


def row_of(table: Table, y: float) -> int:
    return next(k for k in range(table.n_rows) if table.row_edges[k] <= y < table.row_edges[k + 1])


def step_shapes(page: Page) -> list[Shape]:
    return [s for s in page.shapes if s.geometry not in ("flowChartOffpageConnector",) and s.text != "A"]


def by_id(page: Page, shape_id: str) -> Shape:
    return next(s for s in page.shapes if s.id == shape_id)


def near(p: tuple[float, float], q: tuple[float, float], tol: float = 1.0) -> bool:
    return abs(p[0] - q[0]) <= tol and abs(p[1] - q[1]) <= tol


def test_the_generator_reproduces_every_fixture_byte_for_byte() -> None:
    for name, data in gen_impor.build().items():
        assert (IMPOR / name).read_bytes() == data, f"{name} differs: run python tests/gen_impor.py"
    assert (IMPOR / gen_impor.DOC_NAME).read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real .doc


# ── the seed, its symbols anchored in the actors' cells ──────────────────────────────────────────


def test_seed_procedure_table_keeps_its_merged_header_and_its_rows() -> None:
    page, table = procedure(read_docx(IMPOR / "seed-jangkar-sel.docx"))
    assert (table.n_rows, table.n_cols) == (HEADER_ROWS + 14, 10)
    heads = {c.text: c for c in table.cells if c.row == 0}
    assert (heads["NO"].rowspan, heads["KEGIATAN"].rowspan, heads["KET"].rowspan) == (2, 2, 2)
    assert (heads["PELAKSANA"].col, heads["PELAKSANA"].colspan) == (2, 4)
    assert heads["MUTU BUKU"].colspan == 3
    assert [text_at(table, 1, c) for c in range(2, 6)] == SEED.actors
    assert text_at(table, HEADER_ROWS + 13, 0) == "14,"  # the seed's typo, kept
    assert text_at(table, HEADER_ROWS + 9, 1) == "Sekretari smenyampaikan dokumen pengukuran kinerja kepada camat"
    # columns placed from the margin by the grid: No is 24 pt wide, Kegiatan 190 pt
    assert table.col_edges[:3] == pytest.approx([36, 60, 250])
    assert all(c.box is not None and c.box.estimated for c in table.cells)
    assert page.where == "halaman 2-3"  # the pages Word printed it on when it last saved the file


def test_seed_each_symbol_is_anchored_in_its_actors_column_in_its_row() -> None:
    page, table = procedure(read_docx(IMPOR / "seed-jangkar-sel.docx"))
    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    actors = data["pelaksana"]
    shapes = step_shapes(page)
    assert len(shapes) == 14
    for k, (shape, langkah) in enumerate(zip(shapes, data["langkah"])):
        assert shape.cell is not None
        assert shape.cell.row == HEADER_ROWS + k, f"langkah {k + 1}"
        assert text_at(table, 1, shape.cell.col) == langkah["pelaksana"], f"langkah {k + 1}"
        assert table.col_edges[shape.cell.col] < shape.box.cx < table.col_edges[shape.cell.col + 1]
    assert text_at(table, 1, shapes[8].cell.col) == "camat"  # step 9: Camat mengoreksi
    assert actors.index("Sek.Tim.Sakip") == shapes[2].cell.col - 2
    assert [shapes[0].geometry, shapes[13].geometry] == ["flowChartTerminator"] * 2
    assert {s.geometry for s in shapes[1:13]} == {"rect"}


def test_seed_off_page_connectors_and_glued_arrows() -> None:
    page, _ = procedure(read_docx(IMPOR / "seed-jangkar-sel.docx"))
    connectors = [s for s in page.shapes if s.geometry == "flowChartOffpageConnector"]
    assert [(c.text, c.cell.row) for c in connectors if c.cell] == [("A", HEADER_ROWS + 6), ("A", HEADER_ROWS + 7)]
    shapes = step_shapes(page)
    glued = [(ln.start, ln.end) for ln in page.lines if ln.start]
    assert (shapes[1].id, shapes[2].id) in glued  # step 2 → 3, same column
    arrow = next(ln for ln in page.lines if ln.start == shapes[1].id)
    assert near(arrow.points[0], (shapes[1].box.cx, shapes[1].box.y + shapes[1].box.h))
    assert near(arrow.points[-1], (shapes[2].box.cx, shapes[2].box.y))
    assert arrow.arrow_at_end and not arrow.arrow_at_start
    # step 1 → 2 is an elbow of two plain lines: out of the capsule's side, then down into step 2
    out = next(ln for ln in page.lines if near(ln.points[0], (shapes[0].box.x + shapes[0].box.w, shapes[0].box.cy)))
    down = next(ln for ln in page.lines if near(ln.points[0], out.points[-1]) and ln is not out)
    assert not out.arrow_at_end and down.arrow_at_end
    assert near(down.points[-1], (shapes[1].box.cx, shapes[1].box.y))


def test_seed_identity_keeps_hierarchy_labels_and_numbered_boxes() -> None:
    pages = read_docx(IMPOR / "seed-jangkar-sel.docx")
    identity = pages[0].tables[0]
    head = next(c for c in identity.cells if c.row == 0 and c.col == 0)
    assert head.text.split("\n") == SEED.hierarchy and head.rowspan == 6
    labels = [c.text for c in identity.cells if c.col == 1 and c.row < 6]
    assert labels == ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Pengesahan", "Disahkan Oleh", "Nama SOP"]
    signer = next(c.text for c in identity.cells if c.row == 4 and c.col == 3).split("\n")
    assert signer[0] == "CAMAT BUNGURSARI" and signer[-1] == "NIP. 19640104 199101 1 004"
    dasar = next(c.text for c in identity.cells if c.text.startswith("1. pp Nomor 79")).split("\n")
    assert len(dasar) == 5 and dasar[4].startswith("5. Peraturan Bupati Purwakarta")
    assert next(c.text for c in identity.cells if c.text.startswith("1. Memahami peraturan"))  # each box counts from 1


# ── six actors, everything floating over the table ───────────────────────────────────────────────


def test_floating_symbols_land_in_their_columns_whatever_they_are_positioned_from() -> None:
    pages = read_docx(IMPOR / "enam-pelaksana-melayang.docx")
    page, table = procedure(pages)
    shapes = step_shapes(page)
    assert len(shapes) == len(ENAM.steps)
    for k, (shape, step) in enumerate(zip(shapes, ENAM.steps)):
        assert shape.cell is None  # anchored in the title paragraph, not in a cell
        assert column_of(table, shape.box.cx) == 2 + step.actor, f"langkah {step.no}"
        assert row_of(table, shape.box.cy) == HEADER_ROWS + k, f"langkah {step.no}"
    assert text_at(table, 1, column_of(table, shapes[6].box.cx)) == "Kepala Dinas"
    assert shapes[6].geometry == "flowChartDecision"


def test_floating_connectors_elbows_and_the_loop_back() -> None:
    page, table = procedure(read_docx(IMPOR / "enam-pelaksana-melayang.docx"))
    shapes = step_shapes(page)
    glued = next(ln for ln in page.lines if ln.start)
    assert (glued.start, glued.end) == (shapes[2].id, shapes[3].id)  # Staf Teknis, steps 3 → 4
    assert near(glued.points[0], (shapes[2].box.cx, shapes[2].box.y + shapes[2].box.h))
    assert near(glued.points[-1], (shapes[3].box.cx, shapes[3].box.y))
    # the Tidak branch: plain segments from the decision back into step 3, across three columns
    decision, target = shapes[6], shapes[2]
    path = [next(ln for ln in page.lines if near(ln.points[0], (decision.box.cx, decision.box.y + decision.box.h))
                 and ln.points[-1][0] == pytest.approx(decision.box.cx))]
    while not path[-1].arrow_at_end:
        path.append(next(ln for ln in page.lines if near(ln.points[0], path[-1].points[-1]) and ln not in path))
    assert len(path) == 4
    assert near(path[-1].points[-1], (target.box.x + target.box.w, target.box.cy))
    lane = path[2].points[0][0]
    assert column_of(table, lane) == 2 + ENAM.steps[2].actor  # runs up beside step 3's symbol, in its column
    assert sorted(t.text for t in page.texts) == ["Tidak", "Ya"]


# ── one grouped drawing ──────────────────────────────────────────────────────────────────────────


def test_group_children_are_mapped_through_the_groups_own_coordinates() -> None:
    page, table = procedure(read_docx(IMPOR / "grup.docx"))
    shapes = step_shapes(page)
    assert [s.geometry for s in shapes] == ["flowChartTerminator", "rect", "rect", "flowChartDecision", "flowChartTerminator"]
    for k, (shape, step) in enumerate(zip(shapes, EMPAT.steps)):
        assert column_of(table, shape.box.cx) == 2 + step.actor, f"langkah {step.no}"
        assert row_of(table, shape.box.cy) == HEADER_ROWS + k
        assert shape.box.w == pytest.approx(gen_impor.SHAPE_W, abs=0.1)  # half-scale child units, full size on the page
    assert text_at(table, 1, column_of(table, shapes[3].box.cx)) == "Camat"


def test_group_connectors_are_glued_and_bend_down_into_the_next_symbol() -> None:
    page, _ = procedure(read_docx(IMPOR / "grup.docx"))
    shapes = {s.id: s for s in step_shapes(page)}
    glued = [ln for ln in page.lines if ln.start and ln.end]
    assert [(ln.start, ln.end) for ln in glued] == [("10", "11"), ("11", "12"), ("12", "13"), ("13", "14")]
    for ln in glued:
        a, b = shapes[ln.start or ""], shapes[ln.end or ""]
        assert near(ln.points[-1], (b.box.cx, b.box.y))
        assert ln.arrow_at_end
        if a.geometry == "flowChartDecision":  # its 'Ya' leaves by the left corner: across, then down
            assert near(ln.points[0], (a.box.x, a.box.cy)) and len(ln.points) == 3
            assert ln.points[0][1] == pytest.approx(ln.points[1][1])
            continue
        assert near(ln.points[0], (a.box.cx, a.box.y + a.box.h))
        assert len(ln.points) == 4 and ln.points[0][0] == pytest.approx(ln.points[1][0])  # down first, then across
    assert sorted(t.text for t in page.texts) == ["Tidak", "Ya"]  # the group's frameless text boxes


def test_group_text_boxes_lie_beside_their_decision_at_their_branches() -> None:
    """The labels, half-scale children offset by chOff, come back full size where they were drawn: 'Ya'
    just above the left corner its branch leaves by, 'Tidak' just above the line leaving by the foot."""
    page, _ = procedure(read_docx(IMPOR / "grup.docx"))
    decision = next(s for s in page.shapes if s.geometry == "flowChartDecision")
    ya, tidak = (next(t for t in page.texts if t.text == word) for word in ("Ya", "Tidak"))
    assert (ya.box.w, ya.box.h) == pytest.approx((26.0, 10.0), abs=0.1)
    assert decision.box.x - ya.box.w <= ya.box.x <= decision.box.x  # left of the left corner, touching the box
    assert decision.box.y <= ya.box.y and ya.box.y + ya.box.h <= decision.box.cy  # just above the corner
    ya_line = next(ln for ln in page.lines if ln.start == decision.id)
    assert 0 < ya_line.points[0][1] - (ya.box.y + ya.box.h) <= 5
    foot = next(ln for ln in page.lines if near(ln.points[0], (decision.box.cx, decision.box.y + decision.box.h)))
    across = next(ln for ln in page.lines if near(ln.points[0], foot.points[-1]))
    assert tidak.box.x < decision.box.cx <= tidak.box.x + tidak.box.w + 10
    assert 0 <= across.points[0][1] - (tidak.box.y + tidak.box.h) <= 1  # sits on the 'Tidak' line


# ── legacy VML, and mc:AlternateContent ──────────────────────────────────────────────────────────


def test_vml_shapes_lines_and_the_alternate_content_read_once() -> None:
    page, table = procedure(read_docx(IMPOR / "vml.docx"))
    shapes = step_shapes(page)
    assert [s.geometry for s in shapes] == ["roundrect", "rect", "rect", "t110", "roundrect"]
    assert shapes[2].id == "42"  # step 3 from the DrawingML Choice; its VML Fallback is not read too
    for k, (shape, step) in enumerate(zip(shapes, EMPAT.steps)):
        assert column_of(table, shape.box.cx) == 2 + step.actor, f"langkah {step.no}"
        assert row_of(table, shape.box.cy) == HEADER_ROWS + k
    into_step_5 = next(ln for ln in page.lines if near(ln.points[-1], (shapes[4].box.cx, shapes[4].box.y)))
    assert into_step_5.arrow_at_end
    # drawn from its other end, as Word does, with its head at the start: into step 2's right side
    back = next(ln for ln in page.lines if ln.arrow_at_start)
    assert near(back.points[0], (shapes[1].box.x + shapes[1].box.w, shapes[1].box.cy))
    assert sorted((t.geometry, t.text) for t in page.texts) == [("t202", "Tidak"), ("t202", "Ya")]


def _one_paragraph_doc(runs: str) -> str:
    return gen_impor.para(runs) + gen_impor.sect(final=True)


def test_alternate_content_falls_back_when_the_choice_is_not_understood(tmp_path: Path) -> None:
    dml = gen_impor.anchor(7, "Kotak", gen_impor.wsp_shape("rect", 0, 0, 40, 20), 40, 20, ("page", 100), ("page", 100))
    vml = ('<v:roundrect id="kapsul" style="position:absolute;margin-left:200pt;margin-top:150pt;width:40pt;height:20pt;'
           'mso-position-horizontal-relative:page;mso-position-vertical-relative:page" arcsize="32768f"/>')
    doc = tmp_path / "fallback.docx"
    doc.write_bytes(gen_impor.docx(_one_paragraph_doc(
        f'<w:r><mc:AlternateContent><mc:Choice Requires="aink"><w:drawing>{dml}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{vml}</w:pict></mc:Fallback></mc:AlternateContent></w:r>")))
    [page] = read_docx(doc)
    assert [(s.id, s.geometry, s.box.x, s.box.y) for s in page.shapes] == [("kapsul", "roundrect", 200, 150)]


def test_a_drawing_canvas_and_a_vml_group_place_their_children(tmp_path: Path) -> None:
    kids = (gen_impor.wsp_shape("flowChartTerminator", 10, 20, 40, 20, nv='<wps:cNvPr id="3" name="Mulai"/>')
            + gen_impor.wsp_line(((30, 40), (30, 80)), (0, 0), arrow=True, nv='<wps:cNvPr id="4" name="Panah"/>')[0])
    canvas = (f'<wpc:wpc xmlns:wpc="{WPC}"><wpc:bg/><wpc:whole/>{kids}</wpc:wpc>')
    dml = gen_impor.anchor(1, "Kanvas", canvas, 200, 150, ("page", 100), ("page", 60), uri=WPC)
    vml = ('<v:group id="grup" style="position:absolute;margin-left:300pt;margin-top:200pt;width:200pt;height:100pt;'
           'mso-position-horizontal-relative:page;mso-position-vertical-relative:page" coordsize="2000,1000" coordorigin="0,0">'
           '<v:rect id="kotak" style="position:absolute;left:1000;top:500;width:400;height:200"/>'
           '<v:line id="garis" from="0,0" to="1000,500"><v:stroke endarrow="block"/></v:line></v:group>')
    doc = tmp_path / "kanvas.docx"
    doc.write_bytes(gen_impor.docx(_one_paragraph_doc(f"<w:r><w:drawing>{dml}</w:drawing></w:r><w:r><w:pict>{vml}</w:pict></w:r>")))
    [page] = read_docx(doc)
    boxes = {s.id: (s.geometry, s.box.x, s.box.y, s.box.w, s.box.h) for s in page.shapes}
    assert boxes == {"3": ("flowChartTerminator", 110, 80, 40, 20), "kotak": ("rect", 400, 250, 40, 20)}
    lines = {ln.id: (ln.points, ln.arrow_at_end) for ln in page.lines}
    assert lines == {"4": (((130, 100), (130, 140)), True), "garis": (((300, 200), (400, 250)), True)}


def test_a_table_without_a_grid_takes_its_columns_from_the_first_rows_cells(tmp_path: Path) -> None:
    rows = (gen_impor.row(gen_impor.cell(gen_impor.para(gen_impor.run("No")), 30) + gen_impor.cell(gen_impor.para(), 120, span=2))
            + gen_impor.row(gen_impor.cell(gen_impor.para(gen_impor.run("1")), 30) + gen_impor.cell(gen_impor.para(), 60)
                            + gen_impor.cell(gen_impor.para(gen_impor.run("√")), 60)))
    xml = gen_impor.table([30, 60, 60], rows)
    xml = xml[:xml.index("<w:tblGrid>")] + xml[xml.index("</w:tblGrid>") + len("</w:tblGrid>"):]
    doc = tmp_path / "tanpa-grid.docx"
    doc.write_bytes(gen_impor.docx(xml + gen_impor.sect(final=True)))
    [table] = read_docx(doc)[0].tables
    assert table.col_edges == pytest.approx([36, 66, 126, 186])
    assert [(c.row, c.col, c.colspan, c.text) for c in table.cells] == [(0, 0, 1, "No"), (0, 1, 2, ""), (1, 0, 1, "1"),
                                                                         (1, 1, 1, ""), (1, 2, 1, "√")]


def test_a_nested_table_is_left_out_and_said(tmp_path: Path) -> None:
    inner = gen_impor.table([60], gen_impor.row(gen_impor.cell(gen_impor.para(gen_impor.run("dalam")), 60)))
    outer = gen_impor.table([100, 100], gen_impor.row(gen_impor.cell(gen_impor.para(gen_impor.run("luar")) + inner
                                                                     + gen_impor.para(), 100)
                                                      + gen_impor.cell(gen_impor.para(gen_impor.run("kanan")), 100)))
    doc = tmp_path / "bersarang.docx"
    doc.write_bytes(gen_impor.docx(outer + gen_impor.sect(final=True)))
    [page] = read_docx(doc)
    [table] = page.tables
    assert [c.text for c in table.cells] == ["luar", "kanan"]
    assert "diabaikan" in table.where and table.where.startswith("tabel 1")


# ── marks typed as text, loose identity labels ───────────────────────────────────────────────────


def test_text_marks_stay_in_the_actor_cells_and_loose_labels_are_read_as_written() -> None:
    pages = read_docx(IMPOR / "tanda-teks.docx")
    page, table = procedure(pages)
    assert not page.shapes and not page.lines
    marked = [(c.row, c.col, c.text) for c in table.cells if c.row >= HEADER_ROWS and 2 <= c.col < 6 and c.text]
    assert marked == [(HEADER_ROWS + k, 2 + s.actor, MARKS[k]) for k, s in enumerate(gen_impor.LOOSE.steps)]
    identity = pages[0].tables[0]
    labels = [c.text for c in identity.cells if c.col == 1 and c.row < 6]
    assert labels == ["No. SOP", "Tgl Pembuatan", "Tgl Revisi", "Tgl Pengesahan", "Disahkan oleh", "Nama SOP"]
    signer = next(c.text for c in identity.cells if c.row == 4 and c.col == 3).split("\n")
    assert signer[:2] == ["Kepala Kantor Kementerian Agama", "Kabupaten Ciamis"]
    assert signer[-1] == "NIP 197002121995031003"


# ── a procedure continued in a second table ──────────────────────────────────────────────────────


def test_two_tables_after_a_page_break_with_the_header_repeated() -> None:
    pages = read_docx(IMPOR / "dua-tabel.docx")
    assert [p.where for p in pages] == ["dokumen bagian 1", "dokumen bagian 2"]
    first, second = (p.tables[0] for p in pages)
    assert [text_at(first, 1, c) for c in range(2, 7)] == [text_at(second, 1, c) for c in range(2, 7)]
    assert [first.where, second.where] == ["tabel 1", "tabel 2"]
    numbers = [[text_at(t, r, 0) for r in range(HEADER_ROWS, t.n_rows)] for t in (first, second)]
    assert numbers == [["1", "2", "3", "4", "5"], ["5", "6", "8"]]  # 5 twice, 7 missing: as written
    # the second page's symbols are anchored in the second table's rows
    assert [(s.cell.table, s.cell.row, s.cell.col) for s in pages[1].shapes if s.cell] == [
        (0, HEADER_ROWS, 6), (0, HEADER_ROWS + 1, 3), (0, HEADER_ROWS + 2, 2)]
    assert text_at(second, 1, 6) == "Kepala Badan"


# ── the legacy .doc, through LibreOffice ─────────────────────────────────────────────────────────


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice tidak terpasang")
def test_legacy_doc_reads_like_the_docx_it_was_saved_from() -> None:
    doc_page, doc_table = procedure(read_docx(IMPOR / gen_impor.DOC_NAME))
    docx_page, docx_table = procedure(read_docx(IMPOR / gen_impor.DOC_FROM))
    assert [c.text for c in doc_table.cells] == [c.text for c in docx_table.cells]
    # the same symbols (their outlines, the connectors' "A"), in the same cells, at the same places: a
    # drawing in a cell comes back "from the margin", counted from the cell, and a shape's text as a frame
    def symbols(page: Page) -> list[tuple[str, str, tuple[int, int] | None, tuple[float, ...]]]:
        return sorted((s.geometry, s.text, (s.cell.row, s.cell.col) if s.cell else None,
                       tuple(round(v) for v in (s.box.x, s.box.y, s.box.w, s.box.h))) for s in page.shapes)

    assert symbols(doc_page) == symbols(docx_page)
    assert {s.geometry for s in doc_page.shapes} == {"flowChartTerminator", "rect", "flowChartOffpageConnector"}
    assert doc_page.texts == docx_page.texts == []
    # LibreOffice saves its straight arrows as flat "rect"s with a head: still read as the 23 lines, 14 heads
    assert len(doc_page.lines) == len(docx_page.lines) == 23
    assert sum(ln.arrow_at_end for ln in doc_page.lines) == sum(ln.arrow_at_end for ln in docx_page.lines) == 14

    def ends(page: Page) -> list[tuple[tuple[float, float], ...]]:
        return sorted(tuple((round(x), round(y)) for x, y in ln.points) for ln in page.lines)

    assert ends(doc_page) == ends(docx_page)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice tidak terpasang")
def test_legacy_doc_imports_with_the_same_steps_actors_symbols_and_branches() -> None:
    doc = interpret(read_docx(IMPOR / gen_impor.DOC_NAME), "sop.doc")
    docx = interpret(read_docx(IMPOR / gen_impor.DOC_FROM), "sop.doc")
    assert len(doc) == len(docx) == 1
    assert doc[0].data == docx[0].data and doc[0].data["langkah"]
    assert doc[0].inferred == docx[0].inferred
    assert [(p.where, p.message, p.step) for p in doc[0].problems] == [(p.where, p.message, p.step) for p in docx[0].problems]


@pytest.mark.slow  # LibreOffice or a long property run: over a second
def test_legacy_doc_converted_first_reads_like_the_docx(tmp_path: Path) -> None:
    """What `sop impor` does: convert the .doc, then read the converted file. Read as a plain .docx it
    lost LibreOffice's in-cell offsets and every arrow ended on no symbol ('tidak berujung')."""
    converted = convert_legacy(IMPOR / gen_impor.DOC_NAME, tmp_path, "docx")
    [doc] = interpret(read_converted_doc(converted), "sop.doc")
    [docx] = interpret(read_docx(IMPOR / gen_impor.DOC_FROM), "sop.docx")
    assert doc.data == docx.data and [p.message for p in doc.problems] == [p.message for p in docx.problems]



# ── paragraphs outside tables ────────────────────────────────────────────────────────────────────


def test_paragraphs_outside_tables_are_on_their_page_above_the_table_they_head() -> None:
    pages = read_docx(IMPOR / "dua-tabel.docx")
    assert [p.text for p in pages[0].paragraphs] == [gen_impor.DUA.title]
    title = pages[0].paragraphs[0]
    assert title.geometry == "paragraph" and title.box.y + title.box.h <= pages[0].tables[0].row_edges[0] + 0.5
    assert pages[1].paragraphs == []  # the empty paragraph carrying the page break is not a paragraph of text
    page, table = procedure(read_docx(IMPOR / "seed-jangkar-sel.docx"))
    assert [p.text for p in page.paragraphs] == [SEED.title]
    assert all(c.text != SEED.title for c in table.cells)


# ── Word SOPs drawn in LibreOffice, 'Ya'/'Tidak' in text boxes of their own ──────────────────────
#
# libreoffice-sop-*.fodt are a reviewer's hand-written LibreOffice documents (open them to see the
# drawing); the .docx beside each is what LibreOffice made of it:
#   soffice --headless -env:UserInstallation=file:///tmp/lo-x --convert-to docx libreoffice-sop-pindah.fodt
# LibreOffice writes each borderless label frame as a small rectangle with a hairline outline, so the
# reader hands it over as a shape; the chart must take it for a branch label, not for a step's symbol.


def _steps(name: str) -> list[tuple]:
    [found] = interpret(read_docx(IMPOR / name), name)
    return [(s["no"], s["pelaksana"], s.get("simbol", ""), s.get("ya"), s.get("tidak")) for s in found.data["langkah"]]


def test_libreoffice_label_boxes_are_labels_not_symbols() -> None:
    [found] = interpret(read_docx(IMPOR / "libreoffice-sop-evaluasi.docx"), "sop-evaluasi.docx")
    assert "bagan alir: 4 simbol, 8 garis" in found.read
    assert _steps("libreoffice-sop-evaluasi.docx") == [
        (1, "Analis", "", None, None), (2, "Kasubbag", "keputusan", 3, 1), (3, "Kabag", "", None, None), (4, "Analis", "", None, None)]
    assert not found.problems


def test_libreoffice_labels_drawn_in_one_place_are_settled_by_keterangan() -> None:
    """Step 6's two branches both leave by the diamond's left corner along one line, and both labels
    lie on each other there: the drawing cannot say which branch is 'Ya'. Its Keterangan can
    ('Ditolak: kembali ke langkah 3'), and that is what is read, and said as the reason."""
    [found] = interpret(read_docx(IMPOR / "libreoffice-sop-pindah.docx"), "sop-pindah.docx")
    assert "bagan alir: 7 simbol, 16 garis" in found.read
    assert _steps("libreoffice-sop-pindah.docx") == [
        (1, "Pemohon", "", None, None), (2, "Petugas Loket", "", None, None), (3, "Operator SIAK", "", None, None),
        (4, "Kasubbag Umum", "keputusan", 5, 3), (5, "Sekretaris", "", None, None), (6, "Kadis", "keputusan", 7, 3),
        (7, "Pemohon", "", None, None)]
    assert found.inferred[("langkah", 5, "ya")] == "label Ya/Tidak pada panah tidak terbaca; dari keterangan 'Ditolak: kembali ke langkah 3'"
    assert not found.problems


# ── printed pages, as Word recorded them when it last saved ───────────────────────────────────────


def test_word_layout_on_record_names_the_printed_page_of_each_step() -> None:
    """The seed as saved by Word: identity on page 1, the procedure from page 2, its table breaking
    before step 8 (Word writes w:lastRenderedPageBreak in every cell of that row, and once more where the
    section break already began page 2). A problem at step 9 names page 3, where a reader finds it."""
    pages = read_docx(IMPOR / "seed-jangkar-sel.docx")
    page, table = procedure(pages)
    assert [p.where for p in pages] == ["halaman 1", "halaman 2-3"]
    header = 3  # two header rows and the row numbering the columns
    assert table.row_pages[header:header + 7] == [2] * 7 and table.row_pages[header + 7:] == [3] * 7
    page.shapes = [s for s in page.shapes if s.id != "9"]  # step 9's symbol lost
    [found] = interpret(pages, "seed-jangkar-sel.docx")
    message = "pelaksana langkah tidak dapat ditentukan: tidak ada simbol atau tanda di kolom pelaksana"
    assert [(p.where, p.message) for p in found.problems if p.step == 9] == [("halaman 3, tabel 2", message)]


def test_without_words_layout_places_are_parts_of_the_document() -> None:
    """LibreOffice (and so every converted .doc) records no layout: pages cannot be known without laying
    the document out, so places stay the document's parts and its tables, never a guessed page."""
    pages = read_docx(IMPOR / "libreoffice-sop-pindah.docx")
    assert all(not t.row_pages for p in pages for t in p.tables)
    assert [p.where for p in pages] == ["dokumen"] or all(p.where.startswith("dokumen bagian") for p in pages)


@pytest.mark.parametrize(("adj", "flip", "outer_x"), [(-50000, "", 50.0), (150000, "", 250.0), (-50000, ' flipH="1"', 250.0)])
def test_bent_connector_is_read_where_word_draws_its_bend(tmp_path, adj: int, flip: str, outer_x: float) -> None:
    """Word draws a loop back around the side of the table as an elbow connector whose bend lies
    outside its own frame (adj1 below 0 or above 100000): the arrow is read along that drawn path, which
    is where a 'Tidak' written beside it belongs, not through the middle of its frame."""
    x, y, w, h = 100.0, 100.0, 100.0, 50.0
    connector = (f'<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm{flip}><a:off x="0" y="0"/>'
                 f'<a:ext cx="{gen_impor.emu(w)}" cy="{gen_impor.emu(h)}"/></a:xfrm>'
                 f'<a:prstGeom prst="bentConnector3"><a:avLst><a:gd name="adj1" fmla="val {adj}"/></a:avLst></a:prstGeom>'
                 '<a:ln w="9525"><a:tailEnd type="triangle"/></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>')
    body = gen_impor.para(gen_impor.drawing(gen_impor.anchor(1, "Panah", connector, w, h, ("page", x), ("page", y))))
    path = tmp_path / "siku.docx"
    path.write_bytes(gen_impor.docx(body + gen_impor.sect(final=True)))
    [line] = [line for page in read_docx(path) for line in page.lines]
    xs = sorted({px for px, _ in line.points})
    assert outer_x in xs and len(line.points) == 4
    start, end = (x, y), (x + w, y + h)
    if flip:
        start, end = (x + w, y), (x, y + h)
    assert (line.points[0], line.points[-1]) == (start, end)


def test_libreoffice_cuti_with_12pt_labels_and_a_table_continued_on_the_next_page() -> None:
    """A reviewer's Dinas Kesehatan SOP drawn in LibreOffice (libreoffice-sop-cuti.fodt; the .docx is
    LibreOffice's): six actors, symbols drawn small in a dense table, 'Ya'/'Tidak' in 12-pt text boxes
    as tall as the symbols (text boxes, so labels at any size), three decisions looping back across
    columns, the table continued as a second table on page 3 whose shapes LibreOffice anchors in the
    repeated header (placed by where they are drawn), and a short arrow from step 10 into the off-page
    connector just under it (which touches both at each end)."""
    [found] = interpret(read_docx(IMPOR / "libreoffice-sop-cuti.docx"), "sop-cuti.docx")
    assert _steps("libreoffice-sop-cuti.docx") == [
        (1, "Pegawai", "", None, None), (2, "Atasan Langsung", "", None, None), (3, "Staf Kepegawaian", "keputusan", 4, 1),
        (4, "Staf Kepegawaian", "", None, None), (5, "Kasubbag Umpeg", "keputusan", 6, 4), (6, "Sekdis", "", None, None),
        (7, "Kadis", "keputusan", 8, 4), (8, "Staf Kepegawaian", "", None, None), (9, "Staf Kepegawaian", "", None, None),
        (10, "Kasubbag Umpeg", "", None, None), (11, "Staf Kepegawaian", "", None, None), (12, "Pegawai", "", None, None)]
    assert found.problems == []
    assert "bagan alir: 12 simbol" in " ".join(found.read)
    assert not [path for path in found.inferred if path[-1] == "no"]  # '1.' is how steps are numbered, not a guess


def test_a_letter_with_an_agenda_table_is_no_sop() -> None:
    """An invitation letter (libreoffice-surat-biasa: 'Nomor', 'Perihal', 'Dengan hormat', a table
    No | Kegiatan | Waktu), as lies in any office folder imported with *.docx: no identity table, and a
    table naming no one who does anything, so no SOP; `sop impor` then says so and writes nothing."""
    assert interpret(read_docx(IMPOR / "libreoffice-surat-biasa.docx"), "surat-biasa.docx") == []


def test_libreoffice_marks_table_takes_its_decisions_from_keterangan() -> None:
    """A reviewer's Kelurahan SOP (libreoffice-sop-skck): no drawing, actors marked √ X • ✓ v or by
    the step number (written '3' twice, so counted 4), under a heading 'PROSEDUR' that names the sheet,
    not the procedure. With nothing drawn, Keterangan is all that says where a decision goes: both
    branches ('Ya: lanjut ke langkah 6; Tidak: kembali ke langkah 3'), or the 'Tidak' one alone, the
    'Ya' one then being the next step; every such value says it was inferred, and why."""
    [found] = interpret(read_docx(IMPOR / "libreoffice-sop-skck.docx"), "sop-skck.docx")
    assert _steps("libreoffice-sop-skck.docx") == [
        (1, "Pemohon", "", None, None), (2, "Petugas Loket", "keputusan", 3, 1), (3, "Petugas Loket", "", None, None),
        (4, "Kasi Pemerintahan", "keputusan", 5, 3), (5, "Lurah", "keputusan", 6, 3), (6, "Petugas Loket", "", None, None),
        (7, "Pemohon", "", None, None)]
    assert "nama_prosedur" not in found.data
    assert found.inferred[("langkah", 1, "ya")] == "keterangan hanya menyebut cabang Tidak; cabang ini ke langkah berikutnya"
    assert found.inferred[("langkah", 4, "tidak")] == "dari keterangan 'Ya: lanjut ke langkah 6; Tidak: kembali ke langkah 3'"
    assert found.inferred[("langkah", 3, "pelaksana")] == "dari tanda '4' di kolom Kasi Pemerintahan"
    assert [p.message for p in found.problems] == [
        "nomor langkah 3 tertulis lebih dari sekali", "nomor langkah tidak tertulis (baris ke-5 tabel prosedur)",
        "waktu langkah tidak tertulis"]


def test_two_sops_in_one_document_each_counts_its_own_chart() -> None:
    """A reviewer's Word-style document (written as WordprocessingML by a script, word-dua-sop-grup):
    two SOPs one after the other, each flowchart one wpg group per page with glued connectors, seven
    actors with two-line abbreviated names, an off-page connector pair, a 'Tidak' looping back four
    columns along an elbow whose bend lies outside its frame. Each SOP's report counts its own lines."""
    first, second = interpret(read_docx(IMPOR / "word-dua-sop-grup.docx"), "dua-sop.docx")
    assert "bagan alir: 11 simbol, 13 garis" in first.read and "bagan alir: 4 simbol, 3 garis" in second.read
    steps = [(s["no"], s["pelaksana"], s.get("simbol", ""), s.get("ya"), s.get("tidak")) for s in first.data["langkah"]]
    assert steps[2] == (3, "Staf Teknis", "keputusan", 4, 1) and steps[8] == (9, "Kadis", "keputusan", 10, 7)
    assert [s["pelaksana"] for s in first.data["langkah"]] == [
        "Pemohon", "Petugas Loket", "Staf Teknis", "Kasubbag TU", "Kabid P2P", "Staf Teknis", "Staf Teknis", "Sekdis", "Kadis",
        "Petugas Loket", "Pemohon"]
    assert [s["pelaksana"] for s in second.data["langkah"]] == ["Pengadministrasi Umum", "Kasubbag Umpeg", "Sekdis", "Pengadministrasi Umum"]
    assert first.problems == second.problems == []


def test_text_typed_on_a_word_connector_is_its_label(tmp_path) -> None:
    """Word lets 'Tidak' be typed on the arrow itself (the connector's own text box): read as the
    arrow's label, not as a shape."""
    connector = ('<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
                 f'<a:ext cx="{gen_impor.emu(80)}" cy="{gen_impor.emu(40)}"/></a:xfrm>'
                 '<a:prstGeom prst="bentConnector3"><a:avLst/></a:prstGeom><a:ln w="9525"><a:tailEnd type="triangle"/></a:ln>'
                 '</wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:t>Tidak</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
                 '<wps:bodyPr/></wps:wsp>')
    body = gen_impor.para(gen_impor.drawing(gen_impor.anchor(1, "Panah", connector, 80, 40, ("page", 100), ("page", 100))))
    path = tmp_path / "label-panah.docx"
    path.write_bytes(gen_impor.docx(body + gen_impor.sect(final=True)))
    pages = read_docx(path)
    assert [line.label for page in pages for line in page.lines] == ["Tidak"]
    assert not [s for page in pages for s in page.shapes + page.texts]
