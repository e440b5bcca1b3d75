from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT / "sop_data" / "sop-pengukuran-kinerja-bungursari.yaml"
BIN = Path(sys.executable).parent


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file below a folder with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run_sop(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "sop"), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def copy_sources(dest: Path) -> Path:
    """Copy the repository's site sources (mkdocs.yml, docs, sop_data) into a folder."""
    for name in ("mkdocs.yml", "docs", "sop_data"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy(src, dest / name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's site sources (mkdocs.yml, docs, sop_data) to build in."""
    return copy_sources(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


_COUNTS: list[str] = []


@pytest.fixture
def hitungan():
    """What a property test went through (SOPs, pages, arrows, labels…): shown at the end of every
    run, `make test` included, so the counts are seen without `-s`."""
    return _COUNTS.append


def pytest_terminal_summary(terminalreporter):
    if _COUNTS:
        terminalreporter.section("hitungan uji sifat")
        for line in _COUNTS:
            terminalreporter.write_line(line)
