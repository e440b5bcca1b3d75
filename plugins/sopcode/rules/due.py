"""Monitoring and evaluation overdue: an SOP in force not monitored within six months, or not
evaluated within twelve (:mod:`sopcode.model.due` decides; issue 16, item 5).

Only an overdue one is warned about (``monev-terlambat``, ``evaluasi-terlambat``): one coming due
within a month is shown on the SOP's page, not in ``sop check``, which would otherwise warn
about every SOP for a month twice a year. Only SOPs in a data folder whose records were read are
judged (checking one file alone reads no ``_monev/`` and would call every SOP never monitored), and
only for a kind of record the folder keeps: a folder without ``_monev/`` (a project that does not
record its monitoring here, or not yet) gets no monitoring warnings, one without ``_evaluasi/`` no
evaluation warnings. Nor is a kind judged in a folder where reading its records found an error
(a file not read, an unknown SOP): the error is said, not its consequence.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping

from sopcode.diagnostics import Diagnostic, Loc, display_path, peringatan
from sopcode.model.due import EVALUASI, Due, State
from sopcode.model.evaluation import EVALUASI_FOLDER
from sopcode.model.monitoring import MONEV_FOLDER, Periode
from sopcode.model.sop import Summary
from sopcode.text import format_tanggal


def check(summaries: Iterable[Summary], dues: Mapping[str, tuple[Due, Due]], folders: list[str],
          today: dt.date, found_so_far: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
    """A warning per overdue monitoring or evaluation of an SOP under one of ``folders`` (the data
    folders whose ``_monev/`` and ``_evaluasi/`` were read); ``found_so_far``: what reading them found."""
    roots = [os.path.realpath(f) for f in folders]
    errors = {os.path.realpath(d.loc.path) for d in found_so_far if d.is_error}
    found = []
    for s in summaries:
        where = os.path.realpath(s.path)
        folder = next((f for f, r in zip(folders, roots) if where.startswith(r.rstrip(os.sep) + os.sep)), None)
        if folder is None or s.id not in dues:
            continue
        for d in dues[s.id]:
            if d.state is State.TERLAMBAT and keeps_records(folder, d.kind) and not _misread(folder, d.kind, errors):
                found.append(_warning(s, d, folder, today))
    return found


def keeps_records(folder: str, kind: str) -> bool:
    """Whether a data folder records this kind (``monitoring``, ``evaluasi``): it has the subfolder."""
    return os.path.isdir(_records_folder(folder, kind))


def _records_folder(folder: str, kind: str) -> str:
    return os.path.join(folder, EVALUASI_FOLDER if kind == EVALUASI else MONEV_FOLDER)


def _misread(folder: str, kind: str, errors: set[str]) -> bool:
    """Whether an error was found in the folder's records of this kind (their files' real paths in ``errors``)."""
    inside = os.path.realpath(_records_folder(folder, kind)) + os.sep
    return any(path.startswith(inside) for path in errors)


def _warning(s: Summary, d: Due, folder: str, today: dt.date) -> Diagnostic:
    loc = s.efektif_loc or Loc(s.path)
    evaluasi = d.kind == EVALUASI
    kata = "dievaluasi" if evaluasi else "dimonitor"
    tiap = "sekali setahun" if evaluasi else "tiap enam bulan"
    if d.last is not None:
        said = f"SOP '{s.id}' terakhir {kata} {format_tanggal(d.last)}"
    elif d.since is not None:
        dari = "tanggal efektif" if d.since == s.tanggal_efektif else "tanggal pembuatan (tanggal efektif tidak tercantum)"
        said = f"SOP '{s.id}' belum pernah {kata}, dihitung dari {dari} {format_tanggal(d.since)}"
    else:
        said = f"SOP '{s.id}' belum pernah {kata} dan tidak mencantumkan tanggal efektif maupun tanggal pembuatan"
    if d.deadline is not None:
        late = (today - d.deadline).days
        which = f"{'evaluasi' if evaluasi else 'monitoring'} {'berikutnya' if d.last else 'pertama'}"
        said += f"; {which} jatuh tempo {format_tanggal(d.deadline)}, terlambat {late} hari"
    if evaluasi:
        record = os.path.join(display_path(folder), EVALUASI_FOLDER, f"{today.year}.yaml")
        fix = f"isi hasil evaluasi SOP ini di {record}; SOP yang berlaku dievaluasi {tiap}"
    else:
        periode = Periode(today.year, 1 if today.month <= 6 else 2)
        record = os.path.join(display_path(folder), MONEV_FOLDER, f"{periode.kode}.yaml")
        fix = f"isi hasil monitoring SOP ini di {record} ({periode.label}); SOP yang berlaku dimonitor {tiap}"
    if d.since is None:
        fix = f"isi `tanggal_efektif` SOP ini, lalu {fix}"
    return peringatan(loc, "evaluasi-terlambat" if evaluasi else "monev-terlambat", said, fix)
