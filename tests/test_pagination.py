"""The procedure table on paper, without a browser: which steps go on which sheet (``paginate``) and
how wide each column is (``kolom_for``). Rows are given the heights Chromium would measure, so what
is tested is the decision a reader sees in the PDF: every step printed once and in order, no sheet
overflowing, sheets filled before a new one starts, actors' names unbroken in the header."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sopcode.model.load import load_sop
from sopcode.shapes.sheet_chart import TERMINAL_BAND
from sopcode.sheets.layout import (
    ACTORS_MAX,
    HEADER_EM,
    KAKI,
    KERTAS,
    MARGIN,
    PT_PER_MM,
    PX,
    Lembar,
    kertas_of,
    kolom_for,
    paginate,
)

ACTORS = ["Pemohon", "Petugas Pelayanan", "Kepala Seksi", "Camat"]
HEAD = 60.0
"""Height of the title block and table header (pt), as a measurement would give it."""
JUMLAH = 20.0
"""Height of the table's total row (pt)."""


def sop_text(n: int, loops: dict[int, int] | None = None, terpisah: bool = False, kertas: str | None = None) -> str:
    """An SOP of ``n`` steps, actors in turn; ``loops`` makes step k a decision whose *tidak* goes back."""
    loops = loops or {}
    out = ["nama: Pelayanan Uji Halaman", "tanggal_pembuatan: 2020-01-06", "tanggal_efektif: 2020-01-13",
           "disahkan_oleh:", "  jabatan: CAMAT", "  nama: Budi", '  nip: "19640104 199101 1 004"']
    if terpisah:
        out.append("terminator: terpisah")
    out += ["pelaksana:"] + [f"  - {a}" for a in ACTORS] + ["langkah:"]
    for no in range(1, n + 1):
        out += [f"  - no: {no}", f"    kegiatan: Memeriksa berkas tahap {no}", f"    pelaksana: {ACTORS[no % len(ACTORS)]}",
                "    mutu_baku:", "      waktu: 5 menit"]
        if no in loops:
            out += ["    simbol: keputusan", f"    ya: {no + 1}", f"    tidak: {loops[no]}"]
    return "\n".join(out) + "\n"


def sheets(tmp_path: Path, text: str, rows: list[float] | float, paper: str = "A4") -> Lembar:
    sop, diagnostics = load_sop(str(tmp_path / "sop-uji-halaman.yaml"), data=text.encode())
    assert sop is not None, [d.format() for d in diagnostics]
    kertas = KERTAS[paper]
    width = round((kertas.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)
    lb = Lembar(sop, kertas, kolom_for([str(a) for a in sop.pelaksana], width), {sop.id: str(sop.nama)})
    lb.rows_pt = list(rows) if isinstance(rows, list) else [rows] * len(sop.langkah)
    lb.head_pt, lb.jumlah_pt = HEAD, JUMLAH
    paginate(lb)
    return lb


def room(lb: Lembar) -> float:
    """What a procedure sheet holds below its header, above the page numbers."""
    return lb.height_pt - KAKI - lb.head_pt


def filled(lb: Lembar, page) -> float:
    """Height a page's table takes below its header: bands, rows, and the total row on the last page."""
    return page.band_top + sum(lb.rows_pt[page.lo:page.hi]) + page.band_bottom + (lb.jumlah_pt if page.last else 0)


# --- pagination --------------------------------------------------------------------------------

def test_a_short_sop_prints_on_one_procedure_sheet_after_the_identity_sheet(tmp_path: Path):
    lb = sheets(tmp_path, sop_text(6), 40.0)
    assert [(p.no, p.lo, p.hi, p.last) for p in lb.pages] == [(2, 0, 6, True)]
    assert lb.n_pages == 2


@pytest.mark.parametrize("n,row", [(12, 40.0), (30, 40.0), (45, 33.0), (25, 97.0)])
def test_every_step_is_printed_once_in_order_and_no_sheet_overflows(tmp_path: Path, n: int, row: float):
    lb = sheets(tmp_path, sop_text(n), row)
    assert len(lb.pages) > 1
    assert [p.no for p in lb.pages] == list(range(2, len(lb.pages) + 2))  # the identity sheet is page 1
    assert lb.pages[0].lo == 0 and lb.pages[-1].hi == n
    assert all(a.hi == b.lo for a, b in zip(lb.pages, lb.pages[1:])), "a step skipped or printed twice"
    assert all(p.hi > p.lo for p in lb.pages), "an empty sheet"
    assert [p.last for p in lb.pages] == [False] * (len(lb.pages) - 1) + [True]
    for page in lb.pages:
        assert filled(lb, page) <= room(lb) + 1e-6, f"sheet {page.no} overflows"
        assert page.rows_total == pytest.approx(sum(lb.rows_pt[page.lo:page.hi]))


def test_a_sheet_is_filled_before_the_next_one_starts(tmp_path: Path):
    """No half-empty sheet in the middle of a procedure: the next sheet's first row did not fit."""
    lb = sheets(tmp_path, sop_text(40), [30.0 + 7 * (i % 5) for i in range(40)])
    band = lb.pages[0].band_bottom  # a straight procedure: one arrow crosses every break, every band is alike
    assert {p.band_bottom for p in lb.pages[:-1]} == {p.band_top for p in lb.pages[1:]} == {band}
    for page, following in zip(lb.pages, lb.pages[1:]):
        below = band if following.lo + 1 < len(lb.rows_pt) else lb.jumlah_pt
        more = page.band_top + sum(lb.rows_pt[page.lo:following.lo + 1]) + below
        assert more > room(lb), f"sheet {page.no} had room for step {following.lo + 1}"


def test_where_the_table_breaks_a_band_is_kept_for_the_connectors(tmp_path: Path):
    lb = sheets(tmp_path, sop_text(30), 40.0)
    for page, following in zip(lb.pages, lb.pages[1:]):
        assert page.band_bottom > 0 and following.band_top == page.band_bottom
    assert lb.pages[0].band_top == 0 and lb.pages[-1].band_bottom == 0  # the first and last steps are the terminators


def test_decisions_jumping_back_across_the_break_leave_fewer_rows_on_the_sheet(tmp_path: Path):
    """Each arrow crossing the break needs its own connector: with many, the band grows and a row moves on."""
    straight = sheets(tmp_path, sop_text(30), 45.0)
    loops = {k: k - 14 for k in range(16, 28)}  # steps 16..27 send *tidak* back to steps 2..13
    looping = sheets(tmp_path, sop_text(30, loops), 45.0)
    assert looping.pages[0].band_bottom > straight.pages[0].band_bottom
    assert looping.pages[0].hi < straight.pages[0].hi


def test_separate_start_and_end_capsules_get_room_above_the_first_row_and_below_the_last(tmp_path: Path):
    joined = sheets(tmp_path, sop_text(30), 40.0)
    apart = sheets(tmp_path, sop_text(30, terpisah=True), 40.0)
    assert (apart.pages[0].band_top, apart.pages[-1].band_bottom) == (TERMINAL_BAND, TERMINAL_BAND)
    assert (joined.pages[0].band_top, joined.pages[-1].band_bottom) == (0.0, 0.0)
    assert apart.pages[0].hi < joined.pages[0].hi


def test_the_total_row_stays_on_the_sheet_of_the_last_step(tmp_path: Path):
    """Six steps that fill a sheet all but the total row's height: the last step moves on with the total."""
    probe = sheets(tmp_path, sop_text(6), 10.0)
    row = (room(probe) - JUMLAH / 2) / 6
    lb = sheets(tmp_path, sop_text(6), row)
    assert [(p.lo, p.hi) for p in lb.pages] == [(0, 5), (5, 6)]
    assert all(filled(lb, p) <= room(lb) + 1e-6 for p in lb.pages)


def test_a_row_taller_than_a_sheet_gets_a_sheet_of_its_own_and_the_rest_follow(tmp_path: Path):
    rows = [40.0] * 10
    rows[4] = 900.0  # a step with a very long text
    lb = sheets(tmp_path, sop_text(10), rows)
    alone = [p for p in lb.pages if p.lo <= 4 < p.hi]
    assert len(alone) == 1 and (alone[0].lo, alone[0].hi) == (4, 5)
    assert lb.pages[-1].hi == 10 and all(a.hi == b.lo for a, b in zip(lb.pages, lb.pages[1:]))


def test_f4_paper_holds_more_rows_per_sheet_than_a4(tmp_path: Path):
    a4 = sheets(tmp_path, sop_text(40), 40.0, "A4")
    f4 = sheets(tmp_path, sop_text(40), 40.0, "F4")
    assert f4.pages[0].hi > a4.pages[0].hi
    assert len(f4.pages) <= len(a4.pages)


def test_the_paper_is_the_institutions_unless_the_run_says_otherwise(tmp_path: Path):
    sop, _ = load_sop(str(tmp_path / "sop-uji-halaman.yaml"), data=sop_text(3).encode())
    assert kertas_of(sop).nama == "A4"
    assert kertas_of(sop, "f4").nama == "F4"
    assert kertas_of(sop, "A3").nama == "A4"  # an unknown size falls back to A4, not to an error mid-print


# --- columns -----------------------------------------------------------------------------------

def sheet_width(paper: str) -> float:
    k = KERTAS[paper]
    return round((k.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)


NAMES = ["Pemohon", "Petugas Pelayanan", "Kepala Seksi Pemerintahan", "Sekretaris Kecamatan", "Camat",
         "Pengadministrasi Umum", "Pelaksana Seksi Ketenteraman dan Ketertiban Umum", "Bendahara Pengeluaran",
         "Kasubbag Umum dan Kepegawaian", "Operator SIMPEG", "Pranata Komputer", "Lurah"]


@pytest.mark.parametrize("paper", ["A4", "F4"])
@pytest.mark.parametrize("n", [1, 2, 4, 6, 9, 12])
def test_the_columns_fill_the_sheet_in_whole_pixels_and_its_right_line_is_not_cut(paper: str, n: int):
    width = sheet_width(paper)
    kolom = kolom_for(NAMES[:n], width)
    assert len(kolom.aktor) == n
    for w in kolom.semua:
        assert w > 0 and abs(w / PX - round(w / PX)) < 1e-6, f"{w} pt is not whole pixels"
    # The columns and the table's left line (one pixel) take the sheet's width to the pixel, no more.
    total = sum(kolom.semua) + PX
    assert total <= width + 1e-6
    assert width - total < 2 * PX, f"{width - total:.2f} pt of the sheet left unused"
    assert kolom.x_aktor == kolom.no + kolom.kegiatan


def test_an_actor_with_a_long_word_gets_a_column_wide_enough_for_it():
    names = ["Camat", "Lurah", "Pengadministrasi", "Sekcam", "Kasi", "Kasubbag"]
    kolom = kolom_for(names, sheet_width("A4"))
    widths = dict(zip(names, kolom.aktor))
    assert widths["Pengadministrasi"] > widths["Camat"]
    for name, w in widths.items():
        longest = max(len(word) for word in name.split())
        assert longest * HEADER_EM <= w, f"'{name}' would be broken in the header"


def test_many_actors_with_long_names_leave_the_activity_column_readable():
    width = sheet_width("A4")
    kolom = kolom_for(NAMES, width)
    assert sum(kolom.aktor) <= width * ACTORS_MAX + 1e-6
    assert kolom.kegiatan >= 25 * PT_PER_MM, f"kegiatan only {kolom.kegiatan / PT_PER_MM:.1f} mm wide"
    assert kolom.kegiatan > kolom.kelengkapan > 0 and kolom.waktu >= 17 * PT_PER_MM - PX


def test_few_actors_do_not_stretch_over_the_sheet():
    kolom = kolom_for(["Pemohon", "Camat"], sheet_width("A4"))
    assert max(kolom.aktor) <= 30 * PT_PER_MM + PX
    assert kolom.kegiatan > max(kolom.aktor)


def test_wider_paper_widens_the_text_columns():
    a4, f4 = kolom_for(NAMES[:5], sheet_width("A4")), kolom_for(NAMES[:5], sheet_width("F4"))
    assert f4.kegiatan > a4.kegiatan
    assert math.isclose(sum(f4.semua) - sum(a4.semua), sheet_width("F4") - sheet_width("A4"), abs_tol=2 * PX)
