"""The checks: one module per family of rules, each rule with a code.

``check(paths)`` loads every SOP under the paths and runs all rules; the CLI
and the MkDocs build both call it, so a message reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..load import Loaded, load_folder
from ..model import Sop
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

    @property
    def sops(self) -> list[Sop]:
        return self.loaded.sops

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def check(paths: list[str] | str, corpus_paths: list[str] | None = None) -> Report:
    """Load and check; cross-SOP rules look at ``corpus_paths`` too (default: the same)."""
    loaded = load_folder(paths)
    diagnostics = list(loaded.diagnostics)
    for sop in loaded.sops:
        diagnostics.extend(check_sop(sop))
    others = loaded.sops
    if corpus_paths is not None:
        extra = load_folder(corpus_paths).sops
        mine = {s.path for s in loaded.sops}
        others = loaded.sops + [s for s in extra if s.path not in mine]
    diagnostics.extend(d for d in corpus.check(others) if d.loc.path in {s.path for s in loaded.sops})
    diagnostics.sort(key=Diagnostic.sort_key)
    return Report(loaded, diagnostics)
