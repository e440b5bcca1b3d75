"""The publication, in-process: what one run of load → check → draw → pages makes, without MkDocs or a browser.

The site build and `sop pdf` / `sop gambar` are this same function (their own tests build and print
for real); here: what stops a run, what goes on under `mkdocs serve`, and the pages and files a site gets.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

from mkdocs.utils import get_relative_url

from conftest import FIXTURES, write
from sopcode.publish import Settings, SiteSettings, publish
from sopcode.shapes.swimlane import standalone_svg

GOOD = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")


def data(tmp_path: Path) -> Path:
    """Two SOPs, one citing the other, and a file that does not load."""
    folder = tmp_path / "sop_data"
    write(folder / "sop-a.yaml", GOOD.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-c\nnama:", 1))
    write(folder / "sop-b.yaml", GOOD.replace("pelaksana:", "pelaksana: [", 1))
    write(folder / "sop-c.yaml", GOOD)
    return folder


def site(root: Path) -> SiteSettings:
    """Addresses as MkDocs makes them with directory URLs: sop/x.md → sop/x/."""
    def url(path: str) -> str:
        if not path.endswith(".md"):
            return path
        stem = path[:-3]
        return "" if stem == "index" else (stem[:-6] if stem.endswith("/index") else stem) + "/"
    return SiteSettings(url=url, relative=get_relative_url, root=str(root))


def test_errors_in_a_file_stop_the_run_after_the_checks(tmp_path: Path):
    folder = data(tmp_path)
    with publish(str(folder), Settings(pdf=False, site=site(tmp_path))) as pub:
        assert pub.stopped and list(pub.broken) == [str(folder / "sop-b.yaml")]
        assert [d.code for d in pub.report.errors] == ["yaml-sintaks"]
        assert pub.sops == [] and pub.drawings == {} and pub.outputs == [] and pub.pdfs == {}


def test_under_serve_the_others_are_published_and_the_broken_file_gets_its_errors_page(tmp_path: Path):
    folder = data(tmp_path)
    with publish(str(folder), Settings(keep_going=True, pdf=False, site=site(tmp_path))) as pub:
        assert not pub.stopped and sorted(s.id for s in pub.sops) == ["sop-a", "sop-c"]
        assert sorted(pub.drawings) == ["sop-a", "sop-c"] and pub.binder is None
        paths = [o.path for o in pub.outputs]
        # The site's own style and script first, the SOP pages before their files, the lists last.
        assert paths[:3] == ["assets/sop/sop.css", "assets/sop/lembar.css", "assets/sop/sop.js"]
        assert paths[3:5] == ["sop/sop-a.md", "sop/sop-c.md"]
        assert paths[-4:] == ["sop/sop-b.md", "daftar-sop.md", "perubahan-terbaru.md", "monitoring-dan-evaluasi.md"]
        assert pub.generated_pages == ["sop/sop-a.md", "sop/sop-c.md", "sop/sop-b.md", "daftar-sop.md",
                                       "perubahan-terbaru.md", "monitoring-dan-evaluasi.md"]
        by_path = {o.path: o for o in pub.outputs}
        # The YAML offered for download is the very file checked; the drawing is the publication's own.
        assert by_path["sop/sop-a/sop-a.yaml"].content == (folder / "sop-a.yaml").read_bytes()
        assert by_path["sop/sop-a/bagan-alir.svg"].content == standalone_svg(pub.drawings["sop-a"], "./")
        page = by_path["sop/sop-a.md"].page
        assert 'href="../sop-c/"' in page.html, "Keterkaitan links to the cited SOP's page"
        assert 'href="sop-a.yaml"' in page.html and 'href="bagan-alir.html"' in page.html
        assert 'href="bagan-alir.svg"' in by_path["sop/sop-a/bagan-alir.html"].content
        errors = by_path["sop/sop-b.md"].page
        assert errors.title == "Galat pada berkas SOP" and "yaml-sintaks" in errors.html
        listed = html.unescape(by_path["daftar-sop.md"].page.html)
        assert 'href="../sop/sop-b/"' in listed and posixpath.join("sop_data", "sop-b.yaml") in listed


def test_a_file_changed_during_the_build_is_not_offered_for_download(tmp_path: Path):
    folder = data(tmp_path)
    (folder / "sop-b.yaml").unlink()
    original = (folder / "sop-c.yaml").read_text(encoding="utf-8")

    def edit(pub) -> None:  # right after the checks, as an editor saving the file would
        (folder / "sop-c.yaml").write_text(original + "# disimpan lagi\n", encoding="utf-8")

    with publish(str(folder), Settings(pdf=False, site=site(tmp_path)), on_checked=edit) as pub:
        paths = [o.path for o in pub.outputs]
        assert "sop/sop-a/sop-a.yaml" in paths and "sop/sop-c/sop-c.yaml" not in paths
        assert len(pub.notes) == 1 and "sop-c.yaml: berkas berubah selama pembangunan" in pub.notes[0]
