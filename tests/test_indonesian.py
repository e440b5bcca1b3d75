"""Readers and editors see Indonesian only: every built page of the seed site, and what
`mkdocs build` says in the terminal, carry no English words of the theme or of MkDocs.

The site is built with the real `mkdocs build`, as `make site` runs it, and read as HTML.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BIN, ROOT, SEED, build_site, copy_sources, write

pytestmark = pytest.mark.slow  # builds the seed site (without its PDFs: they are not HTML)

ENGLISH = (
    "Made with", "Material for MkDocs", "Not found", "Page not found", "Permanent link", "Header",
    "Footer", "Search", "Back to top", "Skip to content", "Previous", "Next", "Table of contents",
    "Copy to clipboard", "Copied to clipboard", "Share", "Clear", "Initializing search",
    "Type to start searching", "No matching documents", "Navigation", "Edit this page",
    "Last update", "Go to repository", "Select language", "Close", "Home", "Built with", "Powered by",
)
"""English words and phrases of a theme's interface (Material's English table and MkDocs' own)."""

PROPER_NAMES = ("MkDocs", "ProperDocs", "Graphviz", "Chromium", "Excel", "SIAK", "YAML", "PDF", "Python")
"""Names of things, not English: allowed anywhere (none of them is in ENGLISH)."""

ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def english(text: str) -> list[str]:
    """The English words of ``text``, as whole words (``Output`` is the regulation's own column)."""
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


class Visible(HTMLParser):
    """What a reader of a page sees or hears: its text outside code and scripts, the attributes a
    screen reader says, and the theme's translations its script shows (search, clipboard)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.said: list[str] = []
        self.translations: dict[str, str] = {}
        self._hidden: list[str] = []
        self._config = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "code", "pre", "svg"):
            self._hidden.append(tag)
            self._config = tag == "script" and attrs.get("id") == "__config"
        self.said += [attrs[name] or "" for name in ATTRIBUTES if name in attrs]

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
            self._config = False

    def handle_data(self, data):
        if self._config:
            self.translations = json.loads(data).get("translations", {})
        elif not self._hidden:
            self.text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The seed site, built as `make site` builds it (the Makefile's environment), without PDFs."""
    project = copy_sources(tmp_path_factory.mktemp("indonesia"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("data_dir: sop_data",
                                                                 "data_dir: sop_data\n      pdf: false"),
                      encoding="utf-8")
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-d", "situs"], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **_makefile_env()})
    assert done.returncode == 0, done.stderr
    return project / "situs", done


def _makefile_env() -> dict[str, str]:
    """The variables the Makefile exports to `mkdocs build` and `mkdocs serve`."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return dict(re.findall(r"^export\s+(\w+)\s*:?=\s*(\S+)\s*$", text, re.M))


def test_every_page_speaks_indonesian(built):
    """No page shows or says (to a screen reader) an English word of the theme, and the words
    the theme's script shows later (search, clipboard) are Indonesian too."""
    site, _ = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    found = {}
    for page in pages:
        seen = Visible(page.read_text(encoding="utf-8"))
        words = " ".join(seen.text + seen.said + list(seen.translations.values()))
        for name in PROPER_NAMES:
            words = words.replace(name, " ")
        if said := english(words):
            found[str(page.relative_to(site))] = said
    assert not found, found


def test_the_footer_names_the_site_and_links_nowhere_outside(built):
    site, _ = built
    html = (site / "index.html").read_text(encoding="utf-8")
    footer = re.search(r'<div class="md-copyright">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "SOP Kecamatan Bungursari" in footer and "Dibuat dengan sopcode" in footer
    assert "<a " not in footer
    assert "squidfunk" not in html and "https://" not in footer


def test_the_404_page_leads_back_home_and_to_the_list(built):
    site, _ = built
    seen = Visible((site / "404.html").read_text(encoding="utf-8"))
    text = " ".join(" ".join(seen.text).split())
    assert "Halaman tidak ditemukan" in text and "404" not in text
    html = (site / "404.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", html, re.S).group(0)
    assert re.search(r'href="[^"]*"[^>]*>Beranda</a>', article)
    # Relative to the site's root, which the page's <base> names (tests/test_search_quality.py serves it).
    assert re.search(r'href="daftar-sop/"[^>]*>Daftar SOP</a>', article)


def test_headings_anchor_links_are_titled_in_indonesian(built):
    site, _ = built
    html = (site / "panduan" / "menulis-sop" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink"' in html
    assert 'title="Tautan ke bagian ini"' in html


MKDOCS_ENGLISH = (
    "Cleaning site directory", "Building documentation", "Documentation built", "stale files", "Serving on",
    "Watching paths", "Detected file changes", "Reloading browsers", "Browser connected", "Shutting down",
    "seconds", "directory",
)
"""MkDocs' own INFO lines in English (its build, `mkdocs serve` and its live reload), said in
Indonesian by the plugin's filter."""


def english_said(lines: list[str]) -> list[str]:
    return [line for line in lines if english(line) or any(phrase in line for phrase in MKDOCS_ENGLISH)]


def test_the_terminal_speaks_indonesian(built):
    """`mkdocs build` as the Makefile runs it: no banner of the theme, MkDocs' own lines in Indonesian,
    and every other line is ours, in Indonesian."""
    _, done = built
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert not [line for line in lines if "end of life" in line or "Zensical" in line]
    assert not english_said(lines), lines
    assert any(re.match(r"INFO    -  Membangun situs ke folder /.*/situs$", line) for line in lines), lines
    assert re.search(r"^INFO    -  Situs selesai dibangun dalam \d+,\d\d detik$", "\n".join(lines), re.M), lines
    for line in lines:
        assert line.startswith(("WARNING -  sopcode: ", "    perbaikan: ", "INFO    -  ")), line


def test_mkdocs_serve_speaks_indonesian_too(tmp_path: Path):
    """A short real `mkdocs serve` of a small project: it starts, a page is saved and the site
    rebuilt, then it is stopped with Ctrl+C. Every line it says is Indonesian."""
    (tmp_path / "sop_data").mkdir()
    shutil.copy(ROOT / "sop_data" / "_instansi.yaml", tmp_path / "sop_data")
    shutil.copy(SEED, tmp_path / "sop_data" / SEED.name)
    write(tmp_path / "docs" / "index.md", "# Beranda\n")
    write(tmp_path / "mkdocs.yml", "site_name: Uji\ntheme:\n  name: material\n  language: id\n  font: false\n"
                                   "plugins:\n  - search\n  - sop:\n      pdf: false\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, **_makefile_env()})
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in server.stdout or ()],
                              daemon=True)
    reader.start()
    said: list[str] = []

    def until(text: str) -> None:
        deadline = time.monotonic() + 120
        while not any(text in line for line in said):
            try:
                said.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"`mkdocs serve` tidak mengatakan {text!r}; yang dikatakannya: {said}")

    try:
        until("Situs tersaji di http://127.0.0.1:")
        write(tmp_path / "docs" / "index.md", "# Beranda\n\nDiubah.\n")
        until("Memuat ulang peramban")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
    reader.join(timeout=10)
    while not lines.empty():
        said.append(lines.get())
    said = [line for line in said if line.strip()]
    assert any("Ada berkas yang berubah" in line for line in said), said
    assert any("Memantau perubahan pada" in line for line in said), said
    assert not english_said(said), said


def test_make_on_a_fresh_machine_echoes_no_comment(tmp_path: Path):
    """`make site` on a fresh machine sets up the virtual environment first; what it echoes is
    commands only (a comment inside a recipe would be handed to the shell and echoed, in English)."""
    venv = tmp_path / "venv"
    done = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.installed-stamp"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    echoed = done.stdout.splitlines()
    assert any("pip install" in line for line in echoed), echoed
    assert not [line for line in echoed if line.lstrip().startswith("#")], echoed


def test_a_stopped_build_ends_with_our_sentence(tmp_path: Path):
    """A broken SOP stops the build: its error, then our Indonesian sentence is the last thing
    said, where MkDocs would say "Aborted with a BuildError!"; the exit status stays 1."""
    project = copy_sources(tmp_path)
    write(project / "sop_data" / "sop-rusak.yaml", "nama: Rusak\npelaksana: [Camat]\nlangkah: x\n")
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-d", "situs"], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **_makefile_env()})
    assert done.returncode == 1
    assert "Aborted" not in done.stdout + done.stderr
    # The log goes to stderr; the closing sentence, as MkDocs' own would, to stdout after it.
    assert done.stdout.strip().splitlines()[-1] == "Pembangunan situs dihentikan karena galat di atas."
    assert "sop-rusak.yaml:3:10: galat:" in done.stderr


def test_a_written_nav_leaves_out_our_pages_without_an_english_list(tmp_path: Path):
    """An institution that writes its own ``nav`` in mkdocs.yml: the SOP pages it does not list are
    built all the same, and MkDocs does not list them in its English "not included in the nav"."""
    project = copy_sources(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("data_dir: sop_data",
                                                                 "data_dir: sop_data\n      pdf: false")
                      + "nav:\n  - Beranda: index.md\n  - Daftar SOP: daftar-sop.md\n", encoding="utf-8")
    for page in (project / "docs").rglob("*.md"):
        if page.name != "index.md" or page.parent != project / "docs":
            page.unlink()
    done = subprocess.run([str(BIN / "mkdocs"), "build", "-d", "situs"], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **_makefile_env()})
    assert done.returncode == 0, done.stderr
    assert "not included in the" not in done.stderr
    assert (project / "situs" / "sop" / "sop-pengukuran-kinerja-bungursari" / "index.html").is_file()


def test_an_institution_s_own_theme_folder_still_overrides_ours(tmp_path: Path):
    """Our overrides sit between a project's ``custom_dir`` and the theme: an institution that
    writes its own footer gets it; the 404 page it did not write is still ours."""
    shutil.copytree(ROOT / "sop_data", tmp_path / "sop_data", ignore=shutil.ignore_patterns("_monev", "_evaluasi"))
    write(tmp_path / "docs" / "index.md", "# Beranda\n")
    write(tmp_path / "tema" / "partials" / "copyright.html", '<div class="md-copyright">Kaki milik kami</div>\n')
    write(tmp_path / "mkdocs.yml", "site_name: Uji\ntheme:\n  name: material\n  language: id\n  custom_dir: tema\n"
                                   "plugins:\n  - sop:\n      pdf: false\n")
    site = build_site(tmp_path)
    assert "Kaki milik kami" in (site / "index.html").read_text(encoding="utf-8")
    assert "Dibuat dengan sopcode" not in (site / "index.html").read_text(encoding="utf-8")
    assert "Halaman tidak ditemukan" in (site / "404.html").read_text(encoding="utf-8")
