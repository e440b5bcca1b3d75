"""What a reader sees of an SOP's status on the built site: a banner on the page of an SOP not in
force, "Menggantikan" on the SOP that replaces another, and a Status column in Daftar SOP."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from test_site import page

from conftest import build_site, copy_sources
from sopcode.text import format_tanggal

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds the seed site with its PDFs

WITHDRAWN = "sop-surat-keterangan-domisili"
SUPERSEDED = "sop-rekomendasi-izin-keramaian"
NEW = "sop-laporan-penyelenggaraan-pemerintahan-kecamatan"
FUTURE = "sop-pengukuran-kinerja-bungursari"
NEXT_YEAR = dt.date.today().replace(month=1, day=7) + dt.timedelta(days=366)


def withdraw_and_supersede(project: Path) -> Path:
    """The project's sop_data/, with WITHDRAWN withdrawn on 3 March 2026 (and its reason) and
    SUPERSEDED replaced by NEW."""
    data = project / "sop_data"
    with (data / f"{WITHDRAWN}.yaml").open("a", encoding="utf-8") as f:
        f.write("dicabut:\n  tanggal: 2026-03-03\n  alasan: Dicabut dengan Peraturan Camat Nomor 5 Tahun 2026.\n")
    with (data / f"{SUPERSEDED}.yaml").open("a", encoding="utf-8") as f:
        f.write(f"diganti_oleh: {NEW}\n")
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_sources(tmp_path_factory.mktemp("proyek"))
    data = withdraw_and_supersede(project)
    future = data / f"{FUTURE}.yaml"
    future.write_text(future.read_text(encoding="utf-8").replace(
        "tanggal_efektif: 2019-01-07", f"tanggal_efektif: {NEXT_YEAR.isoformat()}"), encoding="utf-8")
    return build_site(project)


def test_a_withdrawn_sop_stays_published_with_the_date_and_reason(site: Path):
    _, html = page(site, f"sop/{WITHDRAWN}")
    assert "SOP ini telah dicabut sejak 03 Maret 2026: Dicabut dengan Peraturan Camat Nomor 5 Tahun 2026" in (
        html.article_text)
    assert "Lembar Identitas" in html.article_text or "Identitas" in html.article_text
    assert "2026.." not in html.article_text  # the reason's own full stop is not doubled
    assert html.classes.get("sop-status-dicabut") == 1


def test_a_superseded_sop_links_to_its_successor_and_the_successor_back(site: Path):
    _, html = page(site, f"sop/{SUPERSEDED}")
    assert "SOP ini telah diganti oleh Penyusunan Laporan Penyelenggaraan Pemerintahan Kecamatan" in html.article_text
    assert f"../{NEW}/" in html.article_links
    _, new = page(site, f"sop/{NEW}")
    assert "Menggantikan: Pelayanan Rekomendasi Izin Keramaian" in new.article_text
    assert f"../{SUPERSEDED}/" in new.article_links
    assert not any(c.startswith("sop-status-") for c in new.classes)  # the new SOP is in force: no banner


def test_an_sop_effective_next_year_is_not_yet_in_force(site: Path):
    _, html = page(site, f"sop/{FUTURE}")
    assert f"SOP ini belum berlaku; berlaku mulai {format_tanggal(NEXT_YEAR)}." in html.article_text


def test_daftar_sop_has_a_status_column(site: Path):
    text, html = page(site, "daftar-sop")
    assert "Status" in html.article_text
    rows = dict(re.findall(
        r'<a href="\.\./sop/([^/"]+)/">.*?<td class="sop-status[^"]*">([^<]*)</td>', text))
    assert rows == {WITHDRAWN: "dicabut", SUPERSEDED: "diganti", NEW: "berlaku", FUTURE: "belum berlaku"}


def _pdf_pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                          check=True).stdout).group(1))
    return [" ".join(subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout.split()) for i in range(1, n + 1)]


@pytest.mark.parametrize(("sop_id", "mark"), [
    (WITHDRAWN, "DICABUT – tidak berlaku"), (SUPERSEDED, "DIGANTI – tidak berlaku"), (FUTURE, "BELUM BERLAKU")])
def test_every_printed_sheet_of_an_sop_not_in_force_carries_its_mark(site: Path, sop_id: str, mark: str):
    for n, text in enumerate(_pdf_pages(site / "pdf" / f"{sop_id}.pdf"), start=1):
        assert mark in text, f"page {n} of {sop_id} has no mark {mark!r}"


def test_an_sop_in_force_is_printed_without_a_mark_and_the_binder_says_which_are_not(site: Path):
    text = " ".join(_pdf_pages(site / "pdf" / f"{NEW}.pdf"))
    assert not any(word in text for word in ("DRAF", "BELUM BERLAKU", "DICABUT", "DIGANTI"))
    toc = _pdf_pages(site / "pdf" / "buku-sop.pdf")[1]
    assert "(DICABUT)" in toc and "(DIGANTI)" in toc and "(BELUM BERLAKU)" in toc


def test_the_binder_holds_sops_in_force_first_and_lists_the_withdrawn_and_superseded_at_its_end(site: Path):
    pages = _pdf_pages(site / "pdf" / "buku-sop.pdf")
    listed = [i for i, text in enumerate(pages) if text.startswith("SOP yang dicabut dan diganti")]
    assert len(listed) == 1, "one page 'SOP yang dicabut dan diganti'"
    at = listed[0]
    main, archive, after = pages[2:at], pages[at], pages[at + 1:]
    # Main part: the SOP in force, then the one not yet in force; nothing withdrawn or superseded.
    assert main and not any("tidak berlaku" in text for text in main)
    in_force = [i for i, text in enumerate(main) if "Penyusunan Laporan Penyelenggaraan" in text]
    future = [i for i, text in enumerate(main) if "BELUM BERLAKU" in text]
    assert in_force and future and max(in_force) < min(future)
    # The list: each SOP with its status, date and replacement, and the binder page its sheets start on.
    assert ("Pelayanan Rekomendasi Izin Keramaian" in archive and "diganti" in archive
            and "Penyusunan Laporan Penyelenggaraan Pemerintahan Kecamatan" in archive)
    assert "Pelayanan Surat Keterangan Domisili" in archive and "dicabut 03 Maret 2026" in archive
    assert after and all("DICABUT – tidak berlaku" in text or "DIGANTI – tidak berlaku" in text for text in after)
    # Each line gives the binder page its SOP's sheets start on (the first page after the list naming its nomor).
    rows = archive.split("Pelayanan Rekomendasi Izin Keramaian")[1].split("Pelayanan Surat Keterangan Domisili")
    for nomor, row in zip(("300/027/Kec.Bgs/2020", "470/012/Kec.Bgs/2019"), rows):
        first = next(i for i, text in enumerate(after, start=at + 2) if nomor in text)
        assert str(first) in row.split(), (nomor, row)
    assert str(at + 1) in archive.split()  # the list's own page is numbered on
