"""Monitoring records (``_monev/<tahun>-<1|2>.yaml``): read into the model, checked like SOP files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write
from sopcode.model.load import find_sop_files
from sopcode.model.monitoring import PENILAIAN, Periode, load_monitoring
from sopcode.rules import check

RECORD = """\
hasil:
  - sop: sop-surat-keterangan-domisili
    penilaian: {penilaian}
    catatan: Permohonan selesai tepat waktu.
    {extra}penilai:
      nama: Dedi Kurniawan, S.IP
      jabatan: Kepala Seksi Pelayanan Umum
    tanggal: 2026-05-18
"""


@pytest.fixture
def data(sop_data_copy: Path) -> Path:
    return sop_data_copy


def monev_diagnostics(folder: Path) -> list:
    report = check([str(folder)], history=False, cache_dir=None)
    return [d for d in report.diagnostics if "_monev" in d.loc.path]


def test_the_seed_period_is_read_and_passes(data: Path):
    report = check([str(data)], history=False, cache_dir=None)
    assert not [d for d in report.diagnostics if "_monev" in d.loc.path]
    monitoring = report.monitoring
    assert monitoring.periods() == (Periode(2026, 1),)
    ids = {s.id for s in report.sops}
    assert {r.sop for r in monitoring.records} <= ids
    keramaian = monitoring.latest("sop-rekomendasi-izin-keramaian")
    assert keramaian is not None and not keramaian.baik
    assert keramaian.penilai_jabatan == "Sekretaris Kecamatan"
    assert keramaian.metode == ("wawancara pelaksana", "rapat kelompok kerja")
    assert keramaian.tanggal in Periode(2026, 1)
    domisili = monitoring.of("sop-surat-keterangan-domisili")
    assert [r.penilaian for r in domisili] == [PENILAIAN[0]]
    assert monitoring.latest("sop-pengukuran-kinerja-bungursari") is None  # never monitored


def test_monitoring_files_are_not_sops(data: Path):
    skipped: list = []
    files, _ = find_sop_files([str(data)], skipped)
    assert not [f for f in files if "_monev" in f]
    assert not skipped  # not said to be skipped either: they are read on their own


def test_penilaian_is_one_of_two_whatever_its_case(data: Path):
    write(data / "_monev" / "2026-2.yaml", RECORD.format(penilaian="Berjalan Dengan Baik", extra="").replace(
        "2026-05-18", "2026-08-03"))
    assert not monev_diagnostics(data)
    monitoring, _ = load_monitoring(str(data))
    assert [r.penilaian for r in monitoring.of("sop-surat-keterangan-domisili")] == [PENILAIAN[0]] * 2
    assert monitoring.latest("sop-surat-keterangan-domisili").periode == Periode(2026, 2)

    write(data / "_monev" / "2026-2.yaml", RECORD.format(penilaian="berjalan baik", extra="").replace(
        "2026-05-18", "2026-08-03"))
    (d,) = monev_diagnostics(data)
    assert d.code == "tipe-salah" and (d.loc.line, d.loc.col) == (3, 16)
    assert "berjalan dengan baik" in d.hint


def test_missing_and_misspelled_fields_are_said_where_they_are(data: Path):
    write(data / "_monev" / "2025-2.yaml", RECORD.format(penilaian="berjalan dengan baik", extra="tindkan: Tidak ada\n    ")
          .replace("    catatan: Permohonan selesai tepat waktu.\n", "").replace("2026-05-18", "2025-11-03"))
    found = sorted((d.code, d.loc.line) for d in monev_diagnostics(data))
    assert found == [("kunci-tak-dikenal", 4), ("wajib-diisi", 2)]
    misspelled = next(d for d in monev_diagnostics(data) if d.code == "kunci-tak-dikenal")
    assert "tindakan" in misspelled.hint


def test_a_periode_other_than_the_file_name(data: Path):
    write(data / "_monev" / "2026-2.yaml", "periode: 2026-1\n" + RECORD.format(
        penilaian="berjalan dengan baik", extra="").replace("2026-05-18", "2026-08-03"))
    (d,) = monev_diagnostics(data)
    assert (d.code, d.loc.line) == ("monev-periode-salah", 1)
    assert "2026-2" in d.hint


def test_periods():
    assert Periode.of_file("x/_monev/2026-2.yaml") == Periode(2026, 2)
    assert Periode.of_file("x/_monev/2026-3.yaml") is None
    assert Periode(2026, 1).label == "Semester I 2026"
    assert dt.date(2026, 6, 30) in Periode(2026, 1) and dt.date(2026, 7, 1) not in Periode(2026, 1)
    assert Periode(2025, 2) < Periode(2026, 1)
