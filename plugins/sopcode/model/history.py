"""Revision history of the SOPs, read from git: who changed what, when, and whether it was approved.

One ``git log`` pass covers every file of the data folder (renames followed
with ``-M``), and one ``git cat-file --batch`` process hands over every old
version needed; a thousand SOPs cost two processes, not two thousand.

Approval
--------
An approval writes dates into the file (``tanggal_efektif``, and
``tanggal_revisi`` for a revision). Walking a file's versions from the oldest:
a version that changes those dates is an approval of its content; a version
that changes the content (anything :func:`~sopcode.model.diff.isi_disetujui`
sees: not comments, not formatting) on a day after the approval date it
carries, without changing the dates, is an unapproved change. The SOP is a
**draft** while its current content differs from the last approved content.
Uncommitted edits count as a version dated today.

Without git, or in a shallow clone (CI cloning with ``--depth 1``), there is
no trustworthy history: :func:`baca` says so once, in :attr:`Riwayat.catatan`,
and everything falls back to the dates declared in the files. So does every
other failure of git (missing from ``PATH``, a repository it refuses as owned
by someone else, a corrupt object, no answer within :data:`TIMEOUT`): one note
saying what happened and how to fix it; the history never stops a build.

Reading git's output
--------------------
Nothing a commit or a file name may contain can be mistaken for structure.
The log is read with ``-z``: fields and paths end at NUL, which neither a
path, nor an author's name, nor a commit message can hold (git refuses NUL in
a message; in a forged commit object it ends the field). Old versions are asked
of ``cat-file --batch`` by blob id (from ``--raw``), never by ``commit:path``,
so a newline in a file name cannot split a request. Git's words are read in
the C locale (a translated git says "dubious ownership" otherwise), and
pathspecs are literal (a folder named ``:(exclude)x`` or ``a*`` is that folder).

Everything written by people (authors' names, commit messages) passes through
:func:`tampak` before it is kept: control characters (an ``ESC [2K`` erases the
reader's terminal line) and invisible formatting characters (line separators,
bidirectional overrides) are shown as escapes, never passed on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field

from sopcode import cache as caches
from sopcode.diagnostics import Diagnostic, peringatan, tampak
from sopcode.model.load import content_key, content_salt, load_sop
from sopcode.model.yaml_reading import MAX_BYTES, Tolak, read_bounded
from sopcode.model.sop import Instansi, Ringkasan, Sop
from sopcode.text import format_tanggal
from sopcode.model.diff import Perubahan, bandingkan, isi_disetujui, tanggal_persetujuan

KERJA = "kerja"
"""The name of the working tree's version (uncommitted edits) in ``sop diff``."""

TIMEOUT = 300
"""Seconds one git command may take before the history is given up (a hung network drive, a lock)."""

DARI_BERKAS = "riwayat revisi diambil dari tanggal di berkas SOP"


@dataclass
class Ringkas:
    """What the approval rule needs of one version of a file: small, and cached by the file's bytes."""

    ok: bool  # the version could be read
    isi: str = ""  # fingerprint of the approved content (see perubahan.isi_disetujui)
    tanggal: str = ""  # the approval dates, as written
    disahkan: str = ""  # the latest approval date (ISO)


@dataclass
class Revisi:
    """One version of an SOP file: a commit, or uncommitted edits (``commit == ""``)."""

    commit: str
    waktu: dt.datetime
    penulis: str
    pesan: str
    path: str  # relative to the repository's top, at that commit
    data: bytes | None = None  # the file's bytes at this version
    perubahan: list[Perubahan] = field(default_factory=list)  # from the version before
    disetujui: bool = True  # False: a content change without new approval dates
    ringkas: Ringkas | None = None
    versi: dict | None = None  # this version's summary when already known (see ringkas_isi)
    _sop: Sop | None = None
    _loader: object = None  # (path, instansi) to read ``data`` with, on demand
    blob: str = ""  # git's id of the file's bytes at this commit ("" for uncommitted edits)

    @property
    def sop(self) -> Sop | None:
        """The file at this version as a model (read when first asked; ``sop diff`` asks)."""
        if self._sop is None and self.data is not None and self._loader is not None:
            path, instansi = self._loader
            self._sop = load_sop(path, instansi, data=self.data)[0]
        return self._sop

    @property
    def singkat(self) -> str:
        return self.commit[:7] if self.commit else KERJA

    @property
    def tanggal(self) -> str:
        return format_tanggal(self.waktu.date())


@dataclass
class RiwayatSop:
    sop_id: str
    revisi: list[Revisi]  # newest first
    draf: bool = False
    draf_sejak: Revisi | None = None  # the oldest unapproved change

    @property
    def terakhir(self) -> Revisi | None:
        return self.revisi[0] if self.revisi else None


@dataclass
class Riwayat:
    per_sop: dict[str, RiwayatSop]
    catatan: str | None = None  # why there is no history (no git, shallow clone), in Indonesian
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def tersedia(self) -> bool:
        return self.catatan is None

    @property
    def catatan_pembaca(self) -> str | None:
        """What readers of the site are told when there is no history. The reason and its fix
        (which may name the server's folders) are for whoever builds the site: the build log."""
        if self.catatan is None:
            return None
        return "riwayat revisi dari git tidak tersedia saat situs ini dibangun; tanggal diambil dari berkas SOP"

    @property
    def draf(self) -> set[str]:
        """SOPs whose content changed after their approval."""
        return {sid for sid, h in self.per_sop.items() if h.draf}

    def ringkasan(self) -> dict[str, str]:
        """Each SOP's revisions in a few words, for the binder's contents: "3 revisi, terakhir 06 Mei 2024"."""
        if not self.tersedia:
            return {}
        out = {}
        for sid, h in self.per_sop.items():
            commits = [r for r in h.revisi if r.commit]
            if len(commits) > 1:
                out[sid] = f"{len(commits) - 1} revisi, terakhir {commits[0].tanggal}"
            elif commits:
                out[sid] = f"dibuat {commits[0].tanggal}"
        return out

    def terbaru(self, n: int = 50) -> list[tuple[str, Revisi]]:
        """The latest revisions across all SOPs, newest first."""
        allrev = [(sid, r) for sid, h in self.per_sop.items() for r in h.revisi]
        allrev.sort(key=lambda item: item[1].waktu, reverse=True)
        return allrev[:n]


class GitGagal(Exception):
    """Git could not give the history. The message, in Indonesian, says why and how to fix it."""


def jalankan_git(root: str, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    """Run git in ``root``; a git that cannot be run or does not answer raises :class:`GitGagal`.

    Git speaks English here (its words are matched below), pathspecs are
    literal, it never prompts (a partial clone fetching from a remote would
    wait for a password), and it takes no lock.
    """
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    stdin = {} if data is not None else {"stdin": subprocess.DEVNULL}
    try:
        return subprocess.run(["git", "--literal-pathspecs", "-C", root, *args], input=data, capture_output=True,
                              timeout=TIMEOUT, env=env, **stdin)
    except FileNotFoundError:
        raise GitGagal(f"program git tidak ditemukan (belum terpasang atau tidak ada di PATH); {DARI_BERKAS} "
                       "(perbaikan: pasang git, misalnya `sudo apt-get install git`, lalu jalankan ulang)") from None
    except subprocess.TimeoutExpired:
        raise GitGagal(f"git tidak menjawab dalam {TIMEOUT} detik; {DARI_BERKAS} (perbaikan: pastikan "
                       "`git status` berjalan normal di folder ini, misalnya tidak ada proses git lain yang "
                       "macet atau drive jaringan yang terputus, lalu jalankan ulang)") from None
    except OSError as exc:
        raise GitGagal(f"program git tidak dapat dijalankan ({tampak(exc.strerror or str(exc))}); {DARI_BERKAS} "
                       "(perbaikan: periksa pemasangan git, misalnya `git --version`)") from None


def gagal(done: subprocess.CompletedProcess, root: str) -> GitGagal:
    """What a git command that failed (``done``) means for the history, and how to fix it."""
    err = done.stderr.decode("utf-8", "replace")
    if "dubious ownership" in err or "owned by someone else" in err:
        path = _unsafe_path(err) or os.path.abspath(root)
        return GitGagal(
            f"git menolak membaca repositori {tampak(path)} karena pemiliknya pengguna lain, bukan pengguna "
            f"yang menjalankan perintah ini (\"dubious ownership\"); {DARI_BERKAS} (perbaikan: bila "
            f"repositori ini tepercaya, jalankan `git config --global --add safe.directory "
            f"{tampak(shlex.quote(path))}`, atau jalankan perintah ini sebagai pemilik folder itu)")
    if "not a git repository" in err:
        return GitGagal(f"folder data SOP tidak berada di dalam repositori git; {DARI_BERKAS}")
    lines = [line for line in err.splitlines() if line.strip()]
    cause = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[0] if lines else "")
    cause = tampak(cause[:300]) or f"kode keluar {done.returncode}"
    return GitGagal(f"git gagal membaca riwayat ({cause}); {DARI_BERKAS} (perbaikan: periksa repositori "
                    "dengan `git fsck`; objek yang rusak dapat dipulihkan dengan mengklon ulang repositori)")


def _unsafe_path(err: str) -> str | None:
    """The repository git refused as someone else's, as git names it (the path may hold anything)."""
    found = re.search(r"dubious ownership in repository at '(.*)'\nTo add an exception", err, re.S)
    if found:
        return found.group(1)
    found = re.search(r"safe\.directory (.+?)\n?\Z", err, re.S)  # git 2.35.2's words: the command last
    try:
        words = shlex.split(found.group(1)) if found else []
    except ValueError:
        words = []
    return words[0] if len(words) == 1 else None


def _rusak(what: str) -> GitGagal:
    return GitGagal(f"keluaran git tidak dapat dibaca ({what}); {DARI_BERKAS} (perbaikan: periksa repositori "
                    "dengan `git fsck`; objek yang rusak dapat dipulihkan dengan mengklon ulang repositori)")


def ada_riwayat(folder: str) -> bool:
    """Whether ``folder`` has a git history to read."""
    return _toplevel(folder)[0] is not None


def _toplevel(folder: str) -> tuple[str | None, str | None]:
    """The repository holding ``folder``, or why there is none to use."""
    try:
        return _top(folder), None
    except GitGagal as exc:
        return None, str(exc)


def _top(folder: str) -> str:
    done = jalankan_git(folder, "rev-parse", "--is-shallow-repository", "--show-toplevel")
    if done.returncode != 0:
        raise gagal(done, folder)
    shallow, _, top = os.fsdecode(done.stdout).partition("\n")  # the path last: it may hold a newline
    top = top[:-1] if top.endswith("\n") else top
    if shallow.strip() == "true":
        raise GitGagal("repositori git ini salinan dangkal (shallow clone), riwayatnya tidak lengkap; "
                       f"{DARI_BERKAS} (perbaikan: ambil riwayat lengkap dengan `git fetch --unshallow`)")
    if not top:
        raise GitGagal(f"folder data SOP berada di dalam folder .git, bukan di folder kerja repositori; {DARI_BERKAS}")
    if jalankan_git(top, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        raise GitGagal(f"repositori git belum punya commit; {DARI_BERKAS}")
    return top


_SHA = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
Entri = tuple[str, str, str | None, str]
"""One file a commit touched: (status letter, blob id after the commit, old path of a rename or None, path)."""


def _log(top: str, folder_rel: str) -> list[tuple[str, dt.datetime, str, str, list[Entri]]]:
    """Every commit touching the folder, newest first, with the files it touched.

    ``-z`` output is a run of NUL-terminated tokens: four per commit (id, date,
    author, subject; none can hold a NUL), then per file touched one ``:``
    token (modes, blob ids, status; the first one after a newline) and one path,
    or two for a rename or a copy. The count of paths is known from the status,
    so a path, whatever it holds, is never read as anything else.
    """
    done = jalankan_git(top, "log", "-M", "--raw", "--no-abbrev", "-z", "--root", "--no-follow", "--no-relative",
                        "--no-color", "--no-show-signature", "--encoding=UTF-8",
                        "--format=%H%x00%aI%x00%an%x00%s", "--", folder_rel or ".")
    if done.returncode != 0:
        raise gagal(done, top)
    tokens = done.stdout.split(b"\0")
    commits: list = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if not token:
            i += 1
        elif token.startswith(b":"):
            fields = token[1:].split(b" ")
            status = fields[-1].decode("ascii", "replace")
            n = 2 if status[:1] in ("R", "C") else 1
            paths = [os.fsdecode(p) for p in tokens[i + 1:i + 1 + n]]
            if not commits or len(fields) != 5 or len(paths) != n or not all(paths):
                raise _rusak("daftar berkas pada commit tidak lengkap")
            blob = fields[3].decode("ascii", "replace") if fields[1] != b"160000" else ""  # not a submodule's commit
            commits[-1][4].append((status[:1], blob, paths[0] if n == 2 else None, paths[-1]))
            i += 1 + n
        elif _SHA.fullmatch(token) and i + 3 < len(tokens):
            when, author, subject = (t.decode("utf-8", "replace") for t in tokens[i + 1:i + 4])
            commits.append((token.decode("ascii"), _waktu(when), tampak(author), tampak(subject), []))
            i += 4
        else:
            raise _rusak("baris commit tidak dikenal")
    return commits


def _waktu(text: str) -> dt.datetime:
    """An author's date; a date git could not read from a damaged or forged commit is the epoch, not a crash."""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return _EPOCH
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def _missing(done) -> set[str]:
    """The ids ``cat-file --batch-check`` says are missing (their own answer, handled by the full read)."""
    return {line.split(b" ")[0].decode("ascii", "replace") for line in done.stdout.split(b"\n")
            if line.endswith(b" missing")}


def _blobs(top: str, ids: list[str]) -> dict[str, bytes]:
    """The bytes of each blob, from one ``git cat-file --batch`` process, asked by id (one hex word a line)."""
    wanted = list(dict.fromkeys(b for b in ids if b and b.strip("0")))
    if not wanted:
        return {}
    # Sizes first: a version larger than an SOP file may be (a "blob bomb" in the history) is not
    # read at all; that version is then one that cannot be read, like a broken one.
    sizes = jalankan_git(top, "cat-file", "--batch-check=%(objectname) %(objectsize)",
                         data="".join(f"{b}\n" for b in wanted).encode("ascii"))
    if sizes.returncode != 0:
        raise gagal(sizes, top)
    small = set()
    for line in sizes.stdout.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) == 2 and parts[1].isdigit() and int(parts[1]) <= MAX_BYTES:
            small.add(parts[0].decode("ascii"))
    big = [b for b in wanted if b not in small and b not in _missing(sizes)]
    wanted = [b for b in wanted if b not in big]
    if not wanted:
        return {}
    done = jalankan_git(top, "cat-file", "--batch", data="".join(f"{b}\n" for b in wanted).encode("ascii"))
    if done.returncode != 0:
        raise gagal(done, top)
    out, pos, found = done.stdout, 0, {}
    for blob in wanted:
        end = out.find(b"\n", pos)
        if end < 0:
            raise _rusak("jawaban cat-file terpotong")
        header = out[pos:end].split(b" ")
        pos = end + 1
        if header[:1] != [blob.encode("ascii")]:
            raise _rusak("jawaban cat-file tidak urut")
        if header[1:] == [b"missing"]:  # absent, or unreadable: then git says why on stderr
            raise gagal(done, top) if done.stderr.strip() else _rusak(f"objek {blob} tidak ada di repositori")
        if len(header) != 3 or not header[2].isdigit() or out[pos + int(header[2]):pos + int(header[2]) + 1] != b"\n":
            raise _rusak(f"objek {blob} terpotong")
        size = int(header[2])
        if header[1] == b"blob":
            found[blob] = out[pos:pos + size]
        pos += size + 1
    return found


def baca(sops: list[Sop] | list[Ringkasan], folder: str, cache_dir: str | None = None,
         instansi: Instansi | None = None) -> Riwayat:
    """The history of every SOP in ``folder`` (the files as loaded: ``sops``).

    Given summaries instead of models (``sop check``), a version is read into a
    model only when its summary is not known yet, with ``instansi``.

    ``cache_dir`` (a folder in a trusted cache root, see :mod:`sopcode.cache`; ``None``: none)
    keeps, per file version and per pair of versions, what reading them found (a fingerprint,
    the approval dates, the change list): the old versions are then parsed once, not at every build.
    """
    try:
        chains = _chains(sops, folder, instansi)
    except GitGagal as exc:
        return Riwayat({s.id: RiwayatSop(s.id, []) for s in sops}, str(exc))
    cache = _Cache(cache_dir)
    history = Riwayat({sid: _judge(sid, chain, cache) for sid, chain in chains.items()})
    cache.save()
    for sid, h in history.per_sop.items():
        now = h.revisi[0].sop if h.revisi else None  # the file as it is
        if h.draf and h.draf_sejak is not None and now is not None:
            history.diagnostics.append(_warning(now, h.draf_sejak))
    return history


def _chains(sops: list[Sop] | list[Ringkasan], folder: str, instansi: Instansi | None) -> dict[str, list[Revisi]]:
    """Each SOP's versions, newest first, with their bytes; uncommitted edits as a version of now."""
    top = _top(folder)
    rel = lambda path: os.path.relpath(os.path.realpath(path), os.path.realpath(top))  # noqa: E731
    alias = {rel(s.path): s.id for s in sops}
    chains: dict[str, list[Revisi]] = {s.id: [] for s in sops}
    for sha, when, author, subject, entries in _log(top, rel(folder)):
        for status, blob, old_path, path in entries:
            if path not in alias:
                continue
            sop_id = alias[path]
            chains[sop_id].append(Revisi(sha, when, author, subject, path, blob=blob))
            if status == "R" and old_path is not None:
                alias[old_path] = alias.pop(path)  # older commits know the file by its old name
            elif status == "A":
                del alias[path]
    by_id = {s.id: s for s in sops}
    blobs = _blobs(top, [r.blob for chain in chains.values() for r in chain])
    user = None
    for sop_id, chain in chains.items():
        sop = by_id[sop_id]
        model = sop if isinstance(sop, Sop) else None
        loader = (sop.path, model.instansi if model else instansi)
        for r in chain:
            r.data = blobs.get(r.blob)
            r._loader = loader
        head = chain[0] if chain else None
        try:
            current = read_bounded(sop.path)  # never more than an SOP file may hold
        except (OSError, Tolak):  # gone or replaced since it was loaded: its last commit stands for it
            current = head.data if head else None
        versi = None if model else sop.versi
        if head is None or head.data != current:
            user = user if user is not None else _user(top)
            work = Revisi("", dt.datetime.now().astimezone(), user, "perubahan belum di-commit",
                          rel(sop.path), current, versi=versi, _sop=model, _loader=loader)
            chain.insert(0, work)
        else:
            head.versi, head._sop = versi, model
    return chains


def ringkas_isi(sop: Sop | None) -> dict:
    """What the history needs to know of one version: a fingerprint of its approved content and its dates."""
    if sop is None:
        return {"ok": False}
    return {"ok": True, "isi": hashlib.sha1(repr(isi_disetujui(sop)).encode()).hexdigest(),
            "tanggal": repr(tanggal_persetujuan(sop)), "disahkan": _iso(_approval_date(sop))}


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def _user(top: str) -> str:
    done = jalankan_git(top, "config", "user.name")
    return tampak(done.stdout.decode("utf-8", "replace").strip()) or "(penulis belum diatur)"


def _approval_date(sop: Sop) -> dt.date | None:
    """The latest date the file says it was approved on; None when it gives none (no verdict then)."""
    return max((d for d in (sop.tanggal_efektif, sop.tanggal_revisi) if d is not None), default=None)


HISTORY_CACHE = "history"
"""The history's folder in the cache root."""


class _Cache:
    """Summaries of file versions and change lists between them, keyed by the versions' content keys.

    One JSON file for the whole history: read once, written once, and only when something new
    was learnt. A version's key is the loader's content key (:func:`load.content_key`: its bytes,
    the path and settings it is read with, our code), so a summary made by other code or other
    settings is never taken.
    """

    def __init__(self, folder: str | None):
        self.path = os.path.join(folder, "history.json") if folder else None
        found = caches.read_json(self.path)
        ok = isinstance(found, dict) and all(isinstance(found.get(k), dict) for k in ("ringkas", "perubahan"))
        self.data: dict = found if ok else {"ringkas": {}, "perubahan": {}}
        self.dirty = False
        self.salts: dict[int, bytes] = {}
        self.used: dict[str, set[str]] = {"ringkas": set(), "perubahan": set()}

    def key(self, r: Revisi) -> str:
        path, instansi = r._loader if r._loader is not None else ("", None)
        salt = self.salts.get(id(instansi))
        if salt is None:
            salt = self.salts[id(instansi)] = content_salt(instansi if instansi is not None else Instansi())
        return content_key(salt, path, r.data or b"")

    def ringkas(self, r: Revisi) -> Ringkas:
        if r.data is None:
            return Ringkas(False)
        key = self.key(r)
        self.used["ringkas"].add(key)
        found = self.data["ringkas"].get(key)
        if isinstance(found, dict):
            try:
                return Ringkas(**found)
            except TypeError:  # an entry of another shape: made again
                pass
        found = r.versi or ringkas_isi(r.sop)
        self.data["ringkas"][key] = found
        self.dirty = True
        return Ringkas(**found)

    def perubahan(self, old: Revisi, new: Revisi) -> list[Perubahan]:
        key = f"{self.key(old)}-{self.key(new)}"
        self.used["perubahan"].add(key)
        found = self.data["perubahan"].get(key)
        if not (isinstance(found, list) and all(isinstance(p, list) and len(p) == 2 for p in found)):
            found = [[p.jenis, p.teks] for p in bandingkan(old.sop, new.sop)] if old.sop and new.sop else []
            self.data["perubahan"][key] = found
            self.dirty = True
        return [Perubahan(jenis, teks) for jenis, teks in found]

    def save(self) -> None:
        """Write what this run used, when it learnt something or some entries are no longer used
        (older versions of the code or the settings, files gone)."""
        unused = any(len(self.data[k]) > len(self.used[k]) for k in self.used)
        if self.dirty or unused:
            kept = {k: {key: self.data[k][key] for key in self.used[k]} for k in self.used}
            caches.write_json(self.path, kept)  # one that cannot be written: only slower


def _judge(sop_id: str, newest_first: list[Revisi], cache: _Cache) -> RiwayatSop:
    """Changes between versions, and which content changes came without an approval."""
    approved = None
    unapproved_since = None
    previous: Revisi | None = None
    for r in reversed(newest_first):
        r.ringkas = info = cache.ringkas(r)
        if not info.ok:  # a version that could not be read (broken YAML then): no verdict
            continue
        if previous is None:
            approved = info.isi
        else:
            r.perubahan = cache.perubahan(previous, r)
            if info.tanggal != previous.ringkas.tanggal:
                approved, unapproved_since = info.isi, None  # new dates: this content is approved
            elif info.isi != previous.ringkas.isi and info.disahkan:  # no approval date: no verdict
                if r.waktu.date() <= dt.date.fromisoformat(info.disahkan):
                    approved, unapproved_since = info.isi, None  # changed before the approval it carries
                else:
                    r.disetujui = False
                    unapproved_since = unapproved_since or r
        previous = r
        if approved is not None and info.isi == approved:
            unapproved_since = None
    # Without an approval date in the file there is no approval to be behind: no verdict.
    draft = (previous is not None and approved is not None and bool(previous.ringkas.disahkan)
             and previous.ringkas.isi != approved)
    return RiwayatSop(sop_id, newest_first, draft, unapproved_since if draft else None)


def _warning(sop: Sop, since: Revisi) -> Diagnostic:
    key = "tanggal_revisi" if sop.tanggal_revisi is not None else "tanggal_efektif"
    where = sop.pos.get(key) or sop.loc
    what = f"commit {since.singkat} '{since.pesan}'" if since.commit else "perubahan yang belum di-commit"
    return peringatan(
        where, "belum-disahkan",
        f"isi SOP berubah pada {since.tanggal} ({what}) setelah tanggal pengesahan "
        f"{format_tanggal(_approval_date(sop))}, tetapi tanggalnya tidak diperbarui; SOP ini berstatus DRAF",
        "bila perubahan sudah disahkan, isi `tanggal_revisi` dengan tanggal pengesahannya; "
        "bila belum, biarkan: situs dan lembar cetak menandainya DRAF")
