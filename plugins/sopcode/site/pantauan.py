"""The badge on an SOP's page saying where its monitoring and evaluation stand (issue 16, item 5).

One line per kind, its meaning in words first ("Monitoring terlambat", "Evaluasi jatuh tempo ...",
"Dimonitor ...") and the colour only repeating it; the states are :func:`sopcode.model.due.due`'s.
An SOP not in force has no badge (its status banner says why), and a kind the project keeps no
records of at all has none either (a site that does not record its monitoring is not told every
SOP is late).
"""

from __future__ import annotations

from dataclasses import dataclass

from sopcode.model.due import EVALUASI, Due, State
from sopcode.model.evaluation import Evaluation
from sopcode.model.monitoring import Monitoring
from sopcode.text import format_tanggal


@dataclass(frozen=True)
class Pantauan:
    """One line of the badge."""

    state: State
    judul: str
    """What it says first, in bold: "Monitoring terlambat", "Dievaluasi 16 November 2026"."""
    rincian: str
    """The rest: the last record and its finding, the deadline."""

    @property
    def kelas(self) -> str:
        """Its CSS class: ``sop-pantauan-terlambat``, ``-jatuh-tempo``, ``-selesai``."""
        return "sop-pantauan-" + self.state.value.replace(" ", "-")


def pantauan(d: Due, hasil: str | None = None) -> Pantauan | None:
    """The line for one kind (``hasil``: the latest record's finding, "berjalan dengan baik" or
    "kesimpulan: tetap"); None for an SOP not in force."""
    if d.state is State.TIDAK_BERLAKU:
        return None
    evaluasi = d.kind == EVALUASI
    nama, kata = ("Evaluasi", "dievaluasi") if evaluasi else ("Monitoring", "dimonitor")
    last = f"terakhir {kata} {format_tanggal(d.last)}" if d.last else f"belum pernah {kata}"
    if d.last and hasil:
        last += f": {hasil}"
    if d.state is State.TERLAMBAT:
        due = f"jatuh tempo {format_tanggal(d.deadline)}; " if d.deadline else ""
        return Pantauan(d.state, f"{nama} terlambat", due + last)
    if d.state is State.JATUH_TEMPO:
        return Pantauan(d.state, f"{nama} jatuh tempo {format_tanggal(d.deadline)}", last)
    assert d.deadline is not None  # SELESAI has one
    next_one = f"{nama.lower()} {'berikutnya' if d.last else 'pertama'} paling lambat {format_tanggal(d.deadline)}"
    if d.last is None:
        return Pantauan(d.state, f"Belum {kata}", next_one)
    return Pantauan(d.state, f"{kata.capitalize()} {format_tanggal(d.last)}",
                    (f"{hasil}; " if hasil else "") + next_one)


def badge(dues: tuple[Due, Due], monitoring: Monitoring, evaluation: Evaluation, sop_id: str,
          kept: tuple[bool, bool] = (True, True)) -> tuple[Pantauan, ...]:
    """The badge's lines, monitoring first, for each kind the project keeps records of (``kept``); a
    finding is the one of the record :func:`~sopcode.model.due.due` counted as the latest."""
    m = next((r for r in reversed(monitoring.of(sop_id)) if r.tanggal == dues[0].last), None)
    e = next((r for r in reversed(evaluation.of(sop_id)) if r.tanggal == dues[1].last), None)
    results = (m.penilaian if m else None, f"kesimpulan {e.kesimpulan}" if e else None)
    lines = (pantauan(d, r) for d, r, k in zip(dues, results, kept) if k)
    return tuple(line for line in lines if line is not None)
