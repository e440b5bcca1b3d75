"""Monitoring and evaluation records (``_monev/``, ``_evaluasi/``) that are broken or hostile: each is
said with its file, line and column and stops the run, or is kept as plain text, never read from
outside the project, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_sources, sop_main
from sopcode.model.monitoring import Periode
from sopcode.rules import check
from sopcode.sheets.workbook import CELL_MAX, CUT, HEADER_ROW, monitoring_workbook

SECRET = "RahasiaSekali-0123456789"
DOMISILI = "sop: sop-surat-keterangan-domisili"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_broken_yaml_in_a_records_file_is_said_at_its_place_and_fails(sop_data_copy: Path):
    (sop_data_copy / "_monev" / "2026-2.yaml").write_text("hasil:\n  - sop: [belum ditutup\n", encoding="utf-8")
    done = sop_main("check", str(sop_data_copy))
    assert done.returncode == 1
    assert f"{sop_data_copy}/_monev/2026-2.yaml:3:1: galat: sintaks YAML:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.slow
def test_broken_yaml_in_a_records_file_stops_the_build_in_indonesian(tmp_path: Path):
    project = copy_sources(tmp_path)
    (project / "sop_data" / "_evaluasi" / "2025.yaml").write_text("hasil:\n\t- sop: x\n", encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build"], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert done.returncode != 0
    assert ("sop_data/_evaluasi/2025.yaml:2:1: galat: sintaks YAML: karakter tab tidak boleh dipakai untuk indentasi"
            in done.stderr)
    assert "Traceback" not in done.stderr
    assert not (project / "site" / "monitoring-dan-evaluasi").exists()


def test_a_records_file_linking_out_of_the_project_is_not_read(sop_data_copy: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("luar") / "shadow"  # beside the project (the folder holding sop_data)
    outside.write_text(f"root:{SECRET}:19000:0:99999:7:::\nhasil: {SECRET}\n", encoding="utf-8")
    (sop_data_copy / "_monev" / "2026-2.yaml").symlink_to(outside)
    done = sop_main("check", str(sop_data_copy))
    assert done.returncode == 1
    assert SECRET not in done.stdout + done.stderr
    assert (f"{sop_data_copy}/_monev/2026-2.yaml:1:1: galat: berkas ini tautan simbolik ke '{outside}', "
            "di luar folder proyek") in done.stdout


def test_a_folder_or_a_pipe_named_as_a_records_file_is_said_not_read(sop_data_copy: Path):
    (sop_data_copy / "_monev" / "2026-2.yaml").mkdir()
    os.mkfifo(sop_data_copy / "_evaluasi" / "2025.yaml")
    done = sop_main("check", str(sop_data_copy))  # the pipe is never opened: it would block
    assert "_monev/2026-2.yaml:1:1: peringatan: '2026-2.yaml' berupa folder, bukan berkas teks" in done.stdout
    assert "_evaluasi/2025.yaml:1:1: peringatan: '2025.yaml' berupa pipa bernama (FIFO)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("old, new, said", [
    (DOMISILI, "sop: ../x", "galat: SOP '../x' tidak ada di folder data [monev-sop-tak-dikenal]"),
    ("tanggal: 2026-05-18", "tanggal: 2026-02-30", "galat: tanggal '2026-02-30' pada 'tanggal' tidak ada di kalender"),
])
def test_an_id_with_path_characters_or_a_date_not_in_the_calendar_is_an_error(sop_data_copy: Path, old, new, said):
    _edit(sop_data_copy / "_monev" / "2026-1.yaml", old, new)
    done = sop_main("check", str(sop_data_copy))
    assert done.returncode == 1
    assert said in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_finding_longer_than_an_excel_cell_is_cut_with_a_note(sop_data_copy: Path):
    """Excel calls a workbook damaged when a cell holds more than 32,767 characters."""
    long = "Pemohon menunggu lama 📄. " * 2000  # 52,000 characters, the emoji counted twice by Excel
    _edit(sop_data_copy / "_monev" / "2026-1.yaml", "    catatan: >-\n", f"    catatan: >-\n      {long}\n")
    report = check(str(sop_data_copy), history=False, cache_dir=None)
    assert not report.errors
    periode = Periode(2026, 1)
    records = {r.sop: r for r in report.monitoring.records if r.periode == periode}
    book = openpyxl.load_workbook(io.BytesIO(monitoring_workbook(periode, report.sops, records, "PEMERINTAH")))
    catatan = book["SEKSI PELAYANAN UMUM"].cell(HEADER_ROW + 1, 4).value
    assert len(catatan.encode("utf-16-le")) // 2 <= CELL_MAX
    assert catatan.startswith("Pemohon menunggu lama") and catatan.endswith(CUT)
