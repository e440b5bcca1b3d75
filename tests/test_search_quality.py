"""Search quality: what readers type into the site's search, and the page each query must find first.

The seed site is built once (the repository's own SOPs and guides), served over HTTP and searched in
headless Chromium through mkdocs-material's own search box and worker, on the index the build wrote
(with the words :mod:`sopcode.site.search` adds). Every query is a sentence of the contract: SOP names
and parts of words, Indonesian roots, a NIP and an SOP number with or without their spaces, dots and
slashes, an alias, actors, and words only guides use. The snippets readers see never show the hidden
search words and never run two words together.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import _serve, start_chromium

from conftest import build_site, copy_sources
from sopcode.sheets.chromium import PrintError, Tab

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
    # Words only guides use still find the guides.
    ("crontab", "panduan/publikasi/"),
    ("benchmark", "untuk-pengembang/kinerja/"),
    ("banyak instansi", "panduan/banyak-instansi/"),
]

WAIT = 10  # seconds for the search worker to answer


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The seed site, built in this process and served on a free local port: (address, folder)."""
    project = copy_sources(tmp_path_factory.mktemp("cari"))
    built = build_site(project)
    for address in _serve(built, "situs-cari", "/"):
        yield address, built


@pytest.fixture(scope="module")
def tab(site) -> Iterator[Tab]:
    """One tab on the site's home, its search box open."""
    with start_chromium("--window-size=1366,900") as chromium:
        tab = chromium.new_tab()
        tab.goto(site[0])
        tab.wait_for("document.querySelector('input.md-search__input') !== null", WAIT, "kotak pencarian")
        tab.click("input.md-search__input")
        yield tab


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
    return {query: search(tab, site[0], query) for query, _ in QUERIES}


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


RUN_TOGETHER = re.compile(r"[a-z_][A-Z]|[A-Z]{3}(?:KECAMATAN|BUNGURSARI|SEKSI|CAMAT)|PURWAKARTAKEC")
"""Two words written together: a lower-case letter before a capital ("olehCAMAT", "NoKegiatan",
"mudah_dipahamiMampu"), or the identity's lines without a space ("PURWAKARTAKECAMATAN")."""

NAMES = re.compile(r"MkDocs|ProperDocs|PySastrawi|JavaScript|GitHub|PyPI|WeasyPrint|TypeScript|\\u[0-9A-F]{4}")
"""Names written with a capital inside them."""


SOP_PAGES = "sop/"
"""The pages checked: each SOP's. (A guide's snippet may still join two words: material shows only the
parts of a section's text that match, one after the other, with nothing between them.)"""


def test_snippets_keep_words_apart(answers):
    joined = []
    for query, results in answers.items():
        for r in (r for r in results if r["page"].startswith(SOP_PAGES)):
            text = NAMES.sub(" ", r["text"])
            joined += [f"'{query}' → {r['page']}: …{text[max(m.start() - 20, 0):m.end() + 20]}…"
                       for m in RUN_TOGETHER.finditer(text)]
    assert not joined, "kata-kata menyatu di cuplikan hasil:\n" + "\n".join(joined[:30])
