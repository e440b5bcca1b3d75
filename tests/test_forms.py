"""The printed forms of monitoring and evaluation: real PDFs from headless Chromium, read back with Poppler.

Every assertion reads what a user reads: the text of the printed PDF (``pdftotext``), its page
count and size (``pdfinfo``), or the files of a built site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import build_site, run_sop, sop_main, write
from sopcode.model.evaluation import KRITERIA
from sopcode.rules import check
from sopcode.sheets.forms import KOLOM_MONITORING, form_paths, forms, print_forms, unit_slugs

TODAY = dt.date(2026, 11, 29)
SEED_CATATAN = "Dua permohonan tertunda karena surat pengantar RT/RW belum dilampirkan pemohon."
UNITS = ("SEKSI PELAYANAN UMUM", "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM", "SUBBAGIAN PERENCANAAN DAN KEUANGAN",
         "KECAMATAN BUNGURSARI")


def text_of(pdf: bytes, tmp_path: Path, layout: bool = True) -> str:
    path = tmp_path / "formulir.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_of(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "halaman.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def lines(text: str) -> str:
    """The text with every run of whitespace made one space (a cell's text wraps onto lines of its own)."""
    return " ".join(text.split())


def seed_forms(folder: Path) -> dict[str, str]:
    report = check(str(folder))
    return {f.path: f.html for f in forms(report.sops, report.monitoring, report.evaluation, TODAY)}


# --- without a browser ---------------------------------------------------------------------------

def test_form_paths_name_every_unit_period_and_year(sop_data_copy: Path):
    report = check(str(sop_data_copy))
    paths = dict(form_paths(report.sops, report.monitoring, report.evaluation, TODAY))
    for unit in ("seksi-pelayanan-umum", "seksi-ketenteraman-dan-ketertiban-umum",
                 "subbagian-perencanaan-dan-keuangan", "kecamatan-bungursari"):
        assert f"monev/formulir-monitoring-{unit}.pdf" in paths
        assert f"monev/formulir-evaluasi-{unit}.pdf" in paths
    assert paths["monev/monitoring-2026-1.pdf"] == "Hasil monitoring pelaksanaan SOP Semester I 2026"
    assert paths["monev/evaluasi-2026.pdf"] == "Hasil evaluasi penerapan SOP tahun 2026"
    assert len(paths) == 10


def test_units_alike_in_their_slug_get_files_of_their_own():
    slugs = unit_slugs(["Seksi Pelayanan Umum", "SEKSI PELAYANAN UMUM.", "Seksi Pelayanan: Umum", "???"])
    assert sorted(slugs.values()) == ["seksi-pelayanan-umum", "seksi-pelayanan-umum-2", "seksi-pelayanan-umum-3", "unit"]


def test_a_withdrawn_sop_has_no_row_on_the_blank_form(sop_data_copy: Path):
    path = sop_data_copy / "sop-surat-keterangan-domisili.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "dicabut:\n  tanggal: 2026-08-01\n  alasan: digabung\n",
                    encoding="utf-8")
    made = seed_forms(sop_data_copy)
    assert "monev/formulir-monitoring-seksi-pelayanan-umum.pdf" not in made  # its only SOP
    # In force during the first half of 2026: still a row of that period's form, with its record.
    assert "Pelayanan Surat Keterangan Domisili" in made["monev/monitoring-2026-1.pdf"]


# --- printed ---------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.browser
def test_the_seed_forms_print_the_annex_columns_criteria_and_records(sop_data_copy: Path, tmp_path: Path):
    report = check(str(sop_data_copy))
    made = forms(report.sops, report.monitoring, report.evaluation, TODAY)
    pdfs = print_forms(made)
    assert sorted(pdfs) == sorted(f.path for f in made)

    blank = text_of(pdfs["monev/formulir-monitoring-kecamatan-bungursari.pdf"], tmp_path)
    assert "MONITORING PELAKSANAAN SOP ADMINISTRASI PEMERINTAHAN" in blank
    assert "PEMERINTAH KABUPATEN PURWAKARTA" in blank and "KECAMATAN BUNGURSARI" in blank
    assert re.search(r"Periode\s*: \.{10,}", blank)
    plain = squash(text_of(pdfs["monev/formulir-monitoring-kecamatan-bungursari.pdf"], tmp_path, layout=False))
    for heading in KOLOM_MONITORING:
        assert squash(heading) in plain, heading
    assert "Penyusunan Perencanaan Kinerja" in blank
    assert "Metode monitoring" in blank
    for metode in ("observasi atasan", "wawancara pelaksana", "wawancara pengguna/masyarakat",
                   "rapat kelompok kerja", "arahan saat pelaksanaan"):
        assert metode in blank
    assert re.search(r"Nama\s*: \.{10,}", blank) and re.search(r"Jabatan\s*: \.{10,}", blank)
    assert re.search(r"Tanggal\s*: \.{10,}", blank)

    filled = text_of(pdfs["monev/monitoring-2026-1.pdf"], tmp_path)
    assert pages_of(pdfs["monev/monitoring-2026-1.pdf"], tmp_path) == 4  # a unit per page
    assert "Halaman 1 dari 4" in filled and "Halaman 4 dari 4" in filled
    for unit in UNITS:
        assert f"Unit kerja : {unit}" in lines(filled)
    assert "Semester I 2026 (01 Januari 2026 - 30 Juni 2026)" in filled
    flow = lines(text_of(pdfs["monev/monitoring-2026-1.pdf"], tmp_path, layout=False))  # each cell's text in order
    assert SEED_CATATAN in flow
    assert "Dedi Kurniawan, S.IP" in filled and "18 Mei 2026" in filled
    assert "tidak berjalan dengan baik" in filled
    # The seed's SOP not monitored in the period: a row of its unit, saying so.
    section = lines(filled).split("Unit kerja : KECAMATAN BUNGURSARI")[1].split("Unit kerja :")[0]
    assert re.search(r"1 Penyusunan Perencanaan Kinerja belum dimonitor", section)

    blank_e = text_of(pdfs["monev/formulir-evaluasi-seksi-pelayanan-umum.pdf"], tmp_path)
    assert "EVALUASI PENERAPAN SOP ADMINISTRASI PEMERINTAHAN" in blank_e
    for criterion in KRITERIA.values():
        assert criterion in blank_e, criterion
    assert re.search(r"Kesimpulan:\s+tetap\s+perlu direvisi\s+dicabut", blank_e)

    filled_e = text_of(pdfs["monev/evaluasi-2026.pdf"], tmp_path)
    for criterion in KRITERIA.values():
        assert filled_e.count(criterion) == 4, criterion  # the seed evaluates its four SOPs
    assert "Kesimpulan: tetap" in filled_e
    flow_e = lines(text_of(pdfs["monev/evaluasi-2026.pdf"], tmp_path, layout=False))
    assert "jadwal bergilir petugas pemeriksa baru berjalan sejak September." in flow_e
    assert "Hj. Rina Marlina, S.Sos, M.Si, Sekretaris Kecamatan; tanggal 16 November 2026" in flow_e
    # A "tidak": the tick stands in the Tidak column, to the right of where the Ya ticks stand.
    row = next(line for line in filled_e.splitlines() if "Mudah dilaksanakan" in line and "Pemeriksaan" in line)
    ya_row = next(line for line in filled_e.splitlines() if "Mudah dipahami" in line)
    assert row.index("√") > ya_row.index("√")


@pytest.mark.slow
@pytest.mark.browser
def test_text_from_records_prints_literally_never_as_markup(sop_data_copy: Path, tmp_path: Path):
    hostile = "<script>alert(1)</script> & <b>tebal</b>"
    write(sop_data_copy / "_monev" / "2026-2.yaml", f"""\
hasil:
  - sop: sop-pengukuran-kinerja-bungursari
    penilaian: berjalan dengan baik
    catatan: "{hostile}"
    penilai: {{nama: "<i>Asep</i>", jabatan: Camat}}
    tanggal: 2026-08-03
""")
    report = check(str(sop_data_copy))
    made = [f for f in forms(report.sops, report.monitoring, report.evaluation, TODAY)
            if f.path == "monev/monitoring-2026-2.pdf"]
    text = lines(text_of(print_forms(made)["monev/monitoring-2026-2.pdf"], tmp_path, layout=False))
    assert hostile in text
    assert "<i>Asep</i>" in text
    # The other units' SOPs were not monitored in that period: each a row saying so.
    assert text.count("belum dimonitor") == 3


@pytest.mark.slow
@pytest.mark.browser
def test_a_long_form_repeats_its_header_row_on_every_page(sop_data_copy: Path, tmp_path: Path):
    report = check(str(sop_data_copy))
    seed = next(s for s in report.sops if s.id == "sop-surat-keterangan-domisili")
    many = [dataclasses.replace(seed, id=f"sop-{i:02d}", nama=f"Prosedur nomor {i:02d} " + "panjang " * 12)
            for i in range(1, 31)]
    made = [f for f in forms(many, report.monitoring.__class__(), report.evaluation.__class__(), TODAY)
            if f.path.startswith("monev/formulir-monitoring-")]
    pdf = print_forms(made)[made[0].path]
    n = pages_of(pdf, tmp_path)
    assert n >= 3
    path = tmp_path / "panjang.pdf"
    path.write_bytes(pdf)
    for page in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "CatatanHasilPenilaian" in squash(text), page
        assert "TindakanyangHarusDiambil" in squash(text), page
    every = lines(text_of(pdf, tmp_path, layout=False))
    for i in range(1, 31):  # no row lost at a page break
        assert f"Prosedur nomor {i:02d}" in every


@pytest.mark.slow
@pytest.mark.browser
def test_a_cached_form_is_the_form_printed(sop_data_copy: Path, tmp_path: Path):
    report = check(str(sop_data_copy))
    made = forms(report.sops, report.monitoring, report.evaluation, TODAY)[:2]
    cache_dir = tmp_path / "cache"
    cold = print_forms(made, str(cache_dir))
    assert len(list(cache_dir.iterdir())) == 2
    warm = print_forms(made, str(cache_dir))
    assert warm == cold
    time.sleep(1.1)  # Chromium writes the time of printing into a PDF: a later print must not differ by it
    assert print_forms(made) == cold
    print_forms(made[:1], str(cache_dir))  # a form no longer made leaves the cache
    assert len(list(cache_dir.iterdir())) == 1


@pytest.mark.slow
@pytest.mark.browser
def test_a_built_site_holds_the_four_kinds_of_forms(project: Path):
    site = build_site(project)
    monev = site / "monev"
    names = sorted(p.name for p in monev.glob("*.pdf"))
    assert "formulir-monitoring-seksi-pelayanan-umum.pdf" in names
    assert "formulir-evaluasi-kecamatan-bungursari.pdf" in names
    assert "monitoring-2026-1.pdf" in names
    assert "evaluasi-2026.pdf" in names
    assert (monev / "monitoring-2026-1.pdf").read_bytes().startswith(b"%PDF")


def test_sop_formulir_refuses_a_missing_folder_in_indonesian(tmp_path: Path):
    done = sop_main("formulir", str(tmp_path / "tidak-ada"), "--ke", str(tmp_path / "hasil"))
    assert done.returncode == 2
    assert "galat: folder" in done.stderr and "tidak ada" in done.stderr
    assert not (tmp_path / "hasil").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_sop_formulir_writes_every_form(sop_data_copy: Path, tmp_path: Path):
    out = tmp_path / "formulir"
    done = run_sop("formulir", str(sop_data_copy), "--ke", str(out), "--tanpa-cache", "--kertas", "A4")
    assert done.returncode == 0, done.stderr
    assert "10 formulir PDF ditulis ke" in done.stdout
    assert "monitoring-2026-1.pdf: Hasil monitoring pelaksanaan SOP Semester I 2026" in done.stdout
    pdf = (out / "formulir-evaluasi-seksi-pelayanan-umum.pdf").read_bytes()
    text = text_of(pdf, tmp_path)
    assert "EVALUASI PENERAPAN SOP ADMINISTRASI PEMERINTAHAN" in text and "SEKSI PELAYANAN UMUM" in text
    info = subprocess.run(["pdfinfo", str(out / "monitoring-2026-1.pdf")], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (297, 210)  # landscape A4, as asked
