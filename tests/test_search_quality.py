"""Search quality: what readers type into the site's search, and the page each query must find first.

The seed site is built once (the repository's own SOPs and guides), served over HTTP under a sub-path,
as an office publishes it (its missing addresses answered with the site's 404 page, as nginx's
``error_page`` and Apache's ``ErrorDocument`` do), and searched in headless Chromium through
mkdocs-material's own search box and worker, on the index the build wrote (with the words
:mod:`sopcode.site.search` adds). Every query is a sentence of the contract: SOP names and parts of
words, Indonesian roots, a NIP and an SOP number with or without their spaces, dots and slashes, an
alias, actors, a unit's name, and words only guides use. The snippets readers see never show the hidden
search words and never run two words together, on any page. The site's 404 page works under the
sub-path without ``site_url``.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser import SUB_PATH, QuietHandler, start_chromium

from conftest import build_site, copy_sources
from sopcode.sheets.chromium import Chromium, PrintError, Tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KINERJA = "sop/sop-pengukuran-kinerja-bungursari/"
DOMISILI = "sop/sop-surat-keterangan-domisili/"
LAPORAN = "sop/sop-laporan-penyelenggaraan-pemerintahan-kecamatan/"
KERAMAIAN = "sop/sop-rekomendasi-izin-keramaian/"
CAMAT_BUNGURSARI = (DOMISILI, KINERJA, KERAMAIAN)
"""The SOPs the same camat approved: his NIP finds any of them first, never a guide quoting it."""
ALL_SOPS = (DOMISILI, KINERJA, KERAMAIAN, LAPORAN)

QUERIES: list[tuple[str, str | tuple[str, ...]]] = [
    # Names, whole and in part, and parts of words (search matches the start of words).
    ("Pelayanan Surat Keterangan Domisili", DOMISILI),
    ("surat keterangan domisili", DOMISILI),
    ("domisili", DOMISILI),
    ("domis", DOMISILI),
    ("izin keramaian", KERAMAIAN),
    ("keramaian", KERAMAIAN),
    ("rekomendasi", KERAMAIAN),
    ("laporan penyelenggaraan pemerintahan", LAPORAN),
    ("penyelenggaraan", LAPORAN),
    ("perencanaan kinerja", KINERJA),
    ("pengukuran kinerja", KINERJA),
    ("kinerja", KINERJA),
    # Roots of Indonesian words: "ukur" for pengukuran, "tinjau" for meninjau and peninjauan.
    ("ukur", KINERJA),
    ("tinjau", KERAMAIAN),
    ("verifikasi", LAPORAN),
    # A NIP with its spaces, without them, with dots; the approver's name inside M.SARIPUL.HAROM.
    ("19640104 199101 1 004", CAMAT_BUNGURSARI),
    ("196401041991011004", CAMAT_BUNGURSARI),
    ("19700612 199503 1 005", LAPORAN),
    ("197006121995031005", LAPORAN),
    ("19700612.199503.1.005", LAPORAN),
    ("saripul", CAMAT_BUNGURSARI),
    # An SOP's number as written, with spaces for its slashes and dots, run together, in part.
    ("470/012/Kec.Bgs/2019", DOMISILI),
    ("470 012 Kec Bgs 2019", DOMISILI),
    ("470012", DOMISILI),
    ("470/012", DOMISILI),
    ("300/027/Kec.Bgs/2020", KERAMAIAN),
    ("300027", KERAMAIAN),
    ("050/004/Kec.Bgs/2021", LAPORAN),
    # An SOP's alias (its short name).
    ("SKD", DOMISILI),
    ("skd", DOMISILI),
    # Actors and words of steps.
    ("Kasubbag", LAPORAN),
    ("Trantibum", KERAMAIAN),
    ("Pengolah Data", LAPORAN),
    ("Camat", ALL_SOPS),
    ("Sakip", KINERJA),
    ("Polsek", KERAMAIAN),
    ("penanggung jawab acara", KERAMAIAN),
    # Words of SOPs that guides use too (in headings, "Nomor SOP"): the SOP holding them comes first.
    ("nomor antrean", DOMISILI),
    ("buku ekspedisi", (DOMISILI, KERAMAIAN)),
    # Words only guides use still find the guides.
    ("crontab", "panduan/publikasi/"),
    ("benchmark", "untuk-pengembang/kinerja/"),
    ("banyak instansi", "panduan/banyak-instansi/"),
    # A unit's name finds the unit's SOPs, before the lists' sections headed with it; the list by its name.
    ("seksi ketenteraman", KERAMAIAN),
    ("seksi pelayanan umum", DOMISILI),
    ("subbagian keuangan", LAPORAN),
    ("Daftar SOP", "daftar-sop/"),
]

SNIPPET_QUERIES = ["hierarki", "menit", "kunci", "terlambat", "nomor sop", "tanggal revisi", "keadaan terakhir",
                   "berlaku", "monev", "kode aturan", "perubahan terbaru", "keterangan perubahan", "direvisi",
                   "mengajukan permohonan", "arahan disposisi"]
"""More queries whose snippets are read (their first result is not the point): they hit the lists' tables
(Daftar SOP, Monitoring dan evaluasi, Perubahan terbaru), the guides' tables of keys and codes, an SOP's
summary line (its dates) and its procedure table's first step."""

WAIT = 10  # seconds for the search worker to answer


class ErrorPageHandler(QuietHandler):
    """A missing address below the site answered with the site's 404.html and the status 404, as nginx's
    ``error_page 404`` and Apache's ``ErrorDocument 404`` answer it."""

    site: Path

    def send_error(self, code, message=None, explain=None):
        if code != 404 or not self.path.startswith(SUB_PATH):
            return super().send_error(code, message, explain)
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The seed site (mkdocs.yml without site_url), built in this process into <www>/intranet/sop/ and
    served from <www> on a free local port: (its address, its folder)."""
    project = copy_sources(tmp_path_factory.mktemp("cari"))
    built = build_site(project, "www" + SUB_PATH.rstrip("/"))
    handler = type("Handler", (ErrorPageHandler,), {"site": built})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(project / "www")))
    thread = threading.Thread(target=server.serve_forever, name="situs-cari", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}", built
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    with start_chromium("--window-size=1366,900") as chromium:
        yield chromium


@pytest.fixture(scope="module")
def tab(site, chromium) -> Tab:
    """One tab on the site's home, its search box open."""
    tab = chromium.new_tab()
    tab.goto(site[0])
    tab.wait_for("document.querySelector('input.md-search__input') !== null", WAIT, "kotak pencarian")
    tab.click("input.md-search__input")
    return tab


RESULTS = """[...document.querySelectorAll('.md-search-result__item')].map(li => {
  const a = li.querySelector('a'); return {href: a ? a.href : '', text: li.innerText}; })"""


def search(tab: Tab, base: str, query: str) -> list[dict]:
    """The results of ``query`` typed into the search box, as dicts of the page (its address below the
    site, without the section and the highlighted words) and the text shown, in their order."""
    tab.evaluate("(() => { const i = document.querySelector('input.md-search__input'); i.focus(); i.value = '';"
                 " i.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); })()")
    tab.wait_for(f"{RESULTS}.length === 0", WAIT, "hasil pencarian sebelumnya terhapus")
    tab.type(query)
    try:
        tab.wait_for(f"{RESULTS}.length > 0", WAIT, f"hasil pencarian '{query}'")
    except PrintError:
        return []
    results, stable = tab.evaluate(RESULTS), False
    while not stable:  # the worker answers each key typed: wait until the list no longer changes
        time.sleep(0.3)
        again = tab.evaluate(RESULTS)
        results, stable = again, again == results
    for r in results:
        r["page"] = r["href"].removeprefix(base).split("#")[0].split("?")[0]
    return results


@pytest.fixture(scope="module")
def answers(tab, site) -> dict[str, list[dict]]:
    return {query: search(tab, site[0], query) for query in [q for q, _ in QUERIES] + SNIPPET_QUERIES}


def test_there_are_at_least_thirty_queries():
    assert len(QUERIES) >= 30


def test_each_query_finds_its_page_first(answers):
    wrong = []
    for query, expected in QUERIES:
        wanted = expected if isinstance(expected, tuple) else (expected,)
        found = [r["page"] for r in answers[query]]
        if not found or found[0] not in wanted:
            wrong.append(f"'{query}': pertama {found[0] if found else 'tidak ada hasil'}, "
                         f"seharusnya {' atau '.join(wanted)} (hasil: {found[:5]})")
    assert not wrong, "pencarian tidak menemukan halaman yang benar lebih dulu:\n" + "\n".join(wrong)


def test_snippets_never_show_the_hidden_search_words(answers, site):
    """The words added for search alone (roots, numbers run together) are in the index, never on screen."""
    index = json.loads((site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    shown_anywhere = " ".join(doc["text"] for doc in index["docs"]).lower()
    hidden = {doc["location"]: (doc.get("kata", "").split(),
                                [w for w in doc.get("kode", "").split() if w not in shown_anywhere])
              for doc in index["docs"] if doc.get("kata") or doc.get("kode")}
    assert all(hidden.get(page, ([], []))[1] for page in ALL_SOPS), \
        "nomor atau NIP tanpa spasi dan garis miring tidak ada di indeks"
    shown = []
    for query, results in answers.items():
        for r in results:
            roots, codes = hidden.get(r["page"], ([], []))
            runs = [" ".join(roots[i:i + 3]) for i in range(max(len(roots) - 2, 0))]
            shown += [f"'{query}' → {r['page']}: {run!r}" for run in runs + codes if run in r["text"].lower()]
    assert not shown, "kata pencarian tersembunyi tampil di cuplikan hasil:\n" + "\n".join(shown[:20])


RUN_TOGETHER = re.compile(r"[a-z_][A-Z]|[A-Z]{3}(?:KECAMATAN|BUNGURSARI|SEKSI|CAMAT)|PURWAKARTAKEC|\w·|·\w|\d↑")
"""Two words written together: a lower-case letter before a capital ("olehCAMAT", "NoKegiatan",
"mudah_dipahamiMampu"), the identity's lines without a space ("PURWAKARTAKECAMATAN"), a date and the
summary line's dot ("16 Januari 2023· direvisi"), a step's number and its link to the chart ("1↑ bagan")."""

NAMES = re.compile(r"MkDocs|ProperDocs|PySastrawi|JavaScript|GitHub|PyPI|WeasyPrint|TypeScript|\\u[0-9A-F]{4}")
"""Names written with a capital inside them."""


SOP_PAGES = "sop/"
"""The pages checked by these patterns: each SOP's (a guide writes names such as "macOS" on purpose). Every
page's snippets are checked against the words the page shows in
:func:`test_no_snippet_runs_together_two_words_its_page_shows_apart`."""


def test_snippets_keep_words_apart(answers):
    joined = []
    for query, results in answers.items():
        for r in (r for r in results if r["page"].startswith(SOP_PAGES)):
            text = NAMES.sub(" ", r["text"])
            joined += [f"'{query}' → {r['page']}: …{text[max(m.start() - 20, 0):m.end() + 20]}…"
                       for m in RUN_TOGETHER.finditer(text)]
    assert not joined, "kata-kata menyatu di cuplikan hasil:\n" + "\n".join(joined[:30])


def test_the_links_back_to_the_chart_and_the_summary_dots_stand_apart(site, answers):
    """Each step's row links back to its symbol ("↑ bagan"): a word of navigation, not of the SOP, it is
    kept out of the index (it showed as "1↑ bagan" in every Prosedur result). The summary line's dots stand
    between spaces, in the index and on the page ("16 Januari 2023 · direvisi")."""
    index = json.loads((site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    sop_docs = [doc for doc in index["docs"] if doc["location"].startswith(SOP_PAGES)]
    assert [doc["location"] for doc in sop_docs if "↑" in doc["text"]] == []
    assert [doc["location"] for doc in sop_docs if re.search(r"\S·|·\S", doc["text"])] == []
    prosedur = [r["text"] for q in ("mengajukan permohonan", "arahan disposisi") for r in answers[q]
                if r["page"].startswith(SOP_PAGES)]
    assert prosedur and not [t for t in prosedur if "↑" in t]
    dated = [r["text"] for r in answers["direvisi"] if r["page"] == LAPORAN]
    assert dated and "16 Januari 2023 · direvisi 09 Januari 2023" in " ".join(dated)


WORD = re.compile(r"\w+")

SHOWN_TEXT = """(() => { document.querySelectorAll('article details').forEach(d => { d.open = true; });
  return document.querySelector('article').innerText; })()"""
"""The text a page shows, as the browser lays it out (cells and lines apart), every <details> open."""

UI_WORDS = {"tidak", "ada", "lagi", "di", "halaman", "ini"}
"""Words of material's result list itself ("Tidak ada: …", "3 lagi di halaman ini")."""


@pytest.fixture(scope="module")
def shown_words(chromium, site) -> dict[str, set[str]]:
    """The words each page of the index shows, lower case, by page address."""
    index = json.loads((site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    tab = chromium.new_tab()
    words = {}
    for page in sorted({doc["location"].split("#")[0] for doc in index["docs"]}):
        tab.goto(site[0] + page)
        words[page] = set(WORD.findall(tab.evaluate(SHOWN_TEXT).lower()))
    tab.close()
    return words


def run_together(word: str, shown: set[str]) -> bool:
    """Whether ``word`` is two or more of the words ``shown`` written without a space between them (a number
    alone is not judged: "2019" is also "20" and "19")."""
    return not word.isdigit() and any(word[:i] in shown and (word[i:] in shown or run_together(word[i:], shown))
                                      for i in range(2, len(word) - 1))


def test_the_index_keeps_apart_the_words_each_page_shows_apart(site, shown_words):
    """The search plugin keeps an entry's text without its markup: two cells, or a line and the next,
    must not become one word there (the lists' tables: "Nomor SOPNama SOP…", "KeadaanTerakhirBatas")."""
    index = json.loads((site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {"daftar-sop/", "monitoring-dan-evaluasi/"} <= set(shown_words)
    joined = []
    for doc in index["docs"]:
        shown = shown_words[doc["location"].split("#")[0]]
        text = html.unescape(re.sub(r"<[^>]+>", " ", doc["text"])).lower()
        joined += [f"{doc['location']}: {word}" for word in sorted(set(WORD.findall(text)) - shown)
                   if run_together(word, shown)]
    assert not joined, "kata-kata menyatu di teks indeks pencarian:\n" + "\n".join(joined[:30])


def test_no_snippet_runs_together_two_words_its_page_shows_apart(answers, shown_words):
    """What a result shows, on every page, guides too: material shows the blocks of a section that hold a
    match one after the other ("hierarki" in a table of keys gave "hierarkimemperingatkannya")."""
    joined = []
    for query, results in answers.items():
        for r in results:
            shown = shown_words[r["page"]] | UI_WORDS | set(WORD.findall(query.lower()))  # "Tidak ada: <word>"
            joined += [f"'{query}' → {r['page']}: {word}" for word in sorted(set(WORD.findall(r["text"].lower())) - shown)
                       if run_together(word, shown)]
    assert not joined, "kata-kata menyatu di cuplikan hasil:\n" + "\n".join(joined[:30])


def test_snippets_show_escaped_text_as_written(answers):
    """A word between < and > in a guide ("pdf/<kode>/buku-sop.pdf") reads as written when highlighted."""
    shown = [f"'{q}' → {r['page']}" for q, results in answers.items() for r in results
             if re.search(r"&(?:lt|gt|amp);|>;", r["text"])]
    assert not shown, "rujukan karakter rusak di cuplikan hasil:\n" + "\n".join(shown[:20])


PAGE_STYLE = """({
  header: getComputedStyle(document.querySelector('.md-header')).position,
  sheets: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => [l.href, l.sheet ? l.sheet.cssRules.length : 0]),
  home: [...document.querySelectorAll('article a')].map(a => [a.innerText, a.href]),
})"""


def test_a_missing_page_below_the_sub_path_shows_the_styled_404_page_with_a_way_home(chromium, site):
    """mkdocs.yml has no site_url: the page's addresses are the site's, wherever it is published."""
    base = site[0]
    tab = chromium.new_tab()
    missing = base + "sop/sop-yang-tidak-ada/lampiran/"
    with tab.request_log() as log:
        tab.goto(missing)
        tab.wait_for("document.querySelector('article h1')?.innerText === 'Halaman tidak ditemukan'", WAIT,
                     "judul halaman 404")
        page = tab.evaluate(PAGE_STYLE)
        assert page["header"] == "sticky", "gaya tema tidak terpasang di halaman 404"
        assert "sop.css" in {urlsplit(href).path.rsplit("/", 1)[-1] for href, _ in page["sheets"]}
        assert all(rules > 0 for _, rules in page["sheets"]), f"lembar gaya tidak termuat: {page['sheets']}"
        assert page["home"][:2] == [["Beranda", base], ["Daftar SOP", base + "daftar-sop/"]]
        # Beranda leads home.
        tab.click("article a")
        tab.wait_for(f"location.href === {json.dumps(base)} && document.querySelector('article h1') !== null", WAIT,
                     "beranda")
        # The search box of the 404 page searches the site.
        tab.goto(missing)
        tab.click("input.md-search__input")
        tab.type("domisili")
        first = tab.wait_for("document.querySelector('.md-search-result__item a')?.href", WAIT, "hasil pencarian")
        assert first.startswith(base + DOMISILI)
        requested = [url for url in log.urls() if not url.startswith("data:")]
    tab.close()
    outside = [url for url in requested if not url.startswith(base)]
    assert not outside, f"halaman 404 meminta alamat di luar situs: {outside}"
