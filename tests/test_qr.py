"""Paper copies that can be checked (issue 16, item 7): every printed sheet carries a small QR code of
its SOP's page address with the revision printed, labelled "periksa versi"; without site_url, none,
and the build says how to set it. Decoded from a sheet rendered at 300 dpi, as a phone would read it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_sources

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds a site and prints its PDFs

SOP_ID = "sop-surat-keterangan-domisili"
SITE_URL = "https://sop.bungursari.example.go.id/"


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def _mkdocs(project: Path) -> subprocess.CompletedProcess:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return subprocess.run([str(mkdocs), "build"], cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)


def _project(tmp: Path, site_url: str | None) -> Path:
    project = copy_sources(tmp)
    if site_url:
        config = project / "mkdocs.yml"
        config.write_text(f"site_url: {site_url}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid", "commit", "-q", "-m", "SOP")
    return project


def _codes(pdf: Path, page: int) -> list[str]:
    """The QR codes on one page of a PDF, rendered at 300 dpi (pdftoppm, greyscale PGM read by hand)."""
    import zxingcpp
    pgm = subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True, timeout=120).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
    assert header is not None
    width, height = int(header.group(1)), int(header.group(2))
    pixels = pgm[header.end():header.end() + width * height]
    image = memoryview(pixels).cast("B", (height, width))
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_every_sheet_carries_the_page_address_with_the_revision(tmp_path: Path):
    project = _project(tmp_path, SITE_URL)
    result = _mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "site_url" not in result.stderr
    commit = _git(project, "rev-parse", "--short=7", "HEAD")
    pdf = project / "site" / "pdf" / f"{SOP_ID}.pdf"
    expected = f"{SITE_URL}sop/{SOP_ID}/?rev={commit}"
    pages = int(next(line.split()[1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                  check=True).stdout.splitlines() if line.startswith("Pages:")))
    for page in range(1, pages + 1):
        codes = _codes(pdf, page)
        assert len(codes) == 1 and codes[0].startswith(expected), (page, codes)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("periksa versi") == pages


def test_without_site_url_no_code_and_one_warning(tmp_path: Path):
    project = _project(tmp_path, None)
    result = _mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("site_url belum diisi") == 1
    assert "mkdocs.yml" in result.stderr
    pdf = project / "site" / "pdf" / f"{SOP_ID}.pdf"
    assert _codes(pdf, 1) == []
    assert "periksa versi" not in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                                 check=True).stdout


def test_the_version_in_force_of_a_draft_carries_its_own_revision_and_its_page_says_it_applies(tmp_path: Path):
    """A draft's ``<id>-berlaku.pdf`` (its last approved content) holds that revision's commit in its QR
    code; its page, opened from that code, says this paper is the version in force."""
    from sopcode.sheets.chromium import Chromium

    project = _project(tmp_path, SITE_URL)
    approved = _git(project, "rev-parse", "--short=7", "HEAD")
    path = project / "sop_data" / f"{SOP_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(kegiatan: )(\S)", r"\1Segera \2", text, count=1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    _git(project, "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid", "commit", "-q", "-am", "Ubah")
    result = _mkdocs(project)
    assert result.returncode == 0, result.stderr
    pdf = project / "site" / "pdf" / f"{SOP_ID}-berlaku.pdf"
    (code,) = _codes(pdf, 1)
    assert code.startswith(f"{SITE_URL}sop/{SOP_ID}/?rev={approved}"), code
    page = project / "site" / "sop" / SOP_ID / "index.html"
    with Chromium() as chromium:
        tab = chromium.new_tab()
        tab.goto(page.as_uri() + code[code.index("?"):])
        note = tab.wait_for("(() => { const p = document.querySelector('.sop-periksa-versi');"
                            " return p && !p.hidden && {text: p.innerText} })()", 10, "catatan periksa versi")
    assert note["text"].startswith("Lembar ini versi yang berlaku."), note
