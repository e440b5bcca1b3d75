"""The search words of an SOP page and how they join the search index (sopcode.site.search), without a build.

The browser's side (the index searched in Chromium by material's worker) is tests/test_search_quality.py.
"""

from __future__ import annotations

import re

from conftest import ROOT
from sopcode.model.load import load_sop
from sopcode.site.pages import searchable_text
from sopcode.site.search import FIELDS, LIST_BOOST, extend_index, paragraphs, search_words, spaced

DOMISILI = ROOT / "sop_data" / "sop-surat-keterangan-domisili.yaml"


def _domisili():
    sop, diagnostics = load_sop(str(DOMISILI))
    assert sop is not None, diagnostics
    return sop


def test_an_sops_number_nip_and_alias_are_found_whole_in_parts_and_run_together():
    words = search_words(_domisili(), searchable_text(_domisili()))
    kode = words["kode"].split()
    assert {"470", "012", "kec", "bgs", "2019", "470012kecbgs2019"} <= set(kode)  # 470/012/Kec.Bgs/2019
    assert {"19640104", "199101", "004", "196401041991011004"} <= set(kode)  # 19640104 199101 1 004
    assert "skd" in kode
    assert "mohon" in words["kata"].split()  # permohonan
    assert {"nomor", "antrean", "permohonan"} <= set(words["isi"].split())  # its own words, on its page's entry


def test_without_roots_the_codes_and_the_sops_own_words_are_added():
    assert set(search_words(_domisili(), searchable_text(_domisili()), roots=False)) == {"kode", "isi"}


def test_the_index_gains_the_fields_on_the_pages_own_entry_once():
    index = {"config": {"separator": r"[\s\-]+", "fields": {"title": {"boost": 1000.0}}},
             "docs": [{"location": "sop/a/", "title": "A", "text": "x"},
                      {"location": "sop/a/#prosedur", "title": "Prosedur", "text": "y"}]}
    words = {"sop/a/": {"kata": "ukur", "kode": "470012"}}
    once = extend_index(index, words)
    assert once["docs"][0]["kata"] == "ukur" and "kata" not in once["docs"][1]
    assert set(FIELDS) <= set(once["config"]["fields"])
    separator = once["config"]["separator"]
    twice = extend_index(once, words)
    assert twice["config"]["separator"] == separator and twice["docs"] == once["docs"]


def test_cells_and_line_breaks_are_followed_by_a_line_break():
    html = "<tr><th>No</th><th>Kegiatan</th></tr><td>CAMAT<br>M. SARIPUL<br>\nNIP. 1</td>"
    assert spaced(html) == "<tr><th>No</th>\n<th>Kegiatan</th>\n</tr><td>CAMAT<br>\nM. SARIPUL<br>\nNIP. 1</td>\n"


def test_each_block_a_snippet_may_show_is_a_paragraph():
    """material's worker shows the blocks of a section that match one after the other: a table's text and
    its <code> cells were blocks that ran into each other ("hierarkimemperingatkannya")."""
    text = "<p>Intro.</p> Kunci Cara gabung <code>hierarki</code> Baris-baris <code>logo</code> memperingatkannya"
    assert paragraphs(text) == ("<p>Intro.</p><p>Kunci Cara gabung <code>hierarki</code></p>"
                                "<p>Baris-baris <code>logo</code></p><p>memperingatkannya</p>")
    assert paragraphs("No Kegiatan <ul><li>a</li></ul> 1 hari") == "<p>No Kegiatan</p><ul><li>a</li></ul><p>1 hari</p>"
    kept = "<p>a</p> <ul> <li>b <code>c</code></li> </ul> <pre><code>d</code></pre>"
    assert paragraphs(kept) == kept and paragraphs(paragraphs(text)) == paragraphs(text)


def test_a_character_reference_is_cut_whole():
    """"&lt;kode&gt;" is the word "kode": cut at its ";" alone, the highlighter broke the reference."""
    separator = extend_index({"docs": []}, {})["config"]["separator"]
    words = [w for w in re.split(separator, "pdf/&lt;kode&gt;/buku-sop.pdf AT&amp;T") if w]
    assert words == ["pdf", "kode", "buku", "sop", "pdf", "AT", "T"]


def test_the_lists_unit_sections_come_after_the_sops():
    index = {"docs": [{"location": "daftar-sop/", "title": "Daftar SOP", "text": "x"},
                      {"location": "daftar-sop/#unit-1", "title": "SEKSI PELAYANAN UMUM", "text": "y"},
                      {"location": "monitoring-dan-evaluasi/#unit-2", "title": "SEKSI PELAYANAN UMUM", "text": "z"},
                      {"location": "panduan/menulis-sop/#langkah", "title": "Langkah", "text": "w"}]}
    boosts = [doc.get("boost") for doc in extend_index(index, {})["docs"]]
    assert boosts == [None, LIST_BOOST, LIST_BOOST, None]
