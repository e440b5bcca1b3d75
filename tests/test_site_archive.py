"""Withdrawn and superseded SOPs on the built site: their status in search results, an archive section
of Daftar SOP, and a withdrawal announced for a date to come."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from test_site import page
from test_site_status import NEW, SUPERSEDED, WITHDRAWN, withdraw_and_supersede

from conftest import build_site, copy_sources
from sopcode.text import format_tanggal

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds the seed site with its PDFs

LATER = "sop-pengukuran-kinerja-bungursari"
SOON = dt.date.today() + dt.timedelta(days=40)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_sources(tmp_path_factory.mktemp("proyek"))
    data = withdraw_and_supersede(project)
    with (data / f"{LATER}.yaml").open("a", encoding="utf-8") as f:
        f.write(f"dicabut:\n  tanggal: {SOON.isoformat()}\n  alasan: Diganti sistem <b>e-Kinerja</b>\n")
    return build_site(project)


def _search_entry(site: Path, sop_id: str) -> dict:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == f"sop/{sop_id}/")
    return {**entry, "text": " ".join(re.sub(r"<[^>]+>", " ", entry["text"]).split())}  # as the snippet reads


def test_search_results_show_the_status_first(site: Path):
    withdrawn = _search_entry(site, WITHDRAWN)
    assert withdrawn["text"].startswith("Status: Dicabut sejak 03 Maret 2026."), withdrawn["text"][:80]
    superseded = _search_entry(site, SUPERSEDED)
    assert superseded["text"].startswith(
        "Status: Diganti oleh Penyusunan Laporan Penyelenggaraan Pemerintahan Kecamatan."), superseded["text"][:80]
    assert _search_entry(site, NEW)["text"].startswith("Status: Berlaku.")
    later = _search_entry(site, LATER)["text"]
    assert later.startswith(f"Status: Berlaku; akan dicabut mulai {format_tanggal(SOON)}.")
    assert "domisil " not in withdrawn["text"][:400]  # the words' roots are for finding, not for reading


def test_a_withdrawal_to_come_is_announced_and_the_sop_still_applies(site: Path):
    text, html = page(site, f"sop/{LATER}")
    assert f"Akan dicabut mulai {format_tanggal(SOON)}" in html.article_text
    assert "Diganti sistem <b>e-Kinerja</b>" in html.article_text and "<b>e-Kinerja" not in text  # escaped
    assert "sop-status-dicabut" not in html.classes
    _, daftar = page(site, "daftar-sop")
    assert daftar.article_text.index("Penyusunan Perencanaan Kinerja") < daftar.article_text.index("Arsip:")


def test_daftar_sop_keeps_withdrawn_and_superseded_sops_in_an_archive_section(site: Path):
    text, _ = page(site, "daftar-sop")
    before, archive = text[text.index("<article"):].split('id="arsip"', 1)
    assert f"../sop/{WITHDRAWN}/" not in before and f"../sop/{SUPERSEDED}/" not in before
    rows = re.findall(r'<tr data-saring="[^"]*" data-status="([^"]+)">(.*?)</tr>', archive)
    assert sorted(status for status, _ in rows) == ["dicabut", "diganti"]
    cells = {status: " ".join(re.sub(r"<[^>]+>", " ", row).split()) for status, row in rows}
    assert "Pelayanan Surat Keterangan Domisili" in cells["dicabut"] and "03 Maret 2026" in cells["dicabut"]
    assert "Penyusunan Laporan Penyelenggaraan Pemerintahan Kecamatan" in cells["diganti"]
    assert f"../sop/{NEW}/" in archive
    # Each archived page keeps its downloadable sheets.
    for sop_id in (WITHDRAWN, SUPERSEDED):
        assert (site / "pdf" / f"{sop_id}.pdf").is_file()
        assert f"pdf/{sop_id}.pdf" in page(site, f"sop/{sop_id}")[0]


def test_the_navigation_has_an_archive_section_after_the_units(site: Path):
    text, _ = page(site, f"sop/{SUPERSEDED}")  # the open section shows its pages
    nav = text[:text.index("<article")]
    units, archive = nav.split("Arsip: SOP yang dicabut dan diganti", 1)
    assert "Pelayanan Rekomendasi Izin Keramaian" in archive and "Pelayanan Surat Keterangan Domisili" in archive
    assert f"../{WITHDRAWN}/" in archive and "Pelayanan Surat Keterangan Domisili" not in units
    assert "Penyusunan Perencanaan Kinerja" not in archive  # to be withdrawn later: still with its unit
