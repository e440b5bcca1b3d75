"""The revision history as readers of a built site see it: from a real repository, built in-process."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_history import imported_sources

from conftest import SEED, build_site


def _history_text(page: str) -> str:
    """The page's "Riwayat revisi" section as a reader reads it: its text, without the markup."""
    section = page.split('id="riwayat-revisi"', 1)[1].split('id="dipakai-oleh"', 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def _project(tmp_path: Path) -> Path:
    """A project recorded in git in November 2026, its SOP made in 2019: one real change, one that only
    reformats and comments the file, one touching another file, then an edit not yet committed."""
    repo = imported_sources(tmp_path, when="2026-11-25T09:00:00+07:00")
    project = repo.root
    seed = repo.data / SEED.name
    assert "tanggal_pembuatan: 2019-01-02" in seed.read_text(encoding="utf-8")
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("waktu: 60 menit", "waktu: 90 menit", 1), "utf-8")
    repo.git("commit", "-q", "-am", "Rapat pembahasan menjadi 90 menit", when="2026-11-26T09:00:00+07:00")
    text = seed.read_text(encoding="utf-8")
    seed.write_text("# Catatan: dirapikan\n" + text.replace("\n", "\n\n", 3), "utf-8")
    repo.git("commit", "-q", "-am", "Rapikan format berkas", when="2026-11-27T09:00:00+07:00")
    other = repo.data / "sop-surat-keterangan-domisili.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# catatan\n", "utf-8")
    repo.git("commit", "-q", "-am", "Catatan pada SOP domisili", when="2026-11-28T09:00:00+07:00")
    seed.write_text(seed.read_text(encoding="utf-8").replace("waktu: 90 menit", "waktu: 120 menit", 1), "utf-8")
    return project


@pytest.mark.slow
@pytest.mark.browser
def test_readers_see_content_changes_and_the_creation_date_never_uncommitted_edits(tmp_path: Path):
    project = _project(tmp_path)
    site = build_site(project)
    shown = _history_text((site / "sop" / SEED.stem / "index.html").read_text(encoding="utf-8"))
    assert "Rapat pembahasan menjadi 90 menit" in shown and "waktu 60 menit → 90 menit" in shown
    assert "Impor SOP Kecamatan Bungursari" in shown and "25 November 2026" in shown
    assert "Dibuat 02 Januari 2019" in shown  # the SOP's own creation date, though git has a history
    assert "dicatat di repositori" in shown and "dibuat 25 november 2026" not in shown.casefold()
    assert "Belum dicatat di git" not in shown
    assert "Rapikan format berkas" not in shown and "Catatan pada SOP domisili" not in shown
    assert "pratinjau" not in shown.casefold() and "120 menit" not in shown  # a build never shows uncommitted edits
    latest = (site / "perubahan-terbaru" / "index.html").read_text(encoding="utf-8")
    assert "Rapikan format berkas" not in latest and "pratinjau" not in latest.casefold()
    toc = " ".join(subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(site / "pdf" / "buku-sop.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    assert "1 revisi, terakhir 26 November 2026" in toc
    assert "dibuat 25 November 2026" not in toc and "25 November 2026" not in toc



def _serve(project: Path) -> Path:
    """The site as `mkdocs serve` builds it, in ``pratinjau/``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "pratinjau"))
    config.plugins.on_startup(command="serve", dirty=False)  # what `mkdocs serve` builds
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return project / "pratinjau"


@pytest.mark.slow
def test_uncommitted_edits_are_shown_under_serve_as_a_preview(tmp_path: Path):
    project = _project(tmp_path)
    _serve(project)
    served = _history_text((project / "pratinjau" / "sop" / SEED.stem / "index.html").read_text(encoding="utf-8"))
    assert "Pratinjau: perubahan belum disimpan ke git" in served and "waktu 90 menit → 120 menit" in served
    assert "Rapat pembahasan menjadi 90 menit" in served and "Rapikan format berkas" not in served
    latest = (project / "pratinjau" / "perubahan-terbaru" / "index.html").read_text(encoding="utf-8")
    assert "Pratinjau: perubahan belum disimpan ke git" in latest and "Rapikan format berkas" not in latest


def _committed_clean(tmp_path: Path) -> tuple[Path, Path]:
    """The seed project committed once (nothing unapproved), an edit of the seed's content not yet
    committed, and a new SOP never committed."""
    repo = imported_sources(tmp_path, when="2026-11-25T09:00:00+07:00")
    project = repo.root
    seed = repo.data / SEED.name
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("waktu: 60 menit", "waktu: 120 menit", 1), "utf-8")
    (repo.data / "sop-baru-belum-dicatat.yaml").write_text(
        text.replace("tanggal_pembuatan: 2019-01-02", "tanggal_pembuatan: 2026-11-20"), "utf-8")
    return project, seed


@pytest.mark.slow
@pytest.mark.browser
def test_a_build_judges_committed_versions_and_says_which_file_was_never_committed(tmp_path: Path):
    project, seed = _committed_clean(tmp_path)
    site = build_site(project)
    page = (site / "sop" / seed.stem / "index.html").read_text(encoding="utf-8")
    assert "DRAF" not in page.split("sop-cetak")[0] and "Status: Berlaku" in page  # the edit is not committed
    new = (site / "sop" / "sop-baru-belum-dicatat" / "index.html").read_text(encoding="utf-8")
    shown = _history_text(new)
    assert "Dibuat 20 November 2026. Belum dicatat di git" in shown and "Pratinjau" not in shown
    served = _serve(project)
    page = (served / "sop" / seed.stem / "index.html").read_text(encoding="utf-8")
    assert "DRAF: belum disahkan" in page and "Status: Draf" in page
    assert "Pratinjau: perubahan belum disimpan ke git" in _history_text(page)
    shown = _history_text((served / "sop" / "sop-baru-belum-dicatat" / "index.html").read_text(encoding="utf-8"))
    assert "Belum dicatat di git: yang tampil di bawah adalah pratinjau" in shown
    assert "Pratinjau: perubahan belum disimpan ke git" in shown and "dicatat di repositori" not in shown
