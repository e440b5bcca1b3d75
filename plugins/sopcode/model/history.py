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
Uncommitted edits count as a version dated today for ``sop check`` and under ``mkdocs serve``
(a preview); a built site judges the committed versions only (:meth:`SopHistory.verdict`).

Without git, or in a shallow clone (CI cloning with ``--depth 1``), there is
no trustworthy history: :func:`read_history` says so once, in :attr:`History.note`,
and everything falls back to the dates declared in the files. So does every
other failure of git (missing from ``PATH``, a repository it refuses as owned
by someone else, a corrupt object, no answer within :data:`sopcode.model.git.TIMEOUT`): one note
saying what happened and how to fix it; the history never stops a build.

Git itself is run by :mod:`sopcode.model.git`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field

from sopcode import cache as caches
from sopcode.diagnostics import safe_text
from sopcode.model.diff import Change, compare, isi_disetujui, tanggal_persetujuan
from sopcode.model.git import GitError, ancestors, blobs, log, toplevel, user_name
from sopcode.model.load import content_key, content_salt, load_sop
from sopcode.model.sop import Instansi, Sop, Summary
from sopcode.model.yaml_reading import NotRead, read_bounded
from sopcode.text import format_tanggal

WORKING_TREE = "kerja"
"""The name of the working tree's version (uncommitted edits) in ``sop diff``."""


@dataclass
class VersionDigest:
    """What the approval rule needs of one version of a file: small, and cached by the file's bytes."""

    ok: bool  # the version could be read
    isi: str = ""  # fingerprint of the approved content (see perubahan.isi_disetujui)
    tanggal: str = ""  # the approval dates, as written
    disahkan: str = ""  # the latest approval date (ISO)
    akhir: str = ""  # the withdrawal and the replacement, as written (see content_digest)


@dataclass
class Revision:
    """One version of an SOP file: a commit, or uncommitted edits (``commit == ""``)."""

    commit: str
    waktu: dt.datetime
    penulis: str
    pesan: str
    path: str  # relative to the repository's top, at that commit
    data: bytes | None = None  # the file's bytes at this version
    perubahan: list[Change] = field(default_factory=list)  # from the version before
    disetujui: bool = True  # False: a content change without new approval dates
    digest: VersionDigest | None = None
    versi: dict | None = None  # this version's summary when already known (see content_digest)
    _sop: Sop | None = None
    _loader: tuple[str, Instansi | None] | None = None  # (path, instansi) to read ``data`` with, on demand
    blob: str = ""  # git's id of the file's bytes at this commit ("" for uncommitted edits)

    @property
    def sop(self) -> Sop | None:
        """The file at this version as a model (read when first asked; ``sop diff`` asks)."""
        if self._sop is None and self.data is not None and self._loader is not None:
            path, instansi = self._loader
            self._sop = load_sop(path, instansi, data=self.data)[0]
        return self._sop

    @property
    def short_id(self) -> str:
        return self.commit[:7] if self.commit else WORKING_TREE

    @property
    def tanggal(self) -> str:
        return format_tanggal(self.waktu.date())


@dataclass
class SopHistory:
    sop_id: str
    revisi: list[Revision]  # newest first
    draf: bool = False
    draf_sejak: Revision | None = None  # the oldest unapproved change
    draf_tersimpan: bool = False  # the same verdict, from the committed versions only
    draf_tersimpan_sejak: Revision | None = None
    berlaku: Revision | None = None  # a committed draft's version in force: the newest with the approved content
    berlaku_pratinjau: Revision | None = None  # the same, uncommitted edits included

    @property
    def terakhir(self) -> Revision | None:
        return self.revisi[0] if self.revisi else None

    @property
    def tercatat(self) -> bool:
        """Whether the file was ever committed."""
        return any(r.commit for r in self.revisi)

    def verdict(self, preview: bool = True) -> tuple[bool, Revision | None]:
        """(draft, the oldest unapproved change): with uncommitted edits when ``preview`` (``sop check``,
        ``mkdocs serve``), else from the committed versions only (a built site)."""
        if preview:
            return self.draf, self.draf_sejak
        return self.draf_tersimpan, self.draf_tersimpan_sejak

    def in_force(self, preview: bool = True) -> Revision | None:
        """A draft's version in force (a commit holding the last approved content); None when the SOP is
        no draft, or when that content was never committed."""
        found = self.berlaku_pratinjau if preview else self.berlaku
        return found if found is not None and found.commit else None

    def for_readers(self, preview: bool = False) -> list[Revision]:
        """The revisions readers are shown, newest first: the first version recorded in the repository,
        then each that changed the content or its approval dates (not one that only reformats the file,
        edits its comments, or was made for other files). Uncommitted edits only when ``preview``
        (``mkdocs serve``), and only when they change the content too."""
        shown: list[Revision] = []
        before: VersionDigest | None = None
        for r in reversed(self.revisi):
            info = r.digest
            if info is None or not info.ok:  # unreadable (broken YAML): nothing to tell readers
                continue
            changed = before is None or (info.isi, info.tanggal, info.akhir) != (before.isi, before.tanggal, before.akhir)
            before = info
            if changed and (r.commit or preview):
                shown.append(r)
        return shown[::-1]


@dataclass
class History:
    per_sop: dict[str, SopHistory]
    note: str | None = None  # why there is no history (no git, shallow clone), in Indonesian

    @property
    def available(self) -> bool:
        return self.note is None

    @property
    def reader_note(self) -> str | None:
        """What readers of the site are told when there is no history. The reason and its fix
        (which may name the server's folders) are for whoever builds the site: the build log."""
        if self.note is None:
            return None
        return "riwayat revisi dari git tidak tersedia saat situs ini dibangun; tanggal diambil dari berkas SOP"

    @property
    def draf(self) -> set[str]:
        """SOPs whose content changed after their approval (uncommitted edits included)."""
        return self.drafts(preview=True)

    def drafts(self, preview: bool) -> set[str]:
        """SOPs whose content changed after their approval; uncommitted edits count only when ``preview``."""
        return {sid for sid, h in self.per_sop.items() if h.verdict(preview)[0]}

    def revision_notes(self) -> dict[str, str]:
        """Each SOP's revisions in a few words, for the binder's contents: "3 revisi, terakhir 06 Mei 2024"."""
        if not self.available:
            return {}
        out = {}
        for sid, h in self.per_sop.items():
            # The first commit only records the SOP in the repository: its creation date is the
            # file's own (tanggal_pembuatan); an SOP never changed since gets the declared dates.
            commits = h.for_readers()
            if len(commits) > 1:
                out[sid] = f"{len(commits) - 1} revisi, terakhir {commits[0].tanggal}"
        return out

    def terbaru(self, n: int = 50, preview: bool = False) -> list[tuple[str, Revision]]:
        """The latest revisions across all SOPs, newest first (as :meth:`SopHistory.for_readers` shows them)."""
        allrev = [(sid, r) for sid, h in self.per_sop.items() for r in h.for_readers(preview)]
        allrev.sort(key=lambda item: item[1].waktu, reverse=True)
        return allrev[:n]


def read_history(sops: list[Sop] | list[Summary], folder: str, cache_dir: str | None = None,
                 instansi: Instansi | None = None) -> History:
    """The history of every SOP in ``folder`` (the files as loaded: ``sops``).

    Given summaries instead of models (``sop check``), a version is read into a
    model only when its summary is not known yet, with ``instansi``.

    ``cache_dir`` (a folder in a trusted cache root, see :mod:`sopcode.cache`; ``None``: none)
    keeps, per file version and per pair of versions, what reading them found (a fingerprint,
    the approval dates, the change list): the old versions are then parsed once, not at every build.
    """
    try:
        chains = _chains(sops, folder, instansi)
    except GitError as exc:
        return History({s.id: SopHistory(s.id, []) for s in sops}, str(exc))
    cache = _Cache(cache_dir)
    history = History({sid: _judge(sid, chain, cache) for sid, chain in chains.items()})
    cache.save()
    return history


def find_revision(revisions: list[Revision], name: str, folder: str) -> Revision:
    """A version of the file by commit name, or :data:`WORKING_TREE` for uncommitted edits; an arbitrary
    commit means the version in force at it (the newest among its ancestors). Raises LookupError
    with the reason in Indonesian."""
    if name == WORKING_TREE:
        if revisions and revisions[0].commit == "":
            return revisions[0]
        raise LookupError("tidak ada perubahan yang belum di-commit")
    found = ancestors(folder, name)
    for r in revisions:
        if r.commit and r.commit in found:
            return r
    raise LookupError(f"SOP ini belum ada pada revisi '{safe_text(name)}'")


def _chains(sops: list[Sop] | list[Summary], folder: str, instansi: Instansi | None) -> dict[str, list[Revision]]:
    """Each SOP's versions, newest first, with their bytes; uncommitted edits as a version of now."""
    top = toplevel(folder)
    rel = lambda path: os.path.relpath(os.path.realpath(path), os.path.realpath(top))
    alias = {rel(s.path): s.id for s in sops}
    chains: dict[str, list[Revision]] = {s.id: [] for s in sops}
    for sha, when, author, subject, entries in log(top, rel(folder)):
        for status, blob, old_path, path in entries:
            if path not in alias:
                continue
            sop_id = alias[path]
            chains[sop_id].append(Revision(sha, when, author, subject, path, blob=blob))
            if status == "R" and old_path is not None:
                alias[old_path] = alias.pop(path)  # older commits know the file by its old name
            elif status == "A":
                del alias[path]
    by_id = {s.id: s for s in sops}
    contents = blobs(top, [r.blob for chain in chains.values() for r in chain])
    user = None
    for sop_id, chain in chains.items():
        sop = by_id[sop_id]
        model = sop if isinstance(sop, Sop) else None
        loader = (sop.path, model.instansi if model else instansi)
        for r in chain:
            r.data = contents.get(r.blob)
            r._loader = loader
        head = chain[0] if chain else None
        current: bytes | None
        try:
            current = read_bounded(sop.path)  # never more than an SOP file may hold
        except (OSError, NotRead):  # gone or replaced since it was loaded: its last commit stands for it
            current = head.data if head else None
        versi = None if isinstance(sop, Sop) else sop.versi
        if head is None or head.data != current:
            user = user if user is not None else user_name(top)
            work = Revision("", dt.datetime.now().astimezone(), user, "perubahan belum di-commit",
                          rel(sop.path), current, versi=versi, _sop=model, _loader=loader)
            chain.insert(0, work)
        else:
            head.versi, head._sop = versi, model
    return chains


ENDING = ("dicabut", "diganti_oleh")
"""The keys that end an SOP's life. Not part of its approved content: withdrawing or replacing an SOP is a
decision of its own (with its own date), not an unapproved change of the procedure, so a file changed after
its approval only by them is no draft, and its sheets (which print neither) show the approved content.
Readers still see the commit that wrote them in the history."""


def content_digest(sop: Sop | None) -> dict:
    """What the history needs to know of one version: a fingerprint of its approved content, its dates,
    and its withdrawal or replacement."""
    if sop is None:
        return {"ok": False}
    isi = tuple((name, value) for name, value in isi_disetujui(sop) if name not in ENDING)
    return {"ok": True, "isi": hashlib.sha1(repr(isi).encode()).hexdigest(),
            "tanggal": repr(tanggal_persetujuan(sop)), "disahkan": _iso(approval_date(sop)),
            "akhir": repr(tuple(getattr(sop, name) for name in ENDING))}


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def approval_date(sop: Sop) -> dt.date | None:
    """The latest date the file says it was approved on; None when it gives none (no verdict then)."""
    return max((d for d in (sop.tanggal_efektif, sop.tanggal_revisi) if d is not None), default=None)


HISTORY_CACHE = "history"
"""The history's folder in the cache root."""


def history_cache(cache_root: str | None, folder: str) -> str | None:
    """The history cache of one data folder: named by its path alone, so a new version of our
    code finds it again (``None`` without a cache root)."""
    if not cache_root:
        return None
    return os.path.join(cache_root, HISTORY_CACHE, hashlib.sha256(os.fsencode(os.path.abspath(folder))).hexdigest()[:16])


class _Cache:
    """Summaries of file versions and change lists between them, keyed by the versions' content keys.

    One JSON file for the whole history: read once, written once, and only when something new
    was learnt. A version's key is the loader's content key (:func:`sopcode.model.load.content_key`: its bytes,
    the path and settings it is read with, our code), so a summary made by other code or other
    settings is never taken.
    """

    def __init__(self, folder: str | None):
        self.path = os.path.join(folder, "history.json") if folder else None
        found = caches.read_json(self.path)
        ok = isinstance(found, dict) and all(isinstance(found.get(k), dict) for k in ("digest", "perubahan"))
        self.data: dict = found if ok else {"digest": {}, "perubahan": {}}
        self.dirty = False
        self.salts: dict[int, bytes] = {}
        self.used: dict[str, set[str]] = {"digest": set(), "perubahan": set()}

    def key(self, r: Revision) -> str:
        path, instansi = r._loader if r._loader is not None else ("", None)
        salt = self.salts.get(id(instansi))
        if salt is None:
            salt = self.salts[id(instansi)] = content_salt(instansi if instansi is not None else Instansi())
        return content_key(salt, path, r.data or b"")

    def digest(self, r: Revision) -> VersionDigest:
        if r.data is None:
            return VersionDigest(False)
        key = self.key(r)
        self.used["digest"].add(key)
        found = self.data["digest"].get(key)
        if isinstance(found, dict):
            try:
                return VersionDigest(**found)
            except TypeError:  # an entry of another shape: made again
                pass
        found = r.versi or content_digest(r.sop)
        self.data["digest"][key] = found
        self.dirty = True
        return VersionDigest(**found)

    def perubahan(self, old: Revision, new: Revision) -> list[Change]:
        key = f"{self.key(old)}-{self.key(new)}"
        self.used["perubahan"].add(key)
        found = self.data["perubahan"].get(key)
        if not (isinstance(found, list) and all(isinstance(p, list) and len(p) == 2 for p in found)):
            found = [[p.jenis, p.teks] for p in compare(old.sop, new.sop)] if old.sop and new.sop else []
            self.data["perubahan"][key] = found
            self.dirty = True
        return [Change(jenis, teks) for jenis, teks in found]

    def save(self) -> None:
        """Write what this run used, when it learnt something or some entries are no longer used
        (older versions of the code or the settings, files gone)."""
        unused = any(len(self.data[k]) > len(self.used[k]) for k in self.used)
        if self.dirty or unused:
            kept = {k: {key: self.data[k][key] for key in self.used[k]} for k in self.used}
            caches.write_json(self.path, kept)  # one that cannot be written: only slower


def _judge(sop_id: str, newest_first: list[Revision], cache: _Cache) -> SopHistory:
    """Changes between versions, and which content changes came without an approval: with the
    uncommitted edits, and from the committed versions alone."""
    committed = [r for r in newest_first if r.commit]
    saved = _walk(committed, cache)
    draft, since, in_force = _walk(newest_first, cache) if len(committed) != len(newest_first) else saved
    return SopHistory(sop_id, newest_first, draft, since, *saved, berlaku_pratinjau=in_force)


def _walk(newest_first: list[Revision], cache: _Cache) -> tuple[bool, Revision | None, Revision | None]:
    """Whether the newest version is a draft, its oldest unapproved change, and the newest version holding
    the last approved content (when a draft: the version in force); marks each version's
    changes from the one before and whether it was approved (the same marks whichever prefix is walked)."""
    approved = None
    approved_at: Revision | None = None
    unapproved_since = None
    previous: Revision | None = None
    before = VersionDigest(False)  # previous's digest
    for r in reversed(newest_first):
        r.digest = info = cache.digest(r)
        if not info.ok:  # a version that could not be read (broken YAML then): no verdict
            continue
        if previous is None:
            approved = info.isi
        else:
            r.perubahan = cache.perubahan(previous, r)
            if info.tanggal != before.tanggal:
                approved, unapproved_since = info.isi, None  # new dates: this content is approved
            elif info.isi != before.isi and info.disahkan:  # no approval date: no verdict
                if r.waktu.date() <= dt.date.fromisoformat(info.disahkan):
                    approved, unapproved_since = info.isi, None  # changed before the approval it carries
                else:
                    r.disetujui = False
                    unapproved_since = unapproved_since or r
        previous, before = r, info
        if approved is not None and info.isi == approved:
            unapproved_since, approved_at = None, r
    # Without an approval date in the file there is no approval to be behind: no verdict.
    draft = (previous is not None and approved is not None and bool(before.disahkan)
             and before.isi != approved)
    return draft, unapproved_since if draft else None, approved_at if draft else None
