"""An institution folder named like its title ("Dinas Pendidikan"), as a user would (rules/folder_names.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, sop_main, write

PEMDA = FIXTURES / "pemda"
DINAS = "dinas-kependudukan"


def test_a_folder_named_with_capitals_and_a_space_is_warned_with_the_command_to_rename_it(tmp_path: Path):
    data = shutil.copytree(PEMDA, tmp_path / "proyek" / "sop_data", ignore=shutil.ignore_patterns(".cache"))
    write(tmp_path / "proyek" / "mkdocs.yml", "site_name: Uji\n")
    folder = data / "Dinas Pendidikan"
    write(folder / "_instansi.yaml", "nama: Dinas Pendidikan\nhierarki:\n  - DINAS PENDIDIKAN\n")
    shutil.copy(data / DINAS / "sop-surat-masuk.yaml", folder / "sop-surat-masuk.yaml")
    done = sop_main("check", "sop_data", cwd=tmp_path / "proyek")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out  # a warning: the site still works
    lines = [line for line in out.splitlines() if "[nama-folder-instansi]" in line]
    assert lines == ["sop_data/Dinas Pendidikan/_instansi.yaml:1:1: peringatan: nama folder instansi 'Dinas "
                     "Pendidikan' memuat huruf besar dan spasi; nama folder menjadi bagian alamat setiap halaman "
                     "instansi ini (sop/Dinas Pendidikan/...), sulit diketik dan dibagikan [nama-folder-instansi]"]
    assert 'git mv "sop_data/Dinas Pendidikan" "sop_data/dinas-pendidikan"' in out
    assert sop_main("check", "--strict", "sop_data", cwd=tmp_path / "proyek").returncode == 1
    # Renamed as told: nothing more to say about it, and its SOP keeps being read.
    (data / "Dinas Pendidikan").rename(data / "dinas-pendidikan")
    done = sop_main("check", "--json", "sop_data", cwd=tmp_path / "proyek")
    assert "nama-folder-instansi" not in done.stdout
    assert done.returncode == 0
