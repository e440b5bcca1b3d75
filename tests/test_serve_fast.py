"""`mkdocs serve`'s fast path (sopcode.preview): a saved SOP's page is served new before the site is rebuilt.

A real `mkdocs serve` on a free port over a copy of the project; the full rebuild is held back
(SOPCODE_SERVE_DELAY) so that what the fast path alone did can be seen: the edited page serves
the new text while the search index, which only the full rebuild writes, still has the old one.
Then a change under docs/ makes MkDocs rebuild, and the page is the one a fresh build makes.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_site import free_port

from conftest import BIN, SEED, copy_sources

pytestmark = pytest.mark.slow

OTHER = "sop-surat-keterangan-domisili"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8")


def _until(url: str, text: str, log: Path, timeout: float = 120) -> str:
    """The page at ``url`` once it holds ``text``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            page = _get(url)
            if text in page:
                return page
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never held {text!r}; serve said:\n{log.read_text(encoding='utf-8')[-3000:]}")


def _without_livereload(page: str) -> str:
    """The page as written in the site: without the script `mkdocs serve` adds as it serves it."""
    return re.sub(r"<script>\s*var livereload = function.*?</script>", "", page, flags=re.S)


def _content(page: str) -> str:
    """The SOP page's own content: what lies between the markers of a page `mkdocs serve` built."""
    return page.split("<!--sop:halaman-->", 1)[1].split("<!--/sop:halaman-->", 1)[0]


def _sheets(page: str) -> str:
    """The preview of the printed sheets on an SOP page as served: the sheets after their label."""
    assert "Pratinjau lembar cetak" in page, "the sheets' preview is labelled"
    return page.split('<div class="sop-lembar sop-cetak"', 1)[1].split("<!--/sop:halaman-->", 1)[0]


def _without_sheets(page: str) -> str:
    """The page without the preview of its printed sheets (a fresh serve build shows none: nothing was saved)."""
    start = page.find('<section class="sop-pratinjau-lembar"')
    return page if start < 0 else page[:start] + page[page.index("<!--/sop:halaman-->"):]


def _browsers_of(pid: int) -> list[str]:
    """The Chromium processes still running with the profile of process ``pid`` (atomic.temp_folder names it)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"/chromium-{pid}-" in cmdline and (proc / "exe").exists():
            found.append(proc.name)
    return found


def _serve_build(project: Path, site_dir: Path, url: str) -> Path:
    """The site as a fresh `mkdocs serve` at ``url`` builds it, in-process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.site_url = url
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=url)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@contextlib.contextmanager
def _serving(tmp_path: Path) -> Iterator[tuple[Path, str, Path, subprocess.Popen]]:
    """`mkdocs serve` of a copy of the sources (without the guides: a faster build), with the full
    rebuild held off; yields the project, the site's address, the server's log and the server, which
    is stopped on leaving."""
    project = copy_sources(tmp_path)
    for extra in (project / "docs").iterdir():
        if extra.name != "index.md":
            subprocess.run(["rm", "-rf", str(extra)], check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOPCODE_SERVE_DELAY": "3600"}
    with log.open("w") as out:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield project, base, log, server
    finally:
        # MkDocs stops once a rebuild under way has ended; a server still running after three minutes
        # (Ctrl+C lost, see conftest's SIGINT note) is killed rather than left behind, and the test fails.
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise


def test_a_saved_sop_page_is_new_before_the_site_is_rebuilt_and_then_as_built(tmp_path: Path):
    with _serving(tmp_path) as (project, base, log, server):
        page_url = f"{base}sop/{SEED.stem}/"
        before = _until(page_url, "<svg", log)
        assert "Pratinjau lembar cetak" not in before, "no sheets until the SOP is saved while serving"
        seed = project / "sop_data" / SEED.name
        text = seed.read_text(encoding="utf-8")
        step = re.search(r"kegiatan: (.+)", text)
        assert step is not None
        token = "Menyusun ringkasan pratinjau cepat XQ7"
        seed.write_text(text.replace(step.group(0), f"kegiatan: {token}", 1), encoding="utf-8")

        page = _until(page_url, token, log)
        # The fast path alone: the page and its swimlane are new, the rest of the site is not yet.
        assert token not in before
        assert "<svg" in page and page.count(token) >= 2, "the step's text in the table and in the swimlane"
        assert token in _sheets(page), "the preview of the printed sheets shows the new step"
        assert "lembar lembar-identitas" in _sheets(page) and "lembar lembar-prosedur" in _sheets(page)
        assert token not in _get(f"{base}search/search_index.json")
        # "Perbesar bagan"'s page is new too, and the page's own list of its sections is in what was spliced.
        assert token in _get(f"{page_url}bagan-alir.html")
        assert 'aria-label="Daftar isi halaman"' in _content(page)
        said = f"pratinjau cepat: halaman sop/{SEED.stem}/ diperbarui"
        deadline = time.monotonic() + 30  # the page is written before the line is logged
        while said not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert said in log.read_text(encoding="utf-8")

        # Broken YAML: the Indonesian errors in the SOP's place, as the full serve build shows them.
        other = project / "sop_data" / f"{OTHER}.yaml"
        other.write_text(other.read_text(encoding="utf-8") + "langkah: [\n", encoding="utf-8")
        broken = _until(f"{base}sop/{OTHER}/", "Berkas ini belum dapat diterbitkan", log)
        assert re.search(rf"{OTHER}\.yaml:\d+:\d+: galat: ", broken), "the file, line and column of the error"

        # MkDocs rebuilds (a change it watches itself): its pages are what stays.
        other.write_text(other.read_text(encoding="utf-8").replace("langkah: [\n", ""), encoding="utf-8")
        index = project / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        _until(f"{base}search/search_index.json", token, log)
        rebuilt = _without_livereload(_get(page_url))
        assert _content(rebuilt) == _content(page), "the fast path made the page the full build makes"
        assert token in _sheets(rebuilt), "the edited SOP keeps its sheets' preview after the rebuild"
    assert not _browsers_of(server.pid), "the browser that measured the sheets closed with the server"
    fresh = _serve_build(project, tmp_path / "segar", base)
    assert _without_sheets(rebuilt) == (fresh / "sop" / SEED.stem / "index.html").read_text(encoding="utf-8")


def test_an_sop_saved_after_its_settings_changed_waits_for_the_rebuild_rather_than_show_the_old_header(
        tmp_path: Path):
    """`_instansi.yaml` saved, then an SOP: a fast page made with the settings of the last build would
    serve the old header as new. The page is left as it was until the rebuild, which shows both."""
    with _serving(tmp_path) as (project, base, log, _server):
        page_url = f"{base}sop/{SEED.stem}/"
        before = _until(page_url, "<svg", log)
        settings = project / "sop_data" / "_instansi.yaml"
        header = "KECAMATAN BUNGURSARI BARU XQ9"
        settings.write_text(settings.read_text(encoding="utf-8").replace("KECAMATAN BUNGURSARI", header, 1),
                            encoding="utf-8")
        seed = project / "sop_data" / SEED.name
        text = seed.read_text(encoding="utf-8")
        step = re.search(r"kegiatan: (.+)", text)
        assert step is not None and header not in before
        token = "Menyusun ringkasan sesudah kop berubah XQ8"
        seed.write_text(text.replace(step.group(0), f"kegiatan: {token}", 1), encoding="utf-8")
        time.sleep(3)  # the fast path acts within 0.1 s of a save
        assert _without_livereload(_get(page_url)) == _without_livereload(before), \
            "no page with the new step under the old header"
        assert "pratinjau cepat" not in log.read_text(encoding="utf-8")

        index = project / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        page = _until(page_url, token, log)
        assert header in page
