"""Revision history from real git repositories built in a temporary folder, with fixed dates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, copy_sources, sop_main
from sopcode.model.history import read_history
from sopcode.model.load import load_folder
from sopcode.rules import approval

BASE = """\
nama: Penerimaan Tamu Dinas
nomor: 000.1/001/Kec.Bgs/2024
tanggal_pembuatan: 2024-01-02
tanggal_revisi: null
tanggal_efektif: 2024-01-05
disahkan_oleh:
  jabatan: CAMAT BUNGURSARI
  nama: M.SARIPUL.HAROM.S.Sos
  nip: "19640104 199101 1 004"
dasar_hukum:
  - Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah
  - Peraturan Bupati Purwakarta Nomor 72 Tahun 2016
pelaksana:
  - Petugas Penerima Tamu
  - Sekretaris
langkah:
  - no: 1
    kegiatan: Menerima dan mencatat tamu dinas dalam buku tamu
    pelaksana: Petugas Penerima Tamu
    mutu_baku:
      waktu: 5 menit
  - no: 2
    kegiatan: Menemui tamu dinas sesuai keperluannya
    pelaksana: Sekretaris
    mutu_baku:
      waktu: 15 menit
  - no: 3
    kegiatan: Mengarsipkan catatan kunjungan
    pelaksana: Petugas Penerima Tamu
    mutu_baku:
      waktu: 5 menit
"""


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "sop_data"
        self.data.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2024-01-02T09:00:00+07:00", author: str = "Rina Wati") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author,
               "GIT_AUTHOR_EMAIL": "rina@bungursari.go.id", "GIT_COMMITTER_NAME": author,
               "GIT_COMMITTER_EMAIL": "rina@bungursari.go.id", "GIT_CONFIG_GLOBAL": os.devnull}
        return subprocess.run(["git", "-C", str(self.root), *args], env=env, check=True, capture_output=True,
                              text=True).stdout

    def commit(self, name: str, text: str, message: str, when: str, author: str = "Rina Wati") -> None:
        (self.data / name).write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when, author=author)

    def history(self):
        sops = load_folder(str(self.data)).sops
        return read_history(sops, str(self.data)), {s.id: s for s in sops}


def imported_sources(tmp_path: Path, when: str) -> Repo:
    """A copy of the repository's sources in tmp_path/situs/, made a git repository whose one commit
    imports them all at ``when``."""
    (tmp_path / "situs").mkdir()
    project = copy_sources(tmp_path / "situs")
    repo = Repo.__new__(Repo)
    repo.root, repo.data = project, project / "sop_data"
    repo.git("init", "-q", "-b", "main")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Impor SOP Kecamatan Bungursari", when=when)
    return repo


def edited(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo(tmp_path / "proyek")
    r.commit("sop-tamu.yaml", BASE, "SOP penerimaan tamu", "2024-01-02T09:00:00+07:00")
    return r


V2 = edited(BASE, ("      waktu: 15 menit", "      waktu: 30 menit"), ("tanggal_revisi: null", "tanggal_revisi: 2024-02-01"))


def test_history_lists_every_commit_newest_first_and_follows_renames(repo: Repo):
    repo.commit("sop-tamu.yaml", V2, "Waktu menemui tamu menjadi 30 menit", "2024-02-01T10:00:00+07:00", "Budi")
    (repo.data / "sop-tamu.yaml").rename(repo.data / "sop-tamu-dinas.yaml")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Ganti nama berkas", when="2024-03-04T08:30:00+07:00")
    history, _ = repo.history()
    assert history.available and list(history.per_sop) == ["sop-tamu-dinas"]
    revs = history.per_sop["sop-tamu-dinas"].revisi
    assert [(r.tanggal, r.penulis, r.pesan, r.path) for r in revs] == [
        ("04 Maret 2024", "Rina Wati", "Ganti nama berkas", "sop_data/sop-tamu-dinas.yaml"),
        ("01 Februari 2024", "Budi", "Waktu menemui tamu menjadi 30 menit", "sop_data/sop-tamu.yaml"),
        ("02 Januari 2024", "Rina Wati", "SOP penerimaan tamu", "sop_data/sop-tamu.yaml"),
    ]
    assert [str(p) for p in revs[1].perubahan] == [
        "Tanggal Revisi: - → 01 Februari 2024",
        "langkah 2: waktu 15 menit → 30 menit",
        "jumlah waktu: 25 menit → 40 menit",
    ]
    assert revs[0].perubahan == []  # a pure rename changes nothing of the SOP
    assert not history.per_sop["sop-tamu-dinas"].draf


def test_a_change_without_new_dates_is_a_draft_until_the_dates_follow(repo: Repo):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    v3 = edited(V2, ("  - Sekretaris\n", "  - Sekretaris Kecamatan\n"),
                ("    pelaksana: Sekretaris\n", "    pelaksana: Sekretaris Kecamatan\n"),
                ("  - Peraturan Bupati Purwakarta Nomor 72 Tahun 2016\n", ""),
                ("  - no: 3\n    kegiatan: Mengarsipkan",
                 "  - no: 3\n    kegiatan: Memberi tanda pengenal tamu\n    pelaksana: Petugas Penerima Tamu\n"
                 "    mutu_baku:\n      waktu: 2 menit\n  - no: 4\n    kegiatan: Mengarsipkan"))
    repo.commit("sop-tamu.yaml", v3, "Tambah langkah tanda pengenal", "2024-05-02T09:00:00+07:00")
    history, _sops = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.draf and h.draf_sejak is h.revisi[0] and not h.revisi[0].disetujui
    assert [str(p) for p in h.revisi[0].perubahan] == [
        "Dasar Hukum: butir dihapus: 'Peraturan Bupati Purwakarta Nomor 72 Tahun 2016'",
        "pelaksana 'Sekretaris' diganti nama menjadi 'Sekretaris Kecamatan'",
        "langkah 3 ditambahkan: 'Memberi tanda pengenal tamu'",
        "jumlah waktu: 40 menit → 42 menit",
    ]
    # `sop check` warns at the line of the date to update, and says why.
    [warning] = approval.check(history)
    line = V2.splitlines().index("tanggal_revisi: 2024-02-01") + 1
    assert (warning.code, warning.loc.line) == ("belum-disahkan", line)
    assert "02 Mei 2024" in warning.message and "DRAF" in warning.message
    done = sop_main("check", str(repo.data))
    assert f"sop-tamu.yaml:{line}:" in done.stdout + done.stderr and "belum-disahkan" in done.stdout + done.stderr
    # The approval catches up: the dates are updated, the flag goes away.
    repo.commit("sop-tamu.yaml", edited(v3, ("tanggal_revisi: 2024-02-01", "tanggal_revisi: 2024-05-06")),
                "Pengesahan revisi Mei 2024", "2024-05-06T14:00:00+07:00")
    history, _ = repo.history()
    assert not history.per_sop["sop-tamu"].draf and approval.check(history) == []
    assert [str(p) for p in history.per_sop["sop-tamu"].revisi[0].perubahan] == [
        "Tanggal Revisi: 01 Februari 2024 → 06 Mei 2024"]


def test_formatting_and_comments_do_not_make_a_draft(repo: Repo):
    text = "# Catatan: perbaiki salah ketik di komentar ini\n" + BASE.replace("  - no: 2\n", "\n  - no: 2\n")
    repo.commit("sop-tamu.yaml", text, "Rapikan berkas", "2024-06-01T09:00:00+07:00")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert len(h.revisi) == 2 and h.revisi[0].perubahan == [] and not h.draf


def test_uncommitted_edits_count_as_a_version_of_today(repo: Repo):
    (repo.data / "sop-tamu.yaml").write_text(edited(BASE, ("      waktu: 5 menit", "      waktu: 10 menit")),
                                            encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.revisi[0].commit == "" and h.revisi[0].pesan == "perubahan belum di-commit"
    assert [str(p) for p in h.revisi[0].perubahan] == [
        "langkah 1: waktu 5 menit → 10 menit", "jumlah waktu: 25 menit → 30 menit"]
    assert h.draf


def test_sop_diff_between_revisions(repo: Repo):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    done = sop_main("diff", "sop-tamu", first[:7], "HEAD", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert "langkah 2: waktu 15 menit → 30 menit" in done.stdout
    assert "Tanggal Revisi: - → 01 Februari 2024" in done.stdout
    plain = sop_main("diff", "sop-tamu", cwd=repo.root)  # default: the last two versions
    assert plain.stdout == done.stdout
    unknown = sop_main("diff", "sop-tidak-ada", cwd=repo.root)
    assert unknown.returncode != 0 and "sop-tidak-ada" in unknown.stderr and "Traceback" not in unknown.stderr


def test_shallow_clone_and_no_git_fall_back_with_a_warning(repo: Repo, tmp_path: Path):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    shallow = tmp_path / "dangkal"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)
    sops = load_folder(str(shallow / "sop_data")).sops
    history = read_history(sops, str(shallow / "sop_data"))
    assert not history.available and "dangkal" in history.note and history.per_sop["sop-tamu"].revisi == []
    plain = tmp_path / "tanpa-git"
    plain.mkdir()
    (plain / "sop-tamu.yaml").write_text(V2, encoding="utf-8")
    history = read_history(load_folder(str(plain)).sops, str(plain))
    assert not history.available and "git" in history.note
    done = sop_main("check", str(plain))
    assert done.returncode == 0 and "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_site_shows_history_draft_banner_latest_changes_and_draft_sheets(tmp_path: Path):
    """A real project in a real repository: two commits, the second an unapproved change of the seed."""
    from conftest import SEED

    repo = imported_sources(tmp_path, when="2024-01-10T09:00:00+07:00")
    project = repo.root
    seed = repo.data / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("waktu: 60 menit", "waktu: 90 menit", 1), "utf-8")
    repo.git("commit", "-q", "-am", "Rapat pembahasan menjadi 90 menit", when="2024-03-05T09:00:00+07:00",
             author="Dedi Kurnia")
    done = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert "belum-disahkan" in done.stderr  # the build warns, like `sop check`
    page = (project / "site" / "sop" / SEED.stem / "index.html").read_text(encoding="utf-8")
    assert "DRAF: belum disahkan" in page and "Rapat pembahasan menjadi 90 menit" in page
    assert "05 Maret 2024" in page and "Dedi Kurnia" in page and "Impor SOP Kecamatan Bungursari" in page
    assert "waktu 60 menit → 90 menit" in page
    other = (project / "site" / "sop" / "sop-surat-keterangan-domisili" / "index.html").read_text(encoding="utf-8")
    assert "DRAF" not in other.split("sop-cetak")[0]
    latest = (project / "site" / "perubahan-terbaru" / "index.html").read_text(encoding="utf-8")
    assert latest.index("Rapat pembahasan menjadi 90 menit") < latest.index("Impor SOP Kecamatan Bungursari")
    pdf = project / "site" / "pdf" / f"{SEED.stem}.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout).group(1))
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "DRAF – belum disahkan" in text, f"page {n} of the draft SOP has no DRAF mark"
    clean = subprocess.run(["pdftotext", str(project / "site" / "pdf" / "sop-surat-keterangan-domisili.pdf"), "-"],
                           capture_output=True, text=True).stdout
    assert "DRAF" not in clean
    toc = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(project / "site" / "pdf" / "buku-sop.pdf"), "-"],
                         capture_output=True, text=True).stdout
    assert "1 revisi, terakhir 05 Maret" in " ".join(toc.split()) and "(DRAF)" in toc


def test_old_versions_are_read_once_then_come_from_the_cache(repo: Repo, tmp_path: Path, monkeypatch):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    sops = load_folder(str(repo.data)).sops
    cache = tmp_path / "cache"
    first = read_history(sops, str(repo.data), cache_dir=str(cache))
    assert (cache / "history.json").is_file()

    def no_parsing(*args, **kwargs):
        raise AssertionError("an old version was parsed again")

    monkeypatch.setattr("sopcode.model.history.load_sop", no_parsing)
    again = read_history(sops, str(repo.data), cache_dir=str(cache))
    assert [[str(p) for p in r.perubahan] for r in again.per_sop["sop-tamu"].revisi] == \
        [[str(p) for p in r.perubahan] for r in first.per_sop["sop-tamu"].revisi]
    assert again.per_sop["sop-tamu"].draf == first.per_sop["sop-tamu"].draf
    (cache / "history.json").write_text("{rusak", encoding="utf-8")  # a damaged cache is a cold one
    monkeypatch.undo()
    assert [str(p) for p in read_history(sops, str(repo.data), cache_dir=str(cache)).per_sop["sop-tamu"].revisi[0].perubahan] \
        == [str(p) for p in first.per_sop["sop-tamu"].revisi[0].perubahan]


def test_summaries_made_by_other_code_are_not_trusted(repo: Repo, tmp_path: Path, monkeypatch):
    """Which fields are content is decided by the code: after an upgrade, an old version's summary
    cached by the old code must not be compared with a new one's (that would read as a false DRAF)."""
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    sops = load_folder(str(repo.data)).sops
    cache = tmp_path / "cache"
    read_history(sops, str(repo.data), cache_dir=str(cache))
    stored = (cache / "history.json").read_text(encoding="utf-8")
    # The same cache, its summaries poisoned, as if another version of the code had made them.
    poisoned = re.sub(r'"isi": ?"[0-9a-f]+"', '"isi":"0000"', stored)
    assert poisoned != stored
    (cache / "history.json").write_text(poisoned, encoding="utf-8")
    monkeypatch.setattr("sopcode.model.load.code_fingerprint", lambda: "kode-lain")
    fresh = read_history(sops, str(repo.data), cache_dir=str(cache)).per_sop["sop-tamu"]
    assert not fresh.draf and [r.pesan for r in fresh.revisi] == ["Revisi waktu", "SOP penerimaan tamu"]
    assert '"isi":"0000"' not in (cache / "history.json").read_text(encoding="utf-8")


def test_an_sop_without_an_approval_date_is_never_a_draft(repo: Repo):
    """An SOP found without its identity sheet has no approval to fall behind: an edit is no DRAF."""
    undated = edited(BASE, ("tanggal_efektif: 2024-01-05\n", ""), ("tanggal_revisi: null\n", ""))
    repo.commit("sop-tamu.yaml", undated, "SOP tanpa lembar identitas", "2024-03-01T09:00:00+07:00")
    repo.commit("sop-tamu.yaml", edited(undated, ("waktu: 15 menit", "waktu: 20 menit")), "Waktu menemui tamu",
                "2024-03-02T09:00:00+07:00")
    (repo.data / "sop-tamu.yaml").write_text(edited(undated, ("waktu: 15 menit", "waktu: 25 menit")), encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert not h.draf and h.draf_sejak is None and not approval.check(history)
    assert [r.pesan for r in h.revisi][:2] == ["perubahan belum di-commit", "Waktu menemui tamu"]


def test_a_change_at_the_end_of_a_long_text_is_listed_with_the_changed_words(tmp_path: Path):
    from sopcode.model.diff import compare
    from sopcode.model.load import load_sop

    long = ("Menerima berkas permohonan akta kelahiran, memeriksa kelengkapannya, dan mencatatnya "
            "dalam aplikasi pelayanan daring")
    old_text = edited(BASE, ("Menemui tamu dinas sesuai keperluannya", long))
    new_text = edited(old_text, ("aplikasi pelayanan daring", "aplikasi SIAK daring"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old, _ = load_sop(str(tmp_path / "a" / "sop-tamu.yaml"), data=old_text.encode())
    new, _ = load_sop(str(tmp_path / "b" / "sop-tamu.yaml"), data=new_text.encode())
    changes = [str(p) for p in compare(old, new)]
    assert len(changes) == 1, changes
    assert "pelayanan daring" in changes[0] and "SIAK daring" in changes[0], changes
    assert changes[0].startswith("langkah 2: kegiatan …"), changes


# Hostile and unlucky repositories: what git holds never stops a build nor reaches a terminal raw.

ESC_MESSAGE = "Revisi\x1ewaktu\x1f menemui tamu\x1b[2K\u2028\u202eselesai"
ESC_SHOWN = "Revisi\\x1ewaktu\\x1f menemui tamu\\x1b[2K\\u2028\\u202eselesai"


def sop(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`sop` as a user runs it, with the environment given (PATH, git's configuration); in this process
    (:func:`conftest.sop_main`), the git it runs is a real one."""
    return sop_main(*args, cwd=cwd, env=env)


def raw(done: subprocess.CompletedProcess) -> str:
    """The control characters a command wrote to the terminal (none, ever)."""
    return "".join(sorted({c for c in done.stdout + done.stderr if not c.isprintable() and c not in "\n"}))


def test_control_characters_in_messages_and_names_are_shown_not_obeyed(repo: Repo):
    """A 0x1e (the old field separator) crashed every later build; an ESC [2K erased the user's line."""
    repo.commit("sop-tamu.yaml", V2, ESC_MESSAGE, "2024-02-01T10:00:00+07:00", author="Bu\x1fdi\x1b[31m\x9b2J")
    # An unapproved change whose message has an ESC: `sop check` quotes it in its DRAF warning.
    repo.commit("sop-tamu.yaml", edited(V2, ("waktu: 5 menit", "waktu: 10 menit")), "Ubah\x1b]0;judul\x07 waktu",
                "2024-05-02T09:00:00+07:00", author="Budi\nSantoso")
    history, _ = repo.history()
    assert history.available, history.note
    assert [(r.tanggal, r.penulis, r.pesan) for r in history.per_sop["sop-tamu"].revisi] == [
        ("02 Mei 2024", "BudiSantoso", "Ubah\\x1b]0;judul\\x07 waktu"),  # git drops a newline in a name itself
        ("01 Februari 2024", "Bu\\x1fdi\\x1b[31m\\x9b2J", ESC_SHOWN),
        ("02 Januari 2024", "Rina Wati", "SOP penerimaan tamu"),
    ]
    done = sop("check", "sop_data", cwd=repo.root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "'Ubah\\x1b]0;judul\\x07 waktu'" in done.stdout and "[belum-disahkan]" in done.stdout
    assert raw(done) == ""
    diff = sop("diff", "sop-tamu", "HEAD~2", "HEAD", cwd=repo.root)
    assert diff.returncode == 0, diff.stderr
    short = [repo.git("rev-parse", "--short=7", rev).strip() for rev in ("HEAD", "HEAD~1")]
    assert diff.stdout.splitlines()[1:4] == [
        "revisi:",
        f"  {short[0]}  02 Mei 2024  BudiSantoso: Ubah\\x1b]0;judul\\x07 waktu",
        f"  {short[1]}  01 Februari 2024  Bu\\x1fdi\\x1b[31m\\x9b2J: {ESC_SHOWN}",
    ]
    assert raw(diff) == ""


def test_a_commit_git_cannot_read_does_not_stop_the_history(repo: Repo):
    """NUL cannot be written into a message by git; a forged commit object holding NULs and a newline in
    its author's line (git then prints no date: '%aI') is read as far as it goes, dated 1970."""
    (repo.root / "pesan.txt").write_bytes(b"Revisi\0waktu\n")
    refused = subprocess.run(["git", "-C", str(repo.root), "commit", "--allow-empty", "-F", "pesan.txt"],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "NUL" in refused.stderr
    (repo.root / "pesan.txt").unlink()
    (repo.data / "sop-tamu.yaml").write_text(V2, encoding="utf-8")
    repo.git("add", "sop_data")
    tree = repo.git("write-tree").strip()
    parent = repo.git("rev-parse", "HEAD").strip()
    forged = (f"tree {tree}\nparent {parent}\nauthor Bu\0di\nSantoso <b@x> 1706756400 +0700\n"
              f"committer Budi <b@x> 1706756400 +0700\n\nRevisi\0 palsu\x1b[2K\n").encode()
    sha = subprocess.run(["git", "-C", str(repo.root), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
                         input=forged, capture_output=True, check=True).stdout.decode().strip()
    repo.git("update-ref", "HEAD", sha)
    history, _ = repo.history()
    assert history.available, history.note
    assert [(r.tanggal, r.penulis, r.pesan) for r in history.per_sop["sop-tamu"].revisi] == [
        ("01 Januari 1970", "", "Revisi"), ("02 Januari 2024", "Rina Wati", "SOP penerimaan tamu")]
    assert sop("check", "sop_data", cwd=repo.root).returncode == 0


@pytest.mark.slow
def test_a_newline_in_a_file_name_leaves_every_other_history_exact(repo: Repo):
    """`commit:path` requests to cat-file were split by a newline in a name: every later answer shifted."""
    repo.commit("sop-tamu.yaml", V2, "Waktu menemui tamu menjadi 30 menit", "2024-02-01T10:00:00+07:00", "Budi")
    other = edited(BASE, ("nomor: 000.1/001/", "nomor: 000.1/002/"), ("Penerimaan Tamu Dinas", "Tamu Lain"))
    repo.commit("sop-0\nx.yaml", other, "SOP bernama aneh", "2024-03-01T09:00:00+07:00")
    repo.commit("sop-0\nx.yaml", edited(other, ("waktu: 5 menit", "waktu: 6 menit"),
                                          ("tanggal_revisi: null", "tanggal_revisi: 2024-03-02")),
                "Ubah yang aneh", "2024-03-02T09:00:00+07:00")
    history, _ = repo.history()
    assert history.available, history.note
    revs = history.per_sop["sop-tamu"].revisi
    assert [(r.tanggal, r.penulis, r.pesan, r.path) for r in revs] == [
        ("01 Februari 2024", "Budi", "Waktu menemui tamu menjadi 30 menit", "sop_data/sop-tamu.yaml"),
        ("02 Januari 2024", "Rina Wati", "SOP penerimaan tamu", "sop_data/sop-tamu.yaml"),
    ]
    assert [str(p) for p in revs[0].perubahan] == [
        "Tanggal Revisi: - → 01 Februari 2024", "langkah 2: waktu 15 menit → 30 menit",
        "jumlah waktu: 25 menit → 40 menit"]
    assert not history.per_sop["sop-tamu"].draf and not approval.check(history)
    assert "sop-0\nx" not in history.per_sop  # the odd file itself is refused, with its own message:
    refused = sop("check", "sop_data", cwd=repo.root)
    assert refused.returncode == 1 and "[nama-berkas-salah]" in refused.stdout and "sop-0\\nx" in refused.stdout
    done = sop("diff", "sop-tamu", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "revisi:", f"  {revs[0].short_id}  01 Februari 2024  Budi: Waktu menemui tamu menjadi 30 menit",
        "perubahan isi:", "  - Tanggal Revisi: - → 01 Februari 2024", "  - langkah 2: waktu 15 menit → 30 menit",
        "  - jumlah waktu: 25 menit → 40 menit"]
    assert "belum di-commit" not in sop("diff", "sop-tamu", "kerja", cwd=repo.root).stderr.replace(
        "tidak ada perubahan yang belum di-commit", "")
    checked = sop("check", "sop_data/sop-tamu.yaml", cwd=repo.root)
    assert checked.returncode == 0 and "belum-disahkan" not in checked.stdout, checked.stdout


def chown_nobody(path: Path) -> None:
    subprocess.run(["chown", "-R", "nobody", str(path)], check=True)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the repository away")
def test_a_repository_of_another_user_is_named_with_the_fix_and_the_site_still_builds(tmp_path: Path):
    """Git refuses a repository owned by someone else ('dubious ownership'): not 'no repository'."""
    from conftest import ROOT

    repo = Repo(tmp_path / "milik lain")  # a space: the command shown must survive a copy and paste
    (repo.root / "docs").mkdir()
    (repo.root / "docs" / "index.md").write_text("# SOP\n", encoding="utf-8")
    (repo.root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    repo.commit("sop-tamu.yaml", BASE, "SOP penerimaan tamu", "2024-01-02T09:00:00+07:00")
    chown_nobody(repo.root)
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1", "SUDO_UID": "", "HOME": str(tmp_path)}
    fix = f"git config --global --add safe.directory '{repo.root}'"
    done = sop("check", "sop_data", cwd=repo.root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pemiliknya pengguna lain" in done.stderr and fix in done.stderr, done.stderr
    assert "tidak berada di dalam repositori git" not in done.stderr
    built = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=repo.root, capture_output=True, text=True,
                           timeout=300, env={**os.environ, **env, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0 and fix in built.stderr, built.stderr
    page = (repo.root / "site" / "sop" / "sop-tamu" / "index.html").read_text(encoding="utf-8")
    assert "riwayat revisi dari git tidak tersedia" in page
    assert str(repo.root) not in page and "safe.directory" not in page, "the server's folders are for the build log"
    # The fix, as shown, works.
    subprocess.run(fix, shell=True, check=True, env={**os.environ, **env})
    again = sop("diff", "sop-tamu", cwd=repo.root, env=env)
    assert again.returncode == 0 and "baru punya satu versi" in again.stdout, again.stderr


def test_git_missing_from_path_is_one_note_with_the_fix(repo: Repo, tmp_path: Path):
    (tmp_path / "bin-kosong").mkdir()
    env = {"PATH": str(tmp_path / "bin-kosong")}
    done = sop("check", "sop_data", cwd=repo.root, env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("catatan:")]
    assert notes == ["catatan: program git tidak ditemukan (belum terpasang atau tidak ada di PATH); riwayat revisi "
                     "diambil dari tanggal di berkas SOP (perbaikan: pasang git, misalnya `sudo apt-get install git`, "
                     "lalu jalankan ulang)"]
    diff = sop("diff", "sop-tamu", cwd=repo.root, env=env)
    assert diff.returncode == 2 and "program git tidak ditemukan" in diff.stderr and "Traceback" not in diff.stderr


def test_a_corrupt_object_is_one_note_with_the_fix(repo: Repo):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    blob = repo.git("rev-parse", "HEAD~1:sop_data/sop-tamu.yaml").strip()
    loose = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"bukan objek git")
    done = sop("check", "sop_data", cwd=repo.root)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    [note] = [line for line in done.stderr.splitlines() if line.startswith("catatan:")]
    assert note.startswith("catatan: git gagal membaca riwayat (") and "`git fsck`" in note, note


@pytest.mark.slow  # waits out the timeout: over a second
def test_a_hung_git_is_one_note_with_the_fix(repo: Repo, tmp_path: Path, monkeypatch):
    repo.commit("sop-tamu.yaml", V2, "Revisi waktu", "2024-02-01T10:00:00+07:00")
    # A git that does not answer is given up after TIMEOUT seconds.
    fake = tmp_path / "git-macet"
    fake.mkdir()
    (fake / "git").write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 30\n", encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    monkeypatch.setattr("sopcode.model.git.TIMEOUT", 1)
    history, _ = repo.history()
    assert history.note == ("git tidak menjawab dalam 1 detik; riwayat revisi diambil dari tanggal di berkas SOP "
                               "(perbaikan: pastikan `git status` berjalan normal di folder ini, misalnya tidak ada "
                               "proses git lain yang macet atau drive jaringan yang terputus, lalu jalankan ulang)")
    assert history.per_sop["sop-tamu"].revisi == []


def test_text_from_git_is_made_safe_to_print():
    from sopcode.model.history import safe_text

    plain = "Rina Wati: ubah waktu (30 menit) – “selesai” ✓"
    assert safe_text(plain) == plain
    assert safe_text("a\x1b[2Kb\x9b2J\x07\x7f\u2028\u2029\u202e\u2066\u200b\ufeffc") == \
        "a\\x1b[2Kb\\x9b2J\\x07\\x7f\\u2028\\u2029\\u202e\\u2066\\u200b\\ufeffc"
    assert safe_text("a\tb\u00a0c\nd") == "a b c\\nd"


def test_a_huge_version_in_the_history_is_never_read(repo: Repo):
    """A 'blob bomb' (an old version far larger than an SOP may be) is left unread: no memory spent on it."""
    repo.commit("sop-tamu.yaml", BASE + " " * 3_000_000 + "\n", "Versi raksasa", "2024-02-01T10:00:00+07:00")
    repo.commit("sop-tamu.yaml", BASE, "Kembali", "2024-02-02T10:00:00+07:00")
    history, _ = repo.history()
    revisions = history.per_sop["sop-tamu"].revisi
    assert [r.pesan for r in revisions] == ["Kembali", "Versi raksasa", "SOP penerimaan tamu"]
    assert revisions[1].data is None and revisions[0].data is not None and revisions[2].data is not None
    assert history.available and not history.per_sop["sop-tamu"].draf



def test_readers_are_shown_content_changes_only_and_the_binder_no_creation_date_from_git(repo: Repo):
    """Commits that only reformat the file or touch another file are no revision for readers, and the
    first commit records the SOP in the repository: it is not its creation."""
    repo.commit("sop-tamu.yaml", "# catatan\n" + BASE, "Tambah komentar", "2024-01-20T09:00:00+07:00")
    repo.commit("sop-lain.yaml", BASE.replace("Penerimaan Tamu Dinas", "SOP lain"), "SOP lain", "2024-01-25T09:00:00+07:00")
    history, _ = repo.history()
    assert history.revision_notes() == {}  # the binder gives the file's own dates
    repo.commit("sop-tamu.yaml", "# catatan\n" + V2, "Waktu menemui tamu", "2024-02-01T10:00:00+07:00")
    repo.commit("sop-tamu.yaml", "# catatan\n\n" + V2, "Rapikan", "2024-02-02T10:00:00+07:00")
    (repo.data / "sop-tamu.yaml").write_text("# catatan\n" + V2.replace("30 menit", "45 menit"), encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert [r.pesan for r in h.for_readers()] == ["Waktu menemui tamu", "SOP penerimaan tamu"]
    assert [r.pesan for r in h.for_readers(preview=True)] == [
        "perubahan belum di-commit", "Waktu menemui tamu", "SOP penerimaan tamu"]
    assert history.revision_notes()["sop-tamu"] == "1 revisi, terakhir 01 Februari 2024"
    assert [r.pesan for _, r in history.terbaru()] == ["Waktu menemui tamu", "SOP lain", "SOP penerimaan tamu"]
