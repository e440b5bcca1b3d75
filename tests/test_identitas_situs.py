"""A new institution names its site in ``_instansi.yaml``: ``nama_situs`` and ``deskripsi`` become the
site's name and description (over mkdocs.yml's), checked by `sop check` like every other key; a
project without ``docs/index.md`` gets a home page made from them."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, SEED, build_site, write
from sopcode.model.load import load_folder

HIERARKI = "hierarki:\n  - PEMERINTAH KABUPATEN PURWAKARTA\n  - DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL\n"
NAMA = "nama_situs: SOP Disdukcapil Purwakarta\n"
DESKRIPSI = "deskripsi: Standar Operasional Prosedur\n  Dinas Kependudukan dan Pencatatan Sipil\n"


def data(folder: Path, settings: str) -> Path:
    """A data folder of one SOP (the seed) with the given ``_instansi.yaml``."""
    write(folder / "_instansi.yaml", settings)
    shutil.copy(SEED, folder / SEED.name)
    return folder


def messages(folder: Path) -> list[str]:
    return [d.format() for d in load_folder(str(folder)).diagnostics if d.level.value == "galat"]


def test_the_site_name_and_description_are_read_from_the_settings(tmp_path: Path):
    loaded = load_folder(str(data(tmp_path / "sop_data", HIERARKI + NAMA + DESKRIPSI)))
    assert loaded.instansi.nama_situs == "SOP Disdukcapil Purwakarta"
    assert loaded.instansi.deskripsi == "Standar Operasional Prosedur Dinas Kependudukan dan Pencatatan Sipil"
    assert not messages(tmp_path / "sop_data")


def test_a_site_name_written_as_a_list_is_an_error_in_indonesian(tmp_path: Path):
    folder = data(tmp_path / "sop_data", HIERARKI + "nama_situs:\n  - SOP\n  - Disdukcapil\n")
    said = messages(folder)
    assert len(said) == 1 and "_instansi.yaml:5:3: galat:" in said[0]
    assert "'nama_situs' harus berupa teks, bukan daftar" in said[0] and "perbaikan: tulis sebagai satu nilai" in said[0]


def test_a_site_name_too_long_for_a_header_is_refused(tmp_path: Path):
    folder = data(tmp_path / "sop_data", HIERARKI + f"nama_situs: {'SOP ' * 40}\n")
    assert any("'nama_situs' paling banyak 120 huruf" in m for m in messages(folder))


def test_the_site_is_named_once_at_the_top_not_by_an_institution_below(tmp_path: Path):
    """One site, one name: a lower institution's ``nama_situs`` is an unknown key where it is written."""
    top = data(tmp_path / "sop_data", "hierarki:\n  - PEMERINTAH KABUPATEN PURWAKARTA\n" + NAMA)
    data(top / "dinas", "hierarki:\n  - DINAS KEPENDUDUKAN\nnama_situs: SOP Dinas\n")
    said = messages(top)
    assert len(said) == 1 and "dinas/_instansi.yaml:3:1" in said[0] and "'nama_situs' tidak dikenal" in said[0]


# --- the built site ------------------------------------------------------------------------------

CONFIG = """site_name: Nama dari mkdocs.yml
site_description: Keterangan dari mkdocs.yml
theme:
  name: material
  language: id
  font: false
plugins:
  - search
  - sop:
      pdf: false
"""


def project(tmp_path: Path, settings: str, home: str | None = None) -> Path:
    data(tmp_path / "sop_data", settings)
    write(tmp_path / "mkdocs.yml", CONFIG)
    (tmp_path / "docs").mkdir()
    if home is not None:
        write(tmp_path / "docs" / "index.md", home)
    return tmp_path


def page(site: Path, url: str = "") -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return re.search(r"<article.*?</article>", html, re.S).group(0)


@pytest.mark.slow
def test_a_new_institution_gets_its_own_name_and_home(tmp_path: Path):
    """No docs/index.md, nama_situs and deskripsi set: every page is headed by the institution's
    name, the description is the pages' description, and the home says both and leads onward."""
    root = project(tmp_path, HIERARKI + NAMA + DESKRIPSI)
    write(root / "docs" / "panduan" / "menulis-sop.md", "Pengantar.\n\n```sh\n# bukan judul\n```\n\n"
          "# Menulis dan merevisi SOP { #atas }\n\nIsi.\n")
    write(root / "docs" / "panduan" / "dari-judul.md", "---\ntitle: Judul dari front matter\n---\n\n# Lain\n")
    site = build_site(root)
    home, listing = page(site), page(site, "daftar-sop")
    for html in (home, listing):
        assert '<span class="md-ellipsis">\n            SOP Disdukcapil Purwakarta' in html
        assert "Nama dari mkdocs.yml" not in html
        assert ('<meta name="description" content="Standar Operasional Prosedur Dinas Kependudukan dan '
                'Pencatatan Sipil">') in html
    body = article(home)
    assert "<h1" in body and "SOP Disdukcapil Purwakarta" in body
    assert "Standar Operasional Prosedur Dinas Kependudukan dan Pencatatan Sipil" in body
    assert re.search(r'<a href="daftar-sop/">Daftar SOP</a>', body)
    assert re.search(r'<a href="monitoring-dan-evaluasi/">Monitoring dan evaluasi</a>', body)
    # The guides by their own titles, not their file names; no setup note for readers.
    assert re.search(r'<a href="panduan/menulis-sop/">Menulis dan merevisi SOP</a>', body)
    assert re.search(r'<a href="panduan/dari-judul/">Judul dari front matter</a>', body)
    assert "nama_situs" not in body and "_instansi.yaml" not in body


@pytest.mark.slow
def test_without_nama_situs_mkdocs_yml_names_the_site_and_a_written_home_stays(tmp_path: Path):
    site = build_site(project(tmp_path, HIERARKI, home="# Beranda kami\n\nDitulis tangan.\n"))
    home = page(site)
    assert '<span class="md-ellipsis">\n            Nama dari mkdocs.yml' in home
    assert '<meta name="description" content="Keterangan dari mkdocs.yml">' in home
    body = article(home)
    assert "Beranda kami" in body and "Ditulis tangan." in body and "nama_situs" not in body


# --- hostile text in the settings ------------------------------------------------------------------

HOSTILE_NAME = 'SOP Kec & Desa" onmouseover="window.__pwn=1" x="</title><img src=x onerror=window.__pwn=document.title>'
HOSTILE_DESCRIPTION = 'Standar "Uji" & <sop-jahat>tebal</sop-jahat> ><script>window.__pwn="desk"</script>'
HOSTILE = f"{HIERARKI}nama_situs: '{HOSTILE_NAME}'\ndeskripsi: '{HOSTILE_DESCRIPTION}'\n"

SHOWN_IDENTITY = """(() => ({
  pwn: window.__pwn === undefined ? null : String(window.__pwn),
  injected: document.querySelectorAll('img[src="x"], sop-jahat').length
    + [...document.scripts].filter(s => s.text.includes('__pwn')).length,
  title: document.title,
  description: document.querySelector('meta[name="description"]')?.content ?? null,
  logo: document.querySelector('.md-header__button.md-logo')?.getAttribute('aria-label') ?? null,
  header: document.querySelector('.md-header__topic .md-ellipsis')?.innerText.trim() ?? null,
  footer: document.querySelector('.md-copyright')?.innerText ?? '',
  h1: document.querySelector('article h1')?.innerText.replace('¶', '').trim() ?? null,
}))()"""


@pytest.mark.slow
@pytest.mark.browser
def test_a_hostile_site_name_and_description_show_as_text_and_run_nothing(tmp_path: Path):
    """``nama_situs`` and ``deskripsi`` that try to end an attribute or <title> and run a script:
    a real `mkdocs build` (with PDFs and the binder, no docs/index.md), opened in Chromium. Every
    page shows the name and description literally (``&`` as ``&``), in the tab's title, the header,
    the logo's label, the footer and the description; nothing of them runs or becomes an element.
    The generated home links the binder, which is written after the pages, without MkDocs warning."""
    from test_browser import WAIT, _serve, search, start_chromium

    root = project(tmp_path / "sumber", HOSTILE)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      pdf: false\n", ""), encoding="utf-8")
    www = tmp_path / "www"
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-d", str(www / "situs")], cwd=root, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "not found" not in said and "buku-sop.pdf" not in said, said
    # Whoever sets the site up reads where its home comes from in the log, not on the page.
    assert "INFO    -  sopcode: beranda dibuat dari `nama_situs` dan `deskripsi` di _instansi.yaml" in said, said
    home = (www / "situs" / "index.html").read_text(encoding="utf-8")
    assert '<a href="pdf/buku-sop.pdf">Buku SOP (PDF)</a>' in home
    assert (www / "situs" / "pdf" / "buku-sop.pdf").read_bytes().startswith(b"%PDF")
    for name in ("sitemap.xml", "search/search_index.json"):
        assert "<img" not in (www / "situs" / name).read_text(encoding="utf-8")

    sop_page = "sop/" + SEED.stem + "/"
    with start_chromium("--window-size=1280,900") as chromium, \
            contextlib.contextmanager(_serve)(www, "situs-jahat", "/situs/") as url:
        tab = chromium.new_tab()
        for path in ("", "daftar-sop/", sop_page, "404.html"):
            tab.goto(url + path)
            tab.wait_for("document.readyState === 'complete'", WAIT, "halaman dimuat")
            shown = tab.evaluate(SHOWN_IDENTITY)
            assert shown["pwn"] is None and shown["injected"] == 0, (path, shown)
            assert shown["title"] == HOSTILE_NAME or shown["title"].endswith(f" - {HOSTILE_NAME}"), shown
            assert shown["description"] == HOSTILE_DESCRIPTION, (path, shown)
            assert shown["logo"] == HOSTILE_NAME and shown["header"] == HOSTILE_NAME, (path, shown)
            assert HOSTILE_NAME in shown["footer"], (path, shown)
            if path == "":
                assert shown["h1"] == HOSTILE_NAME, shown
        # Search shows the home (its heading is the name) as text too.
        search(tab, url, "Desa", url)
        assert tab.evaluate("window.__pwn === undefined"), tab.evaluate("String(window.__pwn)")


@pytest.mark.slow
@pytest.mark.browser
def test_a_long_word_in_the_identity_wraps_instead_of_scrolling_the_table(tmp_path: Path):
    """A 72-letter word in ``nama`` (a name written without spaces) at 1366 px: the identity table
    wraps it within its cell, and the page does not have to be scrolled sideways to read it."""
    from test_browser import WAIT, _serve, start_chromium

    word = ("PenyusunanPerencanaanKinerja" * 3)[:72]
    root = project(tmp_path / "sumber", HIERARKI + NAMA)
    sop = root / "sop_data" / SEED.name
    text = sop.read_text(encoding="utf-8")
    text = re.sub(r"^nama_prosedur:.*\n", "", re.sub(r"^nama:.*$", f"nama: {word}", text, flags=re.M), flags=re.M)
    sop.write_text(text, encoding="utf-8")
    site = build_site(root)
    with start_chromium("--window-size=1366,900") as chromium, \
            contextlib.contextmanager(_serve)(site, "situs-kata-panjang", "/") as url:
        tab = chromium.new_tab()
        tab.goto(url + "sop/" + SEED.stem + "/")
        box = tab.wait_for("(() => { const t = document.querySelector('.sop-identitas');"
                           " return t && {scroll: t.scrollWidth, width: t.clientWidth, text: t.innerText} })()",
                           WAIT, "tabel identitas")
    assert word in box["text"].replace("\n", "")
    assert box["scroll"] <= box["width"], box
