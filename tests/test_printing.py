"""The printed sheets, looked at: real PDFs from headless Chromium, read back with Poppler.

Every assertion reads the PDF (pdfinfo, pdftotext, pdffonts, pdftohtml,
pdftoppm) or the browser's own layout of the printed page; the layout code's
numbers are used only to say where a column *should* be.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, ROOT, SEED
from gen_sop import random_sop
from sopcode.model.load import load_folder
from sopcode.model.logo import baca_berkas
from sopcode.model.sop import Sop, Teks
from sopcode.publish import Settings, publish
from sopcode.sheets import BUKU, Printer, SheetInputs, write_atomic
from sopcode.sheets.layout import MARGIN, PT_PER_MM, Lembar

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # prints the seed and long SOPs to PDF

MM_PER_PT = 25.4 / 72


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size_mm(path: Path) -> tuple[float, float]:
    w, h = re.findall(r"[\d.]+", pdfinfo(path)["Page size"])[:2]
    return float(w) * MM_PER_PT, float(h) * MM_PER_PT


def text_of(path: Path, page: int | None = None) -> str:
    args = ["pdftotext"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Every word on a page with its box (xMin, yMin, xMax, yMax) in pt from the top left."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    found = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        found.append((html.unescape(m.group(5)), *(float(m.group(k)) for k in range(1, 5))))
    return found


def long_sop() -> Sop:
    """Seven actors and step texts of 400 characters, one holding a 70-character word."""
    base = next(s for s in map(random_sop, range(1000)) if len(s.pelaksana) == 7 and len(s.langkah) >= 12)
    filler = ("Memeriksa kelengkapan dan keabsahan berkas permohonan beserta seluruh lampirannya, "
              "mencocokkan data dengan register, ")
    steps = []
    for n, step in enumerate(base.langkah):
        text = (filler * 4)[:330] + " https://sipd.purwakartakab.go.id/layanan/permohonan/berkas-lampiran-x "
        text = (text + "sesuai ketentuan")[:400] if n % 3 == 0 else str(step.kegiatan)
        steps.append(dataclasses.replace(step, kegiatan=Teks(text, step.kegiatan.loc)))
    return dataclasses.replace(base, id="sop-panjang", langkah=tuple(steps))


@dataclasses.dataclass
class Printed:
    lembars: list[Lembar]
    pdfs: dict[str, Path]
    problems: list[str]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    """The project's SOPs (F4), the good fixtures (A4) and a long SOP, each printed once."""
    out = tmp_path_factory.mktemp("pdf")
    real = load_folder(str(ROOT / "sop_data")).sops
    fixtures = load_folder(str(FIXTURES / "baik")).sops
    lembars, pdfs, problems = [], {}, []
    for sops, kertas in ((real, None), ([*fixtures, long_sop()], "A4")):
        with Printer(paper=kertas) as printer:
            these = printer.prepare(sops, SheetInputs(all_sops={s.id: s for s in sops}))
            for lb in these:
                pdfs[lb.sop.id] = out / f"{lb.sop.id}.pdf"
                pdfs[lb.sop.id].write_bytes(printer.print_one(lb))
            if kertas is None:
                pdfs[BUKU] = out / BUKU
                pdfs[BUKU].write_bytes(printer.print_binder(these))
            lembars += these
            problems += printer.problems
    return Printed(lembars, pdfs, problems)


def test_paper_is_exact_landscape_a4_or_f4(printed: Printed):
    for lb in printed.lembars:
        w, h = page_size_mm(printed.pdfs[lb.sop.id])
        # sop_data/_instansi.yaml says F4; the fixtures were printed with A4 asked for.
        in_project = Path(lb.sop.path).parent == ROOT / "sop_data"
        expected = (330.0, 215.0) if in_project else (297.0, 210.0)
        assert abs(w - expected[0]) <= 0.5 and abs(h - expected[1]) <= 0.5, (lb.sop.id, w, h)
    assert any(abs(page_size_mm(p)[0] - 330) < 0.5 for p in printed.pdfs.values())
    assert any(abs(page_size_mm(p)[0] - 297) < 0.5 for p in printed.pdfs.values())


def test_page_count_and_numbering_per_sop(printed: Printed):
    for lb in printed.lembars:
        path = printed.pdfs[lb.sop.id]
        pages = int(pdfinfo(path)["Pages"])
        assert pages == lb.n_pages >= 2
        for page in range(1, pages + 1):
            assert f"Halaman {page} dari {pages}" in text_of(path, page)


def column_text(path: Path, page: int, x0: float, x1: float) -> str:
    """The words of a page whose centre lies between x0 and x1, in reading order, without spaces."""
    inside = [(round(b, 0), a, t) for t, a, b, c, d in words(path, page) if x0 < (a + c) / 2 < x1]
    return "".join(t for _, _, t in sorted(inside))


def test_every_step_and_box_is_printed(printed: Printed):
    left = MARGIN[3] * PT_PER_MM
    for lb in printed.lembars:
        path = printed.pdfs[lb.sop.id]
        kegiatan = "".join(column_text(path, p.no, left + lb.kolom.no, left + lb.kolom.x_aktor) for p in lb.pages)
        for step in lb.sop.langkah:
            assert squash(str(step.kegiatan)) in kegiatan, (lb.sop.id, step.no)
        boxes = column_text(path, 1, left, left + lb.width_pt / 2)
        for item in lb.sop.dasar_hukum:
            assert squash(str(item)) in boxes, (lb.sop.id, str(item))
        k = lb.kolom
        x0 = left + k.x_aktor + sum(k.aktor) + k.kelengkapan  # the total spans Waktu and Output
        assert squash(lb.sop.total_waktu().teks()) in column_text(path, lb.n_pages, x0, x0 + k.waktu + k.output)
    seed = squash(text_of(printed.pdfs[SEED.stem], 1))
    for label in ("NomorSOP", "TanggalPembuatan", "TanggalRevisi", "TanggalPengesahan", "Disahkanoleh",
                  "NamaSOP", "DasarHukum:", "KualifikasiPelaksana:", "Keterkaitan:", "Peralatan/Perlengkapan:",
                  "Peringatan:", "PencatatandanPendataan:", "NIP.196401041991011004"):
        assert label in seed, label


def test_symbols_sit_in_their_actor_column_and_row(printed: Printed):
    """The step numbers the chart prints lie in the step's actor columns and row, as read from the PDF:
    one in the middle of each symbol (a step of several actors: one symbol spanning adjacent actors'
    columns, one in each further column)."""
    for lb in printed.lembars:
        path = printed.pdfs[lb.sop.id]
        left = MARGIN[3] * PT_PER_MM
        x0 = left + lb.kolom.x_aktor
        edges = [x0]
        for w in lb.kolom.aktor:
            edges.append(edges[-1] + w)
        actors = [str(a) for a in lb.sop.pelaksana]
        for page in lb.pages:
            top = MARGIN[0] * PT_PER_MM + lb.head_pt + page.band_top
            found = [(t, (a + c) / 2, (b + d) / 2) for t, a, b, c, d in words(path, page.no)
                     if t.isdigit() and edges[0] < (a + c) / 2 < edges[-1] and (b + d) / 2 > top]
            y = top
            for i in range(page.lo, page.hi):
                step = lb.sop.langkah[i]
                runs: list[list[int]] = []  # adjacent actor columns share one symbol
                for k in sorted({actors.index(str(a)) for a in step.semua_pelaksana}):
                    if runs and runs[-1][-1] == k - 1:
                        runs[-1].append(k)
                    else:
                        runs.append([k])
                hits = sorted(cx for t, cx, cy in found if t == str(step.no) and y < cy < y + lb.rows_pt[i])
                assert len(hits) == len(runs), (lb.sop.id, step.no, hits)
                for cx, run in zip(hits, runs):
                    a, b = run[0], run[-1]
                    assert edges[a] < cx < edges[b + 1], (lb.sop.id, step.no, "outside its columns")
                    middle = (edges[a] + edges[a + 1] + edges[b] + edges[b + 1]) / 4
                    assert abs(cx - middle) < 3, (lb.sop.id, step.no, "not centred")
                y += lb.rows_pt[i]


def test_no_text_leaves_its_cell_even_for_long_steps_and_seven_actors(printed: Printed):
    long = next(lb for lb in printed.lembars if lb.sop.id == "sop-panjang")
    assert len(long.sop.pelaksana) == 7 and max(len(str(s.kegiatan)) for s in long.sop.langkah) == 400
    assert len(long.pages) >= 2, "long steps need more than one procedure sheet"
    assert printed.problems == []  # the browser's own check of every cell, every sheet and the chart rows
    text = squash(text_of(printed.pdfs["sop-panjang"]))
    assert "berkas-lampiran-x" in text


def test_page_breaks_carry_connector_pairs(printed: Printed):
    for lb in printed.lembars:
        if len(lb.pages) < 2:
            continue
        labels = []
        for page in lb.pages:
            labels.append({t for t, *_ in words(printed.pdfs[lb.sop.id], page.no) if re.fullmatch(r"[A-Z]\d*", t)})
        seen = [label for page in labels for label in page]
        assert seen, lb.sop.id
        for label in set(seen):
            assert sum(label in page for page in labels) == 2, (lb.sop.id, label)


def test_fonts_are_embedded(printed: Printed):
    for path in printed.pdfs.values():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), out


def test_binder_has_cover_contents_outline_and_continuous_pages(printed: Printed):
    real = [lb for lb in printed.lembars if Path(lb.sop.path).parent == ROOT / "sop_data"]
    binder = printed.pdfs[BUKU]
    pages = int(pdfinfo(binder)["Pages"])
    assert pages == 1 + 1 + sum(lb.n_pages for lb in real)
    cover = text_of(binder, 1)
    assert "STANDAR OPERASIONAL PROSEDUR" in cover and "KECAMATAN BUNGURSARI" in cover
    toc = text_of(binder, 2)
    outline = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(binder)], capture_output=True,
                             text=True, check=True).stdout
    items = {item.text: int(item.get("page")) for item in
             ET.fromstring(re.search(r"<outline>.*</outline>", outline, re.S).group(0)).iter("item")}
    for lb in real:
        assert str(lb.sop.nama) in squash(toc) or squash(str(lb.sop.nama)) in squash(toc)
        start = items[str(lb.sop.nama)]
        # The contents give the same page, and that page is the SOP's identity sheet.
        assert re.search(re.escape(squash(str(lb.sop.nama))) + r".*?" + str(start), squash(toc))
        assert "Halaman1dari" in squash(text_of(binder, start))
        assert squash(str(lb.sop.nama)) in squash(text_of(binder, start))
        assert squash(str(start)) in squash(text_of(binder, start))  # the binder's own page number
        for k in range(lb.n_pages):  # every sheet whole, though its own PDF was closed once copied in
            own = text_of(printed.pdfs[lb.sop.id], k + 1)
            bound = text_of(binder, start + k)
            assert [line for line in own.splitlines() if line.strip() and line not in bound] == []


def test_seed_pages_look_right_as_pictures(printed: Printed, tmp_path: Path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(printed.pdfs[SEED.stem]), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 2
    for png in pngs:
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert abs(width / height - 330 / 215) < 0.01  # landscape F4
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for n in (1, 2):
        assert f"docs/gambar/lembar-seed-{n}.png" in readme
        assert (ROOT / "docs" / "gambar" / f"lembar-seed-{n}.png").read_bytes().startswith(b"\x89PNG")


def test_pdfs_are_written_atomically(tmp_path: Path, monkeypatch):
    target = tmp_path / "a.pdf"
    write_atomic(str(target), b"%PDF-lama")
    assert target.read_bytes() == b"%PDF-lama" and oct(target.stat().st_mode & 0o044) != "0o0"

    def broken_replace(src, dst):
        raise OSError("disk penuh")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(str(target), b"%PDF-baru")
    assert target.read_bytes() == b"%PDF-lama"  # the old file stands whole
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no half-written file left behind


def sop(*args: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "sop"), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_sop_pdf_prints_every_sop_and_the_binder(tmp_path: Path):
    out = tmp_path / "pdf"
    cache = {"SOPCODE_CACHE_DIR": str(tmp_path / "cache")}
    done = sop("pdf", ROOT / "sop_data", "--keluar", out, "--kertas", "A4", cwd=tmp_path, env=cache)
    assert done.returncode == 0, done.stderr
    sops = load_folder(str(ROOT / "sop_data")).sops
    assert {p.stem for p in out.glob("*.pdf")} == {s.id for s in sops} | {"buku-sop"}
    pages = 0
    for s in sops:  # each SOP's own sheets: its name on the identity sheet, its steps after it, on A4
        pdf = out / f"{s.id}.pdf"
        n = int(pdfinfo(pdf)["Pages"])
        assert n >= 2 and abs(page_size_mm(pdf)[0] - 297) < 0.5
        assert squash(str(s.nama))[:40] in squash(text_of(pdf, 1))
        assert squash(str(s.langkah[-1].kegiatan))[:30] in squash(text_of(pdf))
        pages += n
    binder = out / BUKU
    assert int(pdfinfo(binder)["Pages"]) == 2 + pages  # cover, contents, then every SOP's sheets
    assert abs(page_size_mm(binder)[0] - 297) < 0.5
    assert "dicetak" in done.stderr and f"{len(sops)} PDF SOP dan buku-sop.pdf ditulis" in done.stdout
    assert f"({len(sops)} dicetak, 0 dari cache)" in done.stdout
    counted = [int(n) for n in re.findall(r"^dicetak (\d+)/\d+: ", done.stderr, re.M)]  # printed from several threads
    assert sorted(counted) == list(range(1, len(sops) + 2)) and counted[-1] == len(sops) + 1  # the binder last
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = sop("pdf", ROOT / "sop_data", "--keluar", out, "--kertas", "A4", cwd=tmp_path, env=cache)
    assert again.returncode == 0 and f"(0 dicetak, {len(sops)} dari cache)" in again.stdout, again.stderr
    unchanged = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != BUKU}
    assert unchanged == {k: v for k, v in before.items() if k != BUKU}  # an unchanged SOP's file is left alone


def test_sop_pdf_refuses_broken_sops_without_writing(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sop-rusak.yaml").write_bytes((FIXTURES / "rusak" / "target-tak-ada.yaml").read_bytes())
    done = sop("pdf", data, "--keluar", tmp_path / "pdf", cwd=tmp_path)
    assert done.returncode == 1
    assert "sop-rusak.yaml:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "pdf").exists()
    assert "PDF tidak dibuat" in done.stderr


def test_missing_chromium_is_one_clear_message(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    from sopcode.sheets.chromium import ChromiumMissing, find_chromium
    with pytest.raises(ChromiumMissing, match="chromium"):
        find_chromium()
    with pytest.raises(ChromiumMissing), Printer():
        pass


def test_the_logo_is_on_the_identity_sheet_and_the_cover(tmp_path: Path):
    logo = tmp_path / "logo.png"
    subprocess.run(["dot", "-Tpng", "-o", str(logo)], input='digraph { a [shape=circle, label="P"] }',
                   text=True, check=True)
    sops = [s for s in load_folder(str(ROOT / "sop_data")).sops if s.id == SEED.stem]
    (tmp_path / "pdf").mkdir()
    with Printer() as printer:
        lembars = printer.prepare(sops, SheetInputs(logo=baca_berkas(str(logo))))
        (tmp_path / "pdf" / f"{SEED.stem}.pdf").write_bytes(printer.print_one(lembars[0]))
        (tmp_path / "pdf" / BUKU).write_bytes(printer.print_binder(lembars))
    assert printer.problems == []
    for path, page in ((tmp_path / "pdf" / f"{SEED.stem}.pdf", 1), (tmp_path / "pdf" / BUKU, 1)):
        images = subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-list", str(path)],
                                capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert len([row for row in images if row.split()[2] == "image"]) == 1, (path.name, images)


def footer_words(path: Path, page: int) -> tuple[tuple, tuple]:
    """The word at the footer's left corner, and the word "Halaman" of the same footer."""
    found = words(path, page)
    halaman = [w for w in found if w[0] == "Halaman"][-1]
    left = [w for w in found if w[1] < MARGIN[3] * PT_PER_MM + 5 and abs(w[2] - halaman[2]) < 3]
    return (left[0] if left else None), halaman


def test_binder_numbers_sit_on_the_footer_line_of_every_sheet(printed: Printed):
    binder = printed.pdfs[BUKU]
    pages = int(pdfinfo(binder)["Pages"])
    for page in range(3, pages + 1):
        number, halaman = footer_words(binder, page)
        assert number is not None and number[0] == str(page), (page, number)
        # Stamped after printing, on the same baseline as the browser's "Halaman x dari y"
        # and at the sheet's left edge (within a tenth of a point).
        assert abs(number[2] - halaman[2]) < 0.1 and abs(number[4] - halaman[4]) < 0.1, (page, number, halaman)
        assert abs(number[1] - MARGIN[3] * PT_PER_MM) < 0.5
    # The sheets of a single SOP's PDF keep that corner empty.
    for lb in printed.lembars:
        for page in range(1, lb.n_pages + 1):
            assert footer_words(printed.pdfs[lb.sop.id], page)[0] is None
    fonts = subprocess.run(["pdffonts", str(binder)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])  # the number's font embedded too


def test_each_sop_pdf_has_its_title_and_an_outline(printed: Printed):
    for lb in printed.lembars[:3]:
        path = printed.pdfs[lb.sop.id]
        assert pdfinfo(path)["Title"].strip() == str(lb.sop.nama)
        outline = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True,
                                 text=True, check=True).stdout
        items = [(i.text, int(i.get("page"))) for i in
                 ET.fromstring(re.search(r"<outline>.*</outline>", outline, re.S).group(0)).iter("item")]
        assert items[0] == ("Lembar identitas", 1) and items[1][1] == 2 and len(items) == lb.n_pages


def longer(sop: Sop, words_per_step: int) -> Sop:
    """The same SOP with every step's text lengthened: its procedure needs more sheets."""
    filler = " dengan memeriksa kembali seluruh berkas" * words_per_step
    return dataclasses.replace(sop, langkah=tuple(
        dataclasses.replace(s, kegiatan=Teks(str(s.kegiatan) + filler, s.kegiatan.loc)) for s in sop.langkah))


def test_one_changed_sop_is_the_only_one_printed_again(tmp_path: Path):
    sops = load_folder(str(ROOT / "sop_data")).sops
    cache = str(tmp_path / "cache")

    def run(these: list[Sop], out: Path) -> Printer:
        with Printer(cache) as printer:
            lembars = printer.prepare(these, SheetInputs(all_sops={s.id: s for s in these}))
            out.mkdir()
            for lb, data in zip(lembars, printer.print(lembars)):
                (out / f"{lb.sop.id}.pdf").write_bytes(data)
            (out / BUKU).write_bytes(printer.print_binder(lembars))
            printer.lembars = lembars
        return printer

    first = run(sops, tmp_path / "1")
    assert (first.printed, first.from_cache) == (len(sops), 0)
    again = run(sops, tmp_path / "2")
    assert (again.printed, again.from_cache) == (0, len(sops))
    assert (tmp_path / "2" / BUKU).read_bytes() == (tmp_path / "1" / BUKU).read_bytes()

    changed = sops[0]  # the first SOP grows: every later SOP moves on in the binder
    edited = [longer(changed, 6), *sops[1:]]
    third = run(edited, tmp_path / "3")
    assert (third.printed, third.from_cache) == (1, len(sops) - 1)
    for sop in sops[1:]:
        assert (tmp_path / "3" / f"{sop.id}.pdf").read_bytes() == (tmp_path / "1" / f"{sop.id}.pdf").read_bytes()
    grown = third.lembars[0].n_pages - first.lembars[0].n_pages
    assert grown > 0
    binder = tmp_path / "3" / BUKU
    assert int(pdfinfo(binder)["Pages"]) == int(pdfinfo(tmp_path / "1" / BUKU)["Pages"]) + grown
    assert "memeriksakembaliseluruhberkas" in squash(text_of(binder, 4))  # its first procedure sheet
    start = 3
    for lb in third.lembars:  # the SOPs after it start later, and are numbered so
        assert squash(str(lb.sop.nama))[:30] in squash(text_of(binder, start))
        for page in range(start, start + lb.n_pages):
            assert footer_words(binder, page)[0][0] == str(page)
        start += lb.n_pages
    toc = squash(text_of(binder, 2))
    assert all(re.search(re.escape(squash(str(lb.sop.nama))) + r".*?" + str(s), toc)
               for lb, s in zip(third.lembars, [3, 3 + third.lembars[0].n_pages]))


def test_the_cache_keeps_only_what_the_current_sops_use(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(ROOT / "sop_data", data)
    cache = tmp_path / "cache"

    def build() -> tuple[int, int]:
        with publish(str(data), Settings(cache_dir=str(cache))) as pub:
            pub.write_pdfs(str(tmp_path / "pdf"))
        return pub.printed, pub.from_cache

    n = len(load_folder(str(data)).sops)
    assert build() == (n, 0)
    sheets = cache / "printing"
    first = {p.name for p in (sheets / "pdf").glob("*.pdf")}
    assert len(first) == n + 1  # every SOP's PDF and the binder's cover and contents
    seed = data / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("Penggandaan dokumen", "Penggandaan berkas", 1),
                    encoding="utf-8")
    assert build() == (1, n - 1)
    second = {p.name for p in (sheets / "pdf").glob("*.pdf")}
    assert len(list((sheets / "pdf").glob("*.problems.txt"))) == n  # what the printing found, beside each PDF
    assert len(second) == n + 1 and len(first - second) == 1  # the edited SOP's old PDF is gone
    assert len(list((sheets / "sheets").iterdir())) == n
    assert "Penggandaanberkas" in squash(text_of(tmp_path / "pdf" / BUKU))


def _right_of(found: list, label: str, nth: int = 0) -> list[str]:
    """The words printed on the same line as a label's word, to its right (within the identity block)."""
    word = [w for w in found if w[0] == label][nth]
    return [w[0] for w in found if abs(w[2] - word[2]) < 2 and w[1] > word[3]]


def test_identity_data_the_source_lacks_prints_as_empty_cells(printed: Printed):
    """An SOP found without its identity sheet: no invented dates, signer or NIP, only empty cells."""
    found = words(printed.pdfs["cuti-tanpa-identitas"], 1)
    assert _right_of(found, "Pembuatan") == []
    assert _right_of(found, "Efektif") == []
    assert _right_of(found, "NIP.") == []
    assert _right_of(found, "Revisi") == [], "not said in the source: not known to be unrevised"
    assert _right_of(found, "SOP", 0) == [], "Nomor SOP left empty"
    # The seed's Nomor SOP is blank in its source: blank on the sheet too, not a dash.
    seed = words(printed.pdfs[SEED.stem], 1)
    assert _right_of(seed, "SOP", 0) == []


def test_time_ranges_print_as_written_and_the_total_counts_their_upper_bound(printed: Printed):
    path = printed.pdfs["perizinan-enam-pelaksana"]
    text = squash(text_of(path))
    for written in ("1-2jam", "maks.3hari", "3Jam", "10Menit"):
        assert written in text, written
    sop = next(lb.sop for lb in printed.lembars if lb.sop.id == "perizinan-enam-pelaksana")
    total = sop.total_waktu()
    assert total.rentang and total.per_satuan  # 1 hari + maks. 3 hari counted as 4 hari
    assert "4hari" in squash(total.teks()) and "palinglama" in squash(total.teks())
    lb = next(lb for lb in printed.lembars if lb.sop.id == sop.id)
    x0 = MARGIN[3] * PT_PER_MM + lb.kolom.x_aktor + sum(lb.kolom.aktor) + lb.kolom.kelengkapan
    last_page = column_text(path, lb.n_pages, x0, x0 + lb.kolom.waktu + lb.kolom.output)
    assert last_page.endswith("palinglama4hari+6jam+125menit=2285menit(38jam5menit)"), last_page


def test_kelengkapan_and_output_lists_print_one_item_under_another(printed: Printed):
    path = printed.pdfs["perizinan-enam-pelaksana"]
    assert "Tandaterimaberkas,Nomorregistrasi" not in squash(text_of(path))
    lb = next(lb for lb in printed.lembars if lb.sop.id == "perizinan-enam-pelaksana")
    page = next(p.no for p in lb.pages if p.lo <= 2 < p.hi)  # step 3's page
    found = words(path, page)
    tanda = next(w for w in found if w[0] == "registrasi")
    berkas = [w for w in found if w[0] == "Tanda" and abs(w[1] - tanda[1]) < 40]
    assert berkas and all(tanda[2] > b[2] + 3 for b in berkas), "the second item on a line of its own"


def test_identity_labels_as_the_institution_writes_them(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    shutil.copy(FIXTURES / "baik" / "minimal.yaml", data / "minimal.yaml")
    (data / "_instansi.yaml").write_text(
        "hierarki: [PEMERINTAH KOTA CONTOH]\n"
        "label:\n  nomor: No. SOP\n  tanggal_pembuatan: Tgl Pembuatan\n  tanggal_revisi: Tgl Revisi\n"
        "  tanggal_efektif: Tgl Efektif\n  peralatan_perlengkapan: Sarana dan Prasarana\n", encoding="utf-8")
    loaded = load_folder(str(data))
    assert not loaded.diagnostics and len(loaded.sops) == 1
    with publish(str(data)) as pub:
        pub.write_pdfs(str(tmp_path / "pdf"))
    assert pub.problems == [] and not pub.report.errors
    text = text_of(tmp_path / "pdf" / "minimal.pdf", 1)
    for label in ("Tgl Pembuatan", "Tgl Efektif", "No. SOP", "Tgl Revisi", "Disahkan oleh", "Sarana dan Prasarana:",
                  "Dasar Hukum:"):
        assert label in text, label
    for label in ("Tanggal Pembuatan", "Tanggal Efektif", "Peralatan/Perlengkapan"):
        assert label not in text, label
    assert "Tgl Efektif" in text_of(tmp_path / "pdf" / "minimal.pdf", 2), "the procedure sheet's head too"


def test_text_the_sheet_would_cut_is_an_error_not_a_warning(tmp_path: Path):
    """Forty long legal bases overflow the identity sheet: printing stops and says so, nothing is cut quietly."""
    data = tmp_path / "sop_data"
    data.mkdir()
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    items = "".join(f"  - Peraturan Daerah Nomor {n} Tahun 2020 tentang " + "ketentuan yang panjang sekali " * 12 + "\n"
                    for n in range(40))
    (data / "sop-padat.yaml").write_text(text.replace("\nnama:", "\ndasar_hukum:\n" + items + "nama:", 1),
                                         encoding="utf-8")
    out = tmp_path / "pdf"
    done = sop("pdf", data, "--keluar", out, "--tanpa-cache", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "galat: tata letak: sop-padat" in done.stderr and "melebihi" in done.stderr
    assert "memotong teksnya" in done.stderr
