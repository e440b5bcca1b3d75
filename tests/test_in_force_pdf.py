"""The version in force of a draft (issue 16, item 2): its page links the PDF of the last approved
revision, printed from git beside the draft's own; from a real repository, built in-process."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_history import Repo

from conftest import SEED, build_site, copy_sources
from sopcode.model.history import approval_date
from sopcode.model.load import load_folder
from sopcode.text import format_tanggal

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SOP = "sop-laporan-penyelenggaraan-pemerintahan-kecamatan"
OLD = "Menyiapkan format isian data capaian program dan kegiatan"
NEW = "Menyiapkan formulir daring capaian program dan kegiatan"


def _pdf_text(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _repo(project: Path) -> Repo:
    repo = Repo.__new__(Repo)
    repo.root, repo.data = project, project / "sop_data"
    repo.git("init", "-q", "-b", "main")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Impor SOP yang sudah disahkan", when="2026-11-25T09:00:00+07:00")
    return repo


def test_a_draft_page_links_the_pdf_of_the_version_in_force(tmp_path: Path):
    project = copy_sources(tmp_path)
    repo = _repo(project)
    approved = repo.git("rev-parse", "--short=7", "HEAD").strip()
    path = repo.data / f"{SOP}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), "utf-8")
    repo.git("commit", "-q", "-am", "Formulir daring", when="2026-11-26T09:00:00+07:00")
    approved_on = format_tanggal(approval_date(next(s for s in load_folder(str(SEED.parent)).sops if s.id == SOP)))
    site = build_site(project)
    page = (site / "sop" / SOP / "index.html").read_text(encoding="utf-8")
    banner = " ".join(re.sub(r"<[^>]+>", " ", page.split("sop-draf", 1)[1].split("</div>", 1)[0]).split())
    assert f"Versi yang berlaku: revisi {approved_on}, {approved} &mdash; unduh PDF" in banner
    assert f'href="../../pdf/{SOP}-berlaku.pdf"' in page
    in_force, draft = _pdf_text(site / "pdf" / f"{SOP}-berlaku.pdf"), _pdf_text(site / "pdf" / f"{SOP}.pdf")
    assert OLD in in_force and NEW not in in_force and "DRAF" not in in_force
    assert NEW in draft and OLD not in draft and "DRAF" in draft
    # No other SOP gets one: they are in force as they are.
    assert sorted(p.name for p in (site / "pdf").glob("*-berlaku.pdf")) == [f"{SOP}-berlaku.pdf"]
    # The same PDF from the cache (a second build) as printed the first time.
    again = build_site(project, "site2")
    assert (again / "pdf" / f"{SOP}-berlaku.pdf").read_bytes() == (site / "pdf" / f"{SOP}-berlaku.pdf").read_bytes()


def test_an_sop_in_force_or_never_approved_in_git_has_no_such_link(tmp_path: Path):
    project = copy_sources(tmp_path)
    path = project / "sop_data" / f"{SOP}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), "utf-8")
    _repo(project)  # the changed content is the first recorded: it is the approved one
    site = build_site(project)
    page = (site / "sop" / SOP / "index.html").read_text(encoding="utf-8")
    assert "Versi yang berlaku" not in page and "-berlaku.pdf" not in page
    assert not list((site / "pdf").glob("*-berlaku.pdf"))
