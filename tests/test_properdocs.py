"""ProperDocs (the maintained continuation of MkDocs 1.x) builds the same site from the same mkdocs.yml."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, copy_sources

pytestmark = pytest.mark.slow  # builds the site twice, with MkDocs and with ProperDocs


def _build(tool: str, project: Path, site: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), "build", "-d", site], cwd=project, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _article(page: Path) -> str:
    """A page's own content (the generator's name and the search index's build date aside)."""
    text = page.read_text(encoding="utf-8")
    return re.search(r"<article.*?</article>", text, re.S).group(0)


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path):
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("data_dir: sop_data",
                                                                 "data_dir: sop_data\n      pdf: false"),
                      encoding="utf-8")
    with_mkdocs, with_properdocs = _build("mkdocs", project, "situs-mkdocs"), _build("properdocs", project, "situs-pd")
    assert with_mkdocs.returncode == 0, with_mkdocs.stderr
    assert with_properdocs.returncode == 0, with_properdocs.stderr
    a, b = project / "situs-mkdocs", project / "situs-pd"
    pages = sorted(str(p.relative_to(a)) for p in a.rglob("*.html"))
    assert pages == sorted(str(p.relative_to(b)) for p in b.rglob("*.html"))
    sop_pages = [p for p in pages if p.startswith("sop/") and p.endswith("/index.html")]  # not bagan-alir.html
    assert len(sop_pages) == len(list((project / "sop_data").glob("sop-*.yaml")))
    for page in [*sop_pages, "daftar-sop/index.html"]:
        assert _article(a / page) == _article(b / page), page
    # The same messages from the same plugin: ProperDocs loaded it, not a stand-in.
    assert "kegiatan-diawali-subjek" in with_properdocs.stderr
    # The plugin's theme overrides reach ProperDocs' theme too: the footer and the 404 page in Indonesian.
    for site in (a, b):
        assert "Dibuat dengan sopcode" in (site / "index.html").read_text(encoding="utf-8")
        assert "Halaman tidak ditemukan" in (site / "404.html").read_text(encoding="utf-8")
