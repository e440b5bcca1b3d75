"""A real `mkdocs build` of the project: one page per SOP, checks in the build, data untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import BIN, FIXTURES, tree_hash


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", *args], cwd=project, capture_output=True, text=True,
                          timeout=300)


def test_build_makes_a_page_per_sop_in_indonesian(project: Path):
    before = tree_hash(project / "sop_data")
    result = mkdocs(project)
    assert result.returncode == 0, result.stderr
    ids = [p.stem for p in (project / "sop_data").glob("*.yaml") if not p.name.startswith("_")]
    assert len(ids) >= 4
    for sop_id in ids:
        html = (project / "site" / "sop" / sop_id / "index.html").read_text(encoding="utf-8")
        assert '<html lang="id"' in html
    seed = (project / "site" / "sop" / "sop-pengukuran-kinerja-bungursari" / "index.html").read_text(encoding="utf-8")
    for text in ("Penyusunan Perencanaan Kinerja", "Tanggal Pengesahan", "19640104 199101 1 004",
                 "Sekretari smenyampaikan", "795 menit"):
        assert text in seed
    daftar = (project / "site" / "daftar-sop" / "index.html").read_text(encoding="utf-8")
    assert all(f"sop/{sop_id}/" in daftar for sop_id in ids)
    assert tree_hash(project / "sop_data") == before
    assert not (project / "docs" / "sop").exists()


def test_build_fails_on_a_broken_file_with_its_position(project: Path):
    broken = (FIXTURES / "rusak" / "target-tak-ada.yaml").read_bytes()
    (project / "sop_data" / "sop-rusak.yaml").write_bytes(broken)
    result = mkdocs(project)
    assert result.returncode != 0
    line = next(n for n, text in enumerate(broken.decode().splitlines(), 1) if "harapan" in text)
    assert f"sop-rusak.yaml:{line}:" in result.stderr and "galat" in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_build_fails_on_warnings(project: Path):
    result = mkdocs(project, "--strict")
    assert result.returncode != 0
    assert "peringatan" in result.stderr
