"""The checks: one module per family of rules, each rule with a code.

``check(paths)`` loads every SOP under the paths and runs all rules; the CLI
and the MkDocs build both call it, so a message reads the same everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..cache import project_cache, read_pickle, write_pickle
from ..diagnostics import Diagnostic
from ..load import Loaded, find_sop_files, load_folder
from ..model import Sop
from ..riwayat import Riwayat, baca
from . import corpus, flow, identity, wording

PER_SOP = (flow.check, identity.check, wording.check)


def check_sop(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule_family in PER_SOP:
        found.extend(rule_family(sop))
    return found


@dataclass
class Report:
    loaded: Loaded
    diagnostics: list[Diagnostic]
    riwayat: Riwayat | None = None
    """The git history of the SOPs checked (None when not asked for)."""

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


def check(paths: list[str] | str, corpus_paths: list[str] | None = None, riwayat: bool = True,
          cache_dir: str | None = AUTO) -> Report:
    """Load and check; cross-SOP rules look at ``corpus_paths`` too (default: the same).

    With ``riwayat``, the git history is read too, and an SOP whose content
    changed after its approval without new dates is warned about.
    ``cache_dir`` keeps loaded models and their per-SOP findings, keyed by
    each file's bytes (``auto``: the project's ``.cache/sop``; ``None``: no cache).
    """
    if isinstance(paths, str):
        paths = [paths]
    if cache_dir == AUTO:
        cache_dir = project_cache(paths[0]) if paths else None
    loaded = load_folder(paths, cache_dir)
    diagnostics = list(loaded.diagnostics)
    diagnostics.extend(_per_sop(loaded, cache_dir))
    others = loaded.sops
    if corpus_paths is not None:
        mine = {os.path.realpath(s.path) for s in loaded.sops}
        files, _ = find_sop_files(list(corpus_paths))
        rest = [f for f in files if os.path.realpath(f) not in mine]
        if rest:  # only the files not loaded already (checking a whole folder loads nothing twice)
            others = loaded.sops + load_folder(rest).sops
    diagnostics.extend(d for d in corpus.check(others) if d.loc.path in {s.path for s in loaded.sops})
    history = read_history(loaded.sops) if riwayat else None
    if history is not None:
        diagnostics.extend(history.diagnostics)
    diagnostics.sort(key=Diagnostic.sort_key)
    return Report(loaded, diagnostics, history)


def _per_sop(loaded: Loaded, cache_dir: str | None) -> list[Diagnostic]:
    """The rules that look at one SOP alone, remembered per file content like the models."""
    path = os.path.join(cache_dir, "periksa.pickle") if cache_dir else None
    stored = read_pickle(path)
    stored = stored if isinstance(stored, dict) else {}
    found: list[Diagnostic] = []
    changed = False
    for sop in loaded.sops:
        key = loaded.kunci.get(sop.path)
        hit = stored.get(sop.path)
        if key and hit is not None and hit[0] == key:
            diags = hit[1]
        else:
            diags = check_sop(sop)
            if key:
                stored[sop.path] = (key, diags)
                changed = True
        found.extend(diags)
    if path and changed:
        try:
            write_pickle(path, stored)
        except OSError:
            pass  # a read-only project is still checked
    return found


def read_history(sops: list[Sop]) -> Riwayat:
    """The history of SOPs that may live in several folders: one git pass per folder."""
    by_folder: dict[str, list[Sop]] = {}
    for sop in sops:
        by_folder.setdefault(os.path.dirname(os.path.abspath(sop.path)), []).append(sop)
    merged = Riwayat({})
    for folder, group in by_folder.items():
        part = baca(group, folder)
        merged.per_sop.update(part.per_sop)
        merged.diagnostics.extend(part.diagnostics)
        merged.catatan = merged.catatan or part.catatan
    return merged
