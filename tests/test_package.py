"""The shipped package: a wheel built from the project holds everything the tool reads at run time,
and the tool prints from it (not only from this checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import FIXTURES, ROOT


def test_the_wheel_holds_every_file_the_package_reads_and_prints_from_it(tmp_path: Path):
    # From a clean copy, as a fresh clone has it: no egg-info of an editable install to borrow a file list from.
    source = tmp_path / "sumber"
    shutil.copytree(ROOT / "plugins", source / "plugins",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("sopcode-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "plugins" / "sopcode"
    shipped = {str(p.relative_to(package.parent)).replace(os.sep, "/") for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    # Print one SOP from the unpacked wheel alone (its dependencies from this environment).
    unpacked = tmp_path / "paket"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import sopcode, os; "
              "assert sopcode.__file__.startswith(sys.argv[1]), sopcode.__file__; "
              "from sopcode.publish import publish; "
              "pub = publish(sys.argv[2]); w = pub.write_pdfs(sys.argv[3]); pub.close(); "
              "assert not pub.problems and not pub.report.errors, pub.problems; print(len(w))")
    done = subprocess.run([sys.executable, "-c", script, str(unpacked), str(FIXTURES / "baik" / "minimal.yaml"),
                           str(tmp_path / "pdf")], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": ""}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pdf" / "minimal.pdf").stat().st_size > 1000
