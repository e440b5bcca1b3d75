"""The cache module: where the cache is, what is read from it, what happens when it fails.

Real files, real folders, the real loader and checks; no cache behaviour is stubbed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sopcode import cache
from sopcode.model.codec import LOADED, SOP_MODEL
from sopcode.model.load import content_key, content_salt, load_folder
from sopcode.model.sop import Instansi
from sopcode.rules import check

SOP = "sop-surat-keterangan-domisili.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "proyek" / "sop_data"
    folder.mkdir(parents=True)
    for name in ("_instansi.yaml", SOP, "sop-rekomendasi-izin-keramaian.yaml"):
        shutil.copy(ROOT / "sop_data" / name, folder / name)
    return folder


def _findings(report) -> list[str]:
    return [d.format() for d in report.diagnostics]


# --- the root -------------------------------------------------------------------------------

def test_the_root_is_beside_the_data_folder_or_where_the_environment_says(data: Path, tmp_path: Path,
                                                                         monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.root(str(data)) == str(data.parent / ".cache" / "sop")
    chosen = tmp_path / "di-sini"
    monkeypatch.setenv(cache.ENV, str(chosen))
    assert cache.root(str(data)) == str(chosen) and cache.root(configured="lain") == str(chosen)
    check([str(data)], history=False)
    assert (chosen / "model").is_dir() and not (data.parent / ".cache" / "sop" / "model").exists()
    monkeypatch.setenv(cache.ENV, "")  # set but empty: no cache at all
    assert cache.root(str(data)) is None


def test_a_data_folder_in_a_folder_others_can_write_keeps_its_cache_with_this_user(tmp_path: Path, monkeypatch):
    """A team share writable by all (no sticky bit): another user could swap `.cache` for a link
    between our check and our use (to empty a folder of their choosing, or feed us entries).
    Nothing is made, read or emptied there: the cache is this user's own, findings the same."""
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "milik-saya"))
    share = tmp_path / "bersama"
    (share / "sop_data").mkdir(parents=True)
    for name in ("_instansi.yaml", SOP):
        shutil.copy(ROOT / "sop_data" / name, share / "sop_data" / name)
    share.chmod(0o777)
    try:
        expected = _findings(check([str(share / "sop_data")], history=False, cache_dir=None))
        assert cache.root(str(share / "sop_data")) == str(tmp_path / "milik-saya" / "sopcode")
        assert _findings(check([str(share / "sop_data")], history=False)) == expected
        assert not (share / ".cache").exists()  # nothing of ours there for anybody to swap
        assert (tmp_path / "milik-saya" / "sopcode" / "model").is_dir()
        victim = tmp_path / "korban" / "sop"
        victim.mkdir(parents=True)
        (victim / "penting.txt").write_text("jangan dihapus", encoding="utf-8")
        (share / ".cache").symlink_to(victim.parent)  # what a swap would leave for a moment
        assert _findings(check([str(share / "sop_data")], history=False)) == expected
        assert (victim / "penting.txt").read_text(encoding="utf-8") == "jangan dihapus"
        assert sorted(p.name for p in victim.iterdir()) == ["penting.txt"]
    finally:
        share.chmod(0o755)


def test_a_cache_made_under_a_loose_umask_is_this_users_alone(data: Path, monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    old = os.umask(0)
    try:
        check([str(data)], history=False)
    finally:
        os.umask(old)
    made = data.parent / ".cache" / "sop"
    assert (made / "model").is_dir()
    assert made.stat().st_mode & 0o777 == 0o700  # nobody else reaches the entries below it
    assert not (data.parent / ".cache").stat().st_mode & 0o022


def test_a_single_file_never_puts_its_cache_in_the_folder_above_it(tmp_path: Path, monkeypatch):
    """A file checked in a folder others can write to (/tmp): its cache is this user's own."""
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "milik-saya"))
    shared = tmp_path / "bersama" / "masuk"
    shared.mkdir(parents=True)
    shutil.copy(ROOT / "sop_data" / SOP, shared / SOP)
    assert cache.project_cache(str(shared / SOP)) == str(tmp_path / "milik-saya" / "sopcode")
    check([str(shared / SOP)], history=False)
    assert not (tmp_path / "bersama" / ".cache").exists() and not (shared / ".cache").exists()
    assert (tmp_path / "milik-saya" / "sopcode" / cache.STAMP).is_file()


# --- reading: any failure is a miss -----------------------------------------------------------

@pytest.mark.parametrize("damage", ["rusak", "", "[1, 2]", '{"@Sop": {"id": 1}}', '{"@os.system": "x"}'])
def test_a_damaged_entry_is_a_miss(data: Path, tmp_path: Path, damage: str):
    root = str(tmp_path / "cache")
    cold = check([str(data)], history=False, cache_dir=root)
    shards = [p for part in ("model", "findings") for p in (tmp_path / "cache" / part).glob("*.json")]
    assert shards
    for shard in shards:
        shard.write_text(damage, encoding="utf-8")
    warm = check([str(data)], history=False, cache_dir=root)
    assert _findings(warm) == _findings(cold) and warm.sops == cold.sops
    assert [s.pos for s in warm.sops] == [s.pos for s in cold.sops]


def test_the_codec_makes_only_the_declared_types(data: Path):
    """What an entry is read as comes from our annotations, never from the entry."""
    for planted in ('[{"@Popen": ["touch", "/tmp/x"]}, []]', '[null, [{"__class__": "os.system"}]]', '[[], []]'):
        with pytest.raises((TypeError, ValueError)):
            LOADED.loads(planted)
    sop = load_folder(str(data)).sops[0]
    back, found = LOADED.loads(LOADED.dumps((sop, [])))
    assert type(back) is type(sop) and found == []
    assert cache.read_json(None) is None


def test_a_model_comes_back_whole_through_the_codec(data: Path):
    for sop in load_folder(str(data)).sops:
        back = SOP_MODEL.loads(SOP_MODEL.dumps(sop))
        assert back == sop and repr(back) == repr(sop) and back.pos == sop.pos
        assert [s.kegiatan.loc for s in back.langkah] == [s.kegiatan.loc for s in sop.langkah]


# --- writing: a cache that cannot be written only makes the build slower ------------------------

@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through a read-only folder's mode")
def test_an_unwritable_cache_gives_the_same_findings_without_an_exception(data: Path, tmp_path: Path):
    root = tmp_path / "cache"
    expected = _findings(check([str(data)], history=False, cache_dir=None))
    assert _findings(check([str(data)], history=False, cache_dir=str(root))) == expected
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        folder.chmod(0o555)
    try:
        (data / SOP).write_text((data / SOP).read_text(encoding="utf-8").replace("5 menit", "7 menit", 1),
                                encoding="utf-8")
        expected = _findings(check([str(data)], history=False, cache_dir=None))
        assert _findings(check([str(data)], history=False, cache_dir=str(root))) == expected
    finally:
        for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)


def test_cache_folders_that_cannot_be_written_give_the_same_findings(data: Path, tmp_path: Path):
    """Root or not: each kind of entry's folder is a file in the way (ENOTDIR on every write)."""
    root = tmp_path / "cache"
    assert cache.trusted(str(root)) == str(root)
    for part in ("model", "findings", "summary", "history"):
        (root / part).write_text("bukan folder", encoding="utf-8")
    for models in (True, False):
        expected = check([str(data)], history=True, cache_dir=None, models=models)
        found = check([str(data)], history=True, cache_dir=str(root), models=models)
        assert _findings(found) == _findings(expected) and found.summaries == expected.summaries


def test_a_failed_write_is_false_not_an_exception(tmp_path: Path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x", encoding="utf-8")
    assert cache.write(str(blocker / "di-bawah-berkas" / "a.json"), "{}") is False
    assert cache.write_json(str(tmp_path / "a.json"), {1, 2}) is False  # not JSON: not kept
    assert cache.write(None, b"x") is False
    shards = cache.Sharded(str(blocker / "tak-bisa"))
    shards.put("a.yaml", "k", [1])
    shards.save()  # nothing raised
    assert shards.get("a.yaml", "k") == [1]


# --- keys: every input of what is cached -------------------------------------------------------

def test_content_keys_change_with_the_bytes_the_path_the_settings_and_the_code(data: Path, monkeypatch):
    instansi = load_folder(str(data)).instansi
    salt = content_salt(instansi)
    base = content_key(salt, "a.yaml", b"isi")
    assert content_key(salt, "a.yaml", b"isi") == base
    assert content_key(salt, "b.yaml", b"isi") != base
    assert content_key(salt, "a.yaml", b"isi ") != base
    assert content_key(content_salt(dataclasses.replace(instansi, kertas="A4")), "a.yaml", b"isi") != base
    # The same settings written a line lower: the positions a model carries differ.
    moved = dataclasses.replace(instansi, pos={k: v._replace(line=v.line + 1) for k, v in instansi.pos.items()})
    assert content_key(content_salt(moved), "a.yaml", b"isi") != base
    assert content_key(content_salt(Instansi()), "a.yaml", b"isi") != base
    monkeypatch.setattr("sopcode.model.load.code_fingerprint", lambda: "kode-lain")
    assert content_key(content_salt(instansi), "a.yaml", b"isi") != base


def test_the_fingerprint_covers_code_templates_styles_scripts_and_libraries(tmp_path: Path, monkeypatch):
    package = tmp_path / "sopcode"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", str(package))
    seen = set()
    for name in ("cache.py", "sheets/sheet.css", "sheets/templates", "site/assets"):
        cache.code_fingerprint.cache_clear()
        seen.add(cache.code_fingerprint())
        target = package / name
        if target.is_dir():
            target = min(p for p in target.rglob("*") if p.is_file())
        target.write_bytes(target.read_bytes() + b"\n")
    cache.code_fingerprint.cache_clear()
    seen.add(cache.code_fingerprint())
    monkeypatch.setattr(cache, "LIBRARIES", (*cache.LIBRARIES, "pytest"))
    cache.code_fingerprint.cache_clear()
    seen.add(cache.code_fingerprint())
    cache.code_fingerprint.cache_clear()
    assert len(seen) == 6


def test_key_parts_do_not_run_together():
    assert cache.key("ab", "c") != cache.key("a", "bc") and cache.key("a") == cache.key("a")


# --- trust ----------------------------------------------------------------------------------

def test_a_cache_without_this_users_stamp_is_emptied_before_use(data: Path, tmp_path: Path):
    root = tmp_path / "cache"
    check([str(data)], history=False, cache_dir=str(root))
    shard = min((root / "findings").glob("*.json"))
    entries = json.loads(shard.read_text(encoding="utf-8"))
    path = next(iter(entries))
    entries[path][1] = [[[path, 1, 1], "galat", "ditanam", "ditanam", ""]]  # one Diagnostic, as the cache holds it
    shard.write_text(json.dumps(entries), encoding="utf-8")
    assert "ditanam" in " ".join(_findings(check([str(data)], history=False, cache_dir=str(root)))), \
        "our own stamped cache is read (else this test proves nothing)"
    (root / cache.STAMP).write_text("salinan", encoding="utf-8")  # copied from elsewhere
    assert "ditanam" not in " ".join(_findings(check([str(data)], history=False, cache_dir=str(root))))
    assert not shard.exists() or "ditanam" not in shard.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_site_build_keeps_its_cache_where_the_environment_says(data: Path, tmp_path: Path, monkeypatch):
    project = data.parent
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Uji\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Uji\ntheme:\n  name: material\nplugins:\n  - sop:\n"
                                        "      data_dir: sop_data\n      pdf: false\n", encoding="utf-8")
    chosen = tmp_path / "cache-uji"
    monkeypatch.setenv(cache.ENV, str(chosen))
    build_site(project)  # as `mkdocs build` (a plugin another test started as `mkdocs serve` is not serving)
    assert (project / "site" / "sop" / "sop-surat-keterangan-domisili" / "bagan-alir.svg").is_file()
    assert list((chosen / "graphviz").glob("*.svg")) and (chosen / "model").is_dir()
    assert not (project / ".cache").exists()


def test_an_oversized_or_foreign_shaped_entry_is_a_miss_and_is_written_anew(data: Path, monkeypatch):
    """A planted 300 MB shard cost every later build seconds and hundreds of MB: now it is not read,
    and the next build replaces it, so only one build is slower."""
    monkeypatch.delenv(cache.ENV, raising=False)
    expected = _findings(check([str(data)], history=False))
    model = data.parent / ".cache" / "sop" / "model"
    unused = [model / f"{n:02d}.json" for n in range(cache.Sharded.SHARDS) if not (model / f"{n:02d}.json").exists()]
    assert len(unused) >= 2  # shards no SOP of ours falls in: only a planted file would be there
    monkeypatch.setattr(cache, "MAX_ENTRY", 4096)
    unused[0].write_bytes(b"[" + b"0," * 4096 + b"0]")  # too large, and a list where a dict belongs
    unused[1].write_bytes(b"[1, 2, 3]")  # small, but not the shape we write
    assert _findings(check([str(data)], history=False)) == expected
    for shard in unused[:2]:
        assert json.loads(shard.read_bytes()) == {}, f"{shard.name} was not written anew"


def test_the_secret_kept_under_its_earlier_name_is_renamed_not_replaced(tmp_path: Path):
    """Earlier versions kept the cache secret as `kunci-cache`: renamed, so their cache folders stay trusted."""
    (tmp_path / "sopcode").mkdir(mode=0o700)
    secret = "ab" * 32
    (tmp_path / "sopcode" / "kunci-cache").write_text(secret)
    assert cache._user_key(str(tmp_path)) == secret.encode()
    assert (tmp_path / "sopcode" / "cache-secret").read_text() == secret
    assert not (tmp_path / "sopcode" / "kunci-cache").exists()


def test_histories_of_folders_nobody_checks_any_more_leave_the_users_cache(tmp_path: Path, monkeypatch):
    """Every folder a single SOP was checked in got a history folder in this user's cache, kept
    for ever (the test suite alone left 173): one unused for 30 days is removed, one in use stays."""
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "milik-saya"))
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    shutil.copy(ROOT / "sop_data" / SOP, inbox / SOP)
    for command in (["init", "-q"], ["add", SOP], ["-c", "user.name=Uji", "-c", "user.email=uji@contoh.go.id",
                                                  "commit", "-qm", "SOP masuk"]):
        subprocess.run(["git", "-C", str(inbox), *command], check=True, capture_output=True)
    check([str(inbox / SOP)])  # the user's cache made and stamped
    histories = tmp_path / "milik-saya" / "sopcode" / "history"
    mine = histories / hashlib.sha256(os.fsencode(str(inbox))).hexdigest()[:16]  # this folder's own
    old, recent = histories / "0123456789abcdef", histories / "fedcba9876543210"
    for folder, days in ((old, 31), (recent, 29), (mine, 40)):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "history.json").write_text("{}", encoding="utf-8")
        then = time.time() - days * 86400
        os.utime(folder, (then, then))
    check([str(inbox / SOP)])
    assert sorted(p.name for p in histories.iterdir()) == sorted([mine.name, recent.name])
