"""interpret(): the regulation's form read from neutral pages, as readers of Word and Excel give them.

The pages here are built by hand with the traits of real SOPs: the seed of Kecamatan Bungursari (its
identity, its 'Waktu (menit)' column, its table continued on a second page, '14,' for a step number),
the izin keramaian SOP (five actors, two decisions whose 'Tidak' loops back across columns), six
actors with abbreviations (Kasubbag, Kadis), marks instead of shapes, a missing number, straddling
shapes and arrows ending between two shapes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import SEED
from sopcode.importing.found import Found
from sopcode.importing.interpret import interpret
from sopcode.importing.page import Anchor, Box, Cell, Line, Page, Shape, Table
from sopcode.model.load import load_sop

REPO = Path(__file__).resolve().parent.parent
KERAMAIAN = REPO / "sop_data" / "sop-rekomendasi-izin-keramaian.yaml"
BULAN = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")

def read_sop(path: Path) -> dict:
    """An SOP file as plain data (PyYAML reads the key `no` as False; the project's reader does not)."""

    def keys(node):
        if isinstance(node, dict):
            return {("no" if k is False else k): keys(v) for k, v in node.items()}
        if isinstance(node, list):
            return [keys(v) for v in node]
        return node

    return keys(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- building pages ------------------------------------------------------------------------------


def make_table(rows: list[list[str | None]], spans: dict[tuple[int, int], tuple[int, int]] | None = None,
               widths: list[float] | None = None, heights: list[float] | None = None, x0: float = 30, y0: float = 60,
               where: str = "") -> Table:
    """A table from its rows (None: covered by a merged cell), spans (row, col) → (rowspan, colspan)."""
    spans = spans or {}
    n_cols = max(len(r) for r in rows)
    cells = [Cell(r, c, text or "", *spans.get((r, c), (1, 1))) for r, row in enumerate(rows) for c, text in enumerate(row)
             if text is not None]
    table = Table(cells, len(rows), n_cols, where=where)
    if widths is not None:
        table.col_edges = [x0 + sum(widths[:i]) for i in range(n_cols + 1)]
        hs = heights or [40.0] * len(rows)
        table.row_edges = [y0 + sum(hs[:i]) for i in range(len(rows) + 1)]
    return table


def tanggal(value) -> str:
    if value is None:
        return "-"
    return f"{value.day:02d} {BULAN[value.month]} {value.year}"


def identity_table(sop: dict, hierarki: list[str]) -> Table:
    signer = sop.get("disahkan_oleh") or {}
    signed = f"{signer.get('jabatan', '')}\n\n\n{signer.get('nama', '')}\nNIP. {signer.get('nip', '')}"
    rows: list[list[str | None]] = [
        ["\n".join(hierarki), "Nomor SOP", ":", sop.get("nomor") or ""],
        [None, "Tanggal Pembuatan", ":", tanggal(sop.get("tanggal_pembuatan"))],
        [None, "Tanggal Revisi", ":", tanggal(sop.get("tanggal_revisi"))],
        [None, "Tanggal Pengesahan", ":", tanggal(sop.get("tanggal_efektif"))],
        [None, "Disahkan Oleh", ":", signed],
        [None, "Nama SOP", ":", sop["nama"]],
    ]
    spans = {(0, 0): (6, 1)}
    for left, right in (("dasar_hukum", "kualifikasi_pelaksana"), ("keterkaitan", "peralatan_perlengkapan"),
                        ("peringatan", "pencatatan_pendataan")):
        titles = {"dasar_hukum": "Dasar Hukum", "kualifikasi_pelaksana": "Kualifikasi Pelaksana", "keterkaitan": "Keterkaitan",
                  "peralatan_perlengkapan": "Peralatan/Perlengkapan", "peringatan": "Peringatan",
                  "pencatatan_pendataan": "Pencatatan dan Pendataan"}
        r = len(rows)
        rows.append([titles[left], None, titles[right], None])
        rows.append([box_text(sop.get(left)), None, box_text(sop.get(right)), None])
        for rr in (r, r + 1):
            spans[(rr, 0)] = (1, 2)
            spans[(rr, 2)] = (1, 2)
    return make_table(rows, spans, where="tabel 1")


def box_text(values) -> str:
    if not values:
        return "-"
    return "\n".join(f"{i}. {v['sop'] if isinstance(v, dict) else v}" for i, v in enumerate(values, 1))


NO_W, KEG_W, ACT_W, KEL_W, WAK_W, OUT_W, KET_W = 25.0, 200.0, 80.0, 110.0, 50.0, 110.0, 60.0


@dataclasses.dataclass
class Drawn:
    table: Table
    centre: dict[int, tuple[float, float]]  # step no → its symbol's centre
    first_row: int


def procedure_table(actors: list[str], steps: list[dict], waktu_menit: bool = False, where: str = "") -> tuple[Table, int]:
    n = len(actors)
    head = ["No", "Kegiatan", "Pelaksana", *[None] * (n - 1), "Mutu Baku", None, None, "Keterangan"]
    sub = [None, None, *actors, "Kelengkapan", "Waktu (menit)" if waktu_menit else "Waktu", "Output", None]
    numbers = [str(i) for i in range(1, n + 7)]
    rows: list[list[str | None]] = [head, sub, numbers]
    spans = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, n), (0, n + 2): (1, 3), (0, n + 5): (2, 1)}
    for step in steps:
        mutu = step["mutu_baku"]
        kel = mutu.get("kelengkapan") or ""
        kel = "\n".join(f"- {k}" for k in kel) if isinstance(kel, list) else kel
        wak = mutu["waktu"].split()[0] if waktu_menit else mutu["waktu"]
        rows.append([str(step.get("_no_text", step["no"])), step["kegiatan"], *[""] * n, kel, wak, mutu.get("output") or "",
                     step.get("keterangan") or ""])
    widths = [NO_W, KEG_W, *[ACT_W] * n, KEL_W, WAK_W, OUT_W, KET_W]
    heights = [20.0, 20.0, 14.0] + [44.0] * len(steps)
    return make_table(rows, spans, widths, heights, where=where), 3


GEOMETRY = {"terminator": "flowChartTerminator", "proses": "rect", "keputusan": "flowChartDecision"}


def actor_list(step: dict) -> list[str]:
    return step["pelaksana"] if isinstance(step["pelaksana"], list) else [step["pelaksana"]]


def symbol_of(step: dict, k: int, n: int) -> str:
    if "simbol" in step:
        return step["simbol"]
    if "ya" in step or "tidak" in step:
        return "keputusan"
    return "terminator" if k in (0, n - 1) else "proses"


def pages_of(sop: dict, per_page: int = 99, waktu_menit: bool = False, marks: bool = False, title: str | None = None,
             hierarki: tuple[str, ...] = ("PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI")) -> list[Page]:
    """The identity page and procedure pages of an SOP, its chart drawn as a reader would report it:
    a symbol per step in its actor's column, arrows glued to nothing (found by touch), elbows for the
    flows that go back, 'Ya'/'Tidak' as text boxes, off-page connectors where the table breaks."""
    actors = list(sop["pelaksana"])
    steps = sop["langkah"]
    pages = [Page("halaman 1", tables=[identity_table(sop, list(hierarki))])]
    centre: dict[int, tuple[float, float]] = {}
    box_of: dict[int, Box] = {}
    page_of: dict[int, int] = {}
    for start in range(0, len(steps), per_page):
        chunk = steps[start:start + per_page]
        p = len(pages)
        table, first = procedure_table(actors, chunk, waktu_menit, where="tabel 1")
        page = Page(f"halaman {p + 1}", tables=[table])
        if title and start == 0:
            page.texts.append(Shape("judul", "", Box(30, 20, 300, 20), f"SOP : {title}"))
        for i, step in enumerate(chunk):
            row = first + i
            k = start + i
            names = actor_list(step)
            if marks:
                for name in names:
                    col = 2 + actors.index(name)
                    table.cells = [Cell(c.row, c.col, "√" if (c.row, c.col) == (row, col) else c.text, c.rowspan, c.colspan)
                                   for c in table.cells]
                continue
            col = 2 + actors.index(names[0])
            x0, x1 = table.col_edges[col], table.col_edges[col + 1]
            y0, y1 = table.row_edges[row], table.row_edges[row + 1]
            kind = symbol_of(step, k, len(steps))
            w, h = (44.0, 32.0) if kind == "keputusan" else (60.0, 24.0)
            box = Box((x0 + x1) / 2 - w / 2, (y0 + y1) / 2 - h / 2, w, h)
            page.shapes.append(Shape(f"s{step['no']}", GEOMETRY[kind], box, "", Anchor(0, row, col)))
            centre[step["no"]] = (box.cx, box.cy)
            box_of[step["no"]] = box
            page_of[step["no"]] = p
        pages.append(page)
    if marks:
        return pages
    numbers = [s["no"] for s in steps]
    for k, step in enumerate(steps):
        flows: list[tuple[int, str]] = []
        if "ya" in step or "tidak" in step:
            flows = [(step["ya"], "Ya"), (step["tidak"], "Tidak")]
        elif "lanjut" in step:
            flows = [(step["lanjut"], "")]
        elif k + 1 < len(steps):
            flows = [(numbers[k + 1], "")]
        for target, label in flows:
            draw_flow(pages, step["no"], target, label, box_of, page_of)
    return pages


def draw_flow(pages: list[Page], src: int, dst: int, label: str, box_of: dict[int, Box], page_of: dict[int, int]) -> None:
    a, b = box_of[src], box_of[dst]
    page = pages[page_of[src]]
    n = len(page.lines)
    if page_of[src] != page_of[dst]:
        # Cut by the page break: an arrow into a connector under the table, out of its pair on the next page.
        name = f"{dst}"
        bottom = Box(a.cx - 10, 700, 20, 20)
        page.shapes.append(Shape(f"k{src}", "homePlate", bottom, name))
        page.lines.append(Line(f"l{src}-{n}", ((a.cx, a.y + a.h), (a.cx, bottom.y))))
        other = pages[page_of[dst]]
        top = Box(b.cx - 10, 20, 20, 20)
        other.shapes.append(Shape(f"k{dst}in", "homePlate", top, name))
        other.lines.append(Line(f"l{dst}-in", ((b.cx, top.y + top.h), (b.cx, b.y))))
        return
    if dst > src:
        if label == "Tidak" or (label == "" and dst != src + 1) or (label == "Ya" and dst != src + 1):
            # Around the side: right, down, left into the target.
            side = max(a.x + a.w, b.x + b.w) + 12
            pts = [((a.x + a.w, a.cy), (side, a.cy)), ((side, a.cy), (side, b.cy)), ((side, b.cy), (b.x + b.w, b.cy))]
        else:
            mid = (a.y + a.h + b.y) / 2
            pts = [((a.cx, a.y + a.h), (a.cx, mid)), ((a.cx, mid), (b.cx, mid)), ((b.cx, mid), (b.cx, b.y))]
    else:
        # Back up to an earlier step: out of the left corner, up, into the target's left side.
        side = min(a.x, b.x) - 12
        pts = [((a.x, a.cy), (side, a.cy)), ((side, a.cy), (side, b.cy)), ((side, b.cy), (b.x, b.cy))]
    for i, (p, q) in enumerate(pts):
        page.lines.append(Line(f"l{src}-{n}-{i}", (p, q), arrow_at_end=i == len(pts) - 1))
    if label:
        (sx, sy) = pts[0][0]
        page.texts.append(Shape(f"t{src}{label}", "", Box(sx + 2, sy - 14, 20, 10), label))


def loaded(found: Found, tmp_path: Path, name: str = "sop-impor.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(found.data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    sop, diags = load_sop(str(path))
    return sop, [d.format() for d in diags if d.is_error]


def flow_of(sop) -> list[tuple]:
    return [(s.no, str(s.kegiatan), str(s.pelaksana), tuple(map(str, s.pelaksana_lain)), s.simbol.value, str(s.mutu_baku.waktu),
             s.lanjut, s.ya, s.tidak) for s in sop.langkah]


def problems(found: Found) -> list[tuple[str, int | None]]:
    return [(p.message, p.step) for p in found.problems]


# --- whole SOPs ----------------------------------------------------------------------------------


def test_seed_on_two_pages_gives_the_seed(tmp_path: Path):
    """The seed as its Word file has it: 'Waktu (menit)' with bare numbers, the table continued on a
    second page with the header repeated and a connector pair, '14,' for the last number, and the
    procedure sheet titled 'SOP : PENGUKURAN KINERJA'. Importing gives the seed's SOP."""
    seed = read_sop(SEED)
    seed["langkah"][13]["_no_text"] = "14,"
    pages = pages_of(seed, per_page=9, waktu_menit=True, title="PENGUKURAN KINERJA",
                     hierarki=("PEMERINTAH KAB. PURWAKARTA", "KECAMATAN BUNGURSARI"))
    [found] = interpret(pages, "seed.docx")
    assert found.problems == []
    assert found.hierarki == ["PEMERINTAH KAB. PURWAKARTA", "KECAMATAN BUNGURSARI"]
    data = found.data
    assert data["nomor"] == ""
    assert data["nama"] == "Penyusunan Perencanaan Kinerja"
    assert data["nama_prosedur"] == "PENGUKURAN KINERJA"
    assert (data["tanggal_pembuatan"], data["tanggal_revisi"], data["tanggal_efektif"]) == (dt.date(2019, 1, 2), "-", dt.date(2019, 1, 7))
    assert data["disahkan_oleh"] == seed["disahkan_oleh"]
    for key in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan", "peringatan", "pencatatan_pendataan"):
        assert data[key] == seed[key], key
    assert data["pelaksana"] == seed["pelaksana"]
    assert data["langkah"][0]["mutu_baku"]["waktu"] == "15 menit"
    assert found.inferred[("langkah", 0, "mutu_baku", "waktu")] == "satuan 'menit' dari kepala kolom Waktu"
    assert found.inferred[("langkah", 13, "no")] == "nomor langkah tertulis '14,'"
    assert found.inferred[("langkah", 1, "pelaksana")] == "dari posisi bentuk di kolom Sek.Tim.Sakip"
    assert "14 langkah" in found.read
    mine, errors = loaded(found, tmp_path)
    assert errors == []
    expected, _ = load_sop(str(SEED))
    assert flow_of(mine) == flow_of(expected)
    assert sum(s.mutu_baku.waktu.menit(8) for s in mine.langkah) == 795


def test_decisions_looping_back_across_columns(tmp_path: Path):
    """Izin keramaian: the Kasi's and the Camat's decisions both send the draft back to step 5 in
    another column (elbows drawn as three lines each, 'Ya'/'Tidak' as text boxes near their start);
    the unit is the header's last line; kelengkapan written as a list."""
    sop = read_sop(KERAMAIAN)
    pages = pages_of(sop, hierarki=("PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI", "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM"))
    [found] = interpret(pages, "keramaian.docx")
    assert found.problems == []
    assert found.data["unit"] == "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM"
    assert found.hierarki == ["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI"]
    assert found.data["langkah"][5]["ya"] == 7 and found.data["langkah"][5]["tidak"] == 5
    assert found.data["langkah"][6]["ya"] == 8 and found.data["langkah"][6]["tidak"] == 5
    assert found.data["langkah"][0]["mutu_baku"]["kelengkapan"] == sop["langkah"][0]["mutu_baku"]["kelengkapan"]
    assert "lanjut" not in found.data["langkah"][2]  # the next step is not written
    mine, errors = loaded(found, tmp_path)
    assert errors == []
    expected, _ = load_sop(str(KERAMAIAN))
    assert flow_of(mine) == flow_of(expected)


def test_marks_instead_of_shapes_give_actors_with_reasons(tmp_path: Path):
    sop = read_sop(SEED)
    [found] = interpret(pages_of(sop, marks=True), "tanda.docx")
    assert [s["pelaksana"] for s in found.data["langkah"]] == [s["pelaksana"] for s in sop["langkah"]]
    assert found.inferred[("langkah", 6, "pelaksana")] == "dari tanda '√' di kolom Anggota Tim Sakip"
    assert found.problems == []
    _, errors = loaded(found, tmp_path)
    assert errors == []


# --- identity ------------------------------------------------------------------------------------


def test_identity_labels_abbreviated_in_one_cell_with_dates_in_other_forms():
    table = make_table([
        ["PEMERINTAH KOTA TASIKMALAYA\nDINAS KEPENDUDUKAN DAN PENCATATAN SIPIL\nSTANDAR OPERASIONAL PROSEDUR",
         "No. SOP : 470/12/Disdukcapil/2021"],
        [None, "Tgl Pembuatan : 09-03-2020"],
        [None, "Tgl. Revisi : 2021-1-5"],
        [None, "Tanggal Efektif: 9 Mar 2020"],
        [None, "Disahkan oleh :\nKEPALA DINAS\nDrs. H. Ade Sukmana, M.Si.\nNIP. 19650412 198903 1 008"],
        [None, "NAMA SOP : Penerbitan Akta Kelahiran"],
    ], {(0, 0): (6, 1)})
    [found] = interpret([Page("halaman 1", tables=[table])], "akta.docx")
    d = found.data
    assert d["nomor"] == "470/12/Disdukcapil/2021"
    assert d["nama"] == "Penerbitan Akta Kelahiran"
    assert d["tanggal_pembuatan"] == dt.date(2020, 3, 9)
    assert d["tanggal_revisi"] == dt.date(2021, 1, 5)
    assert d["tanggal_efektif"] == dt.date(2020, 3, 9)
    assert d["disahkan_oleh"] == {"jabatan": "KEPALA DINAS", "nama": "Drs. H. Ade Sukmana, M.Si.", "nip": "19650412 198903 1 008"}
    assert found.hierarki == ["PEMERINTAH KOTA TASIKMALAYA", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"]
    # No procedure table: said, not invented.
    assert ("tabel prosedur (No, Kegiatan, Pelaksana, Mutu Baku) tidak ditemukan", None) in problems(found)
    assert "langkah" not in d


def test_missing_identity_data_stays_absent_and_a_misspelt_month_is_inferred():
    table = make_table([
        ["Nomor SOP", ""],
        ["Tanggal Pembuatan", "2 Januai 2019"],
        ["Tanggal Revisi", ""],
        ["Tanggal Efektif", "tiga puluh"],
        ["Nama SOP", "Pelayanan Surat Pindah"],
    ])
    [found] = interpret([Page("halaman 1", tables=[table])], "pindah.docx")
    d = found.data
    assert d["nomor"] == ""  # the label is there, the number is not (a draft)
    assert d["tanggal_pembuatan"] == dt.date(2019, 1, 2)
    assert found.inferred[("tanggal_pembuatan",)] == "nama bulan 'Januai' dibaca sebagai Januari"
    assert "tanggal_revisi" not in d and "tanggal_efektif" not in d and "disahkan_oleh" not in d
    assert ("'tiga puluh' pada Tanggal efektif bukan tanggal yang dikenali", None) in problems(found)


def test_boxes_bulleted_lettered_or_plain_lose_their_markers():
    table = make_table([
        ["Nomor SOP", "1/2/3"], ["Nama SOP", "Contoh"],
        ["Dasar Hukum", "Kualifikasi Pelaksana"],
        ["a. Undang-Undang Nomor 23 Tahun 2014\nb) Peraturan Pemerintah Nomor 17 Tahun 2018",
         "• Memahami tata naskah dinas\n- Mampu mengoperasikan komputer"],
        ["Keterkaitan", "Peralatan / Perlengkapan"],
        ["-", "Komputer\nPrinter"],
        ["Peringatan\n1) Berkas hilang bila tidak dicatat", "Pencatatan dan Pendataan\n(1) Buku agenda"],
    ])
    [found] = interpret([Page("halaman 1", tables=[table])], "kotak.docx")
    d = found.data
    assert d["dasar_hukum"] == ["Undang-Undang Nomor 23 Tahun 2014", "Peraturan Pemerintah Nomor 17 Tahun 2018"]
    assert d["kualifikasi_pelaksana"] == ["Memahami tata naskah dinas", "Mampu mengoperasikan komputer"]
    assert d["keterkaitan"] == []
    assert d["peralatan_perlengkapan"] == ["Komputer", "Printer"]
    assert d["peringatan"] == ["Berkas hilang bila tidak dicatat"]
    assert d["pencatatan_pendataan"] == ["Buku agenda"]


# --- procedure table and chart -------------------------------------------------------------------

SIX = ["Pemohon", "Petugas Loket", "Kasubbag Umum", "Sekdis", "Kadis", "Operator SIAK"]


def six_actor_sop(n: int = 6) -> dict:
    steps = []
    for i in range(n):
        steps.append({"no": i + 1, "kegiatan": f"Kegiatan {i + 1}", "pelaksana": SIX[i % 6], "mutu_baku": {"waktu": "10 menit"}})
    return {"nama": "Contoh Enam", "pelaksana": SIX, "langkah": steps}


def test_six_actors_with_abbreviated_names_and_a_missing_number(tmp_path: Path):
    sop = six_actor_sop()
    sop["langkah"][3]["_no_text"] = ""
    pages = pages_of(sop)
    [found] = interpret(pages, "enam.docx")
    assert found.data["pelaksana"] == SIX
    assert [s["pelaksana"] for s in found.data["langkah"]] == SIX
    assert [s["no"] for s in found.data["langkah"]] == [1, 2, 3, 4, 5, 6]
    assert problems(found) == [("nomor langkah tidak tertulis (baris ke-4 tabel prosedur)", 4)]
    assert found.inferred[("langkah", 3, "no")] == "nomor langkah tidak tertulis; diurutkan dari baris tabel"
    _, errors = loaded(found, tmp_path)
    assert errors == []


def test_a_repeated_number_is_a_problem_and_rows_give_the_order():
    sop = six_actor_sop()
    sop["langkah"][2]["_no_text"] = "2"
    [found] = interpret(pages_of(sop), "ganda.docx")
    assert [s["no"] for s in found.data["langkah"]] == [1, 2, 3, 4, 5, 6]
    assert ("nomor langkah 2 tertulis lebih dari sekali", 3) in problems(found)
    assert found.inferred[("langkah", 2, "no")] == "nomor langkah tertulis 2; diurutkan dari baris tabel"


def test_shape_straddling_two_columns_is_a_problem_not_a_guess():
    sop = six_actor_sop()
    pages = pages_of(sop)
    page = pages[1]
    table = page.tables[0]
    edge = table.col_edges[2 + 2]  # between Petugas Loket and Kasubbag Umum
    s3 = next(s for s in page.shapes if s.id == "s3")
    moved = dataclasses.replace(s3, box=Box(edge - 30, s3.box.y, 60, s3.box.h), cell=None)
    page.shapes[page.shapes.index(s3)] = moved
    [found] = interpret(pages, "lintang.docx")
    assert "pelaksana" not in found.data["langkah"][2]
    assert ("persegi panjang melintang di kolom Petugas Loket dan Kasubbag Umum; pelaksananya tidak dapat dipastikan", 3) in problems(found)


def test_shared_activity_drawn_across_two_columns_gives_both_actors(tmp_path: Path):
    sop = six_actor_sop()
    pages = pages_of(sop)
    page = pages[1]
    table = page.tables[0]
    s2 = next(s for s in page.shapes if s.id == "s2")
    x0, x1 = table.col_edges[3] + 4, table.col_edges[5] - 4  # Petugas Loket and Kasubbag Umum, wholly
    page.shapes[page.shapes.index(s2)] = dataclasses.replace(s2, box=Box(x0, s2.box.y, x1 - x0, s2.box.h), cell=None)
    [found] = interpret(pages, "bersama.docx")
    assert found.data["langkah"][1]["pelaksana"] == ["Petugas Loket", "Kasubbag Umum"]
    assert found.inferred[("langkah", 1, "pelaksana")] == "bentuk bagan alir di kolom Petugas Loket dan Kasubbag Umum (kegiatan bersama)"
    sop_model, errors = loaded(found, tmp_path)
    assert errors == []
    assert [str(a) for a in sop_model.langkah[1].semua_pelaksana] == ["Petugas Loket", "Kasubbag Umum"]


def test_marks_in_two_columns_are_a_shared_step_and_a_row_without_mark_is_a_problem():
    sop = six_actor_sop()
    pages = pages_of(sop, marks=True)
    table = pages[1].tables[0]
    row = 3 + 4  # step 5
    table.cells = [Cell(c.row, c.col, "v" if (c.row, c.col) == (row, 2) else c.text) if c.row == row else c
                   for c in table.cells]
    table.cells = [Cell(c.row, c.col, "" if (c.row == 3 + 5 and 2 <= c.col < 8) else c.text, c.rowspan, c.colspan) for c in table.cells]
    [found] = interpret(pages, "tanda.docx")
    assert found.data["langkah"][4]["pelaksana"] == ["Pemohon", "Kadis"]
    assert "pelaksana" not in found.data["langkah"][5]
    assert ("pelaksana langkah tidak dapat ditentukan: tidak ada simbol atau tanda di kolom pelaksana", 6) in problems(found)


def test_step_number_written_as_mark_in_actor_cell():
    sop = six_actor_sop(3)
    pages = pages_of(sop, marks=True)
    table = pages[1].tables[0]
    table.cells = [Cell(c.row, c.col, "2" if c.text == "√" and c.row == 4 else c.text, c.rowspan, c.colspan) for c in table.cells]
    [found] = interpret(pages, "nomor.docx")
    assert found.data["langkah"][1]["pelaksana"] == "Petugas Loket"
    assert found.inferred[("langkah", 1, "pelaksana")] == "dari tanda '2' di kolom Petugas Loket"


def test_whole_drawing_anchored_in_the_first_row_is_placed_by_its_boxes(tmp_path: Path):
    """Word often anchors a whole flowchart in the first row's paragraph: the anchors then say nothing."""
    sop = six_actor_sop()
    pages = pages_of(sop)
    page = pages[1]
    page.shapes = [dataclasses.replace(s, cell=Anchor(0, 3, 1)) if s.cell else s for s in page.shapes]
    [found] = interpret(pages, "grup.docx")
    assert [s["pelaksana"] for s in found.data["langkah"]] == SIX
    assert found.problems == []


def test_estimated_boxes_defer_to_anchor_cells():
    sop = six_actor_sop()
    pages = pages_of(sop)
    page = pages[1]
    # The reader could only guess where shapes are drawn (all at the table's top): anchors decide.
    page.shapes = [dataclasses.replace(s, box=Box(40, 70, s.box.w, s.box.h, estimated=True)) if s.cell else s for s in page.shapes]
    page.lines = []
    [found] = interpret(pages, "jangkar.docx")
    assert [s["pelaksana"] for s in found.data["langkah"]] == SIX


def test_arrow_ending_between_two_shapes_is_a_problem():
    sop = six_actor_sop(3)
    pages = pages_of(sop)
    page = pages[1]
    s1, s2 = (next(s for s in page.shapes if s.id == i) for i in ("s1", "s2"))
    # Move step 2's symbol into step 1's column, just under it, and end an arrow midway between them.
    page.shapes[page.shapes.index(s2)] = dataclasses.replace(s2, box=Box(s1.box.x, s1.box.y + s1.box.h + 8, s2.box.w, s2.box.h))
    page.lines.append(Line("tengah", ((s1.box.x + s1.box.w + 50, s1.box.y + s1.box.h + 4), (s1.box.cx, s1.box.y + s1.box.h + 4))))
    [found] = interpret(pages, "tengah.docx")
    # named as the reader sees them, by their steps, not by ids the document never shows
    assert ("ujung garis berada di antara dua bentuk (kapsul langkah 1 dan persegi panjang langkah 2); arahnya tidak dapat "
            "dipastikan", 1) in problems(found)


def test_glued_connector_ids_win_over_nearness_and_a_skip_becomes_lanjut(tmp_path: Path):
    sop = six_actor_sop(4)
    pages = pages_of(sop)
    page = pages[1]
    page.lines = [
        Line("a", ((0, 0), (1, 1)), start="s1", end="s2"),
        Line("b", ((0, 0), (1, 1)), start="s2", end="s4"),
        Line("c", ((0, 0), (1, 1)), start="s3", end="s4"),
    ]
    [found] = interpret(pages, "lem.docx")
    steps = found.data["langkah"]
    assert steps[1]["lanjut"] == 4
    assert "lanjut" not in steps[0] and "lanjut" not in steps[2]


def test_decision_with_one_labelled_branch_infers_the_other():
    sop = read_sop(KERAMAIAN)
    pages = pages_of(sop)
    page = pages[1]
    page.texts = [t for t in page.texts if t.id != "t6Ya"]
    [found] = interpret(pages, "label.docx")
    step6 = found.data["langkah"][5]
    assert (step6["ya"], step6["tidak"]) == (7, 5)
    assert found.inferred[("langkah", 5, "ya")] == "panah tanpa label; dianggap 'Ya' karena panah lainnya berlabel 'Tidak'"


def test_decision_without_labels_is_a_problem():
    sop = read_sop(KERAMAIAN)
    pages = pages_of(sop)
    pages[1].texts = [t for t in pages[1].texts if not t.id.startswith("t7")]
    [found] = interpret(pages, "tanpa-label.docx")
    assert "ya" not in found.data["langkah"][6]
    assert ("panah keluar keputusan tidak berlabel Ya/Tidak", 7) in problems(found)


@pytest.mark.parametrize(("note", "branches"), [
    ("Tidak lengkap: kembali ke langkah 5", {"ya": 8, "tidak": 5}),
    ("Ditolak, dikembalikan ke langkah 5. Disetujui: lanjut ke langkah 8", {"ya": 8, "tidak": 5}),
    ("Lengkap: lanjut ke langkah nomor 8", {"ya": 8, "tidak": 5}),
    ("Tidak sesuai ke langkah no. 5", {"ya": 8, "tidak": 5}),
    ("Kembali ke langkah 5", None),  # no word says which branch
    ("Tidak lengkap: kembali ke langkah 2", None),  # step 2 is neither arrow's end
    ("Tidak: ke langkah 5; tidak: ke langkah 8", None),  # says both ends are 'Tidak'
    ("Periksa kelengkapan berkas", None),
])
def test_decision_without_labels_takes_its_branches_from_what_keterangan_writes(note: str, branches: dict | None):
    """Offices write the branch in Keterangan ('Tidak sesuai: kembali ke langkah 3'); when the arrows
    carry no readable label, that sentence decides, and is said as the reason. Anything vaguer stays
    a problem."""
    sop = read_sop(KERAMAIAN)
    sop["langkah"][6]["keterangan"] = note
    pages = pages_of(sop)
    pages[1].texts = [t for t in pages[1].texts if not t.id.startswith("t7")]
    [found] = interpret(pages, "keterangan.docx")
    step7 = found.data["langkah"][6]
    if branches is None:
        assert "ya" not in step7 and ("panah keluar keputusan tidak berlabel Ya/Tidak", 7) in problems(found)
    else:
        assert {"ya": step7["ya"], "tidak": step7["tidak"]} == branches
        assert found.inferred[("langkah", 6, "tidak")] == f"label Ya/Tidak pada panah tidak terbaca; dari keterangan '{note}'"
        assert not [p for p in problems(found) if p[1] == 7]


def test_labels_that_contradict_keterangan_are_said():
    sop = read_sop(KERAMAIAN)
    sop["langkah"][6]["keterangan"] = "Tidak lengkap: kembali ke langkah 8"
    [found] = interpret(pages_of(sop), "terbalik.docx")
    assert (found.data["langkah"][6]["ya"], found.data["langkah"][6]["tidak"]) == (8, 5)  # as the arrows are labelled
    assert ("panah berlabel Ya menuju langkah 8, tetapi keterangan 'Tidak lengkap: kembali ke langkah 8' menyebut sebaliknya; "
            "dipakai label panahnya, periksa", 7) in problems(found)


def test_continued_table_with_a_differently_written_actor_header():
    """The seed's second page: 'Sek.Tim.Sa kip' is the same column; 'TIM' is not the same name."""
    seed = read_sop(SEED)
    pages = pages_of(seed, per_page=9)
    table = pages[2].tables[0]
    renamed = {"Sek.Tim.Sakip": "Sek.Tim.Sa kip", "Anggota Tim Sakip": "TIM"}
    table.cells = [Cell(c.row, c.col, renamed.get(c.text, c.text), c.rowspan, c.colspan) if c.row == 1 else c for c in table.cells]
    [found] = interpret(pages, "seed.docx")
    assert found.data["pelaksana"] == seed["pelaksana"]
    assert problems(found) == [("kolom pelaksana ke-4 bernama 'TIM', di tabel pertama 'Anggota Tim Sakip'; dipakai nama di tabel pertama", None)]
    assert found.data["langkah"][12]["pelaksana"] == "Sek.Tim.Sakip"


def test_two_sops_in_one_file():
    a, b = six_actor_sop(3), six_actor_sop(2)
    b["nama"] = "Contoh Kedua"
    pages = pages_of(a) + pages_of(b)
    found = interpret(pages, "dua.docx")
    assert [f.data["nama"] for f in found] == ["Contoh Enam", "Contoh Kedua"]
    assert [len(f.data["langkah"]) for f in found] == [3, 2]


@pytest.mark.parametrize(("written", "expected", "problem"), [
    ("1 hari", "1 hari", None), ("1-2 hari", "1-2 hari", None), ("1x24 jam", "1x24 jam", None), ("2 jam 30 menit", "2 jam 30 menit", None),
    ("15 mnt", "15 menit", None),
    ("2 minggu", "2 minggu", "waktu '2 minggu' tidak dapat dibaca; tulis dalam hari kerja, misalnya `5 hari` untuk satu minggu"),
    ("1 hari 2 jam", "1 hari 2 jam",
     "waktu '1 hari 2 jam' mencampur hari dengan jam atau menit; tulis dalam satu satuan, misalnya `1 hari` atau `10 jam`"),
])
def test_waktu_as_written_and_said_as_sop_check_would(written: str, expected: str, problem: str | None):
    sop = six_actor_sop(2)
    sop["langkah"][0]["mutu_baku"]["waktu"] = written
    [found] = interpret(pages_of(sop), "waktu.docx")
    assert found.data["langkah"][0]["mutu_baku"]["waktu"] == expected
    assert problems(found) == ([(problem, 1)] if problem else [])
    if written == "15 mnt":
        assert found.inferred[("langkah", 0, "mutu_baku", "waktu")] == "'15 mnt' ditulis lengkap sebagai '15 menit'"


# --- Word fixtures end to end (tests/fixtures/impor/, written by tests/gen_impor.py) ---------------

IMPOR = REPO / "tests" / "fixtures" / "impor"
SYMBOL = {"kapsul": "terminator", "proses": "proses", "keputusan": "keputusan"}


def read_word(name: str) -> list[Page]:
    docx = pytest.importorskip("sopcode.importing.docx")
    if not (IMPOR / name).exists():
        pytest.skip(f"{name} belum ada")
    return docx.read_docx(IMPOR / name)


@pytest.mark.parametrize("name", ["enam-pelaksana-melayang.docx", "grup.docx", "vml.docx", "tanda-teks.docx"])
def test_word_fixture_gives_its_sop(name: str, tmp_path: Path):
    """Each drawing style (floating shapes with glued connectors and elbows of plain lines, one grouped
    drawing, legacy VML, marks typed in cells) gives the SOP the fixture was written from, which loads."""
    gen = pytest.importorskip("gen_impor")
    made = {"enam-pelaksana-melayang.docx": gen.ENAM, "grup.docx": gen.EMPAT, "vml.docx": gen.EMPAT, "tanda-teks.docx": gen.LOOSE}[name]
    [found] = interpret(read_word(name), name)
    assert found.problems == []
    assert found.data["pelaksana"] == made.actors
    assert found.data["nama"] == dict(made.labels)[next(k for k, _ in made.labels if "Nama" in k)]
    sop, errors = loaded(found, tmp_path)
    assert errors == []
    expected = []
    for i, step in enumerate(made.steps):
        ya, tidak = (int(made.steps[i + 1].no), int(made.steps[step.tidak].no)) if step.tidak is not None else (None, None)
        simbol = "keputusan" if step.tidak is not None else "terminator" if i in (0, len(made.steps) - 1) else SYMBOL[step.symbol]
        expected.append((int(step.no), made.actors[step.actor], simbol, ya, tidak))
    assert [(s.no, str(s.pelaksana), s.simbol.value, s.ya, s.tidak) for s in sop.langkah] == expected


def test_word_seed_gives_the_seeds_steps_actors_symbols_and_branches(tmp_path: Path):
    """The seed kept as its authors keep it (symbols anchored in the actor's cell, the table broken
    after step 7 with a pair of off-page connectors): the seed's SOP, its bare minutes given the unit
    its 'Waktu (menit)' header names, and said so."""
    [found] = interpret(read_word("seed-jangkar-sel.docx"), "seed-jangkar-sel.docx")
    seed = read_sop(SEED)
    assert found.problems == []
    assert found.inferred[("langkah", 0, "mutu_baku", "waktu")] == "satuan 'menit' dari kepala kolom Waktu"
    for key in ("nomor", "nama", "nama_prosedur", "disahkan_oleh", "dasar_hukum", "kualifikasi_pelaksana", "pelaksana"):
        assert found.data[key] == seed[key], key
    assert found.hierarki == ["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI"]
    assert found.inferred[("langkah", 13, "no")] == "nomor langkah tertulis '14,'"
    mine, errors = loaded(found, tmp_path)
    assert errors == []
    expected, _ = load_sop(str(SEED))
    assert flow_of(mine) == flow_of(expected)


def test_header_typed_again_without_the_unit_keeps_the_first_pages_unit():
    """The seed's second page heads its column 'Waktu' where the first said 'Waktu (menit)': the same
    column, the same unit. With no unit on any header, a bare number is a problem, not a guessed unit."""
    sop = six_actor_sop(4)
    for step in sop["langkah"]:
        step["mutu_baku"]["waktu"] = "15 menit"
    pages = pages_of(sop, per_page=2, waktu_menit=True)
    second = pages[2].tables[0]
    second.cells = [dataclasses.replace(c, text="Waktu") if c.text == "Waktu (menit)" else c for c in second.cells]
    [found] = interpret(pages, "dua-halaman.docx")
    assert [s["mutu_baku"]["waktu"] for s in found.data["langkah"]] == ["15 menit"] * 4
    assert found.problems == []
    for page in pages[1:]:
        table = page.tables[0]
        table.cells = [dataclasses.replace(c, text="Waktu") if c.text == "Waktu (menit)" else c for c in table.cells]
    [found] = interpret(pages, "tanpa-satuan.docx")
    assert {p.step for p in found.problems} == {1, 2, 3, 4}
    assert found.problems[0].message == ("waktu '15' tanpa satuan, dan kepala kolom Waktu tidak menyebut satuannya; tulis "
                                         "satuannya di sel ('15 menit', '15 jam' atau '15 hari') atau di kepala kolom ('Waktu (menit)')")
    assert "waktu" not in str(found.inferred)  # no unit guessed


def test_word_two_tables_with_a_repeated_and_a_missing_number():
    """The procedure typed as two tables, step 5 written twice and 7 never: numbered by row, the repeat
    said at its step; no identity table: said, and the Nama SOP taken from the title typed above the
    procedure table, recorded as inferred."""
    [found] = interpret(read_word("dua-tabel.docx"), "dua-tabel.docx")
    steps = found.data["langkah"]
    assert [s["no"] for s in steps] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [s["pelaksana"] for s in steps] == ["Pegawai", "Pengelola Kepegawaian", "Pengelola Kepegawaian", "Kepala Subbagian",
                                               "Sekretaris", "Kepala Badan", "Pengelola Kepegawaian", "Pegawai"]
    assert problems(found) == [("tabel identitas SOP tidak ditemukan sebelum tabel prosedur ini", None),
                               ("nomor langkah 5 tertulis lebih dari sekali", 6)]
    assert found.inferred[("langkah", 6, "no")] == "nomor langkah tertulis 6; diurutkan dari baris tabel"
    assert found.data["nama"] == "PENGURUSAN KENAIKAN PANGKAT"
    assert "paragraf tepat di atas tabel prosedur" in found.inferred[("nama",)]


@pytest.mark.slow
def test_word_legacy_doc_of_the_seed_gives_the_seeds_actors():
    """The same seed saved as a legacy .doc (converted by LibreOffice on reading): every step's actor."""
    [found] = interpret(read_word("seed-jangkar-sel.doc"), "seed-jangkar-sel.doc")
    seed = read_sop(SEED)
    assert [s.get("pelaksana") for s in found.data["langkah"]] == [s["pelaksana"] for s in seed["langkah"]]


def beside(pages: list[Page], names: dict[int, str]) -> None:
    """A 'Pelaksana langkah' column beside the procedure table, as our Excel export writes it."""
    table = pages[1].tables[0]
    rows: list[list[str | None]] = [["Pelaksana langkah"], [None], [None]]
    rows += [[names.get(r - 2, "")] for r in range(3, table.n_rows)]
    pages[1].tables.append(make_table(rows, {(0, 0): (3, 1)}, where="tabel 2"))


def test_written_actor_column_gives_the_order_of_a_shared_step_and_disagreement_is_said():
    sop = six_actor_sop(4)
    pages = pages_of(sop)
    page = pages[1]
    table = page.tables[0]
    s2 = next(s for s in page.shapes if s.id == "s2")
    x0, x1 = table.col_edges[3] + 4, table.col_edges[5] - 4
    page.shapes[page.shapes.index(s2)] = dataclasses.replace(s2, box=Box(x0, s2.box.y, x1 - x0, s2.box.h), cell=None)
    beside(pages, {2: "Kasubbag Umum\nPetugas Loket", 3: "Kadis", 4: "Kepala Dinas"})
    [found] = interpret(pages, "buku.xlsx")
    steps = found.data["langkah"]
    assert steps[1]["pelaksana"] == ["Kasubbag Umum", "Petugas Loket"]  # the first holds the symbol, as written
    assert ("langkah", 1, "pelaksana") not in found.inferred  # read, not inferred
    assert steps[2]["pelaksana"] == "Kadis"
    assert steps[3]["pelaksana"] == "Sekdis"
    assert problems(found) == [
        ("kolom Pelaksana langkah menulis 'Kadis', simbol bagan alir di kolom 'Kasubbag Umum'; "
         "dipakai yang tertulis di kolom Pelaksana langkah", 3),
        ("'Kepala Dinas' di kolom Pelaksana langkah tidak ada di kolom pelaksana", 4),
    ]


# --- any pages: problems, never a crash ----------------------------------------------------------

WORDS = ["No", "Kegiatan", "Pelaksana", "Mutu Baku", "Waktu", "Output", "Keterangan", "Nomor SOP", "Nama SOP", "Tgl Revisi",
         "Disahkan oleh", "Dasar Hukum", "Camat", "√", "x", "1", "2", "2", "-", "15 menit", "Ya", "Tidak", "A", "", "NIP. 1",
         "Pelaksana langkah", "31 Februari 2020", "1.\n2.", ":"]


@pytest.mark.slow  # over a second: many pages of every kind
def test_any_pages_give_problems_not_a_crash():
    """A user's odd file (a table of header words in any order, shapes anywhere, lines of one point,
    anchors to tables that are not there) yields a Found with problems, never an exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from conftest import run_hypothesis

    coord = st.floats(-50, 900, allow_nan=False)
    table = st.builds(
        lambda rows, cols, texts, edges: make_table(
            [[texts[(r * cols + c) % len(texts)] for c in range(cols)] for r in range(rows)],
            widths=[40.0] * cols if edges else None),
        st.integers(1, 7), st.integers(1, 8), st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.booleans())
    box = st.builds(Box, coord, coord, st.floats(0, 120), st.floats(0, 80), st.booleans())
    anchor = st.none() | st.builds(Anchor, st.integers(0, 2), st.integers(-1, 9), st.integers(-1, 9))
    shape = st.builds(lambda i, g, b, t, a: Shape(str(i), g, b, t, a), st.integers(0, 30),
                      st.sampled_from(["rect", "flowChartDecision", "roundRect", "homePlate", "t202", "cloud", ""]), box,
                      st.sampled_from(WORDS), anchor)
    point = st.tuples(coord, coord)
    line = st.builds(lambda i, pts, s, e, h0, h1, lab: Line(str(i), tuple(pts), s, e, h0, h1, lab), st.integers(0, 40),
                     st.lists(point, max_size=4), st.none() | st.integers(0, 30).map(str), st.none() | st.integers(0, 30).map(str),
                     st.booleans(), st.booleans(), st.sampled_from(["", "Ya", "Tidak"]))
    page = st.builds(lambda t, s, ln, tx: Page("halaman", t, s, ln, tx), st.lists(table, max_size=3), st.lists(shape, max_size=8),
                     st.lists(line, max_size=8), st.lists(shape, max_size=3))

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(page, max_size=3))
    def check(pages):
        for found in interpret(pages, "acak.docx"):
            numbers = {s["no"] for s in found.data.get("langkah", [])}
            assert all(p.step is None or p.step in numbers for p in found.problems)
            assert all(isinstance(p.message, str) and p.message for p in found.problems)

    run_hypothesis(check)


def test_separate_start_and_end_capsules_make_terminator_terpisah(tmp_path: Path):
    sop = six_actor_sop(3)
    sop["langkah"][0]["simbol"] = sop["langkah"][2]["simbol"] = "proses"
    pages = pages_of(sop)
    page = pages[1]
    for sid, text in (("s1", "Mulai"), ("s3", "Selesai")):
        shape = next(s for s in page.shapes if s.id == sid)
        page.shapes.append(Shape(f"{sid}-{text}", "flowChartTerminator", Box(shape.box.x + 38, shape.box.y - 10, 22, 8), text))
        # A plain line (no arrowhead) joins the capsule to its step: no flow of a step, no problem.
        page.lines.append(Line(f"{sid}-{text}-garis", ((0, 0), (1, 1)), start=f"{sid}-{text}", end=sid, arrow_at_end=False))
    [found] = interpret(pages, "terpisah.docx")
    assert found.problems == []
    assert found.data["terminator"] == "terpisah"
    assert found.inferred[("terminator",)] == "simbol Mulai dan Selesai digambar terpisah dari langkah"
    assert all("simbol" not in s for s in found.data["langkah"])
    model, errors = loaded(found, tmp_path)
    assert errors == []
    assert model.terminator == "terpisah" and [s.simbol.value for s in model.langkah] == ["proses"] * 3


def test_hierarchy_of_a_dinas_and_a_slashed_kelengkapan_header():
    identity = make_table([
        ["DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL\nKOTA BANDUNG", "Nomor SOP", "470/1/2024"],
        [None, "Nama SOP", "Pelayanan KTP-el"],
    ], {(0, 0): (2, 1)})
    procedure = make_table([
        ["No", "Uraian Kegiatan", "Pelaksana", None, "Persyaratan/ Kelengkapan", "Waktu", "Output", "Ket."],
        [None, None, "Pemohon", "Operator", None, None, None, None],
        ["1", "Mengisi formulir", "√", "", "Formulir F-1.21\nKK", "5 menit", "Formulir terisi", ""],
    ], {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2), (0, 4): (2, 1), (0, 5): (2, 1), (0, 6): (2, 1), (0, 7): (2, 1)})
    [found] = interpret([Page("halaman 1", tables=[identity, procedure])], "ktp.docx")
    assert found.hierarki == ["DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", "KOTA BANDUNG"]
    assert found.data["langkah"] == [{"no": 1, "kegiatan": "Mengisi formulir", "pelaksana": "Pemohon",
                                      "mutu_baku": {"kelengkapan": ["Formulir F-1.21", "KK"], "waktu": "5 menit",
                                                    "output": "Formulir terisi"}}]


def test_misspelt_labels_are_read_and_said():
    table = make_table([
        ["Nomor SOP", "12/2020"], ["Nama SOP", "Contoh"], ["Tanggal Pembuaatan", "5 Mei 2020"], ["Disahakan oleh", "CAMAT\nAsep\nNIP. 1"],
        ["Pencatatan dan Pendatan", "Dasar Hukm"], ["1. Buku agenda", "1. Undang-Undang Nomor 25 Tahun 2009"],
    ])
    [found] = interpret([Page("halaman 1", tables=[table])], "salah-ketik.docx")
    assert found.data["tanggal_pembuatan"] == dt.date(2020, 5, 5)
    assert found.data["disahkan_oleh"] == {"jabatan": "CAMAT", "nama": "Asep", "nip": "1"}
    assert found.data["pencatatan_pendataan"] == ["Buku agenda"]
    assert found.data["dasar_hukum"] == ["Undang-Undang Nomor 25 Tahun 2009"]
    assert found.inferred[("tanggal_pembuatan",)] == "label 'Tanggal Pembuaatan' dibaca sebagai 'Tanggal Pembuatan'"
    assert found.inferred[("pencatatan_pendataan",)] == "label 'Pencatatan dan Pendatan' dibaca sebagai 'Pencatatan dan Pendataan'"
    assert found.inferred[("dasar_hukum",)] == "label 'Dasar Hukm' dibaca sebagai 'Dasar Hukum'"


def test_title_of_the_procedure_sheet_names_an_sop_without_identity():
    sop = six_actor_sop(2)
    pages = pages_of(sop)[1:]  # the procedure page only
    pages[0].texts.append(Shape("judul", "", Box(30, 20, 300, 20), "SOP : PELAYANAN IZIN REKLAME"))
    [found] = interpret(pages, "tanpa-identitas.docx")
    assert found.data["nama"] == "PELAYANAN IZIN REKLAME"  # as written
    assert found.inferred[("nama",)] == "Nama SOP tidak tertulis di identitas; diambil dari judul lembar prosedur 'PELAYANAN IZIN REKLAME'"
    assert problems(found) == [("tabel identitas SOP tidak ditemukan sebelum tabel prosedur ini", None)]


def test_lines_without_arrowheads_follow_the_rows_only_between_consecutive_steps():
    sop = six_actor_sop(4)
    pages = pages_of(sop)
    page = pages[1]
    page.lines = [dataclasses.replace(line, arrow_at_end=False) for line in page.lines]
    [found] = interpret(pages, "tanpa-kepala.docx")
    assert found.problems == []
    s1, s4 = (next(s for s in page.shapes if s.id == i) for i in ("s1", "s4"))
    page.lines.append(Line("mundur", ((s4.box.x, s4.box.cy), (s1.box.x + s1.box.w, s1.box.cy)), arrow_at_end=False))
    [found] = interpret(pages, "tanpa-kepala.docx")
    assert ("garis tanpa kepala panah antara dua bentuk yang tidak berurutan; arahnya tidak dapat dipastikan", None) in problems(found)
    assert all("lanjut" not in s for s in found.data["langkah"])


@pytest.mark.parametrize(("written", "expected"), [
    ("CAMAT BUNGURSARI  M.SARIPUL.HAROM.S.Sos NIP. 19640104 199101 1 004",  # the seed's text, one line
     {"jabatan": "CAMAT BUNGURSARI", "nama": "M.SARIPUL.HAROM.S.Sos", "nip": "19640104 199101 1 004"}),
    ("KEPALA DINAS\nKOTA BANDUNG\n\nDrs. H. ASEP, M.Si\nPembina Utama Muda\nNIP.\n19640104 199101 1 004",
     {"jabatan": "KEPALA DINAS KOTA BANDUNG", "nama": "Drs. H. ASEP, M.Si", "nip": "19640104 199101 1 004"}),
    ("-", None),
])
def test_signer_block_as_offices_write_it(written: str, expected: dict | None):
    table = make_table([["Nama SOP", "Contoh"], ["Disahkan Oleh", written]])
    [found] = interpret([Page("halaman 1", tables=[table])], "ttd.docx")
    assert found.data.get("disahkan_oleh") == expected
    if expected:
        assert list(found.data["disahkan_oleh"]) == ["jabatan", "nama", "nip"]


def test_arrow_ending_nowhere_is_said_at_its_step():
    sop = six_actor_sop(3)
    pages = pages_of(sop)
    page = pages[1]
    s2 = next(s for s in page.shapes if s.id == "s2")
    page.lines = [line for line in page.lines if not line.id.startswith("l2-")]
    page.lines.append(Line("buntu", ((s2.box.cx, s2.box.y + s2.box.h), (s2.box.cx, s2.box.y + s2.box.h + 15))))
    [found] = interpret(pages, "buntu.docx")
    assert problems(found) == [("panah keluar dari simbol langkah ini tidak berujung pada simbol lain", 2)]


def test_header_whose_no_and_kegiatan_cells_span_the_column_numbers_row():
    """No and Kegiatan merged down over the names and the column numbers: the names are still the row
    right under Pelaksana, and the steps begin after the numbers."""
    table = make_table([
        ["NO", "KEGIATAN", "PELAKSANA", None, "MUTU BAKU", None, None],
        [None, None, "Kasubbag TU", "Kadis", "Kelengkapan", "Waktu", "Output"],
        [None, None, "3", "4", "5", "6", "7"],
        ["1", "Memeriksa surat", "√", "", "Surat", "10 menit", "Surat diperiksa"],
        ["2", "Menandatangani surat", "", "√", "Surat", "5 menit", "Surat ditandatangani"],
    ], {(0, 0): (3, 1), (0, 1): (3, 1), (0, 2): (1, 2), (0, 4): (1, 3)})
    [found] = interpret([Page("halaman 1", tables=[table])], "surat.docx")
    assert found.data["pelaksana"] == ["Kasubbag TU", "Kadis"]
    assert [(s["no"], s["pelaksana"]) for s in found.data["langkah"]] == [(1, "Kasubbag TU"), (2, "Kadis")]


@pytest.mark.parametrize(("header", "unit"), [("Waktu (menit)", "menit"), ("Waktu (Jam)", "jam"), ("WAKTU (Hari)", "hari"),
                                              ("Waktu (mnt)", "menit"), ("Waktu (hr.)", "hari")])
def test_waktu_header_unit_is_added_to_bare_numbers_and_said(header: str, unit: str):
    from sopcode.importing.procedure import find_header, waktu

    table, _ = procedure_table(["Camat"], [{"no": 1, "kegiatan": "Menerima", "pelaksana": "Camat",
                                            "mutu_baku": {"waktu": "15 menit"}}], waktu_menit=True)
    table.cells = [dataclasses.replace(c, text=header) if c.text == "Waktu (menit)" else c for c in table.cells]
    layout = find_header(table)
    assert layout is not None and layout.waktu_unit == unit
    assert waktu("15", layout.waktu_unit) == (f"15 {unit}", f"satuan '{unit}' dari kepala kolom Waktu", None)


def test_copies_stacked_in_one_cell_under_one_id_are_said_not_merged():
    """Three identical shapes on top of each other in one cell, all under one id (VML shapes often have
    no id, LibreOffice writes 'shape_0' for all): they are three shapes, so the step's symbol is a
    problem, as it is when the copies have ids of their own; before, they silently became one."""
    seed = read_sop(SEED)
    problems_by_ids = []
    for suffixes in (("", ""), ("b", "c")):
        pages = pages_of(seed)
        shape = pages[1].shapes[2]
        pages[1].shapes += [dataclasses.replace(shape, id=shape.id + s) for s in suffixes]
        [found] = interpret(pages, "tumpuk.docx")
        assert "bagan alir: 16 simbol, 39 garis" in found.read
        problems_by_ids.append([(p.message, p.step) for p in found.problems if p.step == 3 and "bentuk dalam satu baris" in p.message])
    assert problems_by_ids[0] == problems_by_ids[1] == [
        ("3 bentuk dalam satu baris di kolom yang sama; simbol langkah tidak dapat dipastikan", 3)]


def test_labels_ending_in_a_colon_with_their_values_in_the_next_cell():
    """'Nomor SOP :', 'Tgl Pembuatan :', 'Disahkan Oleh :' — the colon typed in the label's own cell,
    as often as in a cell of its own: the value is the next cell's."""
    table = make_table([
        ["Nomor SOP :", "800/045/Dinkes/2024"],
        ["Tgl Pembuatan :", "3 Maret 2024"],
        ["Tgl Pengesahan :", "18 Maret 2024"],
        ["Disahkan Oleh :", "Kepala Dinas Kesehatan\n\n\ndr. Hj. Rina Marlina, M.Kes\nNIP. 19750612 200312 2 004"],
        ["Nama SOP :", "Pelayanan Permohonan Cuti Tahunan Pegawai"],
    ])
    [found] = interpret([Page("halaman 1", tables=[table])], "titik-dua.docx")
    d = found.data
    assert (d["nomor"], d["nama"]) == ("800/045/Dinkes/2024", "Pelayanan Permohonan Cuti Tahunan Pegawai")
    assert (d["tanggal_pembuatan"], d["tanggal_efektif"]) == (dt.date(2024, 3, 3), dt.date(2024, 3, 18))
    assert d["disahkan_oleh"] == {"jabatan": "Kepala Dinas Kesehatan", "nama": "dr. Hj. Rina Marlina, M.Kes",
                                  "nip": "19750612 200312 2 004"}
    assert not [p for p in problems(found) if "label" in p[0]]


def test_identity_labels_not_found_are_said_not_dropped():
    """A value lost to a label this reader does not know must not go unsaid: each of Nomor SOP, the
    dates and the signer whose label is nowhere in the identity table is named."""
    table = make_table([["Nomor Dokumen", "800/045"], ["Nama SOP", "Contoh"], ["Tgl Pembuatan", "3 Maret 2024"]])
    [found] = interpret([Page("halaman 1", tables=[table])], "kurang.docx")
    said = [m for m, _ in problems(found) if m.startswith("label ")]
    assert said == ["label 'Nomor SOP' tidak ditemukan di tabel identitas",
                    "label 'Tanggal Efektif (pengesahan)' tidak ditemukan di tabel identitas",
                    "label 'Disahkan oleh' tidak ditemukan di tabel identitas"]


def test_an_arrow_out_of_a_connector_ending_nowhere_names_the_connector():
    """A step's problem is said at its step; a connector has no step, so it is named as it looks
    ('penghubung 3'), never as 'this step' with no number."""
    sop = six_actor_sop(4)
    pages = pages_of(sop, per_page=2)
    page = pages[2]
    line = next(ln for ln in page.lines if ln.id == "l3-in")
    page.lines[page.lines.index(line)] = dataclasses.replace(line, points=(line.points[0], (line.points[0][0], line.points[0][1] + 8)))
    [found] = interpret(pages, "penghubung.docx")
    assert ("panah keluar dari penghubung '3' tidak berujung pada simbol lain", None) in problems(found)


@pytest.mark.parametrize(("title", "prosedur"), [
    ("SOP CONTOH ENAM", None), ("Standar Operasional Prosedur Contoh Enam", None), ("contoh enam.", None),
    ("SOP PENGUKURAN KINERJA", "SOP PENGUKURAN KINERJA")])
def test_the_procedure_title_is_another_title_only_when_its_words_differ(title: str, prosedur: str | None):
    """'SOP CONTOH ENAM' over the procedure table is the Nama SOP 'Contoh Enam' as the form heads it,
    not a second title (which would be written as nama_prosedur and warned about)."""
    pages = pages_of(six_actor_sop(2), title=title)
    [found] = interpret(pages, "judul.docx")
    assert found.data.get("nama_prosedur") == prosedur


def test_a_sekretariat_under_a_dinas_is_the_unit():
    """The kop's last line names the SOP's unit when it is one: a Bidang, a Seksi, and under an
    institution's own line a Sekretariat or a Puskesmas too; as the second of two lines a Sekretariat
    may be the institution itself (Sekretariat Daerah), and stays an institution line."""
    sop = six_actor_sop(2)
    [found] = interpret(pages_of(sop, hierarki=("PEMERINTAH KABUPATEN SUKAMAJU", "DINAS KESEHATAN", "SEKRETARIAT")), "dinkes.docx")
    assert found.data["unit"] == "SEKRETARIAT"
    assert found.hierarki == ["PEMERINTAH KABUPATEN SUKAMAJU", "DINAS KESEHATAN"]
    assert found.inferred[("unit",)] == "baris terakhir kop identitas menamai unit kerja"
    [found] = interpret(pages_of(sop, hierarki=("PEMERINTAH KABUPATEN SUKAMAJU", "SEKRETARIAT DAERAH")), "setda.docx")
    assert "unit" not in found.data and found.hierarki == ["PEMERINTAH KABUPATEN SUKAMAJU", "SEKRETARIAT DAERAH"]


def test_shapes_placed_by_a_broken_offset_are_said_to_be_there_but_unplaced():
    """LibreOffice writes a group it could not place at the largest offset there is (2147483647 EMU):
    the shapes are in the file, their places are not, which is said as such, not only as steps
    without a symbol (which sends the user looking at the table)."""
    sop = six_actor_sop(3)
    pages = pages_of(sop)
    far = 2147483647 / 12700
    pages[1].shapes = [dataclasses.replace(s, box=Box(far, far, s.box.w, s.box.h), cell=None) for s in pages[1].shapes]
    [found] = interpret(pages, "jauh.docx")
    assert ("3 bentuk bagan alir ada di berkas, tetapi letaknya tidak terbaca (jauh di luar halaman); buka dokumennya, "
            "periksa bagan alirnya, simpan ulang, lalu impor lagi", None) in problems(found)


def test_ya_tidak_typed_on_the_arrows_themselves_give_the_branches(tmp_path: Path):
    """'Ya'/'Tidak' typed on the connector (its own text), not in a text box beside it: the branch."""
    sop = read_sop(KERAMAIAN)
    pages = pages_of(sop)
    page = pages[1]
    for text in [t for t in page.texts if t.id.startswith("t")]:
        start = (text.box.x - 2, text.box.y + 14)  # draw_flow writes the label just above its arrow's start
        k = next(i for i, line in enumerate(page.lines) if line.points[0] == start)
        page.lines[k] = dataclasses.replace(page.lines[k], label=text.text)
        page.texts.remove(text)
    assert not page.texts
    [found] = interpret(pages, "label-di-panah.docx")
    sop_back, errors = loaded(found, tmp_path)
    assert errors == [] and not [p for p in problems(found) if "label" in p[0] or "berlabel" in p[0]]
    expected, _ = load_sop(str(KERAMAIAN))
    assert [(s.ya, s.tidak) for s in sop_back.langkah] == [(s.ya, s.tidak) for s in expected.langkah]
