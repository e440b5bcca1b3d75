"""A new institution names its site in ``_instansi.yaml``: ``nama_situs`` and ``deskripsi`` become the
site's name and description (over mkdocs.yml's), checked by `sop check` like every other key; a
project without ``docs/index.md`` gets a home page made from them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SEED, build_site, write
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
    site = build_site(project(tmp_path, HIERARKI + NAMA + DESKRIPSI))
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
    assert "nama_situs" in body  # where to change it, for whoever sets the site up


@pytest.mark.slow
def test_without_nama_situs_mkdocs_yml_names_the_site_and_a_written_home_stays(tmp_path: Path):
    site = build_site(project(tmp_path, HIERARKI, home="# Beranda kami\n\nDitulis tangan.\n"))
    home = page(site)
    assert '<span class="md-ellipsis">\n            Nama dari mkdocs.yml' in home
    assert '<meta name="description" content="Keterangan dari mkdocs.yml">' in home
    body = article(home)
    assert "Beranda kami" in body and "Ditulis tangan." in body and "nama_situs" not in body
