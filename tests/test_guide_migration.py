"""The guide "Banyak instansi dalam satu situs", section "Memindahkan proyek satu instansi menjadi
banyak instansi", followed as typed on a copy of the seed's project: its shell commands are read
from the guide itself and run, so a command the guide shows is a command that works."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_sop, write

GUIDE = ROOT / "docs" / "panduan" / "banyak-instansi.md"
KEC = "kecamatan-bungursari"
GIT = ["git", "-c", "user.name=Uji", "-c", "user.email=uji@example.org", "-c", "core.hooksPath=/dev/null"]


def commands() -> list[str]:
    """The `sh` blocks of the section, in order, as a reader copies them."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Memindahkan proyek satu instansi"):]
    section = section[:section.find("\n## ", 1) if "\n## " in section[1:] else len(section)]
    return [textwrap.dedent(block) for block in re.findall(r"```sh\n(.*?)^\s*```", section, re.S | re.M)]


@pytest.mark.slow
def test_the_guide_s_commands_move_the_seed_into_an_institution_with_its_history(tmp_path: Path):
    project = tmp_path / "proyek"
    shutil.copytree(ROOT / "sop_data", project / "sop_data", ignore=shutil.ignore_patterns(".cache"))
    write(project / "mkdocs.yml", "site_name: Uji\n")
    subprocess.run([*GIT, "init", "-q"], cwd=project, check=True, timeout=60)
    subprocess.run([*GIT, "add", "."], cwd=project, check=True, timeout=60)
    subprocess.run([*GIT, "commit", "-qm", "SOP kecamatan"], cwd=project, check=True, timeout=60)
    moved = sorted(p.name for p in (project / "sop_data").glob("sop-*.yaml"))
    steps = commands()
    assert len(steps) == 2, steps  # step 1 (move) and step 4 (the schema line)
    # Step 1, as typed.
    subprocess.run(["bash", "-euc", steps[0]], cwd=project, check=True, timeout=60)
    # Step 2: the settings split as the guide says (the regency's line stays, the kecamatan's moves).
    top = (project / "sop_data" / "_instansi.yaml").read_text(encoding="utf-8")
    write(project / "sop_data" / "_instansi.yaml", top.replace("  - KECAMATAN BUNGURSARI\n", ""))
    write(project / "sop_data" / KEC / "_instansi.yaml", "nama: Kecamatan Bungursari\nhierarki:\n  - KECAMATAN BUNGURSARI\n")
    # Step 4: sop check passes, and git sees each SOP as moved, not rewritten.
    done = run_sop("check", "sop_data", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[hierarki-berulang]" not in done.stdout + done.stderr
    status = subprocess.run([*GIT, "status", "--porcelain"], cwd=project, capture_output=True, text=True,
                            check=True).stdout
    for name in moved:
        assert f"R  sop_data/{name} -> sop_data/{KEC}/{name}" in status, status
    # Then the schema line, as typed: it leads to the project's schema from the new folder.
    subprocess.run(["bash", "-euc", steps[1]], cwd=project, check=True, timeout=60)
    for name in moved:
        first = (project / "sop_data" / KEC / name).read_text(encoding="utf-8").splitlines()[0]
        schema = first.split("$schema=")[1]
        assert (project / "sop_data" / KEC / schema).resolve() == project / "plugins" / "sopcode" / "schema.json"
    assert run_sop("check", "sop_data", cwd=project).returncode == 0
