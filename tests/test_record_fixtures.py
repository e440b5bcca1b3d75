"""The fixtures of issue 16: a broken monitoring or evaluation file for every rule (and for the
mistakes offices make in them: a shortened choice, a missing title of the assessor, a criterion
left out), each said at its file, line and column in Indonesian with its fix; good record files
that say nothing; a good SOP of every status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from sopcode.rules import check
from sopcode.rules.registry import RULES

EXPECT = re.compile(r"#\s*harapan:\s*([a-z-]+)")

# (fixture folder, code, line, column, level, message, fix), as `sop check` prints them.
CASES = [
    ("rusak/monev-periode-salah", "monev-periode-salah", 1, 1, "galat",
     "nama berkas monitoring '2026-semester-1.yaml' tidak menyebut periodenya; berkas tidak dibaca",
     "beri nama berkas menurut periodenya: `<tahun>-1.yaml` (Januari-Juni) atau `<tahun>-2.yaml` (Juli-Desember)"),
    ("rekaman/periode-berbeda", "monev-periode-salah", 2, 10, "galat",
     "periode '2026-2' berbeda dengan nama berkas '2026-1.yaml' (2026-1)",
     "tulis `periode: 2026-1`, atau ganti nama berkasnya menjadi '2026-2.yaml'"),
    ("rusak/monev-sop-tak-dikenal", "monev-sop-tak-dikenal", 3, 10, "galat",
     "SOP 'sop-keterangan-usah' tidak ada di folder data", "maksud Anda: 'sop-keterangan-usaha'?"),
    ("rusak/monev-sop-ganda", "monev-sop-ganda", 9, 10, "galat",
     "SOP 'sop-keterangan-usaha' sudah dinilai pada periode 2026-2 (baris 2)",
     "gabungkan kedua penilaian menjadi satu; satu SOP dinilai sekali per periode"),
    ("rusak/monev-sop-instansi-lain", "monev-sop-instansi-lain", 3, 10, "peringatan",
     "catatan monitoring instansi 'dinas-a' menilai SOP 'dinas-b/sop-keterangan-usaha' milik instansi 'dinas-b'; "
     "catatan monitoring sebuah instansi hanya menilai SOP-nya sendiri dan SOP instansi di bawahnya",
     "pindahkan penilaian ini ke berkas monitoring pemilik SOP itu, dinas-b/_monev/2026-1.yaml di folder data; "
     "bila yang dimaksud SOP instansi ini sendiri, perbaiki id-nya"),
    ("rusak/monev-di-luar-periode", "monev-di-luar-periode", 8, 5, "peringatan",
     "tanggal penilaian 14 Juli 2026 di luar periode Semester I 2026 (01 Januari 2026 - 30 Juni 2026)",
     "periksa tanggalnya, atau catat penilaian itu di berkas periodenya"),
    ("rekaman/penilaian-salah-ketik", "tipe-salah", 5, 16, "galat",
     "'berjalan dgn baik' tidak dikenal untuk 'penilaian'; pilihan: berjalan dengan baik, tidak berjalan dengan baik",
     "maksud Anda: 'berjalan dengan baik'?"),
    ("rekaman/penilai-tanpa-jabatan", "wajib-diisi", 8, 7, "galat",
     "'jabatan' wajib ada di penilai", "tambahkan `jabatan: ...`"),
    ("rekaman/metode-tak-dikenal", "tipe-salah", 12, 9, "galat",
     "'survey kepuasan' tidak dikenal untuk 'metode'; pilihan: observasi atasan, wawancara pelaksana, "
     "wawancara pengguna/masyarakat, rapat kelompok kerja, arahan saat pelaksanaan",
     "pilih salah satu: observasi atasan, wawancara pelaksana, wawancara pengguna/masyarakat, "
     "rapat kelompok kerja, arahan saat pelaksanaan"),
    ("rekaman/kunci-salah-ketik", "kunci-tak-dikenal", 6, 5, "galat",
     "kunci 'tindakn' tidak dikenal di hasil monitoring", "maksud Anda: 'tindakan'?"),
    ("rusak/evaluasi-tahun-salah", "evaluasi-tahun-salah", 1, 1, "galat",
     "nama berkas evaluasi 'evaluasi-2026.yaml' tidak menyebut tahunnya; berkas tidak dibaca",
     "beri nama berkas evaluasi menurut tahunnya, misalnya `2026.yaml`"),
    ("rusak/evaluasi-sop-tak-dikenal", "evaluasi-sop-tak-dikenal", 2, 10, "galat",
     "SOP 'sop-keterangan-usah' tidak ada di folder data", "maksud Anda: 'sop-keterangan-usaha'?"),
    ("rusak/evaluasi-sop-ganda", "evaluasi-sop-ganda", 16, 10, "galat",
     "SOP 'sop-keterangan-usaha' sudah dievaluasi pada tahun 2026 (baris 2)",
     "gabungkan kedua evaluasi menjadi satu; satu SOP dievaluasi sekali setahun"),
    ("rusak/evaluasi-sop-instansi-lain", "evaluasi-sop-instansi-lain", 2, 10, "peringatan",
     "catatan evaluasi instansi 'dinas-a' menilai SOP 'dinas-b/sop-keterangan-usaha' milik instansi 'dinas-b'; "
     "catatan evaluasi sebuah instansi hanya menilai SOP-nya sendiri dan SOP instansi di bawahnya",
     "pindahkan penilaian ini ke berkas evaluasi pemilik SOP itu, dinas-b/_evaluasi/2026.yaml di folder data; "
     "bila yang dimaksud SOP instansi ini sendiri, perbaiki id-nya"),
    ("rusak/evaluasi-di-luar-tahun", "evaluasi-di-luar-tahun", 16, 5, "peringatan",
     "tanggal evaluasi 12 Januari 2027 di luar tahun 2026 berkasnya",
     "periksa tanggalnya, atau catat evaluasi itu di berkas tahunnya"),
    ("rusak/evaluasi-perlu-revisi", "evaluasi-perlu-revisi", 11, 5, "peringatan",
     "evaluasi 16 November 2026 menyimpulkan SOP 'sop-keterangan-usaha' perlu direvisi, tetapi belum ada "
     "revisi yang disahkan sesudahnya (disahkan terakhir 04 Maret 2019)",
     "revisi SOP itu dan isi `tanggal_revisi` dengan tanggal pengesahannya"),
    ("rekaman/kriteria-kurang", "wajib-diisi", 5, 7, "galat",
     "'sinergi' wajib ada di kriteria evaluasi", "tambahkan `sinergi: ...`"),
    ("rekaman/kesimpulan-salah-ketik", "tipe-salah", 12, 17, "galat",
     "'perlu di revisi' tidak dikenal untuk 'kesimpulan'; pilihan: tetap, perlu direvisi, dicabut",
     "maksud Anda: 'perlu direvisi'?"),
]

DUE = {"monev-terlambat", "evaluasi-terlambat"}
"""Due and overdue records: their own fixtures and tests (tests/test_due*.py)."""


def record_diagnostics(folder: Path) -> list:
    """What `sop check` says about the folder's monitoring and evaluation files."""
    report = check([str(folder)], history=False, cache_dir=None)
    return [d for d in report.diagnostics
            if {"_monev", "_evaluasi"} & set(Path(d.loc.path).parts) and d.code not in DUE]


def harapan(folder: Path) -> set[tuple[str, int]]:
    """The fixture's own `# harapan: <kode>` comments, as (code, line)."""
    found = set()
    for path in sorted(folder.glob("**/_*/*.yaml")):  # an institution's records too (dinas-a/_monev/)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                found.add((m.group(1), number))
    return found


@pytest.mark.parametrize(("fixture", "code", "line", "col", "level", "message", "hint"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_broken_record_is_said_at_its_place_in_indonesian_with_the_fix(
        fixture: str, code: str, line: int, col: int, level: str, message: str, hint: str):
    folder = FIXTURES / fixture
    (d,) = record_diagnostics(folder)
    assert (d.code, d.loc.line, d.loc.col, d.level.value) == (code, line, col, level)
    assert d.message == message and d.hint == hint
    first = d.format().splitlines()[0]
    assert first.endswith(f":{line}:{col}: {level}: {message} [{code}]")
    assert Path(first.split(":", 1)[0]).parent.name in ("_monev", "_evaluasi")
    assert harapan(folder) == {(code, line)}, "the fixture's comment marks the line said"


def test_every_record_rule_has_a_broken_fixture_here():
    record_rules = {c for c in RULES if c.startswith(("monev-", "evaluasi-"))} - DUE
    assert record_rules == {c[1] for c in CASES if c[1].startswith(("monev-", "evaluasi-"))}
    assert {"tipe-salah", "wajib-diisi", "kunci-tak-dikenal"} <= {c[1] for c in CASES}


def test_the_good_record_files_say_nothing_and_are_read_as_written():
    folder = FIXTURES / "baik"
    assert not record_diagnostics(folder)
    report = check([str(folder)], history=False, cache_dir=None)
    (monev,) = report.monitoring.of("singkatan-jabatan")
    assert monev.baik and monev.penilaian == "berjalan dengan baik"  # written "Berjalan Dengan Baik"
    assert monev.penilai_jabatan == "Kasubbag Umum dan Kepegawaian"  # kept as written, abbreviation and all
    assert monev.metode == ("observasi atasan",) and monev.tindakan == ""
    (pengaduan,) = report.monitoring.of("dua-belas-langkah")
    assert not pengaduan.baik and pengaduan.metode == ("wawancara pengguna/masyarakat", "arahan saat pelaksanaan")
    assert pengaduan.tanggal == dt.date(2025, 7, 1)  # the period's first day is inside it
    (evaluasi,) = report.evaluation.of("singkatan-jabatan")
    assert evaluasi.kesimpulan == "tetap" and evaluasi.tanggal == dt.date(2025, 12, 31)
    assert [k.ya for k in evaluasi.kriteria] == [True] * 6 + [False]
    assert evaluasi.kriteria[3].catatan.startswith("Kasubbag dan Kasi")


def test_a_good_sop_of_every_status():
    from sopcode.model.load import load_folder
    from sopcode.model.status import Status, status

    today = dt.date(2026, 6, 1)
    sops = {s.id: s for s in load_folder(str(FIXTURES / "baik")).sops}
    assert status(sops["minimal"], today) is Status.BERLAKU
    assert status(sops["minimal"], today, draf=True) is Status.DRAF  # draf: changed since approval, from git
    assert status(sops["belum-berlaku"], today) is Status.BELUM_BERLAKU
    assert status(sops["dicabut-diganti"], today) is Status.DICABUT
    assert status(sops["diganti"], today) is Status.DIGANTI
    report = check([str(FIXTURES / "baik")], history=False, cache_dir=None)
    assert not report.errors, "\n".join(d.format() for d in report.errors)
