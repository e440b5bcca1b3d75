"""The page "Monitoring dan evaluasi": per unit, where each SOP in force stands with its monitoring
(every six months) and its evaluation (every year), the SOPs waiting for a revision, a chart of
the share carried out well per period, and the forms and recaps to download.

No MkDocs here: :mod:`sopcode.publish` gives the records, the states (:func:`sopcode.model.due.due`)
and the addresses, and adds the page and its files to the site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sopcode.model.due import Due, State, due
from sopcode.model.evaluation import Evaluasi, Evaluation
from sopcode.model.monitoring import Monitoring, Penilaian, Periode
from sopcode.model.sop import Instansi, Sop
from sopcode.model.status import Status
from sopcode.site.chart import Bar, bar_chart
from sopcode.site.pages import _ENV, Href, Page

R = TypeVar("R", Penilaian, Evaluasi)

PAGE = "monitoring-dan-evaluasi.md"
TITLE = "Monitoring dan evaluasi"
GRAFIK_MARK = "<!--sop:grafik-monev-->"
SEMUA = "Semua unit"
COUNTED = (State.SELESAI, State.JATUH_TEMPO, State.TERLAMBAT)
"""The states a unit's summary counts, in its order."""
IN_FORCE = (Status.BERLAKU, Status.DRAF)
"""The statuses of the SOPs listed: in force, or a draft of one in force."""


def recap_path(periode: Periode, kode: str = "") -> str:
    """Where a period's Excel recap lives in the site: the whole site's, or (``kode``) one institution's,
    in its folder beside its forms (``monev/<kode>/``)."""
    folder = f"monev/{kode}" if kode else "monev"
    return f"{folder}/rekap-monitoring-{periode.kode}.xlsx"


@dataclass(frozen=True)
class Baris:
    """One SOP's row: its monitoring and evaluation states and latest records."""

    sop: Sop
    monitoring: Due
    evaluasi: Due
    penilaian: Penilaian | None
    """The latest monitoring record."""
    evaluasi_terakhir: Evaluasi | None


@dataclass(frozen=True)
class Unit:
    nama: str
    baris: list[Baris]
    instansi: Instansi | None = None
    """Its institution, in a site of several (the page then groups the units by institution)."""

    def count(self, kind: str) -> list[tuple[str, int]]:
        """How many of the unit's SOPs are in each state of :data:`COUNTED` for ``kind`` (monitoring, evaluasi)."""
        states = [getattr(b, kind).state for b in self.baris]
        return [(s.value, states.count(s)) for s in COUNTED]


def chart(sops: Sequence[Sop], monitoring: Monitoring, several: bool = False) -> str | None:
    """The share of SOPs monitored as "berjalan dengan baik", per unit and period, and over all units;
    None without any monitoring record of these SOPs. ``several``: the site shows several institutions,
    each unit then named with its institution (two institutions' units of one name stay apart)."""
    unit_of = {s.id: f"{s.nama_unit} ({s.instansi.nama})" if several else s.nama_unit for s in sops}
    counts: dict[tuple[str, Periode], list[int]] = defaultdict(lambda: [0, 0])
    for r in monitoring.records:
        if r.sop in unit_of:
            for unit in (unit_of[r.sop], SEMUA):
                counts[unit, r.periode][0] += r.baik
                counts[unit, r.periode][1] += 1
    if not counts:
        return None
    periods = sorted({p for _, p in counts})
    units = [*sorted({u for u, _ in counts if u != SEMUA}, key=str.casefold), SEMUA]
    groups = [(unit, [Bar(p.label, *counts.get((unit, p), (0, 0))) for p in periods]) for unit in units]
    desc = "; ".join(f"{unit}, {bar.label}: {bar.teks}" for unit, bars in groups for bar in bars)
    return bar_chart("SOP yang berjalan dengan baik per unit dan periode monitoring",
                     f"Persentase SOP yang dinilai berjalan dengan baik dari SOP yang dimonitor. {desc}.",
                     "Persentase SOP yang berjalan dengan baik dari SOP yang dimonitor", groups)


def monev_page(rows: Sequence[Baris], href: Href, monitoring: Monitoring, evaluation: Evaluation,
               perlu_revisi: Sequence[tuple[Sop, Evaluasi]], downloads: Sequence[tuple[str, str]],
               grafik: str | None, institutions: Sequence[Instansi] = ()) -> Page:
    """The page: ``rows`` of the SOPs in force, ``perlu_revisi`` (SOP, the evaluation asking for a
    revision), ``downloads`` as (label, address), ``grafik`` the chart's SVG; ``institutions``: those
    the site shows (none with one institution), the units then grouped under each, in their order."""
    order = {ins.kode: n for n, ins in enumerate(institutions)}
    units: dict[tuple[int, str], list[Baris]] = defaultdict(list)
    for row in sorted(rows, key=lambda b: (str(b.sop.nomor or "~"), str(b.sop.nama).casefold())):
        units[order.get(row.sop.instansi.kode, -1) if order else 0, row.sop.nama_unit].append(row)
    body = _ENV.get_template("monev.html").render(
        units=[Unit(name, units[n, name], institutions[n] if order and n >= 0 else None)
               for n, name in sorted(units, key=lambda k: (k[0], k[1].casefold()))],
        institutions=list(institutions), link=href,
        perlu_revisi=list(perlu_revisi), downloads=list(downloads), grafik_mark=GRAFIK_MARK if grafik else None,
        periods=monitoring.periods(), years=evaluation.periods(), State=State,
        # A kind the project keeps no records of is not judged (every SOP would be late), as on the SOP pages.
        kept={"monitoring": bool(monitoring.records), "evaluasi": bool(evaluation.records)})
    # The table of contents would take a third of the width the tables need.
    return Page(TITLE, body, {"hide": ["toc"]}, {GRAFIK_MARK: grafik} if grafik else {})


def rows_of(sops: Sequence[Sop], monitoring: Monitoring, evaluation: Evaluation, today: dt.date,
            statuses: Mapping[str, Status]) -> list[Baris]:
    """A row per SOP in force (a draft's approved version still is), with its states on ``today``."""
    out = []
    for sop in sops:
        st = statuses.get(sop.id, Status.BERLAKU)
        if st in IN_FORCE:
            m, e = due(sop, monitoring, evaluation, today, st)
            out.append(Baris(sop, m, e, _counted(monitoring.of(sop.id), m), _counted(evaluation.of(sop.id), e)))
    return out


def _counted(records: Sequence[R], d: Due) -> R | None:
    """The record :func:`due` counted as the latest (one dated later has not happened yet)."""
    return next((r for r in reversed(records) if r.tanggal == d.last), None)


def awaiting_revision(sops: Sequence[Sop], evaluation: Evaluation,
                      approved: Mapping[str, dt.date | None]) -> list[tuple[Sop, Evaluasi]]:
    """The SOPs whose latest evaluation asks for a revision not approved since (the decision of the
    rule evaluasi-perlu-revisi: :meth:`Evaluation.awaiting_revision`), by name."""
    by_id = {s.id: s for s in sops}
    waiting = [r for r in evaluation.awaiting_revision(dict(approved))
               if r.sop in by_id and evaluation.latest(r.sop) == r]
    return sorted(((by_id[r.sop], r) for r in waiting), key=lambda p: str(p[0].nama).casefold())
