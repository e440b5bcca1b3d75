"""The checks: one module per family of rules, each rule with a code.

``check(paths)`` loads every SOP under the paths and runs all rules; the CLI
and the MkDocs build both call it, so a message reads the same everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sopcode import cache
from sopcode.cache import Sharded, no_gc
from sopcode.diagnostics import Diagnostic, peringatan
from sopcode.model.codec import FINDINGS, SUMMARY
from sopcode.model.due import dues
from sopcode.model.evaluation import EVALUASI_FOLDER, Evaluation, check_evaluation, load_evaluation
from sopcode.model.git import has_history
from sopcode.model.history import HISTORY_CACHE, History, content_digest, history_cache, read_history
from sopcode.model.institutions import data_root, institution_of, make_id, resolve
from sopcode.model.load import (
    Loaded,
    content_key,
    content_salt,
    find_sop_files,
    find_with_settings,
    load_folder,
    load_sop,
    read_for_key,
    sop_id,
)
from sopcode.model.monitoring import MONEV_FOLDER, Monitoring, check_monitoring, load_monitoring
from sopcode.model.sop import Instansi, Sop, Summary
from sopcode.model.status import statuses
from sopcode.rules import approval, corpus, due, folder_names, hierarchy, identity, limits, logo, steps, wording
from sopcode.workers import per_core

PER_SOP = (limits.check, steps.check, identity.check, wording.check)


def check_sop(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule_family in PER_SOP:
        found.extend(rule_family(sop))
    return found


@dataclass
class Report:
    loaded: Loaded
    diagnostics: list[Diagnostic]
    history: History | None = None
    """The git history of the SOPs checked (None when not asked for)."""
    summaries: list[Summary] = field(default_factory=list)
    """A summary of every SOP that loaded (with or without its model)."""
    broken: list[str] = field(default_factory=list)
    """The SOP files checked that did not load (their errors are listed first)."""
    monitoring: Monitoring = field(default_factory=Monitoring)
    """The monitoring records of the data folders checked (their ``_monev/`` subfolders)."""
    evaluation: Evaluation = field(default_factory=Evaluation)
    """The evaluation records of the data folders checked (their ``_evaluasi/`` subfolders)."""

    @property
    def sops(self) -> list[Sop]:
        return self.loaded.sops

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


AUTO = "auto"


def check(paths: list[str] | str, corpus_paths: list[str] | None = None, history: bool = True,
          cache_dir: str | None = AUTO, models: bool = True, today: dt.date | None = None,
          known_elsewhere: frozenset[str] = frozenset()) -> Report:
    """Load and check; cross-SOP rules look at ``corpus_paths`` too (default: the same).

    With ``history``, the git history is read too, and an SOP whose content
    changed after its approval without new dates is warned about.
    ``cache_dir`` keeps what was found per file, keyed by each file's bytes
    (``auto``: :func:`sopcode.cache.root` of the paths; ``None``: no cache).
    Without ``models`` (``sop check``), only findings and summaries are kept:
    files not cached are read in worker processes, one per core, and no
    model is sent back or stored (the site build keeps its own).
    ``today``: the day monitoring and evaluation are judged overdue on (default: the real today).
    ``known_elsewhere``: ids of SOPs that exist outside what is checked (the project's data folder,
    for SOP files staged elsewhere by ``sop impor``): referring to them is not wrong.
    """
    if isinstance(paths, str):
        paths = [paths]
    # Only a cache this user's own builds made is read (see cache.root).
    # An institution's folder checked alone keeps the project's cache (beside the data folder, never in it).
    data = (data_root(paths[0]) if os.path.isdir(paths[0]) else paths[0]) if paths else None
    cache_dir = cache.root(data) if cache_dir == AUTO else cache.trusted(cache_dir)
    if models:
        loaded = load_folder(paths, cache_dir)
        diagnostics = list(loaded.diagnostics)
        diagnostics.extend(_per_sop(loaded, cache_dir))
        mine = [Summary.of(s) for s in loaded.sops]
        good = {s.path for s in loaded.sops}
        broken = [path for path in loaded.content_keys if path not in good]
    else:
        files, loaded = find_with_settings(paths)
        diagnostics = list(loaded.diagnostics)
        mine = []
        broken = []
        # The history's summary of each version is made with the model, only where there is a history.
        versions = history and bool(files) and has_history(os.path.dirname(os.path.abspath(files[0])))
        for path, key, summary, diags in summarise(files, loaded, cache_dir, versions):
            loaded.content_keys[path] = key
            diagnostics.extend(diags)
            if summary is not None:
                mine.append(summary)
            else:
                broken.append(path)
    diagnostics.extend(logo.check_all(loaded.institutions.values()))
    diagnostics.extend(hierarchy.check_all(loaded.institutions))
    diagnostics.extend(folder_names.check_all(loaded.institutions))
    others = mine
    # A file that does not load still exists: SOPs referring to it are not wrong, its own errors say what is.
    broken_ids = {sop_id(path, loaded.settings_of(path).kode) for path in broken} | set(known_elsewhere)
    if corpus_paths is not None:
        have = {os.path.realpath(p) for p in [s.path for s in mine] + broken + loaded.refused}
        files, _ = find_sop_files(list(corpus_paths))
        rest = [f for f in files if os.path.realpath(f) not in have]
        if rest:  # only the files not loaded already (checking a whole folder loads nothing twice)
            rest, rest_loaded = find_with_settings(rest)
            others = list(mine)
            for path, _, summary, _ in summarise(rest, rest_loaded, cache_dir):
                if summary is not None:
                    others.append(summary)
                else:
                    broken_ids.add(sop_id(path, rest_loaded.settings_of(path).kode))
    checked = {s.path for s in mine}
    diagnostics.extend(d for d in corpus.check(others, broken_ids, checked) if d.loc.path in checked)
    ids = {s.id for s in others} | broken_ids
    folders = record_folders(paths, loaded)
    monitoring = _monitoring(folders, ids, diagnostics)
    evaluation = _evaluation(folders, others, broken_ids, diagnostics)
    git_history = history_of(loaded.sops if models else mine, loaded, cache_dir) if history else None
    if git_history is not None:
        diagnostics.extend(approval.check(git_history))
    today = today or dt.date.today()
    drafts = git_history.draf if git_history is not None else set()
    # As the site decides it: each replacement looked up among all SOPs known (it takes over from its own date).
    in_force = statuses(others, today, drafts)
    # Each SOP is judged by its own institution's records folder: the nearest first.
    nearest_first = sorted((f for f, _ in folders), key=lambda f: -len(os.path.realpath(f)))
    diagnostics.extend(due.check(mine, dues(mine, monitoring, evaluation, today, in_force),
                                 nearest_first, today, diagnostics))
    first = set(broken)
    diagnostics.sort(key=lambda d: (d.loc.path not in first, d.sort_key()))
    return Report(loaded, diagnostics, git_history, mine, broken, monitoring, evaluation)


def record_folders(paths: list[str], loaded: Loaded) -> list[tuple[str, str]]:
    """The folders whose ``_monev/`` and ``_evaluasi/`` hold records, each with the ``kode`` of the
    institution its records are about: every data folder among ``paths`` and every institution
    folder inside one of them."""
    given = [p for p in paths if os.path.isdir(p)]
    by_folder = {os.path.dirname(os.path.abspath(i.path)): i.kode for i in loaded.institutions.values() if i.path}
    out: dict[str, tuple[str, str]] = {}
    for p in given:
        out.setdefault(os.path.abspath(p), (p, by_folder.get(os.path.abspath(p), "")))
    inside = [os.path.abspath(p) for p in given]
    for i in loaded.institutions.values():
        if not i.path:
            continue
        folder = os.path.dirname(os.path.abspath(i.path))
        where = next((p for p in inside if os.path.commonpath([p, folder]) == p), None)
        if where is not None and folder not in out:
            shown = os.path.dirname(i.path) or "."
            out[folder] = (shown, i.kode)
    return list(out.values())


def _monitoring(folders: list[tuple[str, str]], sop_ids: set[str], diagnostics: list[Diagnostic]) -> Monitoring:
    """The monitoring records of the record ``folders``; what is wrong in them goes to ``diagnostics``."""
    records = _read_records(folders, sop_ids, load_monitoring, diagnostics, "monev")
    monitoring = Monitoring(tuple(sorted(records, key=lambda r: r.periode)))
    diagnostics.extend(check_monitoring(monitoring, sop_ids))
    return monitoring


def _evaluation(folders: list[tuple[str, str]], summaries: list[Summary], broken_ids: set[str],
                diagnostics: list[Diagnostic]) -> Evaluation:
    """The evaluation records of the record ``folders``; what is wrong in them goes to ``diagnostics``."""
    records = _read_records(folders, {s.id for s in summaries} | broken_ids, load_evaluation, diagnostics, "evaluasi")
    evaluation = Evaluation(tuple(sorted(records, key=lambda r: r.tahun)))
    diagnostics.extend(check_evaluation(evaluation, summaries, broken_ids))
    return evaluation


def _read_records(folders: list[tuple[str, str]], sop_ids: set[str],
                  load: Callable[[str], tuple[Any, list[Diagnostic]]], diagnostics: list[Diagnostic],
                  kind: str) -> list[Any]:
    """The records ``load`` finds in each of ``folders`` (monitoring or evaluation: ``kind`` is ``monev`` or
    ``evaluasi``), each naming its SOP by its full id: an institution's records name its SOPs by their
    file names (see :func:`sopcode.model.institutions.resolve`); a name that resolves to none is kept as
    the id it would have in that institution, and said unknown by the checks. A record that names an SOP
    of another institution is said too (:func:`_of_another`)."""
    records: list[Any] = []
    for folder, kode in folders:
        found, diags = load(folder)
        for r in found.records:
            # A full id (with '/') that names no SOP stays as written, not put under the institution again.
            meant = resolve(r.sop, kode, sop_ids) or (r.sop if "/" in str(r.sop) else make_id(kode, r.sop))
            records.append(r if meant == r.sop else dataclasses.replace(r, sop=meant))
            if meant in sop_ids and (said := _of_another(r, meant, kode, kind)) is not None:
                diagnostics.append(said)
        diagnostics.extend(diags)
    return records


def _of_another(record: Any, sop: str, kode: str, kind: str) -> Diagnostic | None:
    """``monev-sop-instansi-lain`` / ``evaluasi-sop-instansi-lain``: a record in the ``_monev/`` or
    ``_evaluasi/`` of institution ``kode`` that names the SOP ``sop`` of an institution that is neither
    ``kode`` nor one inside its folder.

    The decision (also in docs/panduan/banyak-instansi.md): each institution monitors and evaluates its
    own SOPs, as Permenpan-RB 35/2012 asks of every unit; the top's records (the Bagian or Biro Organisasi
    of the government) may name the SOP of any institution, and an institution's records those of the
    institutions inside it (a kecamatan its kelurahan). A record of a dinas naming a kecamatan's SOP is
    most often filed in the wrong folder, or a bare name that fell back to an SOP above: a **warning**,
    not an error, because the record is still read and counted for that SOP (nothing is lost, and a
    joint monitoring does happen), but the owner's Monev page, form and recap then show a penilai of
    another institution. The fix names the owner's own records file."""
    owner = institution_of(sop)
    if not kode or owner == kode or owner.startswith(kode + "/"):
        return None
    sub = MONEV_FOLDER if kind == "monev" else EVALUASI_FOLDER
    target = "/".join(p for p in (owner, sub, os.path.basename(record.loc.path)) if p)
    what = "monitoring" if kind == "monev" else "evaluasi"
    theirs = f"instansi '{owner}'" if owner else "pemerintah daerah (puncak folder data)"
    return peringatan(
        record.loc, "monev-sop-instansi-lain" if kind == "monev" else "evaluasi-sop-instansi-lain",
        f"catatan {what} instansi '{kode}' menilai SOP '{sop}' milik {theirs}; catatan {what} sebuah "
        "instansi hanya menilai SOP-nya sendiri dan SOP instansi di bawahnya",
        f"pindahkan penilaian ini ke berkas {what} pemilik SOP itu, {target} di folder data; bila yang dimaksud "
        "SOP instansi ini sendiri, perbaiki id-nya")


SUMMARY_CACHE = "summary"
PARALLEL_MIN = 48
"""From this many files not cached, they are read in worker processes (measured: a fork costs
about as much as reading 20 files)."""


def summarise(files: list[str], settings: Loaded | Instansi, cache_dir: str | None, versions: bool = False
              ) -> list[tuple[str, str, Summary | None, list[Diagnostic]]]:
    """Each file → (path, content key, summary or None, everything found in it alone).

    ``settings``: what :func:`find_with_settings` found (each file with its institution's settings),
    or one institution's settings for every file.
    With ``versions``, a summary carries the history's summary of its content too.
    """
    stored = Sharded(cache.part(cache_dir, SUMMARY_CACHE), SUMMARY)
    if isinstance(settings, Instansi):
        settings = Loaded(instansi=settings, institutions={settings.kode: settings},
                          kode_of={os.path.normpath(f): settings.kode for f in files})
    salts: dict[str, bytes] = {}
    out: list = [None] * len(files)
    todo: list[tuple[int, str, bytes | None, str]] = []
    for i, path in enumerate(files):
        kode = settings.settings_of(path).kode
        salt = salts.get(kode) or salts.setdefault(kode, content_salt(settings.settings_of(path)))
        data = read_for_key(path)
        key = content_key(salt, path, data) if data is not None else ""
        hit = stored.get(path, key)
        if hit is not None and (hit[0] is None or hit[0].versi or not versions):
            out[i] = (path, key, hit[0], hit[1])
        else:
            todo.append((i, path, data, key))
    work = partial(_summarise_chunk, institutions=settings.institutions, versions=versions)
    found = per_core(work, [(p, d, settings.settings_of(p).kode) for _, p, d, _ in todo], PARALLEL_MIN,
                     chunks_per_worker=4)
    for (i, path, _, key), (summary, diags) in zip(todo, found):
        out[i] = (path, key, summary, diags)
        stored.put(path, key, [summary, diags])
    stored.drop_missing()
    stored.save()
    return out


def _summarise_chunk(items: list[tuple[str, bytes | None, str]], institutions: dict[str, Instansi], versions: bool
                     ) -> list[tuple[Summary | None, list[Diagnostic]]]:
    out: list[tuple[Summary | None, list[Diagnostic]]] = []
    with no_gc():
        for path, data, kode in items:
            sop, diags = load_sop(path, institutions.get(kode), data)
            if sop is None:
                out.append((None, diags))
            else:
                out.append((Summary.of(sop, content_digest(sop) if versions else None), diags + check_sop(sop)))
    return out


FINDINGS_CACHE = "findings"


def _per_sop(loaded: Loaded, cache_dir: str | None) -> list[Diagnostic]:
    """The rules that look at one SOP alone, remembered per file content like the models."""
    stored = Sharded(cache.part(cache_dir, FINDINGS_CACHE), FINDINGS)
    found: list[Diagnostic] = []
    for sop in loaded.sops:
        key = loaded.content_keys.get(sop.path, "")
        diags = stored.get(path := sop.path, key)
        if diags is None:
            diags = check_sop(sop)
            stored.put(path, key, diags)
        found.extend(diags)
    stored.drop_missing()
    stored.save()
    return found


def history_of(sops: list[Sop] | list[Summary], settings: Loaded | Instansi | None = None,
               cache_dir: str | None = None) -> History:
    """The history of SOPs that may live in several folders: one git pass per folder (``cache_dir``:
    the run's cache root, trusted already; ``settings``: each file's institution settings, for
    summaries without their models)."""
    by_folder: dict[str, list] = {}
    for sop in sops:
        by_folder.setdefault(os.path.dirname(os.path.abspath(sop.path)), []).append(sop)
    merged = History({})
    used: set[str] = set()
    for folder, group in by_folder.items():
        # One history file per data folder: each run keeps only the entries it used.
        where = history_cache(cache_dir, folder)
        if where:
            used.add(os.path.basename(where))
        instansi = settings.settings_of(group[0].path) if isinstance(settings, Loaded) else settings
        part = read_history(group, folder, where, instansi=instansi)
        merged.per_sop.update(part.per_sop)
        merged.note = merged.note or part.note
    cache.keep_recent(cache.part(cache_dir, HISTORY_CACHE), used)
    return merged
