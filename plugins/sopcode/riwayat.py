"""Revision history of the SOPs, read from git: who changed what, when, and whether it was approved.

One ``git log`` pass covers every file of the data folder (renames followed
with ``-M``), and one ``git cat-file --batch`` process hands over every old
version needed; a thousand SOPs cost two processes, not two thousand.

Approval
--------
An approval writes dates into the file (``tanggal_efektif``, and
``tanggal_revisi`` for a revision). Walking a file's versions from the oldest:
a version that changes those dates is an approval of its content; a version
that changes the content (anything :func:`~sopcode.perubahan.isi_disetujui`
sees: not comments, not formatting) on a day after the approval date it
carries, without changing the dates, is an unapproved change. The SOP is a
**draft** while its current content differs from the last approved content.
Uncommitted edits count as a version dated today.

Without git, or in a shallow clone (CI cloning with ``--depth 1``), there is
no trustworthy history: :func:`baca` says so once, in :attr:`Riwayat.catatan`,
and everything falls back to the dates declared in the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field

from .atomic import write_atomic
from .cache import code_fingerprint
from .diagnostics import Diagnostic, peringatan
from .load import load_sop
from .model import Instansi, Ringkasan, Sop
from .perubahan import Perubahan, bandingkan, isi_disetujui, tanggal_persetujuan
from .spec import format_tanggal

KERJA = "kerja"
"""The name of the working tree's version (uncommitted edits) in ``sop diff``."""


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


def _git(root: str, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", root, *args], input=data, capture_output=True, timeout=300)


def ada_riwayat(folder: str) -> bool:
    """Whether ``folder`` has a git history to read."""
    return _toplevel(folder)[0] is not None


def _toplevel(folder: str) -> tuple[str | None, str | None]:
    """The repository holding ``folder``, or why there is none to use."""
    try:
        done = _git(folder, "rev-parse", "--show-toplevel", "--is-shallow-repository")
    except FileNotFoundError:
        return None, "program git tidak terpasang; riwayat revisi diambil dari tanggal di berkas SOP"
    except subprocess.TimeoutExpired:
        return None, "git tidak menjawab; riwayat revisi diambil dari tanggal di berkas SOP"
    if done.returncode != 0:
        return None, ("folder data SOP tidak berada di dalam repositori git; "
                      "riwayat revisi diambil dari tanggal di berkas SOP")
    top, shallow = done.stdout.decode().split("\n")[:2]
    if shallow.strip() == "true":
        return None, ("repositori git ini salinan dangkal (shallow clone), riwayatnya tidak lengkap; "
                      "riwayat revisi diambil dari tanggal di berkas SOP (klon penuh: git fetch --unshallow)")
    if _git(top, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        return None, "repositori git belum punya commit; riwayat revisi diambil dari tanggal di berkas SOP"
    return top, None


def _log(top: str, folder_rel: str) -> list[tuple[str, dt.datetime, str, str, list[tuple[str, ...]]]]:
    """Every commit touching the folder, newest first, with its name-status entries."""
    done = _git(top, "log", "-M", "--name-status", "-z", "--format=%x1e%H%x1f%aI%x1f%an%x1f%s",
                "--", folder_rel or ".")
    if done.returncode != 0:
        return []
    commits = []
    for chunk in done.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        header, _, rest = chunk.partition("\0")
        sha, when, author, subject = (header.split("\x1f") + ["", "", "", ""])[:4]
        tokens = [t for t in rest.lstrip("\n").split("\0") if t and t != "\n"]
        entries, i = [], 0
        while i < len(tokens):
            status = tokens[i].strip()
            if status[:1] in ("R", "C"):
                entries.append((status[0], tokens[i + 1], tokens[i + 2]))
                i += 3
            else:
                entries.append((status[:1], tokens[i + 1]))
                i += 2
        commits.append((sha, dt.datetime.fromisoformat(when), author, subject, entries))
    return commits


def _blobs(top: str, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The file at each (commit, path), from one ``git cat-file --batch`` process."""
    if not wanted:
        return {}
    request = "".join(f"{c}:{p}\n" for c, p in wanted).encode("utf-8")
    done = _git(top, "cat-file", "--batch", data=request)
    out, pos, found = done.stdout, 0, {}
    for key in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[key] = out[pos:pos + size]
            pos += size + 1
    return found


def baca(sops: list[Sop] | list[Ringkasan], folder: str, cache_dir: str | None = None,
         instansi: Instansi | None = None) -> Riwayat:
    """The history of every SOP in ``folder`` (the files as loaded: ``sops``).

    Given summaries instead of models (``sop check``), a version is read into a
    model only when its summary is not known yet, with ``instansi``.

    ``cache_dir`` keeps, per file version and per pair of versions, what reading
    them found (a fingerprint, the approval dates, the change list): the old
    versions are then parsed once, not at every build.
    """
    top, why = _toplevel(folder)
    if top is None:
        return Riwayat({s.id: RiwayatSop(s.id, []) for s in sops}, why)
    rel = lambda path: os.path.relpath(os.path.realpath(path), os.path.realpath(top))  # noqa: E731
    alias = {rel(s.path): s.id for s in sops}
    chains: dict[str, list[Revisi]] = {s.id: [] for s in sops}
    for sha, when, author, subject, entries in _log(top, rel(folder)):
        for entry in entries:
            status, path = entry[0], entry[-1]
            if path not in alias:
                continue
            sop_id = alias[path]
            chains[sop_id].append(Revisi(sha, when, author, subject, path))
            if status == "R":
                alias[entry[1]] = alias.pop(path)  # older commits know the file by its old name
            elif status == "A":
                del alias[path]
    by_id = {s.id: s for s in sops}
    blobs = _blobs(top, [(r.commit, r.path) for chain in chains.values() for r in chain])
    for sop_id, chain in chains.items():
        sop = by_id[sop_id]
        model = sop if isinstance(sop, Sop) else None
        loader = (sop.path, model.instansi if model else instansi)
        for r in chain:
            r.data = blobs.get((r.commit, r.path))
            r._loader = loader
        head = chain[0] if chain else None
        current = open(sop.path, "rb").read()
        versi = None if model else sop.versi
        if head is None or head.data != current:
            work = Revisi("", dt.datetime.now().astimezone(), _user(top), "perubahan belum di-commit",
                          rel(sop.path), current, versi=versi, _sop=model, _loader=loader)
            chain.insert(0, work)
        else:
            head.versi, head._sop = versi, model
    # Beside the project's other caches (`.cache/` next to the data folder, ignored by git).
    cache = _Cache(cache_dir or os.path.join(os.path.dirname(os.path.abspath(folder)), ".cache", "sop", "riwayat"))
    history = Riwayat({sid: _judge(sid, chain, cache) for sid, chain in chains.items()})
    cache.save()
    for sid, h in history.per_sop.items():
        now = h.revisi[0].sop if h.revisi else None  # the file as it is
        if h.draf and h.draf_sejak is not None and now is not None:
            history.diagnostics.append(_warning(now, h.draf_sejak))
    return history


def ringkas_isi(sop: Sop | None) -> dict:
    """What the history needs to know of one version: a fingerprint of its approved content and its dates."""
    if sop is None:
        return {"ok": False}
    return {"ok": True, "isi": hashlib.sha1(repr(isi_disetujui(sop)).encode()).hexdigest(),
            "tanggal": repr(tanggal_persetujuan(sop)), "disahkan": _iso(_approval_date(sop))}


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def _user(top: str) -> str:
    done = _git(top, "config", "user.name")
    return done.stdout.decode().strip() or "(penulis belum diatur)"


def _approval_date(sop: Sop) -> dt.date | None:
    """The latest date the file says it was approved on; None when it gives none (no verdict then)."""
    return max((d for d in (sop.tanggal_efektif, sop.tanggal_revisi) if d is not None), default=None)


class _Cache:
    """Summaries of file versions and change lists between them, keyed by the files' bytes.

    One JSON file for the whole history: read once, written once (atomically),
    and only when something new was learnt. What a version's summary holds is
    decided by our code (which fields are content): a cache made by other code
    is not read, or an old version's summary would differ from a new one's only
    because the code changed.
    """

    VERSION = "2"

    def __init__(self, folder: str | None):
        self.path = os.path.join(folder, "riwayat.json") if folder else None
        self.version = f"{self.VERSION}-{code_fingerprint()}"
        self.data: dict = {"versi": self.version, "ringkas": {}, "perubahan": {}}
        self.dirty = False
        if self.path and os.path.isfile(self.path):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    loaded = json.load(fh)
                if loaded.get("versi") == self.version:
                    self.data = loaded
            except (OSError, ValueError):
                pass  # a damaged cache is a cold cache

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha1(data).hexdigest()

    def ringkas(self, r: Revisi) -> Ringkas:
        if r.data is None:
            return Ringkas(False)
        key = self.key(r.data)
        found = self.data["ringkas"].get(key)
        if found is None:
            found = r.versi or ringkas_isi(r.sop)
            self.data["ringkas"][key] = found
            self.dirty = True
        return Ringkas(**found)

    def perubahan(self, old: Revisi, new: Revisi) -> list[Perubahan]:
        key = f"{self.key(old.data or b'')}-{self.key(new.data or b'')}"
        found = self.data["perubahan"].get(key)
        if found is None:
            found = [[p.jenis, p.teks] for p in bandingkan(old.sop, new.sop)] if old.sop and new.sop else []
            self.data["perubahan"][key] = found
            self.dirty = True
        return [Perubahan(jenis, teks) for jenis, teks in found]

    def save(self) -> None:
        if self.path and self.dirty:
            write_atomic(self.path, json.dumps(self.data, ensure_ascii=False))


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
