"""The shipped package, as a user installs it: a wheel built from a clean copy of the project, installed
(not editable) into a fresh virtual environment with its dependencies from the package index, builds
the seed SOP's site with its PDF using that environment's own `mkdocs`, nothing from this checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PACKAGE = ROOT / "plugins" / "sopcode"


def run(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    # Nothing of this checkout or of the test's own environment on the path of what runs.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**env, "NO_MKDOCS_2_WARNING": "1"}, check=False)


def build_wheel(tmp_path: Path) -> Path:
    """The wheel of a clean copy, as a fresh clone has it: no egg-info of an editable install to borrow a
    file list from, no __pycache__."""
    source = tmp_path / "sumber"
    shutil.copytree(ROOT / "plugins", source / "plugins", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source)
    assert built.returncode == 0, built.stderr
    return next((tmp_path / "dist").glob("sopcode-*.whl"))


def test_the_installed_wheel_builds_the_seed_site_with_its_pdf(tmp_path: Path):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(p.relative_to(PACKAGE.parent)).replace(os.sep, "/") for p in PACKAGE.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    missing = sorted(shipped - names)

    # A fresh environment; pip (this one, told which Python to install for) puts the wheel and what it
    # declares it needs there, from the index pip is configured with.
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python, mkdocs = venv / "bin" / "python", venv / "bin" / "mkdocs"
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-compile", wheel)
    assert installed.returncode == 0, installed.stderr
    where = run(python, "-c", "import sopcode; print(sopcode.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    # The seed SOP in a project of its own, built as a user builds it (PDFs on, as by default).
    project = tmp_path / "proyek"
    (project / "sop_data").mkdir(parents=True)
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(SEED, project / "sop_data" / SEED.name)
    shutil.copy(SEED.parent / "_instansi.yaml", project / "sop_data" / "_instansi.yaml")
    (project / "docs" / "index.md").write_text("# SOP\n", encoding="utf-8")
    site = project / "situs"
    done = run(mkdocs, "build", "--site-dir", site, cwd=project)
    assert done.returncode == 0 and not missing, (
        f"missing from the wheel: {missing}\n{done.stderr[-3000:]}")

    sop_id = SEED.stem
    page = site / "sop" / sop_id / "index.html"
    assert page.is_file(), sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    html = page.read_text(encoding="utf-8")
    name = re.search(r"^nama:\s*(.+)$", SEED.read_text(encoding="utf-8"), re.MULTILINE).group(1).strip()
    assert name in html

    pdf = next(site.rglob(f"{sop_id}.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert " ".join(name.split()) in " ".join(text.split())

    # The page's own styles and script are in the site, linked from the page, as the package has them.
    linked = {(site / "sop" / sop_id / href).resolve()
              for href in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))(?:\?[^"]*)?"', html)}
    served = {p.read_bytes() for p in linked if p.is_file()}
    for source in (PACKAGE / "site" / "assets" / "sop.css", PACKAGE / "sheets" / "sheet.css",
                   PACKAGE / "site" / "assets" / "sop.js"):
        assert source.read_bytes() in served, f"{source.name} not in the site as the page links it"
