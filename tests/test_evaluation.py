"""Evaluation records (``_evaluasi/<tahun>.yaml``): read into the model, checked like SOP files,
and an SOP found in need of revision warned about until a newer approved revision exists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write
from sopcode.model.evaluation import KESIMPULAN, KRITERIA, load_evaluation, year_of_file
from sopcode.model.load import find_sop_files
from sopcode.rules import check

DOMISILI = "sop-surat-keterangan-domisili"

CRITERIA = "".join(f"      {key}: {{nilai: ya}}\n" for key in KRITERIA)
RECORD = """\
hasil:
  - sop: sop-surat-keterangan-domisili
    kriteria:
{criteria}    kesimpulan: {kesimpulan}
    penilai:
      nama: Hj. Rina Marlina, S.Sos, M.Si
      jabatan: Sekretaris Kecamatan
    tanggal: {tanggal}
"""


def record(kesimpulan: str = "tetap", tanggal: str = "2025-11-20", criteria: str = CRITERIA) -> str:
    return RECORD.format(criteria=criteria, kesimpulan=kesimpulan, tanggal=tanggal)


@pytest.fixture
def data(sop_data_copy: Path) -> Path:
    return sop_data_copy


def evaluation_diagnostics(folder: Path) -> list:
    report = check([str(folder)], history=False, cache_dir=None)
    return [d for d in report.diagnostics if "_evaluasi" in d.loc.path]


def test_the_seed_year_is_read_and_passes(data: Path):
    report = check([str(data)], history=False, cache_dir=None)
    assert not [d for d in report.diagnostics if "_evaluasi" in d.loc.path]
    evaluation = report.evaluation
    assert evaluation.periods() == (2026,)
    assert {r.sop for r in evaluation.records} == {s.id for s in report.sops}
    assert {r.kesimpulan for r in evaluation.records} == {"tetap"}
    keramaian = evaluation.latest("sop-rekomendasi-izin-keramaian")
    assert keramaian is not None and keramaian.tanggal == dt.date(2026, 11, 16)
    assert [k.kunci for k in keramaian.kriteria] == list(KRITERIA)
    dilaksanakan = keramaian.kriteria[2]
    assert not dilaksanakan.ya and "piket" in dilaksanakan.catatan
    assert dilaksanakan.teks == "Mudah dilaksanakan"
    assert keramaian.kriteria[3].teks == "Semua orang dapat menjalankan perannya masing-masing"
    assert keramaian.penilai_jabatan == "Sekretaris Kecamatan" and keramaian.unit == "Kecamatan Bungursari"
    assert "Semester I 2027" in keramaian.catatan


def test_evaluation_files_are_not_sops(data: Path):
    skipped: list = []
    files, _ = find_sop_files([str(data)], skipped)
    assert not [f for f in files if "_evaluasi" in f]
    assert not skipped


def test_ya_tidak_and_the_conclusion_whatever_their_case(data: Path):
    criteria = CRITERIA.replace("mudah_dipahami: {nilai: ya}", "mudah_dipahami: {nilai: TIDAK, catatan: Istilah asing.}")
    write(data / "_evaluasi" / "2025.yaml", record("Tetap", criteria=criteria.replace("{nilai: ya}", "{nilai: Ya}")))
    assert not evaluation_diagnostics(data)
    evaluation, _ = load_evaluation(str(data))
    (old, _new) = evaluation.of(DOMISILI)
    assert old.tahun == 2025 and old.kesimpulan == KESIMPULAN[0]
    assert [k.ya for k in old.kriteria] == [True, False] + [True] * 5
    assert old.kriteria[1].catatan == "Istilah asing."
    assert evaluation.latest(DOMISILI).tahun == 2026

    write(data / "_evaluasi" / "2025.yaml", record(criteria=CRITERIA.replace("sinergi: {nilai: ya}", "sinergi: {nilai: iya}")))
    (d,) = evaluation_diagnostics(data)
    assert d.code == "tipe-salah" and (d.loc.line, d.loc.col) == (10, 24)
    assert "ya" in d.hint


def test_a_missing_criterion_and_a_misspelled_key_are_said_where_they_are(data: Path):
    criteria = CRITERIA.replace("      peran_jelas: {nilai: ya}\n", "").replace("mudah_dipahami", "mudah_dipaham")
    write(data / "_evaluasi" / "2025.yaml", record("tetap", criteria=criteria))
    found = sorted((d.code, d.loc.line) for d in evaluation_diagnostics(data))
    assert found == [("kunci-tak-dikenal", 5), ("wajib-diisi", 4)]  # a misspelled key is not also said missing
    misspelled = next(d for d in evaluation_diagnostics(data) if d.code == "kunci-tak-dikenal")
    assert "mudah_dipahami" in misspelled.hint
    missing = next(d for d in evaluation_diagnostics(data) if d.code == "wajib-diisi")
    assert "peran_jelas" in missing.message


def test_perlu_direvisi_is_listed_until_a_newer_approved_revision(data: Path):
    write(data / "_evaluasi" / "2026.yaml", record("perlu direvisi", "2026-11-16"))
    (d,) = evaluation_diagnostics(data)
    assert (d.code, d.loc.line, d.loc.col) == ("evaluasi-perlu-revisi", 11, 5)
    assert "11 Februari 2019" in d.message and "tanggal_revisi" in d.hint
    report = check([str(data)], history=False, cache_dir=None)
    approved = {s.id: s.disahkan for s in report.summaries}
    assert [r.sop for r in report.evaluation.awaiting_revision(approved)] == [DOMISILI]

    sop = data / f"{DOMISILI}.yaml"
    text = sop.read_text(encoding="utf-8")
    assert "tanggal_revisi: null\n" in text
    # Approved on the evaluation's own day: not a revision made after it.
    write(sop, text.replace("tanggal_revisi: null\n", "tanggal_revisi: 2026-11-16\n"))
    assert [d.code for d in evaluation_diagnostics(data)] == ["evaluasi-perlu-revisi"]
    write(sop, text.replace("tanggal_revisi: null\n", "tanggal_revisi: 2026-11-25\n"))
    assert not evaluation_diagnostics(data)
    report = check([str(data)], history=False, cache_dir=None)
    assert not report.evaluation.awaiting_revision({s.id: s.disahkan for s in report.summaries})


def test_a_later_year_evaluated_as_tetap_does_not_clear_an_earlier_perlu_direvisi(data: Path):
    write(data / "_evaluasi" / "2025.yaml", record("perlu direvisi", "2025-11-20"))
    (d,) = evaluation_diagnostics(data)
    assert d.code == "evaluasi-perlu-revisi" and d.loc.path.endswith("2025.yaml")


def test_years():
    assert year_of_file("x/_evaluasi/2026.yaml") == 2026
    assert year_of_file("x/_evaluasi/2026-1.yaml") is None
    assert len(KRITERIA) == 7
