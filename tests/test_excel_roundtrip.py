"""`sop ekspor --xlsx` then `sop impor` gives back the same SOP (issue 19, item 4).

The whole way a user takes: the model → the workbook (sheets/excel.py) → pages (importing/xlsx.py) →
what the regulation's form says (importing/interpret.py) → an SOP file (importing/write.py) → loaded
again. The SOP that comes back must equal the one exported, field by field as the sheets print it:
identity, the six boxes, the actors, and every step (actor, symbol, Mutu Baku, where it goes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
import subprocess
from enum import Enum
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_hypothesis
from gen_sop import random_sop
from sopcode.diagnostics import Loc
from sopcode.importing.interpret import interpret
from sopcode.importing.page import Anchor, Page
from sopcode.importing.run import identifier
from sopcode.importing.write import write_found
from sopcode.importing.xlsx import read_xlsx
from sopcode.model.graph import Graph
from sopcode.model.load import load_folder, load_sop
from sopcode.model.sop import KOTAK, Dicabut, Keterkaitan, Sop, Teks
from sopcode.sheets.excel import (
    FLOW_COLUMNS,
    GEOMETRY,
    HEADER_ROWS,
    IDENTITY_EXTRA,
    SHEET_IDENTITAS,
    SHEET_PROSEDUR,
    TITLE_ROWS,
    export_xlsx,
)

DATA = Path(__file__).resolve().parent.parent / "sop_data"


def _sop_data() -> list[Sop]:
    return sorted(load_folder(str(DATA)).sops, key=lambda s: s.id)


_NOT_CONTENT = frozenset({"id", "path", "loc", "pos", "instansi"})
"""The file's name and where it and each of its values stand, and the institution's settings: no part
of the SOP's content (the id and the hierarchy the workbook carries are compared in :func:`round_trip`)."""


def fields(sop: Sop) -> dict:
    """Every field of the SOP model, key by key, nested objects as dicts and text as text: the identity
    (with nama_prosedur, unit, alias, dicabut, diganti_oleh), the six boxes (a Keterkaitan reference as
    a reference), the actors, every step (actor, symbol, Mutu Baku, lanjut, ya, tidak) and the flow they
    make. A field added to the model is compared without a change here. Two are compared as printed:
    the NIP grouped (the sheet prints it so, whether the file wrote it grouped or not), and a time as
    its text (an SOP built in a test has no text of its own; one loaded from a file always has)."""
    out = _plain(sop)
    assert isinstance(out, dict)
    if sop.disahkan_oleh.nip:
        out["disahkan_oleh"]["nip"] = sop.disahkan_oleh.nip_terformat
    for n, step in enumerate(sop.langkah):
        if step.mutu_baku.waktu is not None:
            out["langkah"][n]["mutu_baku"]["waktu"]["teks"] = str(step.mutu_baku.waktu)
        # the flow, as the chart draws it
        out["langkah"][n]["ke"] = sorted((e.label or e.key or "lanjut", e.dst) for e in Graph(sop).edges if e.src == step.no)
    return out


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in _NOT_CONTENT}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str(value)  # a Teks compares as its text
    return value


def with_every_field(sop: Sop, seed: int) -> Sop:
    """``sop`` with the fields a random SOP leaves out, drawn from their own stream: a procedure title
    of its own, a unit, aliases, the six boxes (Keterkaitan with references to other SOPs and text), a
    revision date, and sometimes a withdrawal and a successor."""
    rng = random.Random(f"semua-{seed}")
    loc = Loc(sop.path, 1, 1)

    def teks(text: str) -> Teks:
        return Teks(text, loc)

    def some(words: list[str], most: int) -> tuple[Teks, ...]:
        return tuple(teks(w) for w in rng.sample(words, rng.randint(0, most)))

    related = [Keterkaitan(sop=teks(f"sop-terkait-{k}")) for k in rng.sample(range(1, 9), rng.randint(0, 2))]
    related += [Keterkaitan(teks=teks(t)) for t in rng.sample(["SOP Pelayanan Umum", "SOP Kearsipan (Perbup 7/2020)"],
                                                               rng.randint(0, 2))]
    rng.shuffle(related)
    withdrawn = rng.random() < 0.3
    return dataclasses.replace(
        sop,
        nama_prosedur=teks(rng.choice(["PROSEDUR PELAYANAN", "Alur Penerbitan Surat"])) if rng.random() < 0.6 else None,
        unit=teks(rng.choice(["SEKSI PEMERINTAHAN", "SUBBAGIAN UMUM DAN KEPEGAWAIAN"])) if rng.random() < 0.7 else None,
        alias=some(["SKD", "Izin Keramaian", "Surat Pindah", "SPPT"], 2),
        tanggal_revisi=dt.date(2024, 6, rng.randint(1, 28)) if rng.random() < 0.5 else None,
        dasar_hukum=some(["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
                          "Peraturan Menteri PAN-RB Nomor 35 Tahun 2012", "Perbup No. 123/2020"], 3),
        kualifikasi_pelaksana=some(["Memahami tata naskah dinas", "Mampu mengoperasikan komputer"], 2),
        keterkaitan=tuple(related),
        peralatan_perlengkapan=some(["Komputer", "Printer", "ATK", "Jaringan internet"], 4),
        peringatan=some(["Bila tidak dilaksanakan, pelayanan terhambat"], 1),
        pencatatan_pendataan=some(["Buku register", "Arsip digital"], 2),
        dicabut=Dicabut(dt.date(2025, 1, rng.randint(1, 28)), teks("Dicabut dengan Perbup 9/2025")) if withdrawn else None,
        diganti_oleh=teks("sop-pengganti") if withdrawn and rng.random() < 0.7 else None,
    )


def round_trip(sop: Sop, folder: Path) -> Sop:
    """Export, import (read, interpret, write the YAML under the id the workbook carries, as `sop impor`
    does), load: the SOP a user gets back. Nothing in it is marked inferred: every value was read."""
    book = folder / f"{sop.id.replace('/', '-')}.xlsx"
    book.write_bytes(export_xlsx(sop))
    found = interpret(read_xlsx(book), str(book))
    assert len(found) == 1, [f.problems for f in found]
    assert not found[0].problems, found[0].problems
    assert not found[0].inferred, found[0].inferred
    written = write_found(found[0], folder / "impor", sop_id=identifier(str(book)))
    assert "disimpulkan" not in Path(written.path).read_text(encoding="utf-8")
    back, diagnostics = load_sop(written.path, sop.instansi)
    assert back is not None, [d.format() for d in diagnostics]
    assert back.id == sop.id.rsplit("/", 1)[-1]
    assert found[0].hierarki == [str(line) for line in sop.instansi.hierarki]
    return back


@pytest.mark.parametrize("sop", _sop_data(), ids=lambda s: s.id)
def test_every_sop_of_sop_data_comes_back_the_same(sop: Sop, tmp_path: Path):
    assert fields(round_trip(sop, tmp_path)) == fields(sop)


def test_the_sops_of_sop_data_use_the_fields_a_workbook_must_carry_unprinted():
    """So the test above covers them: a title of its own, an alias, a unit, references in Keterkaitan."""
    sops = _sop_data()
    assert any(s.nama_prosedur for s in sops) and any(s.alias for s in sops) and any(s.unit for s in sops)
    assert any(i.sop for s in sops for i in s.keterkaitan)


@pytest.fixture(scope="module")
def imported_sop_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Every SOP of sop_data/ through the commands a user runs: `sop ekspor ID --xlsx`, then one
    `sop impor` of the workbooks into an empty folder (its report as printed)."""
    from conftest import sop_main

    folder = tmp_path_factory.mktemp("sop-data")
    books = []
    for sop in _sop_data():
        result = sop_main("ekspor", sop.id, "--xlsx", "--keluar", str(folder / "ekspor"), "--folder", str(DATA))
        assert result.returncode == 0, result.stderr
        books.append(str(folder / "ekspor" / f"{sop.id}.xlsx"))
    result = sop_main("impor", *books, "--ke", str(folder / "impor"))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "impor", result.stdout + result.stderr


@pytest.mark.parametrize("sop", _sop_data(), ids=lambda s: s.id)
def test_an_unedited_workbook_imports_as_the_file_it_was_exported_from(sop: Sop, imported_sop_data: tuple[Path, str]):
    """The file `sop impor` writes holds what the original holds, key by key and value by value (the
    title of its own, the alias, the unit, Keterkaitan's references as references), nothing is said to
    be inferred or unread, and its only comment lines are the import's header: it differs from the
    original only in comments (the header, the original's own notes) and in PyYAML's quoting."""
    folder, report = imported_sop_data
    assert "disimpulkan" not in report and "tidak terbaca" not in report, report
    original = (DATA / f"{sop.id}.yaml").read_text(encoding="utf-8")
    written = (folder / f"{sop.id}.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written) == yaml.safe_load(original)
    assert "disimpulkan" not in written
    body = written.split("\n\n", 1)[1]  # the header comment ends at the first blank line
    assert not [line for line in body.splitlines() if line.lstrip().startswith("#") or " # " in line]


@pytest.mark.slow  # LibreOffice or a long property run: over a second
def test_random_sops_come_back_the_same_field_by_field(tmp_path_factory: pytest.TempPathFactory):
    seen = []

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(seed=st.integers(0, 100_000))
    def one(seed: int):
        sop = with_every_field(random_sop(seed, terpisah=0.3, bersama=0.3), seed)
        back = round_trip(sop, tmp_path_factory.mktemp("acak"))
        assert fields(back) == fields(sop), f"seed {seed}"
        seen.append(len(sop.langkah))

    run_hypothesis(one)
    assert len(seen) == 30 and max(seen) > 15  # long SOPs too, spanning printed pages


@pytest.mark.parametrize("seed", range(8))
def test_random_sops_with_separate_capsules_and_joint_steps_come_back(seed: int, tmp_path: Path):
    """Separate Mulai/Selesai capsules, and steps done by several actors (a symbol in each actor's
    column; which of them is named first is kept in the 'Pelaksana langkah' column)."""
    sop = random_sop(seed, terpisah=0.5, bersama=0.7)
    assert fields(round_trip(sop, tmp_path)) == fields(sop)


@pytest.mark.parametrize("seed", range(8))
def test_random_sops_with_every_field_come_back_the_same(seed: int, tmp_path: Path):
    """The fields the sheets do not print, or print only inside another cell, come back too: alias,
    unit, Keterkaitan's references, dicabut and diganti_oleh from the Identitas sheet's unprinted cells,
    the procedure's own title from the Prosedur sheet's title row."""
    sop = with_every_field(random_sop(seed, terpisah=0.3, bersama=0.3), seed)
    assert fields(round_trip(sop, tmp_path)) == fields(sop)


def test_the_fuzz_corpus_with_every_field_uses_each_of_them():
    sops = [with_every_field(random_sop(seed, terpisah=0.3, bersama=0.3), seed) for seed in range(8)]
    for key in ("nama_prosedur", "unit", "alias", "dicabut", "diganti_oleh", "tanggal_revisi"):
        assert any(getattr(s, key) for s in sops) and not all(getattr(s, key) for s in sops), key
    assert all(any(s.kotak(key) for s in sops) for key, _ in KOTAK)
    assert any(i.sop for s in sops for i in s.keterkaitan) and any(i.teks for s in sops for i in s.keterkaitan)


def test_a_workbook_with_the_institutions_logo_comes_back_the_same(tmp_path: Path):
    """The logo is a picture in the Identitas sheet's header cell: not a shape of the flowchart, not a
    word of the header; the SOP comes back field by field, and so does the institution's hierarchy."""
    from sopcode.model.logo import baca_berkas

    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(Path(__file__).resolve().parent.parent.joinpath("docs", "gambar", "lembar-seed-1.png").read_bytes())
    logo = baca_berkas(str(logo_file))
    assert logo is not None
    for sop in (next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian"), random_sop(7, terpisah=1.0)):
        book = tmp_path / f"{sop.id}.xlsx"
        book.write_bytes(export_xlsx(sop, logo=logo))
        pages = read_xlsx(book)
        identitas = next(p for p in pages if p.where == "lembar Identitas")
        assert identitas.shapes == [] and identitas.texts == [] and identitas.lines == []
        (found,) = interpret(pages, str(book))
        assert not found.problems, found.problems
        assert found.hierarki == [str(line) for line in sop.instansi.hierarki]
        back, _ = load_sop(write_found(found, tmp_path / sop.id).path, sop.instansi)
        assert back is not None and fields(back) == fields(sop)


def test_a_long_sop_over_several_pages_comes_back_through_its_off_page_connectors(tmp_path: Path):
    """29 steps over three printed pages, decisions looping back across a break: the import joins each
    pair of off-page connectors into the arrow they stand for. With the flow columns blanked (the
    drawing alone) the SOP still comes back field by field, and the chart reads without a problem."""
    sop = random_sop(9)
    graph = Graph(sop)
    book = tmp_path / "panjang.xlsx"
    book.write_bytes(export_xlsx(sop))
    assert fields(round_trip(sop, tmp_path)) == fields(sop)
    pages = read_xlsx(book)
    page = _procedure(pages)
    assert sum(s.geometry == "flowchartoffpageconnector" for s in page.shapes) > 4
    helper = next(t for t in page.tables if any(c.text == FLOW_COLUMNS[0] for c in t.cells))
    heads = [c for c in helper.cells if c.text in FLOW_COLUMNS]
    flow_cols = {c.col for c in heads}
    helper.cells = [c for c in helper.cells if c.col not in flow_cols]
    (found,) = interpret(pages, str(book))
    assert not found.problems, found.problems
    assert not any("kolom Simbol" in line for line in found.read)
    back, _ = load_sop(write_found(found, tmp_path / "bagan").path, sop.instansi)
    assert back is not None and fields(back) == fields(sop)
    assert any(graph.is_back_edge(e) for e in graph.edges)


# The page level: what the reader sees of our own workbook -------------------------------------------

def _procedure(pages: list[Page]) -> Page:
    return next(p for p in pages if p.where == f"lembar {SHEET_PROSEDUR}")


@pytest.mark.parametrize("seed", [0, 5, 11, 23])
def test_each_symbol_sits_in_its_actors_column_and_each_arrow_is_glued_to_its_symbols(seed: int, tmp_path: Path):
    sop = random_sop(seed)
    book = tmp_path / "sop.xlsx"
    book.write_bytes(export_xlsx(sop))
    page = _procedure(read_xlsx(book))
    table = page.tables[0]
    header = {c.col: c.text for c in table.cells if c.row == TITLE_ROWS + 1}
    offpage = {s.id: s.text for s in page.shapes if s.geometry == "flowchartoffpageconnector"}
    shapes = sorted((s for s in page.shapes if s.id not in offpage), key=lambda s: s.box.y)
    assert len(shapes) == len(sop.langkah)
    by_step = {}
    for step, shape in zip(sop.langkah, shapes):
        assert shape.geometry == GEOMETRY[step.simbol].lower()
        assert shape.cell is not None and shape.cell.table == 0
        assert header[shape.cell.col] == step.pelaksana, f"langkah {step.no}"
        row = next(c for c in table.cells if c.col == 0 and c.row == shape.cell.row)
        assert row.text == str(step.no)
        by_step[step.no] = shape.id
    assert all(line.arrow_at_end != line.arrow_at_start for line in page.lines)
    arrows = [(line.start, line.end) if line.arrow_at_end else (line.end, line.start) for line in page.lines]
    glued = [(a, b) for a, b in arrows if a not in offpage and b not in offpage]
    for a, mark in ((a, b) for a, b in arrows if b in offpage):  # a page's foot to the next page's head
        glued.extend((a, b) for m, b in arrows if m in offpage and m != mark and offpage[m] == offpage[mark])
    assert sorted(glued) == sorted((by_step[e.src], by_step[e.dst]) for e in Graph(sop).edges)
    labels = sorted(t.text for t in page.texts)
    assert labels == sorted(e.label for e in Graph(sop).edges if e.label)


def _resaved_by_libreoffice(tmp_path: Path, *books: Path) -> Path:
    """The workbooks opened and saved again by LibreOffice Calc (its own ids and routes, connectors no
    longer glued), into tmp_path/lo under the same names."""
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, books)],
                   check=True, capture_output=True, timeout=180)
    return out


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_a_workbook_saved_again_by_libreoffice_still_comes_back(tmp_path: Path):
    """LibreOffice writes its own drawing (its ids, its routes, connectors no longer glued): the
    import must read the chart from where the shapes and arrows are."""
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    ours = tmp_path / "ekspor" / "sop.xlsx"
    ours.parent.mkdir()
    ours.write_bytes(export_xlsx(sop))
    resaved = _resaved_by_libreoffice(tmp_path, ours) / "sop.xlsx"
    page = _procedure(read_xlsx(resaved))
    assert len(page.shapes) == len(sop.langkah)
    assert len(page.lines) == len(Graph(sop).edges)
    found = interpret(read_xlsx(resaved), str(resaved))
    assert not found[0].problems, found[0].problems  # the chart and the flow columns agree
    written = write_found(found[0], tmp_path / "impor")
    back, _ = load_sop(written.path, sop.instansi)
    assert back is not None
    assert fields(back) == fields(sop)


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_off_page_connectors_saved_again_by_libreoffice_still_join(tmp_path: Path):
    """A long SOP with separate capsules whose loop back to step 1 crosses two page breaks, saved again
    by LibreOffice (its own ids and routes, connectors no longer glued): the connectors still join."""
    sop = random_sop(10, terpisah=1.0)
    graph = Graph(sop)
    assert any(graph.index[e.dst] == 0 for e in graph.edges) and len(sop.langkah) >= 20
    ours = tmp_path / "ekspor" / "sop.xlsx"
    ours.parent.mkdir()
    ours.write_bytes(export_xlsx(sop))
    out = _resaved_by_libreoffice(tmp_path, ours)
    pages = read_xlsx(out / "sop.xlsx")
    assert sum(s.geometry == "flowchartoffpageconnector" for s in _procedure(pages).shapes) >= 4
    (found,) = interpret(pages, str(out / "sop.xlsx"))
    assert not found.problems, found.problems
    back, _ = load_sop(write_found(found, tmp_path / "impor").path, sop.instansi)
    assert back is not None and fields(back) == fields(sop)
    # saved by LibreOffice, then by a program that drops drawings: the cells still say it all
    from openpyxl import load_workbook

    book = load_workbook(out / "sop.xlsx")
    book.save(tmp_path / "tanpa-gambar.xlsx")
    (found,) = interpret(read_xlsx(tmp_path / "tanpa-gambar.xlsx"), "tanpa-gambar.xlsx")
    assert not found.problems, found.problems
    assert _procedure(read_xlsx(tmp_path / "tanpa-gambar.xlsx")).shapes == []
    back, _ = load_sop(write_found(found, tmp_path / "impor-2").path, sop.instansi)
    assert back is not None and back.terminator == "terpisah" and fields(back) == fields(sop)


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_loops_back_from_decisions_saved_again_by_libreoffice_are_read_where_they_are_drawn(tmp_path: Path):
    """Decisions looping back several rows (10 → 2, 24 → 16): LibreOffice writes such an elbow turned
    and with a frame wider than its anchor; read by the anchor, each loop still starts at its decision
    and ends at its target, and the chart agrees with the flow columns."""
    sops = [random_sop(1), random_sop(9)]
    assert all(any(Graph(s).is_back_edge(e) and Graph(s).index[e.src] - Graph(s).index[e.dst] > 5 for e in Graph(s).edges)
               for s in sops)
    ours = tmp_path / "ekspor"
    ours.mkdir()
    for sop in sops:
        (ours / f"{sop.id}.xlsx").write_bytes(export_xlsx(sop))
    out = _resaved_by_libreoffice(tmp_path, *(ours / f"{sop.id}.xlsx" for sop in sops))
    for sop in sops:
        resaved = out / f"{sop.id}.xlsx"
        (found,) = interpret(read_xlsx(resaved), str(resaved))
        assert not found.problems, (sop.id, found.problems)
        back, _ = load_sop(write_found(found, tmp_path / sop.id).path, sop.instansi)
        assert back is not None and fields(back) == fields(sop)


# A workbook a person drew in LibreOffice -------------------------------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "excel"


def test_a_flowchart_drawn_in_libreoffice_is_read_from_where_its_shapes_and_arrows_are():
    """sop-digambar.fods: one sheet with the identity table, an empty row, then the procedure table;
    LibreOffice's own flowchart shapes, connectors and two text boxes (Ya, Tidak) laid over it, as a
    person draws them. sop-digambar.xlsx is what LibreOffice 7.4 saved it as (`soffice --headless
    --convert-to xlsx sop-digambar.fods`): its connectors name glue ids no shape has."""
    pages = read_xlsx(FIXTURE / "sop-digambar.xlsx")
    assert [p.where for p in pages] == ["lembar SOP"]
    page = pages[0]
    assert [(t.n_rows, t.n_cols) for t in page.tables] == [(12, 9), (6, 9)]
    assert [(s.geometry, s.cell) for s in page.shapes] == [
        ("flowchartterminator", Anchor(1, 2, 2)), ("flowchartprocess", Anchor(1, 3, 3)),
        ("flowchartdecision", Anchor(1, 4, 4)), ("flowchartterminator", Anchor(1, 5, 2))]
    assert all(line.start is None and line.end is None for line in page.lines)
    by_id = {s.id: s.box for s in page.shapes}

    def touches(point: tuple[float, float]) -> str | None:
        return next((i for i, b in by_id.items()
                     if b.x - 1 <= point[0] <= b.x + b.w + 1 and b.y - 1 <= point[1] <= b.y + b.h + 1), None)

    ends = sorted((touches(line.points[0]), touches(line.points[-1])) for line in page.lines)
    assert ends == [("0", "1"), ("1", "2"), ("2", "1"), ("2", "3")]  # the elbows' own paths end on the shapes
    assert sorted(t.text for t in page.texts) == ["Tidak", "Ya"]
    found = interpret(pages, "sop-digambar.xlsx")
    assert len(found) == 1 and not found[0].problems
    data = found[0].data
    assert data["pelaksana"] == ["Pemohon", "Petugas Loket", "Kepala Seksi"]
    assert [(s["no"], s["pelaksana"]) for s in data["langkah"]] == [
        (1, "Pemohon"), (2, "Petugas Loket"), (3, "Kepala Seksi"), (4, "Pemohon")]
    assert (data["langkah"][2]["ya"], data["langkah"][2]["tidak"]) == (4, 2)
    assert data["nomor"] == "470/12/Kec/2024" and data["disahkan_oleh"]["nip"] == "19640104 199101 1 004"


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_the_libreoffice_fixture_is_what_libreoffice_makes_of_the_drawing(tmp_path: Path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path),
                    str(FIXTURE / "sop-digambar.fods")], check=True, capture_output=True, timeout=180)
    fresh = read_xlsx(tmp_path / "sop-digambar.xlsx")[0]
    kept = read_xlsx(FIXTURE / "sop-digambar.xlsx")[0]
    assert [(s.geometry, s.cell) for s in fresh.shapes] == [(s.geometry, s.cell) for s in kept.shapes]
    assert len(fresh.lines) == len(kept.lines) == 4


# Workbooks that try to make the reader work forever ---------------------------------------------------

def _patched(tmp_path: Path, name: str, cells: str, merges: str) -> Path:
    """A workbook whose sheet XML has ``cells`` in its first row and ``merges``, written by hand (openpyxl
    itself would build an object for every merged position)."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "No"
    plain = tmp_path / "polos.xlsx"
    book.save(plain)
    path = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace("</row>", cells + "</row>", 1)
                text = text.replace("</sheetData>", "</sheetData>" + merges, 1)
                data = text.encode()
            out.writestr(item, data)
    return path


def test_a_merge_over_the_whole_sheet_is_refused_before_it_is_built(tmp_path: Path):
    import time

    from sopcode.importing.package import ImportRefused

    path = _patched(tmp_path, "gabung.xlsx", '<c r="B1" t="inlineStr"><is><t>Kegiatan</t></is></c>',
                    '<mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>')
    started = time.monotonic()
    with pytest.raises(ImportRefused) as refused:
        read_xlsx(path)
    assert time.monotonic() - started < 10
    assert "sel gabungan seluas lebih dari 1.000.000 sel" in refused.value.message
    fine = _patched(tmp_path, "judul.xlsx", '<c r="B1" t="inlineStr"><is><t>Kegiatan</t></is></c>',
                    '<mergeCells count="1"><mergeCell ref="B1:H1"/></mergeCells>')
    cell = next(c for c in read_xlsx(fine)[0].tables[0].cells if c.text == "Kegiatan")
    assert cell.colspan == 7


def test_a_value_far_from_the_table_is_refused_not_walked_to(tmp_path: Path):
    from sopcode.importing.package import ImportRefused

    path = _patched(tmp_path, "jauh.xlsx", '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>', "")
    with pytest.raises(ImportRefused) as refused:
        read_xlsx(path)
    assert "terisi sampai baris 1048576 dan kolom 16384" in refused.value.message


# Anchors and groups as Excel writes them ------------------------------------------------------------

def _with_drawing(tmp_path: Path, drawing: str) -> Path:
    """A 6 × 4 grid of filled cells (columns of 10 characters = 70 pixels = 52.5 pt, rows of 20 pt, a date in B2)
    with ``drawing`` (the anchors of xl/drawings/drawing1.xml) laid over it."""
    import datetime as dt
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r in range(1, 7):
        sheet.row_dimensions[r].height = 20
        for c in range(1, 5):
            sheet.cell(r, c, "x")
    sheet["B2"] = dt.date(2020, 3, 9)
    for col in "ABCD":
        sheet.column_dimensions[col].width = 10
    plain = tmp_path / "polos.xlsx"
    book.save(plain)
    path = tmp_path / "gambar.xlsx"
    ns = ('xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b'<drawing xmlns:r="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships" r:id="rId1"/></worksheet>')
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            out.writestr(item, data)
        out.writestr("xl/worksheets/_rels/sheet1.xml.rels",
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>')
        out.writestr("xl/drawings/drawing1.xml", f"<xdr:wsDr {ns}>{drawing}</xdr:wsDr>")
    return path


def _sp(ident: int, prst: str, x: float, y: float, w: float, h: float, text: str = "") -> str:
    e = 12700
    body = f"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody>" if text else ""
    return (f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="{ident}" name="s{ident}"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>'
            f'<a:xfrm><a:off x="{round(x * e)}" y="{round(y * e)}"/><a:ext cx="{round(w * e)}" cy="{round(h * e)}"/></a:xfrm>'
            f'<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom></xdr:spPr>{body}</xdr:sp>')


def test_one_cell_absolute_and_grouped_drawings_are_placed_on_the_sheet(tmp_path: Path):
    e = 12700
    one_cell = ('<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
                f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{30 * e}" cy="{20 * e}"/>'
                f'{_sp(2, "flowChartProcess", 52.5, 20, 30, 20, "A &amp; B")}<xdr:clientData/></xdr:oneCellAnchor>')
    absolute = (f'<xdr:absoluteAnchor><xdr:pos x="{100 * e}" y="{50 * e}"/><xdr:ext cx="{40 * e}" cy="{10 * e}"/>'
                f'{_sp(3, "flowChartDecision", 100, 50, 40, 10)}<xdr:clientData/></xdr:absoluteAnchor>')
    group = ('<xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row>'
             '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff>'
             '<xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:grpSp><xdr:nvGrpSpPr>'
             '<xdr:cNvPr id="4" name="g"/><xdr:cNvGrpSpPr/></xdr:nvGrpSpPr><xdr:grpSpPr><a:xfrm>'
             f'<a:off x="{105 * e}" y="{60 * e}"/><a:ext cx="{105 * e}" cy="{40 * e}"/>'
             '<a:chOff x="0" y="0"/><a:chExt cx="1000" cy="1000"/></a:xfrm></xdr:grpSpPr>'
             + _sp(5, "flowChartTerminator", 0, 0, 500 / e, 500 / e)
             + _sp(6, "flowChartProcess", 500 / e, 500 / e, 500 / e, 500 / e)
             + '<xdr:cxnSp><xdr:nvCxnSpPr><xdr:cNvPr id="7" name="c"/><xdr:cNvCxnSpPr><a:stCxn id="5" idx="2"/>'
             '<a:endCxn id="6" idx="1"/></xdr:cNvCxnSpPr></xdr:nvCxnSpPr><xdr:spPr><a:xfrm>'
             '<a:off x="250" y="500"/><a:ext cx="250" cy="250"/></a:xfrm><a:prstGeom prst="bentConnector2">'
             '<a:avLst/></a:prstGeom><a:ln><a:tailEnd type="triangle"/></a:ln></xdr:spPr></xdr:cxnSp>'
             '</xdr:grpSp><xdr:clientData/></xdr:twoCellAnchor>')
    page = read_xlsx(_with_drawing(tmp_path, one_cell + absolute + group))[0]
    assert next(c.text for c in page.tables[0].cells if (c.row, c.col) == (1, 1)) == "09 Maret 2020"
    shapes = {s.id: s for s in page.shapes}
    assert shapes["2"].geometry == "flowchartprocess" and shapes["2"].text == "A & B"
    assert shapes["2"].cell == Anchor(0, 1, 1)
    assert (shapes["2"].box.x, shapes["2"].box.y, shapes["2"].box.w, shapes["2"].box.h) == pytest.approx((52.5, 20, 30, 20))
    assert shapes["3"].cell == Anchor(0, 2, 1)  # the cell under its position
    assert (shapes["3"].box.x, shapes["3"].box.y) == pytest.approx((100, 50))
    assert (shapes["5"].box.x, shapes["5"].box.y, shapes["5"].box.w, shapes["5"].box.h) == pytest.approx((105, 60, 52.5, 20))
    assert (shapes["6"].box.x, shapes["6"].box.y) == pytest.approx((157.5, 80))
    assert shapes["5"].cell == shapes["6"].cell == Anchor(0, 3, 2)  # a group's shapes: the group's anchor cell
    (line,) = page.lines
    assert (line.start, line.end, line.arrow_at_end) == ("5", "6", True)
    assert [c for point in line.points for c in point] == pytest.approx([131.25, 80, 157.5, 80, 157.5, 90])  # its elbow


def test_a_turned_connector_is_drawn_within_its_anchor_even_when_its_frame_is_wider(tmp_path: Path):
    """A loop back from a decision, as LibreOffice saves it: an elbow turned by three quarters and
    flipped, anchored from B2 to D6 (105 × 80 pt) but with a frame 140 pt across where the anchor says
    105. Excel draws by the anchor, and so is it read: the elbow's ends on the anchor's corners."""
    e = 12700
    loop = ('<xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
            '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff>'
            '<xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:cxnSp><xdr:nvCxnSpPr>'
            '<xdr:cNvPr id="9" name="c"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr>'
            f'<a:xfrm rot="16200000" flipV="1"><a:off x="{65 * e}" y="{-10 * e}"/><a:ext cx="{80 * e}" cy="{140 * e}"/></a:xfrm>'
            '<a:prstGeom prst="bentConnector3"><a:avLst><a:gd name="adj1" fmla="val 50000"/></a:avLst></a:prstGeom>'
            '<a:ln><a:tailEnd type="triangle"/></a:ln></xdr:spPr></xdr:cxnSp><xdr:clientData/></xdr:twoCellAnchor>')
    (line,) = read_xlsx(_with_drawing(tmp_path, loop))[0].lines
    assert [c for point in line.points for c in point] == pytest.approx([157.5, 100, 157.5, 60, 52.5, 60, 52.5, 20])
    assert line.arrow_at_end and not line.arrow_at_start


# A workbook saved again by a program that drops drawings ----------------------------------------------

def _resaved_by_openpyxl(sop: Sop, folder: Path, edit=None) -> Path:
    """The exported workbook loaded and saved by openpyxl, which keeps cells but drops every drawing
    (as some spreadsheet apps and Google Sheets' export do); ``edit`` changes the Prosedur sheet first."""
    from openpyxl import load_workbook

    ours = folder / "ekspor.xlsx"
    ours.write_bytes(export_xlsx(sop))
    book = load_workbook(ours)
    if edit is not None:
        edit(book[SHEET_PROSEDUR])
    resaved = folder / "disimpan-ulang.xlsx"
    book.save(resaved)
    return resaved


def _waktu_col(sheet) -> int:
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(TITLE_ROWS + 2, c).value == "Waktu")


def test_a_workbook_whose_drawing_was_dropped_comes_back_from_the_flow_columns(tmp_path: Path):
    """openpyxl load + save, with one waktu edited: the chart is gone, the Simbol/Ya/Tidak/Lanjut cells
    give the flow back, the report says so, and the SOP is the same except that edit."""
    from sopcode.importing.run import summary

    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    assert any(step.ya for step in sop.langkah) and sop.terminator != "terpisah"

    def edit(sheet) -> None:
        sheet.cell(HEADER_ROWS + 2, _waktu_col(sheet)).value = "45 menit"

    resaved = _resaved_by_openpyxl(sop, tmp_path, edit)
    pages = read_xlsx(resaved)
    assert _procedure(pages).shapes == [] and _procedure(pages).lines == []
    (found,) = interpret(pages, str(resaved))
    assert not found.problems, found.problems
    line = summary(found)
    assert "bagan alir tidak ada di buku kerja; dibangun ulang dari kolom itu" in line, line
    decisions = sum(1 for s in sop.langkah if s.ya)
    assert f"{decisions} keputusan" + (f" ({2 * decisions} dari {2 * decisions} cabangnya terbaca)" if decisions else "") in line, line
    written = write_found(found, tmp_path / "impor")
    back, diagnostics = load_sop(written.path, sop.instansi)
    assert back is not None, [d.format() for d in diagnostics]
    expected = fields(sop)
    expected["langkah"][1]["mutu_baku"]["waktu"] = {"jumlah": 45, "satuan": "menit", "dari": None, "teks": "45 menit"}
    assert fields(back) == expected
    assert [(s.simbol, s.ya, s.tidak, s.lanjut) for s in back.langkah] == [
        (s.simbol, s.ya, s.tidak, s.lanjut) for s in sop.langkah]


def test_a_decision_whose_ya_cell_was_emptied_names_only_that_column(tmp_path: Path):
    """Without the drawing, a decision whose Ya cell is empty lacks that one branch: the message names
    the Ya column, not 'Ya dan Tidak' while Tidak was read."""
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    k = next(i for i, step in enumerate(sop.langkah) if step.ya)

    def edit(sheet) -> None:
        ya = next(c for r in range(1, 8) for c in range(1, sheet.max_column + 1) if sheet.cell(r, c).value == "Ya")
        sheet.cell(HEADER_ROWS + 1 + k, ya).value = None

    (found,) = interpret(read_xlsx(_resaved_by_openpyxl(sop, tmp_path, edit)), "ya-kosong.xlsx")
    said = [p.message for p in found.problems if p.step == int(sop.langkah[k].no)]
    assert said == ["keputusan tanpa nomor langkah di kolom Ya"], said
    assert found.data["langkah"][k]["tidak"] == sop.langkah[k].tidak


def test_what_a_person_types_into_the_unprinted_identity_cells_is_read(tmp_path: Path):
    """Two aliases typed in, the Keterkaitan reference's id deleted from 'Rujukan SOP' (the item comes
    back as the text it prints), a successor and a withdrawal typed in: each read from its labelled cell,
    nothing marked inferred; the unit read from its cell is not an institution's line."""
    from openpyxl import load_workbook

    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    ours = tmp_path / "ekspor.xlsx"
    ours.write_bytes(export_xlsx(sop))
    book = load_workbook(ours)
    sheet = book[SHEET_IDENTITAS]
    cells = {sheet.cell(r, 5).value: sheet.cell(r, 6) for r in range(2, 2 + len(IDENTITY_EXTRA))}
    assert cells["Rujukan SOP"].value == "sop-surat-keterangan-domisili"
    cells["Alias"].value = "Izin Keramaian\nRIK"
    cells["Rujukan SOP"].value = None
    cells["Diganti oleh"].value = "sop-izin-keramaian-2025"
    cells["Dicabut pada"].value = "2025-01-31"
    cells["Alasan dicabut"].value = "Diganti SOP baru"
    book.save(tmp_path / "disunting.xlsx")
    (found,) = interpret(read_xlsx(tmp_path / "disunting.xlsx"), "disunting.xlsx")
    assert not found.problems and not found.inferred, (found.problems, found.inferred)
    data = found.data
    assert data["alias"] == ["Izin Keramaian", "RIK"] and data["diganti_oleh"] == "sop-izin-keramaian-2025"
    assert data["dicabut"] == {"tanggal": dt.date(2025, 1, 31), "alasan": "Diganti SOP baru"}
    assert data["keterkaitan"][0] == "sop-surat-keterangan-domisili"
    assert data["unit"] == str(sop.unit) and found.hierarki == [str(h) for h in sop.instansi.hierarki]
    back, _ = load_sop(write_found(found, tmp_path / "impor").path, sop.instansi)
    assert back is not None and back.alias == ("Izin Keramaian", "RIK") and back.dicabut is not None


def test_a_unit_cell_that_disagrees_with_the_header_wins_and_is_said(tmp_path: Path):
    """The unit changed in its unprinted cell but not in the printed header: the cell is used, the
    header's old unit is said, and it is not taken for a line of the institution."""
    from openpyxl import load_workbook

    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    ours = tmp_path / "ekspor.xlsx"
    ours.write_bytes(export_xlsx(sop))
    book = load_workbook(ours)
    sheet = book[SHEET_IDENTITAS]
    cell = next(sheet.cell(r, 6) for r in range(2, 2 + len(IDENTITY_EXTRA)) if sheet.cell(r, 5).value == "Unit kerja")
    cell.value = "SEKSI PELAYANAN UMUM"
    book.save(tmp_path / "disunting.xlsx")
    (found,) = interpret(read_xlsx(tmp_path / "disunting.xlsx"), "disunting.xlsx")
    assert found.data["unit"] == "SEKSI PELAYANAN UMUM" and not found.inferred
    assert [p.message for p in found.problems] == [
        f"kop identitas menulis unit '{sop.unit}', baris Unit kerja 'SEKSI PELAYANAN UMUM'; dipakai yang tertulis di "
        "baris Unit kerja"]
    assert found.hierarki == [str(h) for h in sop.instansi.hierarki]


@pytest.mark.parametrize("seed", range(6))
def test_random_sops_without_their_drawing_come_back_the_same(seed: int, tmp_path: Path):
    sop = with_every_field(random_sop(seed, terpisah=0.5, bersama=0.5), seed)
    resaved = _resaved_by_openpyxl(sop, tmp_path)
    (found,) = interpret(read_xlsx(resaved), str(resaved))
    assert not found.problems, found.problems
    back, _ = load_sop(write_found(found, tmp_path / "impor").path, sop.instansi)
    assert back is not None and fields(back) == fields(sop)


def test_separate_mulai_selesai_capsules_survive_a_program_that_drops_the_drawing(tmp_path: Path):
    """terminator: terpisah is drawn (the Mulai/Selesai capsules) and written in the Terminator cell:
    with the drawing gone the cell gives it back, read (not marked inferred)."""
    sop = random_sop(2, terpisah=1.0)
    assert sop.terminator == "terpisah"
    resaved = _resaved_by_openpyxl(sop, tmp_path)
    (found,) = interpret(read_xlsx(resaved), str(resaved))
    assert not found.problems, found.problems
    assert found.data["terminator"] == "terpisah"
    written = write_found(found, tmp_path / "impor")
    text = Path(written.path).read_text(encoding="utf-8")
    assert "\nterminator: terpisah\n" in text and "disimpulkan" not in text  # read from its cell, not inferred
    back, _ = load_sop(written.path, sop.instansi)
    assert back is not None and back.terminator == "terpisah" and fields(back) == fields(sop)


def _set_terminator(sheet, value: str) -> None:
    col = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(TITLE_ROWS + 1, c).value == "Terminator")
    assert sheet.cell(HEADER_ROWS, col).value in ("langkah", "terpisah")
    sheet.cell(HEADER_ROWS, col).value = value


def test_the_terminator_cell_typed_over_says_what_the_sop_becomes(tmp_path: Path):
    """A person sets Terminator to 'terpisah' in a workbook saved without its drawing: the SOP comes back
    with separate capsules, everything else the same; a word that is neither is a problem."""
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    assert sop.terminator == "langkah"
    resaved = _resaved_by_openpyxl(sop, tmp_path, lambda sheet: _set_terminator(sheet, "terpisah"))
    (found,) = interpret(read_xlsx(resaved), str(resaved))
    assert not found.problems, found.problems
    back, _ = load_sop(write_found(found, tmp_path / "impor").path, sop.instansi)
    assert back is not None and back.terminator == "terpisah"
    expected = fields(sop)
    expected["terminator"] = "terpisah"
    # the first and last steps keep the terminator symbol they had, now said in the file
    expected["langkah"][0]["simbol_eksplisit"] = expected["langkah"][-1]["simbol_eksplisit"] = True
    assert fields(back) == expected
    wrong = _resaved_by_openpyxl(sop, tmp_path, lambda sheet: _set_terminator(sheet, "kapsul"))
    (found,) = interpret(read_xlsx(wrong), str(wrong))
    assert [p.message for p in found.problems] == ["kolom Terminator menulis 'kapsul', bukan langkah atau terpisah"]


def test_a_terminator_cell_that_disagrees_with_the_drawing_wins_and_is_said(tmp_path: Path):
    sop = random_sop(2, terpisah=1.0)
    book_path = tmp_path / "sop.xlsx"
    book_path.write_bytes(export_xlsx(sop))
    pages = read_xlsx(book_path)
    helper = next(t for t in _procedure(pages).tables if any(c.text == "Terminator" for c in t.cells))
    head = next(c for c in helper.cells if c.text == "Terminator")
    assert next(c.text for c in helper.cells if (c.row, c.col) == (head.row + head.rowspan, head.col)) == "terpisah"
    helper.cells = [dataclasses.replace(c, text="langkah") if (c.row, c.col) == (head.row + head.rowspan, head.col) else c
                    for c in helper.cells]
    (found,) = interpret(pages, str(book_path))
    assert [p.message for p in found.problems] == ["kolom Terminator menulis langkah, bagan alir terpisah; dipakai yang tertulis di kolom"]
    assert "terminator" not in found.data


def test_without_drawing_and_without_flow_columns_the_lost_flow_is_a_problem(tmp_path: Path):
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")

    def drop_flow(sheet) -> None:
        first = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(TITLE_ROWS + 1, c).value == FLOW_COLUMNS[0])
        for c in range(first, first + len(FLOW_COLUMNS)):
            for r in range(TITLE_ROWS + 1, sheet.max_row + 1):
                if sheet.cell(r, c).coordinate not in sheet.merged_cells or r == TITLE_ROWS + 1:
                    sheet.cell(r, c).value = None

    resaved = _resaved_by_openpyxl(sop, tmp_path, drop_flow)
    (found,) = interpret(read_xlsx(resaved), str(resaved))
    assert any("bagan alir tidak ada di buku kerja" in p.message and "cabang keputusan" in p.message
               for p in found.problems), found.problems


def test_flow_columns_that_disagree_with_the_chart_are_a_problem_naming_the_step(tmp_path: Path):
    """The chart says step 6 goes to 7 on Ya; the Ya cell (edited) says 4: the cells win, and a problem
    names step 6 with both."""
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    decision = next(s for s in sop.langkah if s.ya)
    book = tmp_path / "sop.xlsx"
    book.write_bytes(export_xlsx(sop))
    pages = read_xlsx(book)
    page = _procedure(pages)
    helper = next(t for t in page.tables if any(c.text == FLOW_COLUMNS[1] for c in t.cells))
    ya_col = next(c.col for c in helper.cells if c.text == FLOW_COLUMNS[1])
    row = HEADER_ROWS + sop.langkah.index(decision)
    other = next(s.no for s in sop.langkah if s.no not in (decision.no, decision.ya))
    helper.cells = [dataclasses.replace(c, text=str(other)) if (c.row, c.col) == (row, ya_col) else c
                    for c in helper.cells]
    (found,) = interpret(pages, str(book))
    (problem,) = found.problems
    assert problem.step == decision.no
    assert problem.message == (f"kolom Ya menulis {other}, bagan alir {decision.ya}; dipakai yang tertulis di kolom")
    step = next(s for s in found.data["langkah"] if s["no"] == decision.no)
    assert (step["ya"], step["tidak"], step["simbol"]) == (other, decision.tidak, "keputusan")


def test_an_actor_renamed_in_the_printed_header_only_keeps_its_steps(tmp_path: Path):
    """An official shortens an actor's name where the sheet prints it (the Pelaksana header), not in
    the unprinted 'Pelaksana langkah' column: one name there is no header's, one header's is named
    nowhere there. That is one actor renamed: its steps keep it under the new name, and it is said."""
    sop = next(s for s in _sop_data() if s.id == "sop-rekomendasi-izin-keramaian")
    old = str(sop.pelaksana[2])

    def edit(sheet) -> None:
        cell = next(sheet.cell(r, c) for r in range(1, 8) for c in range(1, sheet.max_column + 1) if sheet.cell(r, c).value == old)
        cell.value = "Kasi Baru"

    (found,) = interpret(read_xlsx(_resaved_by_openpyxl(sop, tmp_path, edit)), "ganti-nama.xlsx")
    assert found.data["pelaksana"][2] == "Kasi Baru"
    mine = [i for i, step in enumerate(sop.langkah) if str(step.pelaksana) == old]
    assert mine and all(found.data["langkah"][i]["pelaksana"] == "Kasi Baru" for i in mine)
    [said] = [p for p in found.problems if "dianggap pelaksana yang sama" in p.message]
    assert said.settled and f"'{old}'" in said.message
