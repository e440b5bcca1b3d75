"""The printed forms of monitoring and evaluation in a project of many institutions (issue 17), read
back with Poppler: each institution gets its own forms under ``monev/<institution>/``, with its own
header and paper, its own units and only its own records. The example is a copy of tests/fixtures/pemda.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, run_sop

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # prints the forms with Chromium

KEC, DINAS = "kecamatan-bungursari", "dinas-kependudukan"
LINE = {KEC: "KECAMATAN BUNGURSARI", DINAS: "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"}
WIDTH_PT = {KEC: 935.04, DINAS: 841.92}  # F4 (the regency's, inherited) and A4 (the dinas's own), landscape
RECORD = "Daftar persyaratan dipasang di meja Front Office"  # the kecamatan's record of its domisili SOP


def text(path: Path) -> str:
    """The form's text in reading order (a cell's lines together)."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def width(path: Path) -> float:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Page size:\s+([\d.]+) x", info).group(1))


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def test_each_institution_prints_its_own_forms_with_its_header_paper_and_records(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    out = tmp_path / "formulir"
    done = run_sop("formulir", str(data), "--ke", str(out), "--tanpa-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for kode in (KEC, DINAS):
        other = LINE[DINAS if kode == KEC else KEC]
        made = sorted((out / kode).glob("*.pdf"))
        names = {p.name for p in made}
        assert {"monitoring-2026-1.pdf", "evaluasi-2026.pdf"} <= names, names
        assert any(n.startswith("formulir-monitoring-") for n in names)
        for pdf in made:
            printed = text(pdf)
            assert LINE[kode] in printed and other not in printed, pdf
            assert abs(width(pdf) - WIDTH_PT[kode]) < 1, pdf
        # The output names each form with its institution.
        assert re.search(rf"{kode}/monitoring-2026-1\.pdf: .*\({re.escape(LINE[kode].title())}", done.stdout, re.I)
    # A unit of the same name in both institutions has a blank form in each, each with its own SOPs.
    umum = "formulir-monitoring-subbagian-umum-dan-kepegawaian.pdf"
    assert "PengelolaanSuratMasukKecamatan" in squash(text(out / KEC / umum))
    assert "PengelolaanSuratMasukKecamatan" not in squash(text(out / DINAS / umum))
    # The kecamatan's records fill its own form only; the dinas, without records, has none monitored.
    assert squash(RECORD) in squash(text(out / KEC / "monitoring-2026-1.pdf"))
    dinas = text(out / DINAS / "monitoring-2026-1.pdf")
    assert squash(RECORD) not in squash(dinas) and "belum dimonitor" in dinas
    assert not list(out.glob("*.pdf"))  # nothing left at the top: every form is an institution's
