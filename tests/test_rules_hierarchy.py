"""A kelurahan's `_instansi.yaml` that copies its parents' header lines (rules/hierarchy.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import write
from sopcode.rules import check

KEC = "kecamatan-bungursari"
KABUPATEN = "PEMERINTAH KABUPATEN PURWAKARTA"


def codes(report) -> list[str]:
    return [d.code for d in report.diagnostics]


def test_a_kelurahan_that_copies_the_whole_header_is_warned_where_it_repeats(pemda: Path):
    """The user nests a kelurahan in the kecamatan and copies the old sheet's three header lines:
    the sheet would print the regency and the kecamatan twice. Said at the first repeated line of
    the kelurahan's own _instansi.yaml, and only there; `hierarki_lengkap: ya` means it on purpose."""
    kel = pemda / KEC / "kelurahan-cibening"
    kel.mkdir()
    shutil.copy(pemda / KEC / "sop-surat-masuk.yaml", kel / "sop-surat-masuk.yaml")
    write(kel / "_instansi.yaml", "nama: Kelurahan Cibening\nhierarki:\n"
          f"  - {KABUPATEN}\n  - Kecamatan  Bungursari\n  - KELURAHAN CIBENING\n")
    report = check([str(kel / "sop-surat-masuk.yaml")], history=False, cache_dir=None)
    said = [d for d in report.diagnostics if d.code == "hierarki-berulang"]
    assert [(Path(d.loc.path), d.loc.line, d.loc.col) for d in said] == [(kel / "_instansi.yaml", 3, 5)]
    assert said[0].level.value == "peringatan" and "dua kali" in said[0].message
    assert "hierarki_lengkap: ya" in said[0].hint
    # The kelurahan's own line only: nothing to say (the example itself is clean).
    write(kel / "_instansi.yaml", "nama: Kelurahan Cibening\nhierarki:\n  - KELURAHAN CIBENING\n")
    assert "hierarki-berulang" not in codes(check([str(pemda)], history=False, cache_dir=None))
    # The whole header on purpose.
    write(kel / "_instansi.yaml", f"hierarki_lengkap: ya\nhierarki:\n  - {KABUPATEN}\n  - KECAMATAN BUNGURSARI\n"
          "  - KELURAHAN CIBENING\n")
    assert "hierarki-berulang" not in codes(check([str(pemda)], history=False, cache_dir=None))


def test_institutions_without_the_government_s_settings_above_them_are_warned_once(pemda: Path):
    """The user moved the seed's _instansi.yaml into the kecamatan instead of splitting it: no sheet of any
    institution prints PEMERINTAH KABUPATEN. Said once, at the first institution, with the file to write."""
    (pemda / "_instansi.yaml").unlink()
    report = check([str(pemda)], history=False, cache_dir=None)
    said = [d for d in report.diagnostics if d.code == "puncak-tanpa-pengaturan"]
    assert len(said) == 1 and said[0].level.value == "peringatan"
    assert Path(said[0].loc.path) == pemda / "dinas-kependudukan" / "_instansi.yaml"
    assert f"{pemda / '_instansi.yaml'} (pengaturan pemerintah daerah di puncak) tidak ada" in said[0].message
    assert "dinas-kependudukan, kecamatan-bungursari" in said[0].message
    assert f"buat {pemda / '_instansi.yaml'} dengan `hierarki:`" in said[0].hint
    # The example as it is, with its regency's settings: nothing to say.
    write(pemda / "_instansi.yaml", f"hierarki:\n  - {KABUPATEN}\n")
    assert "puncak-tanpa-pengaturan" not in codes(check([str(pemda)], history=False, cache_dir=None))
