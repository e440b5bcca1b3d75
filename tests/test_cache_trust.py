"""A cache that came with the project (committed, unpacked) or that another user made is never read.

Planted for real: a pickle whose loading would run a command (the cache holds none: data only), a
model entry and a finished drawing altered by someone else, a cache folder linked to someone else's
files. Built with the real `sop check` and `mkdocs build`.
"""

from __future__ import annotations

import os
import pickle
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, copy_sources, run_sop, sop_main
from sopcode.cache import STAMP, trusted


class _Runs:
    """Unpickling this runs a shell command: what a planted cache entry would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _plant(cache: Path, marker: Path) -> None:
    payload = pickle.dumps(_Runs(marker))
    names = [f"{part}/{n:02d}.json" for part in ("model", "summary", "findings") for n in range(16)]
    for rel in ("ringkasan.pickle", "periksa.pickle", "model/00.pickle", "history/history.json", *names):
        (cache / rel).parent.mkdir(parents=True, exist_ok=True)
        (cache / rel).write_bytes(payload)


def test_a_received_cache_never_runs_code(tmp_path: Path):
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    marker = tmp_path / "DIJALANKAN"
    _plant(project / ".cache" / "sop", marker)
    done = sop_main("check", "sop_data", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not marker.exists(), "a planted pickle ran"
    assert not list((project / ".cache" / "sop").rglob("*.pickle")), "what was planted is emptied"
    # Our own cache from that build is trusted again (and used: the second check reads it).
    assert (project / ".cache" / "sop" / STAMP).is_file()
    _plant(project / ".cache" / "sop", marker)  # planted after the stamp: the stamp stays, but...
    (project / ".cache" / "sop" / STAMP).write_text("palsu", encoding="utf-8")  # ...a copied stamp is wrong
    assert sop_main("check", "sop_data", cwd=project).returncode == 0 and not marker.exists()


@pytest.mark.slow
def test_a_planted_drawing_is_not_published(tmp_path: Path):
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("data_dir: sop_data", "data_dir: sop_data\n      pdf: false"),
                      encoding="utf-8")
    first = subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=project, capture_output=True, text=True,
                           timeout=300, env=env)
    assert first.returncode == 0, first.stderr
    drawings = list((project / ".cache" / "sop" / "graphviz").rglob("*.svg"))
    assert drawings, "the build keeps its drawings"
    for svg in drawings:  # a foreign copy of the cache: same keys, a script inside
        svg.write_text(svg.read_text(encoding="utf-8").replace("</svg>", "<script>alert('ditanam-7f3a')</script></svg>"),
                       encoding="utf-8")
    (project / ".cache" / "sop" / STAMP).unlink()  # as committed or unpacked: no stamp of this user's
    again = subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=project, capture_output=True, text=True,
                           timeout=300, env=env)
    assert again.returncode == 0, again.stderr
    for page in (project / "site").rglob("*"):
        if page.is_file() and page.suffix in (".html", ".svg"):
            assert "ditanam-7f3a" not in page.read_text(encoding="utf-8", errors="replace"), page


def test_a_cache_folder_linked_elsewhere_is_neither_used_nor_emptied(tmp_path: Path):
    victim = tmp_path / "milik-orang"
    victim.mkdir()
    (victim / "dokumen.txt").write_text("penting", encoding="utf-8")
    project = tmp_path / "proyek"
    (project / ".cache").mkdir(parents=True)
    (project / ".cache" / "sop").symlink_to(victim)
    assert trusted(str(project / ".cache" / "sop")) is None
    assert (victim / "dokumen.txt").read_text(encoding="utf-8") == "penting"
    # Inside a cache folder of ours, a planted link is removed, not followed.
    own = tmp_path / "lain" / ".cache" / "sop"
    own.mkdir(parents=True)
    (own / "printing").symlink_to(victim)
    assert trusted(str(own)) == str(own)
    assert not (own / "printing").exists() and (victim / "dokumen.txt").is_file()


def test_a_cache_kept_in_git_is_not_used(tmp_path: Path):
    """Committed with `git add -f`: every pull could write a contributor's files into it."""
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    marker = tmp_path / "DIJALANKAN"
    git = ["git", "-C", str(project), "-c", "user.name=x", "-c", "user.email=x@x"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    assert sop_main("check", "sop_data", cwd=project).returncode == 0  # our own, stamped cache
    _plant(project / ".cache" / "sop", marker)
    subprocess.run([*git, "add", "-f", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "cache ikut"], check=True)
    assert sop_main("check", "sop_data", cwd=project).returncode == 0
    assert not marker.exists(), "a cache file kept in git was loaded"


def test_a_model_entry_altered_elsewhere_is_not_used(tmp_path: Path):
    """A foreign copy of our own cache, entries valid and keyed right, one finding's words changed."""
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    cache = project / ".cache" / "sop"
    assert sop_main("check", "--json", "sop_data", cwd=project).returncode == 0
    shards = [p for part in ("model", "summary") for p in (cache / part).glob("*.json")]
    assert shards, "sop check keeps its findings and summaries"
    for shard in shards:
        shard.write_text(shard.read_text(encoding="utf-8").replace("Nomor SOP belum diisi", "DITANAM-7f3a"), encoding="utf-8")
    ours = sop_main("check", "--json", "sop_data", cwd=project)
    assert "DITANAM-7f3a" in ours.stdout, "our own stamped cache is read (else this test proves nothing)"
    (cache / STAMP).unlink()
    received = sop_main("check", "--json", "sop_data", cwd=project)
    assert received.returncode == 0 and "DITANAM-7f3a" not in received.stdout


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_read_only_cache_only_makes_the_build_slower(tmp_path: Path):
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = [str(BIN / "mkdocs"), "build", "-q"]
    assert subprocess.run(build, cwd=project, capture_output=True, timeout=300, env=env).returncode == 0
    cache = project / ".cache"
    mounted = subprocess.run(["mount", "--bind", str(cache), str(cache)], capture_output=True).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,bind,ro", str(cache)], capture_output=True).returncode == 0
    if not mounted:
        subprocess.run(["umount", str(cache)], capture_output=True)
        pytest.skip("this machine does not allow a bind mount")
    try:
        sop = project / "sop_data" / "sop-surat-keterangan-domisili.yaml"
        sop.write_text(sop.read_text(encoding="utf-8").replace("waktu: 5 menit", "waktu: 7 menit", 1), encoding="utf-8")
        again = subprocess.run(build, cwd=project, capture_output=True, text=True, timeout=300, env=env)
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr and (project / "site" / "pdf" / "buku-sop.pdf").is_file()
        checked = run_sop("check", "sop_data", cwd=project)
        assert checked.returncode == 0 and "Traceback" not in checked.stderr
        printed = subprocess.run([str(BIN / "sop"), "pdf", "sop_data", "--keluar", str(tmp_path / "pdf")],
                                 cwd=project, capture_output=True, text=True, timeout=300)
        assert printed.returncode == 0, printed.stderr
        drawn = run_sop("gambar", "sop_data/sop-surat-keterangan-domisili.yaml", "--keluar", str(tmp_path / "gambar"),
                        cwd=project)
        assert drawn.returncode == 0 and "Traceback" not in drawn.stderr, drawn.stderr
        assert any(p.suffix == ".svg" for p in (tmp_path / "gambar").rglob("*"))
        new = run_sop("new", "Pelayanan Izin Keramaian", "--folder", "sop_data", cwd=project)
        assert new.returncode == 0 and "Traceback" not in new.stderr, new.stderr
        assert (project / "sop_data" / "sop-pelayanan-izin-keramaian.yaml").is_file()
    finally:
        subprocess.run(["umount", str(cache)], capture_output=True)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_read_only_project_is_checked_drawn_and_published_elsewhere(tmp_path: Path):
    """A project on a read-only disk (a received copy, a mounted share): nothing can be kept beside it,
    yet checking, drawing, printing and the site work with their output elsewhere, and writing a new SOP
    there is refused in Indonesian, never with a traceback."""
    (tmp_path / "proyek").mkdir()
    project = copy_sources(tmp_path / "proyek")
    mounted = subprocess.run(["mount", "--bind", str(project), str(project)], capture_output=True).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,bind,ro", str(project)], capture_output=True).returncode == 0
    if not mounted:
        subprocess.run(["umount", str(project)], capture_output=True)
        pytest.skip("this machine does not allow a bind mount")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOPCODE_CACHE_DIR", None)
    try:
        site = tmp_path / "situs"
        built = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "--site-dir", str(site)], cwd=project,
                               capture_output=True, text=True, timeout=300, env=env)
        assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
        assert (site / "pdf" / "buku-sop.pdf").is_file()
        assert (site / "sop" / "sop-surat-keterangan-domisili" / "index.html").is_file()
        checked = run_sop("check", "sop_data", cwd=project)
        assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
        printed = run_sop("pdf", "sop_data", "--keluar", str(tmp_path / "pdf"), cwd=project)
        assert printed.returncode == 0 and "Traceback" not in printed.stderr, printed.stderr
        assert (tmp_path / "pdf" / "buku-sop.pdf").is_file()
        drawn = run_sop("gambar", "sop_data/sop-surat-keterangan-domisili.yaml", "--keluar", str(tmp_path / "gambar"),
                        cwd=project)
        assert drawn.returncode == 0 and "Traceback" not in drawn.stderr, drawn.stderr
        refused = run_sop("new", "Pelayanan Izin Keramaian", "--folder", "sop_data", cwd=project)
        assert refused.returncode != 0 and "Traceback" not in refused.stderr
        assert "sop-pelayanan-izin-keramaian.yaml" in refused.stderr and "hanya dapat dibaca" in refused.stderr, refused.stderr
        assert not (project / ".cache").exists()
    finally:
        subprocess.run(["umount", str(project)], capture_output=True)
