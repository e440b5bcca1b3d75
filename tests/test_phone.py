"""The built site at a phone's width (390 px) and a desktop's (1366 px), and Daftar SOP's sorting, word filter,
PDF links and print, in headless Chromium (issue 18, items 1 and 5).

At 390 px the identity is a stacked list and each step (and each row of Daftar SOP) a card whose fields say
their names: every value lies inside the screen, none is cut, and the page does not scroll sideways. At
1366 px the same tables are tables. Printing Daftar SOP on A4 portrait keeps every column.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from test_browser import INSTALL_HINT, SUB_PATH, WAIT, _serve, js

from conftest import FIXTURES, build_site, copy_sources
from sopcode.sheets.chromium import Chromium, ChromiumMissing, Tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOP_PAGE = "sop/sop-rekomendasi-izin-keramaian/"
PHONE, DESKTOP = 390, 1366
UNIT = "SEKSI PELAYANAN UMUM"
# Copies of the seed's SOP of that unit, by number and effective date: sorted by number naturally
# (2 < 10 < 012) and by date as dates (not as the spelled-out text, where "01 Mei" would come first).
COPIES = {"sop-domisili-dua": ("470/2/Kec.Bgs/2019", "2021-05-03"),
          "sop-domisili-sepuluh": ("470/10/Kec.Bgs/2019", "2018-01-08")}
ORIGINAL = ("470/012/Kec.Bgs/2019", "2019-02-11")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The seed site, plus two SOPs in one unit (to sort) and a fixture whose actors say "Sekretaris
    Kecamatan" but never "Camat"; served under the sub-path. Yields its address and its folder."""
    root = tmp_path_factory.mktemp("situs-ponsel")
    (root / "sumber").mkdir()
    project = copy_sources(root / "sumber")
    data = project / "sop_data"
    shutil.copy(FIXTURES / "baik" / "minimal.yaml", data / "minimal.yaml")
    source = (data / "sop-surat-keterangan-domisili.yaml").read_text(encoding="utf-8")
    for n, (stem, (nomor, efektif)) in enumerate(COPIES.items(), start=2):
        text = (source.replace(ORIGINAL[0], nomor).replace(f"tanggal_efektif: {ORIGINAL[1]}", f"tanggal_efektif: {efektif}")
                .replace("nama: Pelayanan Surat Keterangan Domisili", f"nama: Pelayanan Surat Keterangan Domisili {n}")
                .replace("alias: SKD", f"alias: SKD{n}"))
        (data / f"{stem}.yaml").write_text(text, encoding="utf-8")
    www = root / "www"
    site_dir = www / SUB_PATH.strip("/")
    build_site(project, str(site_dir))
    for address in _serve(www, "situs-ponsel"):
        yield address, site_dir


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    try:
        browser = Chromium()
    except ChromiumMissing as exc:
        pytest.fail(f"Uji peramban membutuhkan Chromium: {exc}. Pasang dulu: {INSTALL_HINT}", pytrace=False)
    with browser:
        yield browser


def tab_of(chromium: Chromium, width: int) -> Tab:
    """A tab the size of a phone (touch, 390 × 844) or of a desktop window (1366 × 800)."""
    tab = chromium.new_tab()
    tab.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 844 if width == PHONE else 800,
                                                     "deviceScaleFactor": 1, "mobile": width == PHONE})
    return tab


@pytest.fixture(scope="module")
def phone(chromium) -> Tab:
    return tab_of(chromium, PHONE)


@pytest.fixture(scope="module")
def desktop(chromium) -> Tab:
    return tab_of(chromium, DESKTOP)


# Each cell of the given tables that holds text: its label (its column's heading, else its row's), its text,
# the text shown before it (on phones, its label), whether it lies inside the screen's width and whether
# its text is cut.
CELLS = """(selector => [...document.querySelectorAll(selector)].filter(c => c.innerText.trim()).map(c => {
  const r = c.getBoundingClientRect(), before = getComputedStyle(c, '::before').content;
  const head = c.closest('table').tHead, row = c.previousElementSibling;
  const label = head ? head.rows[0].cells[c.cellIndex].textContent : row ? row.textContent : '';
  return {label: label.trim(), text: c.innerText.trim(),
          shown: c.checkVisibility(), inside: r.left >= 0 && r.right <= innerWidth + 0.5,
          whole: c.scrollWidth <= c.clientWidth + 1, before: before === 'none' ? '' : JSON.parse(before)};
}))"""
NO_SIDEWAYS = "document.documentElement.scrollWidth <= innerWidth"


def open_page(tab: Tab, address: str) -> None:
    tab.goto(address)
    tab.wait_for("document.querySelector('article h1') !== null", WAIT, "judul halaman")


def test_at_390_px_every_identity_value_and_every_field_of_every_step_is_on_screen(phone, site):
    base, _ = site
    open_page(phone, base + SOP_PAGE)
    assert phone.evaluate(NO_SIDEWAYS), "halaman menggulir ke samping"

    identity = phone.evaluate(CELLS + "('.sop-identitas th + td')")
    assert [c["label"] for c in identity] == ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi",
                                              "Tanggal Pengesahan", "Disahkan oleh", "Nama SOP"]
    assert next(c["text"] for c in identity if c["label"] == "Nomor SOP") == "300/027/Kec.Bgs/2020"
    for c in identity:
        assert c["shown"] and c["inside"] and c["whole"], c

    steps = phone.evaluate(CELLS + "('.sop-prosedur tbody td')")
    fields = {"No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu", "Output", "Keterangan"}
    assert {c["label"] for c in steps} >= fields - {"Keterangan"}
    for c in steps:  # each field says its name beside its value, inside the screen, uncut
        assert c["shown"] and c["inside"] and c["whole"], c
        assert c["before"] == c["label"], c
    # Each step a card: its fields one under the other, the card as wide as the column.
    first = phone.evaluate("(() => { const r = document.querySelector('.sop-prosedur tbody tr').getBoundingClientRect();"
                           " return {width: r.width, display: getComputedStyle(document.querySelector("
                           "'.sop-prosedur tbody td')).display} })()")
    assert first["display"] == "flow-root" and first["width"] <= PHONE
    total = phone.evaluate("(() => { const t = document.querySelector('.sop-prosedur tfoot');"
                           " const r = t.getBoundingClientRect(); return t.checkVisibility() && r.right <= innerWidth"
                           " && t.innerText })()")
    assert total and "Jumlah waktu" in total


def test_at_390_px_each_row_of_daftar_sop_is_a_card_with_both_dates(phone, site):
    base, _ = site
    open_page(phone, base + "daftar-sop/")
    assert phone.evaluate(NO_SIDEWAYS), "halaman menggulir ke samping"
    cells = phone.evaluate(CELLS + "('.sop-daftar tbody td')")
    labels = {c["label"] for c in cells}
    assert {"Nomor SOP", "Nama SOP", "Tanggal Pengesahan", "Tanggal Revisi", "Status", "Unduh"} <= labels
    for c in cells:
        assert c["shown"] and c["inside"] and c["whole"], c
        assert c["before"] == c["label"], c
    assert "09 Januari 2023" in [c["text"] for c in cells if c["label"] == "Tanggal Revisi"]
    # Sorted, every unit's SOPs in one list of cards, each saying its unit.
    open_page(phone, base + "daftar-sop/?urut=unit")
    cells = phone.wait_for(f"(c => c.length && c)({CELLS}('.sop-daftar-semua tbody td'))", WAIT, "kartu gabungan")
    assert phone.evaluate(NO_SIDEWAYS), "halaman menggulir ke samping"
    assert UNIT in [c["text"] for c in cells if c["label"] == "Unit"]
    for c in cells:
        assert c["shown"] and c["inside"] and c["whole"], c
        assert c["before"] == c["label"], c


def test_at_1366_px_the_tables_are_tables_with_every_column_on_screen(desktop, site):
    base, _ = site
    open_page(desktop, base + SOP_PAGE)
    layout = desktop.evaluate("""(() => {
      const t = document.querySelector('.sop-prosedur table');
      return {table: getComputedStyle(t).display, row: getComputedStyle(t.querySelector('tbody tr')).display,
              heads: [...t.querySelectorAll('thead th')].filter(h => h.checkVisibility()
                       && h.getBoundingClientRect().right <= innerWidth).map(h => h.innerText.trim())};
    })()""")
    assert layout == {"table": "table", "row": "table-row",
                      "heads": ["No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu", "Output", "Keterangan"]}
    open_page(desktop, base + "daftar-sop/")
    heads = desktop.evaluate("[...document.querySelector('.sop-daftar table').querySelectorAll('thead th')]"
                             ".filter(h => h.checkVisibility() && h.getBoundingClientRect().right <= innerWidth)"
                             ".map(h => h.innerText.replace(/[\\u2195\\u25B2\\u25BC]/g, '').trim())")
    # No Unit column: the heading above each table names the unit.
    assert heads == ["Nomor SOP", "Nama SOP", "Tanggal Pengesahan", "Tanggal Revisi", "Status", "Unduh"]
    assert desktop.evaluate("getComputedStyle(document.querySelector('.sop-daftar table')).display") == "table"
    assert desktop.evaluate(NO_SIDEWAYS)


def test_a_table_wider_than_a_tablets_page_says_it_scrolls_sideways(chromium, desktop, site):
    """At 768 px the procedure table is wider than the page: its box scrolls (the page does not) and a line
    above it says so. At 1366 px every table fits and nothing says it."""
    base, _ = site
    tablet = tab_of(chromium, 768)
    open_page(tablet, base + SOP_PAGE)
    hint = tablet.wait_for("(() => { const b = document.querySelector('.sop-prosedur');"
                           " return b.classList.contains('sop-bisa-gulir') && b.scrollWidth > b.clientWidth"
                           " && getComputedStyle(b, '::before').content })()", WAIT, "petunjuk geser")
    assert "Geser tabel ke samping" in hint
    assert tablet.evaluate(NO_SIDEWAYS)
    tablet.close()
    open_page(desktop, base + SOP_PAGE)
    assert desktop.evaluate("document.querySelectorAll('.sop-bisa-gulir').length") == 0


UNIT_ROWS = f"""[...document.querySelectorAll('.sop-daftar-unit')].find(s => s.querySelector('h2')?.innerText.trim()
  === {js(UNIT)}).querySelectorAll('tbody tr')"""
NUMBERS = f"[...{UNIT_ROWS}].map(r => r.cells[0].innerText.trim())"
FLAT = ".sop-daftar-semua"
# The one table of every unit's SOPs: its headings, and each shown row's values by heading.
FLAT_TABLE = f"""(() => {{ const t = document.querySelector('{FLAT} table');
  if (!t || !t.checkVisibility()) return null;
  const heads = [...t.tHead.rows[0].cells].map(h => h.innerText.replace(/[\\u2195\\u25B2\\u25BC]/g, '').trim());
  return {{heads, sort: [...t.tHead.rows[0].cells].map(h => h.getAttribute('aria-sort')),
           rows: [...t.tBodies[0].rows].filter(r => r.checkVisibility()).map(r =>
             Object.fromEntries([...r.cells].map((c, i) => [heads[i], c.innerText.trim()])))}}; }})()"""
GROUPS_SHOWN = "[...document.querySelectorAll('.sop-daftar-unit:not(.sop-arsip) h2')].filter(h => h.checkVisibility()).length"


def natural(nomor: str) -> list:
    """An SOP number's sort key as a reader expects it: its runs of digits as numbers (2 < 10 < 012)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.findall(r"\d+|\D+", nomor)]


def address(tab: Tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.evaluate("location.href")).query)


def test_sorting_daftar_sop_shows_every_unit_in_one_table_and_groups_it_again(desktop, site):
    """A heading sorts every unit's SOPs together (with one SOP per unit, sorting inside each unit's table
    changed nothing): one table with a Unit column, numbers naturally, dates as dates; the choice in the
    address; "Kelompokkan per unit" goes back to the units' tables, each in its first order."""
    base, _ = site
    open_page(desktop, base + "daftar-sop/")
    grouped = desktop.evaluate(NUMBERS)
    units = desktop.evaluate(GROUPS_SHOWN)
    assert units >= 3 and desktop.evaluate(FLAT_TABLE) is None

    desktop.click(".sop-daftar-unit th[data-urut=nomor] button")
    flat = desktop.evaluate(FLAT_TABLE)
    assert flat["heads"] == ["Nomor SOP", "Nama SOP", "Unit", "Tanggal Pengesahan", "Tanggal Revisi", "Status", "Unduh"]
    assert flat["sort"][0] == "ascending" and [s for s in flat["sort"][1:] if s] == []
    assert desktop.evaluate(GROUPS_SHOWN) == 0, "tabel per unit masih tampil di samping tabel gabungan"
    numbers = [r["Nomor SOP"] for r in flat["rows"]]
    assert len(numbers) == 7 and len({r["Unit"] for r in flat["rows"]}) == units
    written = [n for n in numbers if n != "-"]
    assert written == sorted(written, key=natural) and numbers[len(written):] == ["-"] * (7 - len(written))
    two, ten = (nomor for nomor, _ in COPIES.values())
    assert written.index(two) < written.index(ten) < written.index(ORIGINAL[0])
    assert address(desktop) == {"urut": ["nomor"]}
    note = desktop.evaluate(f"document.querySelector('{FLAT} .sop-urut-ket').innerText")
    assert "diurut menurut Nomor SOP (menaik)" in note and "Kelompokkan per unit" in note

    desktop.click(f"{FLAT} th[data-urut=nomor] button")  # again: descending
    flat = desktop.evaluate(FLAT_TABLE)
    assert flat["sort"][0] == "descending"
    assert [r["Nomor SOP"] for r in flat["rows"] if r["Nomor SOP"] != "-"] == written[::-1]
    assert address(desktop) == {"urut": ["nomor"], "arah": ["turun"]}

    # By the keyboard: Tab to the date's heading, Enter. Dates across units, oldest first, as dates.
    desktop.evaluate(f"document.querySelector('{FLAT} th[data-urut=efektif] button').focus()")
    for kind in ("keyDown", "keyUp"):
        desktop.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13,
                                                **({"text": "\r"} if kind == "keyDown" else {})})
    flat = desktop.wait_for(f"(f => f && f.sort[3] === 'ascending' && f)({FLAT_TABLE})", WAIT, "urut tanggal")
    isos = desktop.evaluate(f"[...document.querySelectorAll('{FLAT} tbody tr')].map(r => r.cells[3].getAttribute('data-urut'))")
    dated = [d for d in isos if d]
    assert dated == sorted(dated) and isos[len(dated):] == [""] * (len(isos) - len(dated))
    assert [r["Nomor SOP"] for r in flat["rows"]][:1] == [ten]  # 2018, before the seed's own
    assert desktop.evaluate("document.activeElement.closest('th')?.getAttribute('data-urut')") == "efektif"

    desktop.click(f"{FLAT} th[data-urut=unit] button")
    flat = desktop.evaluate(FLAT_TABLE)
    by_unit = [r["Unit"] for r in flat["rows"]]
    assert flat["sort"][2] == "ascending" and by_unit == sorted(by_unit, key=str.lower) and len(set(by_unit)) > 1

    # The address keeps it: the same list opened from it is sorted the same way.
    desktop.click(f"{FLAT} th[data-urut=unit] button")
    kept = desktop.evaluate("location.href")
    assert address(desktop) == {"urut": ["unit"], "arah": ["turun"]}
    before = desktop.evaluate(FLAT_TABLE)
    open_page(desktop, kept)
    assert desktop.wait_for(FLAT_TABLE, WAIT, "tabel gabungan dari alamat") == before

    desktop.click(f"{FLAT} .sop-kelompokkan")
    assert desktop.evaluate(FLAT_TABLE) is None and desktop.evaluate(GROUPS_SHOWN) == units
    assert desktop.evaluate(NUMBERS) == grouped
    assert address(desktop) == {}
    assert desktop.evaluate("document.querySelector('.sop-daftar-unit th[data-urut=nomor]').hasAttribute('aria-sort')") \
        is False


def test_filtering_the_sorted_table_keeps_it_sorted(desktop, site):
    base, _ = site
    open_page(desktop, base + "daftar-sop/?urut=efektif&q=domisili")
    flat = desktop.wait_for(FLAT_TABLE, WAIT, "tabel gabungan")
    assert [r["Nomor SOP"] for r in flat["rows"]] == [COPIES["sop-domisili-sepuluh"][0], ORIGINAL[0],
                                                       COPIES["sop-domisili-dua"][0]]
    assert desktop.evaluate(GROUPS_SHOWN) == 0


WHOLE_WORDS = """(() => { const cut = [];
  for (const cell of document.querySelectorAll('.sop-daftar th, .sop-daftar td')) {
    if (!cell.checkVisibility()) continue;
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) cut.push(m[0]);
      }
    }
  }
  return cut; })()"""


def test_at_1366_px_no_word_of_daftar_sop_is_cut_and_numbers_break_after_slashes(desktop, site):
    """"Unduh" read "Undu/h" and "300/027/Kec.Bgs/2020" broke inside "027": a word stays whole on its line;
    a number may break after a slash only (the page carries <wbr> there, its text still escaped)."""
    base, _ = site
    for view in ("daftar-sop/", "daftar-sop/?urut=unit"):  # the sorted table has one column more
        open_page(desktop, base + view)
        desktop.wait_for("document.querySelector('.sop-daftar table') !== null", WAIT, "tabel")
        assert desktop.evaluate(WHOLE_WORDS) == [], view
        assert desktop.evaluate(NO_SIDEWAYS), view
    number = desktop.evaluate(f"(() => {{ const td = [...document.querySelectorAll('.sop-daftar td')].find(c =>"
                              f" c.textContent === {js(ORIGINAL[0])}); return td && td.innerHTML }})()")
    assert number == "470/<wbr>012/<wbr>Kec.Bgs/<wbr>2019"


SHOWN = ("[...document.querySelectorAll('.sop-daftar tr[data-saring]')].filter(r => r.checkVisibility())"
         ".map(r => r.querySelector('a').getAttribute('href'))")


def filter_by(tab: Tab, words: str) -> list[str]:
    tab.evaluate(f"(() => {{ const b = document.getElementById('saring-sop'); b.value = {js(words)};"
                 " b.dispatchEvent(new Event('input')) })()")
    return sorted(tab.evaluate(SHOWN))


def test_the_filter_matches_whole_words_from_their_start(desktop, site):
    """'Camat' finds the SOPs with the actor Camat, not the one whose unit and actor only say KECAMATAN."""
    base, _ = site
    open_page(desktop, base + "daftar-sop/")
    every = filter_by(desktop, "")
    assert "../sop/minimal/" in every and len(every) == 7
    camat = filter_by(desktop, "Camat")
    assert camat == sorted(h for h in every if h != "../sop/minimal/")
    assert filter_by(desktop, "CÁMAT") == camat  # case and accents aside
    assert "../sop/minimal/" in filter_by(desktop, "kecamatan")  # its unit, from the institution
    assert filter_by(desktop, "tamu") == ["../sop/minimal/"]
    assert filter_by(desktop, "amu") == []  # inside a word: no
    assert filter_by(desktop, "470/10") == ["../sop/sop-domisili-sepuluh/"]
    # An alias (the seed's SKD; its copies' SKD2, SKD3), which only the SOP's page shows.
    assert filter_by(desktop, "skd") == ["../sop/sop-domisili-dua/", "../sop/sop-domisili-sepuluh/",
                                         "../sop/sop-surat-keterangan-domisili/"]
    assert filter_by(desktop, "SKD2") == ["../sop/sop-domisili-dua/"]
    assert not desktop.evaluate("document.querySelector('.sop-saring-kosong').checkVisibility()")
    assert filter_by(desktop, "keramaian domisili") == []
    sentence = desktop.evaluate("(() => { const p = document.querySelector('.sop-saring-kosong');"
                                " return p.checkVisibility() && p.innerText })()")
    assert sentence == "Tidak ada SOP yang cocok dengan saringan ini."


def test_each_row_of_daftar_sop_links_to_its_sops_pdf(desktop, site):
    base, site_dir = site
    open_page(desktop, base + "daftar-sop/")
    rows = desktop.evaluate("[...document.querySelectorAll('.sop-daftar tr[data-saring]')].map(r => ["
                            "r.querySelector('td.sop-daftar-nama a').getAttribute('href'),"
                            " (r.querySelector('td.sop-daftar-pdf a') || {}).href || ''])")
    assert len(rows) == 7
    for page, pdf in rows:
        stem = page.rstrip("/").rsplit("/", 1)[1]
        assert pdf == urljoin(base + "daftar-sop/", f"../pdf/{stem}.pdf"), page
        with urlopen(pdf, timeout=10) as answer:
            assert answer.read(5) == b"%PDF-", pdf
        assert (site_dir / "pdf" / f"{stem}.pdf").is_file()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) tidak terpasang")
def test_printing_daftar_sop_on_a4_portrait_keeps_every_column_on_one_page(desktop, site, tmp_path):
    base, _ = site
    open_page(desktop, base + "daftar-sop/")
    pdf = tmp_path / "daftar.pdf"
    pdf.write_bytes(desktop.pdf(paperWidth=8.27, paperHeight=11.69, preferCSSPageSize=False))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    words = " ".join(text.split())
    for heading in ("Nomor SOP", "Nama SOP", "Pengesahan", "Tanggal Revisi", "Status"):  # a heading may wrap
        assert heading in words, heading
    # The last columns' values too: the revision date, the status.
    for value in ("09 Januari 2023", "16 Januari 2023", "03 Mei 2021", "300/027/Kec.Bgs/2020", "berlaku"):
        assert value in words, value
    assert words.count("berlaku") >= 7
    # One page: the list fits on one, and no blank page follows it.
    pages = text.split("\f")
    pages = pages[:-1] if pages and not pages[-1].strip() else pages
    assert len(pages) == 1 and all(page.strip() for page in pages), f"{len(pages)} halaman"
