"""A real `mkdocs build` (and `mkdocs serve`) of the project: what a reader of the site sees.

Pages are read as built HTML and parsed; nothing here looks at the plugin's
own data structures.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, SEED, build_site, copy_sources, tree_hash
from sopcode.model.load import load_folder

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds the seed site with its PDFs

SEED_ID = SEED.stem
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", *args], cwd=project, capture_output=True, text=True,
                          timeout=300, env=ENV)


class Html(HTMLParser):
    """The parts of a built page the tests look at: links, sources, text, elements by class."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.sources: list[tuple[str, str]] = []
        self.classes: dict[str, int] = {}
        self.text: list[str] = []
        self.ids: set[str] = set()
        self._article = 0
        self.article_links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for cls in (a.get("class") or "").split():
            self.classes[cls] = self.classes.get(cls, 0) + 1
        if tag == "article":
            self._article += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._article:
                self.article_links.append(a["href"])
        for key in ("src", "href"):
            if tag in ("script", "img", "link", "iframe", "source") and a.get(key):
                self.sources.append((tag, a[key]))

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1

    def handle_data(self, data):
        if self._article:
            self.text.append(data)

    @property
    def article_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The project's site, built once for the module from a copy of its sources."""
    project = copy_sources(tmp_path_factory.mktemp("proyek"))
    before = tree_hash(project / "sop_data"), tree_hash(project / "docs")
    site = build_site(project)  # in this process: the command's own exit codes and messages are tested below
    assert (tree_hash(project / "sop_data"), tree_hash(project / "docs")) == before, "the build wrote into sources"
    return site


def page(site: Path, url: str) -> tuple[str, Html]:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    return text, Html(text)


def test_a_page_per_sop_at_a_stable_address(site: Path):
    sops = load_folder(str(SEED.parent)).sops
    assert len(sops) >= 4
    for sop in sops:
        text, html = page(site, f"sop/{sop.id}")
        assert '<html lang="id"' in text
        assert f"<h1>{sop.nama}</h1>" in text or str(sop.nama) in html.article_text


def test_seed_page_shows_identity_boxes_flowchart_and_procedure(site: Path):
    sop = next(s for s in load_folder(str(SEED.parent)).sops if s.id == SEED_ID)
    text, html = page(site, f"sop/{SEED_ID}")
    body = html.article_text
    # Identity, with the configured label of the effective date and the NIP grouped 8 6 1 3.
    for expected in ("PEMERINTAH KABUPATEN PURWAKARTA", "Tanggal Pengesahan", "07 Januari 2019",
                     "NIP. 19640104 199101 1 004", "M.SARIPUL.HAROM.S.Sos"):
        assert expected in body, expected
    # Its number is blank in the original: said once, not as "Nomor belum bernomor".
    assert "belum bernomor" in body and "Nomor belum bernomor" not in body
    # The six boxes, each with its heading.
    for label in ("Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan", "Peralatan/Perlengkapan",
                  "Peringatan", "Pencatatan dan Pendataan"):
        assert label in body
    assert "Peraturan Bupati Purwakarta Nomor 123 Tahun 2020" in body
    # The swimlane, inline: one symbol per step, one lane per actor, and a full-size copy.
    start = text.index("<svg", text.index('class="sop-bagan'))
    svg = ET.fromstring(text[start:text.index("</svg>", start) + len("</svg>")])
    groups = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if "langkah" in (g.get("class") or "").split()]
    assert len(groups) == len(sop.langkah) == 14
    full = site / "sop" / SEED_ID / "bagan-alir.svg"
    assert ET.parse(full).getroot().get("class") == "swimlane"
    # "Perbesar bagan": a page of its own with the drawing, which offers the file too.
    assert "bagan-alir.html" in html.article_links
    chart_page = (site / "sop" / SEED_ID / "bagan-alir.html").read_text(encoding="utf-8")
    assert f"<title>Bagan alir: {sop.nama}</title>" in chart_page and 'href="bagan-alir.svg"' in chart_page
    # The procedure table: every step's text as written (typos kept), the total time.
    assert html.classes.get("sop-prosedur") == 1
    assert all(str(step.kegiatan) in body for step in sop.langkah)
    assert "Sekretari smenyampaikan" in body and "795 menit (13 jam 15 menit)" in body
    # The YAML source for download, byte for byte.
    assert f"{SEED_ID}.yaml" in html.article_links
    assert (site / "sop" / SEED_ID / f"{SEED_ID}.yaml").read_bytes() == SEED.read_bytes()


def test_pdfs_of_every_sop_and_the_binder_are_in_the_site(site: Path):
    sops = load_folder(str(SEED.parent)).sops
    for sop in sops:
        pdf = site / "pdf" / f"{sop.id}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
        _, html = page(site, f"sop/{sop.id}")
        assert f"../../pdf/{sop.id}.pdf" in html.article_links
    assert (site / "pdf" / "buku-sop.pdf").read_bytes().startswith(b"%PDF")
    _, daftar = page(site, "daftar-sop")
    assert "../pdf/buku-sop.pdf" in daftar.article_links
    assert not [p for p in (site / "pdf").iterdir() if p.name.startswith(".tmp")]


def test_printing_a_page_from_the_browser_gives_the_sheets(site: Path):
    """Chromium prints the seed's web page: the same sheets, pages and paper as its PDF."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from sopcode.sheets.chromium import Chromium

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with Chromium() as browser:
            tab = browser.open(f"http://127.0.0.1:{server.server_address[1]}/sop/{SEED_ID}/")
            printed = tab.pdf()
    finally:
        server.shutdown()
    out = site.parent / "cetak-peramban.pdf"
    out.write_bytes(printed)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    ref = subprocess.run(["pdfinfo", str(site / "pdf" / f"{SEED_ID}.pdf")], capture_output=True, text=True,
                         check=True).stdout
    field = lambda text, name: re.search(rf"^{name}:\s*(.+)$", text, re.M).group(1)
    assert field(info, "Pages") == field(ref, "Pages") == "2"
    assert field(info, "Page size") == field(ref, "Page size")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Halaman 1 dari 2" in text and "Halaman 2 dari 2" in text
    assert "Bagan alir" not in text and "Cari" not in text  # the web layout is not printed


def test_related_sops_link_both_ways(site: Path):
    _, laporan = page(site, "sop/sop-laporan-penyelenggaraan-pemerintahan-kecamatan")
    link = next(h for h in laporan.article_links if SEED_ID in h)
    target = (site / "sop" / "sop-laporan-penyelenggaraan-pemerintahan-kecamatan" / link / "index.html").resolve()
    assert target == (site / "sop" / SEED_ID / "index.html").resolve()
    _, seed = page(site, f"sop/{SEED_ID}")
    assert "Dipakai oleh" in seed.article_text
    assert any("sop-laporan-penyelenggaraan-pemerintahan-kecamatan" in h for h in seed.article_links)


def test_list_of_sops_grouped_by_unit_with_a_filter(site: Path):
    sops = load_folder(str(SEED.parent)).sops
    _text, html = page(site, "daftar-sop")
    for sop in sops:
        assert f"../sop/{sop.id}/" in html.article_links
        assert str(sop.nama) in html.article_text
    units = {s.nama_unit for s in sops}
    assert len(units) >= 2 and html.classes.get("sop-daftar-unit") == len(units)
    assert "saring-sop" in html.ids
    # The navigation groups SOPs by unit too.
    _, home = page(site, "")
    nav = " ".join(home.links)
    assert all(f"sop/{s.id}/" in nav for s in sops)


def test_search_index_holds_steps_and_indonesian_roots(site: Path):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    seed_docs = [d for d in index["docs"] if d["location"].startswith(f"sop/{SEED_ID}/")]
    text = " ".join(d["title"] + " " + d["text"] for d in seed_docs)
    assert "Penandatanganan dokumen pengukuran kinerja" in text
    # The roots are searched (a field of their own on the page's entry), never shown in a snippet.
    roots = set(" ".join(d.get("kata", "") for d in seed_docs).split())
    assert {"susun", "ukur", "arsip"} <= roots  # penyusunan, pengukuran, pengarsipan
    assert not {"susun", "ukur", "arsip"} & set(re.findall(r"\w+", text.lower()))
    assert index["config"]["fields"]["kata"]["boost"] > 0


def test_site_makes_no_request_outside_its_host_and_works_under_a_sub_path(site: Path):
    for path in site.rglob("*.html"):
        html = Html(path.read_text(encoding="utf-8"))
        for tag, ref in html.sources:
            assert not re.match(r"(https?:)?//", ref), f"{path}: <{tag}> loads {ref} from another host"
            # MkDocs writes 404.html with root-relative links (it is served at any address); the
            # site's own pages must use relative ones to work under any sub-path.
            if path.name != "404.html":
                assert not ref.startswith("/"), f"{path}: {ref} works only at the server's root"
        if path.name != "404.html":
            assert not [h for h in html.links if h.startswith("/") and not h.startswith("//")], path
    for path in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", path.read_text(encoding="utf-8")), path


def test_hostile_text_is_shown_literally(tmp_path: Path):
    project = copy_sources(tmp_path)
    hostile = '<script>alert("x")</script> {{ 7*7 }} &amp; **tebal** `kode`'
    text = (project / "sop_data" / "sop-surat-keterangan-domisili.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(nama: ).*$", lambda m: m.group(1) + json.dumps(hostile), text, count=1)
    text = text.replace("kegiatan: Mengajukan", "kegiatan: " + json.dumps(hostile + " Mengajukan").replace("\\", "\\\\")[:0]
                        + "Mengajukan", 1)
    (project / "sop_data" / "sop-surat-keterangan-domisili.yaml").write_text(text, encoding="utf-8")
    result = mkdocs(project)
    assert result.returncode == 0, result.stderr
    built = (project / "site" / "sop" / "sop-surat-keterangan-domisili" / "index.html").read_text(encoding="utf-8")
    html = Html(built)
    assert hostile in html.article_text  # shown as written: not run, not evaluated, not Markdown
    assert "<script>alert" not in built and "49" not in html.article_text.split(hostile)[0][-5:]
    assert html.classes.get("sop-prosedur") == 1


def test_build_fails_on_a_broken_file_with_its_position(project: Path):
    broken = (FIXTURES / "rusak" / "target-tak-ada.yaml").read_bytes()
    (project / "sop_data" / "sop-rusak.yaml").write_bytes(broken)
    result = mkdocs(project)
    assert result.returncode != 0
    line = next(n for n, text in enumerate(broken.decode().splitlines(), 1) if "harapan" in text)
    assert f"sop-rusak.yaml:{line}:" in result.stderr and "galat" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site" / "sop" / "sop-rusak").exists()


def test_strict_build_fails_on_warnings(project: Path):
    result = mkdocs(project, "--strict")
    assert result.returncode != 0
    assert "peringatan" in result.stderr


@pytest.mark.parametrize("options, message", [
    ("data_dir: tidak_ada", "folder data SOP 'tidak_ada' tidak ada"),
    ("daftar: /daftar", "opsi `daftar` harus nama halaman berakhiran .md"),
])
def test_plugin_options_are_checked_in_indonesian(project: Path, options: str, message: str):
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("data_dir: sop_data", options)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs(project)
    assert result.returncode != 0
    assert message in result.stderr


# --- mkdocs serve: a save rebuilds; a broken save shows the error and the server lives on ---------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, predicate, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never satisfied the condition; last page:\n{last[:500]}")


def test_serve_rebuilds_on_save_and_survives_a_broken_file(project: Path):
    port = free_port()
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    before = tree_hash(project / "sop_data")
    try:
        url = f"http://127.0.0.1:{port}/sop/sop-surat-keterangan-domisili/"
        wait_for(url, lambda html: "Pelayanan Surat Keterangan Domisili" in html)
        path = project / "sop_data" / "sop-surat-keterangan-domisili.yaml"
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("Pelayanan Surat Keterangan Domisili", "Layanan Domisili Baru", 1), "utf-8")
        wait_for(url, lambda html: "Layanan Domisili Baru" in html)
        path.write_text(good.replace("pelaksana:", "pelaksana: [", 1), encoding="utf-8")  # a broken save
        broken = wait_for(url, lambda html: "belum dapat diterbitkan" in html)
        assert "sop-surat-keterangan-domisili.yaml:" in broken and "galat" in broken
        assert server.poll() is None, "the server stopped on a broken file"
        # An SOP citing the broken one stays published, in the list too, without a false "no such SOP".
        citing = fetch(f"http://127.0.0.1:{port}/sop/sop-rekomendasi-izin-keramaian/")
        assert "belum dapat diterbitkan" not in citing and "keterkaitan-tak-ada" not in citing
        assert "sop-rekomendasi-izin-keramaian" in fetch(f"http://127.0.0.1:{port}/daftar-sop/")
        path.write_text(good, encoding="utf-8")
        wait_for(url, lambda html: "Pelayanan Surat Keterangan Domisili" in html and "belum dapat" not in html)
        assert tree_hash(project / "sop_data") == before, "the server wrote into sop_data/"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output


def test_every_sop_page_keeps_its_visible_title(site: Path):
    """The printable sheets inside a page must not take the page's own <h1> away."""
    for sop in load_folder(str(SEED.parent)).sops:
        text, _ = page(site, f"sop/{sop.id}")
        article = text[text.index("<article"):text.index("</article>")]
        assert article.count("<h1") == 1 and f"<h1>{sop.nama}</h1>" in article, sop.id


def test_a_large_unit_is_split_into_ranges_of_names_in_the_navigation():
    """Every page carries its open section's links: a unit of hundreds of SOPs is split into
    ranges (guide words, as in a dictionary), each SOP still listed once, in name order."""
    import dataclasses

    from gen_sop import random_sops
    from sopcode.model.sop import Teks
    from sopcode.site.navigation import NAV_SECTION_MAX, unit_nav
    from sopcode.site.pages import html_title, sop_src

    names = [f"SOP Pelayanan {word} {n}" for n, word in enumerate(["Akta", "Izin", "Surat", "Zonasi"] * 30)]
    sops = sorted((dataclasses.replace(s, nama=Teks(name, s.loc)) for s, name in zip(random_sops(120), names)),
                  key=lambda s: str(s.nama).casefold())
    nav = unit_nav(sops)
    assert 1 < len(nav) <= -(-len(sops) // NAV_SECTION_MAX) + 1
    listed = [link for section in nav for items in section.values() for item in items for link in item.values()]
    assert listed == [sop_src(s.id) for s in sops]
    for section in nav:
        (label, items), = section.items()
        assert 0 < len(items) <= NAV_SECTION_MAX
        first, last = (next(iter(item)) for item in (items[0], items[-1]))
        start, end = label.split(" – ")
        assert first.startswith(start.rstrip("…")) and last.startswith(end.rstrip("…"))
    small = sops[:NAV_SECTION_MAX]  # a unit that fits is listed as it is
    assert unit_nav(small) == [{html_title(s.nama): sop_src(s.id)} for s in small]
