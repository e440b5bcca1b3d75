"""A site of several institutions (issue 17, item 3), read as a reader sees it: each institution's home,
Daftar SOP's Instansi column and menus, the navigation by institution then unit, each SOP page naming its
institution, links across institutions, search text, Monitoring dan evaluasi grouped by institution; and
a single institution's site (the seed) without any of it, at the same addresses as before.

The example is tests/fixtures/pemda (Kecamatan Bungursari and Dinas Kependudukan dan Pencatatan Sipil, each
with its own sop-surat-masuk.yaml), built once with its PDFs. Pages are read as built HTML; the menus
themselves are driven in Chromium by tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_pemda import DINAS, DINAS_LINE, KABUPATEN, KEC, KEC_LINE, STEMS, names, page, pemda_project, target

from conftest import BIN, ROOT, SEED, build_site, copy_sources

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds the example with its PDFs

NAMA = {KEC: "Kecamatan Bungursari", DINAS: "Dinas Kependudukan dan Pencatatan Sipil"}
"""Each institution's `nama:` in its _instansi.yaml."""
UNITS = {KEC: ["KECAMATAN BUNGURSARI", "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM", "SEKSI PELAYANAN UMUM",
               "SUBBAGIAN PERENCANAAN DAN KEUANGAN", "SUBBAGIAN UMUM DAN KEPEGAWAIAN"],
         DINAS: ["BIDANG PELAYANAN PENCATATAN SIPIL", "BIDANG PELAYANAN PENDAFTARAN PENDUDUK",
                 "SUBBAGIAN UMUM DAN KEPEGAWAIAN"]}
"""Each institution's units by name: those its SOPs name, else its last hierarchy line."""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(pemda_project(tmp_path_factory.mktemp("pemda")))


def raw(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


class Nav(HTMLParser):
    """The site's navigation as a built page shows it: (title, children) per item, the table of contents
    of the page itself left out."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self._stack: list[list] = [self.root]
        self._tags: list[str] = []
        self._skip = 0
        self._title: list | None = None
        self.feed(text[text.index('md-nav--primary'):])

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._skip:
            self._skip += tag in ("nav",)
            return
        if tag == "nav" and "md-nav--secondary" in classes:
            self._skip = 1
            return
        if tag == "li" and "md-nav__item" in classes:
            item: list = ["", []]
            self._stack[-1].append(item)
            self._stack.append(item[1])
            self._tags.append("item")
            self._title = item
        elif tag == "li":
            self._tags.append("li")
        if tag == "span" and "md-ellipsis" in classes and self._title is not None and not self._title[0]:
            self._tags.append("title")

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= tag == "nav"
            return
        if tag == "span" and self._tags and self._tags[-1] == "title":
            self._tags.pop()
            self._title = None
        if tag == "li" and self._tags:
            while self._tags and self._tags[-1] == "title":
                self._tags.pop()
            if self._tags.pop() == "item":
                self._stack.pop()

    def handle_data(self, data):
        if self._tags and self._tags[-1] == "title" and self._title is not None:
            self._title[0] += " ".join(data.split())


def titles(items: list) -> list[str]:
    return [title for title, _ in items]


# --- each institution's home ------------------------------------------------------------------------

@pytest.mark.parametrize("kode", [KEC, DINAS])
def test_each_institution_has_a_home_with_its_units_sops_and_links(site: Path, kode: str):
    url = f"instansi/{kode}"
    home = page(site, url)
    text = raw(site, url)
    assert f"<h1>{NAMA[kode]}</h1>" in text
    own_line = KEC_LINE if kode == KEC else DINAS_LINE
    assert f"{KABUPATEN} {own_line}" in home.text  # its hierarchy lines, the regency's first
    assert f"{len(STEMS[kode])} SOP berlaku, dalam {len(UNITS[kode])} unit kerja." in home.text
    # Its units, each with its count, and every one of its SOPs linked (no other institution's).
    headings = re.findall(r'<section class="sop-daftar-unit">\s*<h2 id="unit-\d+">([^<]*)</h2>', text)
    assert headings == UNITS[kode]
    for stem, nama in names(kode).items():
        assert nama in home.text
        href = next(h for h in home.links if h.rstrip("/").endswith(f"sop/{kode}/{stem}"))
        assert target(site, url, href) == site / "sop" / kode / stem / "index.html"
    other = DINAS if kode == KEC else KEC
    assert not [h for h in home.links if f"/{other}/" in h]
    # Daftar SOP filtered to it, and its own binder (printed in this build).
    assert f"../../daftar-sop/?instansi={kode}" in home.links
    binder = next(h for h in home.links if h.endswith("buku-sop.pdf"))
    assert binder == f"../../pdf/{kode}/buku-sop.pdf"
    assert target(site, url, binder).read_bytes().startswith(b"%PDF")


def test_an_institution_home_searches_its_own_sops_by_the_words_of_their_steps_and_boxes(site: Path):
    """The home's search box (sop.js) matches the words each row carries: those of the SOP's boxes and steps
    and their roots. 'srikandi' is only in the dinas's sop-surat-masuk (Peralatan/Perlengkapan)."""
    text = raw(site, f"instansi/{DINAS}")
    rows = {href: words for words, href in re.findall(
        r'<tr data-saring="([^"]*)" data-status="[^"]*"><td>[^<]*</td><td><a href="([^"]+)"', text)}
    assert len(rows) == len(STEMS[DINAS])
    matching = [href for href, words in rows.items() if all(w in words for w in ("srikandi", "surat"))]
    assert matching == [f"../../sop/{DINAS}/sop-surat-masuk/"]
    assert not any("srikandi" in w for w in re.findall(r'data-saring="([^"]*)"', raw(site, f"instansi/{KEC}")))


# --- SOP pages ------------------------------------------------------------------------------------

def test_the_same_file_name_in_two_institutions_gives_two_pages_each_naming_its_institution(site: Path):
    seen = {}
    for kode in (KEC, DINAS):
        url = f"sop/{kode}/sop-surat-masuk"
        html = page(site, url)
        seen[kode] = names(kode)["sop-surat-masuk"]
        assert f"<h1>{seen[kode]}</h1>" in raw(site, url)
        # Its institution, linked to the institution's home, before its unit.
        assert f"{NAMA[kode]} › SUBBAGIAN UMUM DAN KEPEGAWAIAN" in html.text
        home = next(h for h in html.links if h.rstrip("/").endswith(f"instansi/{kode}"))
        assert target(site, url, home) == site / "instansi" / kode / "index.html"
    assert seen[KEC] != seen[DINAS]


def test_keterkaitan_across_institutions_links_to_the_other_institutions_page_and_names_it(site: Path):
    url = f"sop/{DINAS}/sop-penerbitan-kartu-keluarga"
    html = page(site, url)
    text = raw(site, url)
    box = text[text.index('id="keterkaitan"'):text.index('id="peralatan-perlengkapan"')]
    links = re.findall(r'<a class="sop-tautan" href="([^"]+)">([^<]*)</a>( <small[^>]*>[^<]*</small>)?', box)
    got = {str(target(site, url, href).relative_to(site)): (nama, note) for href, nama, note in links}
    assert got == {
        f"sop/{KEC}/sop-surat-keterangan-domisili/index.html": (
            names(KEC)["sop-surat-keterangan-domisili"], ' <small class="sop-tautan-instansi">(Kecamatan Bungursari)</small>'),
        # written as a bare file name: its own institution's
        f"sop/{DINAS}/sop-penerbitan-akta-kelahiran/index.html": (names(DINAS)["sop-penerbitan-akta-kelahiran"], ""),
    }
    assert "SOP Penerbitan KTP-el" in html.text  # text only, as written
    cited = page(site, f"sop/{KEC}/sop-surat-keterangan-domisili")
    assert f"{names(DINAS)['sop-penerbitan-kartu-keluarga']} ({NAMA[DINAS]})" in cited.text


def test_search_finds_each_sop_with_its_institutions_name(site: Path):
    """mkdocs-material's search has no scopes: each SOP page carries its institution's name in its text,
    so "kependudukan surat masuk" finds the dinas's SOP by all three words and the kecamatan's by two."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = {kode: " ".join(d["text"] for d in index["docs"] if d["location"].startswith(f"sop/{kode}/sop-surat-masuk/"))
            for kode in (KEC, DINAS)}
    assert NAMA[DINAS] in text[DINAS] and NAMA[DINAS] not in text[KEC]
    assert NAMA[KEC] in text[KEC]


# --- Daftar SOP, the navigation, Monitoring dan evaluasi -----------------------------------------

def test_daftar_sop_has_an_instansi_column_and_menus_of_institutions_and_their_units(site: Path):
    text = raw(site, "daftar-sop")
    menu = text[text.index('<select id="saring-instansi"'):]
    menu = menu[:menu.index("</select>")]
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', menu) == [
        ("", "semua"), (DINAS, NAMA[DINAS]), (KEC, NAMA[KEC])]
    units = text[text.index('<select id="saring-unit"'):]
    units = units[:units.index("</select>")]
    offered = {value: json.loads(owners.replace("&#34;", '"'))
               for value, owners in re.findall(r'<option value="([^"]+)" data-instansi="([^"]*)">', units)}
    assert offered["SUBBAGIAN UMUM DAN KEPEGAWAIAN"] == [DINAS, KEC]  # one option, both institutions
    assert {u for u, owners in offered.items() if DINAS in owners} == set(UNITS[DINAS])
    assert {u for u, owners in offered.items() if KEC in owners} == set(UNITS[KEC])
    # Each row's Instansi cell names the institution its page belongs to.
    rows = re.findall(r'<a href="\.\./sop/([^/]+)/([^/]+)/">[^<]*</a></td><td data-instansi="([^"]*)">([^<]*)</td>', text)
    assert sorted((kode, stem) for kode, stem, _, _ in rows) == sorted(
        (kode, stem) for kode in STEMS for stem in STEMS[kode])
    assert all(kode == cell and nama == NAMA[kode] for kode, _, cell, nama in rows)
    assert "<th>Instansi</th>" in text


def test_navigation_by_institution_then_unit(site: Path):
    nav = Nav(raw(site, f"instansi/{DINAS}")).root
    top = titles(nav)
    # (the example's docs/ holds only its home; nothing is withdrawn: no archive)
    assert top == ["Beranda", "Daftar SOP", "Monitoring dan evaluasi", "Perubahan terbaru", NAMA[DINAS], NAMA[KEC]]
    dinas = dict(nav)[NAMA[DINAS]]
    assert titles(dinas) == [NAMA[DINAS], *UNITS[DINAS]]  # its home first, then its units
    # An SOP's page opens its unit (the theme shows only the open section's links: navigation.prune).
    opened = dict(dict(Nav(raw(site, f"sop/{DINAS}/sop-surat-masuk")).root)[NAMA[DINAS]])
    assert titles(opened["SUBBAGIAN UMUM DAN KEPEGAWAIAN"]) == [names(DINAS)["sop-surat-masuk"]]


def test_monitoring_page_groups_units_under_their_institution(site: Path):
    text = raw(site, "monitoring-dan-evaluasi")
    parts = re.split(r'<h2 class="sop-monev-instansi" id="[^"]*">([^<]*)</h2>', text)[1:]
    by_name = dict(zip(parts[::2], parts[1::2]))
    assert list(by_name) == [NAMA[DINAS], NAMA[KEC]]
    for kode in (DINAS, KEC):
        sections = re.findall(r'<section class="sop-monev-unit">\s*<h3 id="[^"]*">([^<]*)</h3>(.*?)</section>',
                              by_name[NAMA[kode]], re.S)
        assert [unit for unit, _ in sections] == UNITS[kode]  # one level below, by name
        for unit, body in sections:  # each unit's table: its own institution's SOPs only
            assert set(re.findall(r'<tr data-sop="([^"]+)/[^"/]+"', body)) == {kode}, unit
    # The chart names each unit with its institution (two institutions may have units of one name).
    chart = text[text.index('<figure class="sop-grafik-monev">'):text.index("</figure>")]
    assert "SEKSI PELAYANAN UMUM (Kecamatan Bungursari)" in chart


def test_an_institution_without_sops_yet_has_its_home_and_a_place_in_the_navigation(tmp_path: Path):
    project = pemda_project(tmp_path)
    (project / "sop_data" / "dinas-kesehatan").mkdir()
    (project / "sop_data" / "dinas-kesehatan" / "_instansi.yaml").write_text(
        "nama: Dinas Kesehatan\nhierarki:\n  - DINAS KESEHATAN\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "data_dir: sop_data", "data_dir: sop_data\n      pdf: false"), encoding="utf-8")
    site = build_site(project)
    home = page(site, "instansi/dinas-kesehatan")
    assert "Instansi ini belum mempunyai SOP." in home.text
    assert "<h1>Dinas Kesehatan</h1>" in raw(site, "instansi/dinas-kesehatan")
    nav = titles(Nav(raw(site, "daftar-sop")).root)
    assert nav[4:] == [NAMA[DINAS], NAMA[KEC], "Dinas Kesehatan"]
    assert "Dinas Kesehatan" in raw(site, "daftar-sop").split('id="saring-instansi"')[1].split("</select>")[0]


def test_each_institution_shows_its_own_logo_or_the_one_it_inherits(tmp_path: Path):
    """The dinas's own logo on its home and on its SOPs' pages (their identity table and printed sheets); the
    kecamatan, which names none, shows the regency's."""
    from test_binders import png

    project = pemda_project(tmp_path)
    data = project / "sop_data"
    logos = {KEC: png(10), DINAS: png(12)}  # the kecamatan inherits the regency's
    (data / "logo-kabupaten.png").write_bytes(logos[KEC])
    (data / DINAS / "logo-dinas.png").write_bytes(logos[DINAS])
    for settings, name in ((data / "_instansi.yaml", "logo-kabupaten.png"),
                           (data / DINAS / "_instansi.yaml", "logo-dinas.png")):
        settings.write_text(settings.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    site = build_site(project)
    for kode in (KEC, DINAS):
        for url in (f"instansi/{kode}", f"sop/{kode}/sop-surat-masuk"):
            sources = set(re.findall(r'<img class="sop-logo" src="([^"]+)"', raw(site, url)))
            assert len(sources) == 1, (url, sources)
            assert target(site, url, sources.pop()).read_bytes() == logos[kode], url
        sheets = raw(site, f"sop/{kode}/sop-surat-masuk")
        sheets = sheets[sheets.index('class="sop-lembar sop-cetak"'):]
        printed = set(re.findall(r'<img[^>]* src="([^"]+\.png)"', sheets))
        assert printed, kode
        for src in printed:
            assert target(site, f"sop/{kode}/sop-surat-masuk", src).read_bytes() == logos[kode], src


# --- under mkdocs serve: a file with errors, in place of its page --------------------------------

def test_a_broken_file_of_an_institution_shows_its_errors_where_its_page_will_be(tmp_path: Path):
    """`mkdocs serve` goes on past a file with errors: its messages are shown at the address its page will
    have, inside its institution (sop/<kode>/<file>/), and Daftar SOP links there; each YAML download lies
    beside its own page under its own file name."""
    from mkdocs.utils import get_relative_url

    from sopcode.publish import Settings, SiteSettings, publish

    data = pemda_project(tmp_path)
    broken = data / "sop_data" / DINAS / "sop-rusak.yaml"
    broken.write_text("nama: [\n", encoding="utf-8")

    def url(path: str) -> str:
        return path[:-3] + "/" if path.endswith(".md") else path

    site = SiteSettings(url=url, relative=get_relative_url, root=str(data))
    with publish(str(data / "sop_data"), Settings(keep_going=True, pdf=False, site=site)) as pub:
        by_path = {o.path: o for o in pub.outputs}
        error = by_path[f"sop/{DINAS}/sop-rusak.md"].page
        assert error is not None and error.title == "Galat pada berkas SOP"
        assert f"{DINAS}/sop-rusak.yaml:2:1: galat:" in error.html
        listing = by_path["daftar-sop.md"].page
        assert f'href="../sop/{DINAS}/sop-rusak/"' in listing.html
        for kode in (KEC, DINAS):
            own = by_path[f"sop/{kode}/sop-surat-masuk/sop-surat-masuk.yaml"].content
            assert own == (data / "sop_data" / kode / "sop-surat-masuk.yaml").read_bytes()
            assert f"instansi/{kode}.md" in pub.generated_pages


def pub_site(data: Path):
    """The site settings `mkdocs serve` gives the publication, with MkDocs' own relative links."""
    from mkdocs.utils import get_relative_url

    from sopcode.publish import SiteSettings

    def url(path: str) -> str:
        return path[:-3] + "/" if path.endswith(".md") else path

    return SiteSettings(url=url, relative=get_relative_url, root=str(data), preview=True)


def _serve_publication(data: Path):
    """The publication `mkdocs serve` makes of a project (errors shown in place, no PDFs)."""
    from sopcode.publish import Settings, publish

    return publish(str(data / "sop_data"), Settings(keep_going=True, pdf=False, site=pub_site(data)))


def test_a_broken_institution_settings_file_shows_its_errors_on_its_home_and_sop_pages(tmp_path: Path):
    """A dinas's _instansi.yaml with an error: under `mkdocs serve` its home and each of its SOPs' addresses
    show that file's message (file and line), none of its SOPs is published with the regency's header in
    its place, no page appears at sop/<kode>/_instansi/, and the other institution is untouched."""
    data = pemda_project(tmp_path)
    settings = data / "sop_data" / DINAS / "_instansi.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("kertas: A4", "kertas: B5"), encoding="utf-8")
    line = settings.read_text(encoding="utf-8").splitlines().index("kertas: B5") + 1
    with _serve_publication(data) as pub:
        by_path = {o.path: o for o in pub.outputs}
        assert not [p for p in by_path if "_instansi" in p]
        assert not [s for s in pub.sops if s.instansi.kode == DINAS]
        where = f"{DINAS}/_instansi.yaml:{line}:"
        for src in [f"instansi/{DINAS}.md", *(f"sop/{DINAS}/{stem}.md" for stem in STEMS[DINAS])]:
            shown = by_path[src].page
            assert shown is not None and shown.title == "Galat pada pengaturan instansi", src
            assert where in shown.html and "galat:" in shown.html and "B5" in shown.html, src
            assert DINAS_LINE not in shown.html, src  # no header at all, neither its own nor the regency's
        listing = by_path["daftar-sop.md"].page
        assert f'href="../sop/{DINAS}/sop-surat-masuk/"' in listing.html  # Daftar SOP leads to the errors
        kec = by_path[f"sop/{KEC}/sop-surat-masuk.md"].page
        assert kec is not None and KEC_LINE in kec.html and "Galat" not in kec.title


def test_saving_an_sop_while_its_institution_settings_are_broken_serves_their_errors(tmp_path: Path):
    """`mkdocs serve`'s fast path: an SOP of the dinas saved after its _instansi.yaml broke gets that file's
    errors at its address, not a page with the header of before."""
    from sopcode import preview

    data = pemda_project(tmp_path)
    with _serve_publication(data) as pub:
        old = next(s for s in pub.sops if s.id == f"{DINAS}/sop-surat-masuk")
        settings = data / "sop_data" / DINAS / "_instansi.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("kertas: A4", "kertas: B5"),
                            encoding="utf-8")
        sop_file = Path(old.path)
        sop_file.write_text(sop_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        made = preview.refresh(pub, pub_site(data), old, None)
    assert made is not None and made.src == f"sop/{DINAS}/sop-surat-masuk.md"
    assert f"{DINAS}/_instansi.yaml:" in made.content and "B5" in made.content
    assert DINAS_LINE not in made.content and made.errors


def test_a_records_file_with_errors_shows_them_on_the_monev_page_not_as_an_sop_page(tmp_path: Path):
    """Under `mkdocs serve`, a broken _monev/ file of the kecamatan: its message (file and line) heads the page
    Monitoring dan evaluasi, and no SOP page is made of its name (sop/<kode>/2026-1/)."""
    data = pemda_project(tmp_path)
    record = data / "sop_data" / KEC / "_monev" / "2026-1.yaml"
    record.write_text("periode: [\n", encoding="utf-8")
    with _serve_publication(data) as pub:
        by_path = {o.path: o for o in pub.outputs}
    assert f"sop/{KEC}/2026-1.md" not in by_path
    monev = by_path["monitoring-dan-evaluasi.md"].page.html
    assert f"{KEC}/_monev/2026-1.yaml:2:1: galat:" in monev
    assert monev.index("galat:") < monev.index("Monitoring Pelaksanaan SOP AP dilakukan")


def test_mkdocs_build_stops_at_a_broken_settings_file_naming_it_and_its_kind(tmp_path: Path):
    """`mkdocs build` stops at the same error, with its file and line, and its summary calls the file what
    it is (not "berkas SOP")."""
    data = pemda_project(tmp_path)
    settings = data / "sop_data" / DINAS / "_instansi.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("kertas: A4", "kertas: B5"), encoding="utf-8")
    line = settings.read_text(encoding="utf-8").splitlines().index("kertas: B5") + 1
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=data, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOPCODE_CACHE_DIR": ""})
    assert done.returncode != 0
    assert f"sop_data/{DINAS}/_instansi.yaml:{line}:" in done.stderr
    assert "galat pada 1 berkas pengaturan instansi (_instansi.yaml); perbaiki lalu bangun ulang" in done.stderr
    assert "berkas SOP;" not in done.stderr
    assert not (data / "site" / "sop").exists()


def test_the_build_summary_counts_records_files_apart_from_sop_files(tmp_path: Path):
    """An error in a monitoring record and one in an SOP file: the summary names one of each."""
    data = pemda_project(tmp_path)
    record = sorted((data / "sop_data" / KEC / "_monev").glob("*.yaml"))[0]
    record.write_text("periode: [\n", encoding="utf-8")
    (data / "sop_data" / DINAS / "sop-rusak.yaml").write_text("nama: [\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=data, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOPCODE_CACHE_DIR": ""})
    assert done.returncode != 0
    assert "galat pada 1 berkas SOP dan 1 berkas catatan monitoring (_monev/); perbaiki" in done.stderr


# --- Monitoring dan evaluasi: each institution's recap ---------------------------------------------

def test_each_institution_has_its_own_monitoring_recap_beside_its_forms(tmp_path: Path):
    """Beside the recap of every SOP, each institution gets its own Excel recap per period at
    monev/<kode>/, headed by its own hierarchy and listing only its SOPs, and the Monev page links to it
    by the institution's name."""
    import io

    from openpyxl import load_workbook

    data = pemda_project(tmp_path)
    with _serve_publication(data) as pub:
        by_path = {o.path: o for o in pub.outputs}
    recaps = sorted(p for p in by_path if p.endswith(".xlsx"))
    periods = sorted({p.rsplit("rekap-monitoring-", 1)[1] for p in recaps})
    assert periods and recaps == sorted(
        f"monev/{where}rekap-monitoring-{p}" for p in periods for where in ("", f"{KEC}/", f"{DINAS}/"))

    def rows(path: str) -> tuple[list[str], set[str]]:
        book = load_workbook(io.BytesIO(by_path[path].content))
        heads = {str(sheet.cell(2, 1).value) for sheet in book.worksheets}
        listed = [str(r[1]) for sheet in book.worksheets for r in sheet.iter_rows(min_row=7, values_only=True)]
        return listed, heads

    period = periods[-1]
    for kode, line in ((KEC, KEC_LINE), (DINAS, DINAS_LINE)):
        listed, heads = rows(f"monev/{kode}/rekap-monitoring-{period}")
        named = {re.sub(r" \([^()]*\)$", "", r) for r in listed}  # "<nama> (<nomor>)"
        assert listed and named <= set(names(kode).values()), (kode, listed)
        assert heads == {f"{KABUPATEN} {line}"}
    everyone, heads = rows(f"monev/rekap-monitoring-{period}")
    assert len(everyone) == sum(len(rows(f"monev/{k}/rekap-monitoring-{period}")[0]) for k in (KEC, DINAS))
    assert heads == {KABUPATEN}
    monev = by_path["monitoring-dan-evaluasi.md"].page.html
    for kode in (KEC, DINAS):
        assert re.search(rf'href="(\.\./)?monev/{kode}/rekap-monitoring-{re.escape(period)}"[^>]*>Rekap monitoring '
                         rf'[^<]*\({re.escape(NAMA[kode])}\) \(Excel\)<', monev), kode
    assert "(semua instansi) (Excel)" in monev


# --- one institution: as before -------------------------------------------------------------------

def test_a_single_institution_site_has_no_institution_ui_and_the_same_pages(tmp_path: Path):
    project = copy_sources(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "data_dir: sop_data", "data_dir: sop_data\n      pdf: false"), encoding="utf-8")
    site = build_site(project)
    pages = {str(p.parent.relative_to(site)) for p in site.rglob("index.html")}
    docs = {str(p.relative_to(ROOT / "docs").with_suffix("")).removesuffix("index").rstrip("/") or "."
            for p in (ROOT / "docs").rglob("*.md")}
    stems = {p.stem for p in SEED.parent.glob("*.yaml") if not p.name.startswith("_")}
    assert pages == docs | {"daftar-sop", "perubahan-terbaru", "monitoring-dan-evaluasi"} | {
        f"sop/{s}" for s in stems}
    generated = [site / p / "index.html" for p in pages - docs]
    for path in generated:
        text = path.read_text(encoding="utf-8")
        for mark in ("saring-instansi", "sop-instansi-tautan", "data-instansi", "sop-tautan-instansi"):
            assert mark not in text, (path, mark)
        assert not re.search(r'href="(\.\./)*instansi/', text), path  # no institution's home linked
    nav = titles(Nav(raw(site, "daftar-sop")).root)
    assert nav[:4] == ["Beranda", "Daftar SOP", "Monitoring dan evaluasi", "Perubahan terbaru"]
    assert "SEKSI PELAYANAN UMUM" in nav  # units at the top level, as always
