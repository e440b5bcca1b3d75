"""When an SOP's next monitoring and evaluation are due (issue 16, item 5).

The regulation monitors an SOP every six months and evaluates it once a year. For each kind
the interval is counted from ``since``: the date of the SOP's latest record of that kind (dated
on or before ``today``; a record dated later has not happened yet), else, for an SOP never
monitored or evaluated, its ``tanggal_efektif``, else its ``tanggal_pembuatan`` (an SOP in
force without an effective date: the earliest date it can have been in force). The
``deadline`` is ``since`` plus :data:`MONITORING_MONTHS` or :data:`EVALUATION_MONTHS` calendar
months, the day kept and brought back to the month's last day when the month is shorter
(31 August + 6 months = 28 February, or 29 in a leap year; 29 February + 12 months = 28 February).

The state on ``today``, in this order:

* :attr:`State.TIDAK_BERLAKU` -- the SOP is not in force (``belum berlaku``, ``diganti``,
  ``dicabut``): it is not monitored. A ``draf`` is: its approved version is still in force.
* :attr:`State.TERLAMBAT` -- ``today`` is after the deadline (the deadline day itself is still
  on time), or the SOP gives no date at all and has no record: nothing shows it was ever looked at.
* :attr:`State.JATUH_TEMPO` -- the deadline is within the next :data:`DUE_SOON_DAYS` days.
* :attr:`State.SELESAI` -- otherwise: done for now.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from sopcode.model.evaluation import Evaluation
from sopcode.model.monitoring import Monitoring
from sopcode.model.records import Records
from sopcode.model.status import Status

MONITORING_MONTHS = 6
"""Monitoring: every six months (the regulation's semester)."""
EVALUATION_MONTHS = 12
"""Evaluation: once a year."""
DUE_SOON_DAYS = 30
"""How many days before its deadline a monitoring or evaluation is due."""

MONITORING = "monitoring"
EVALUASI = "evaluasi"


class State(Enum):
    SELESAI = "selesai"
    JATUH_TEMPO = "jatuh tempo"
    TERLAMBAT = "terlambat"
    TIDAK_BERLAKU = "tidak perlu"
    """The SOP is not in force (belum berlaku, diganti, dicabut): not subject to monitoring."""


@dataclass(frozen=True)
class Due:
    """Where one SOP stands with one kind of record on one day."""

    kind: str
    """``monitoring`` or ``evaluasi``."""
    state: State
    last: dt.date | None
    """The date of the latest record (on or before the day asked about); None: never."""
    since: dt.date | None
    """What the interval is counted from: ``last``, else tanggal_efektif, else tanggal_pembuatan."""
    deadline: dt.date | None
    """``since`` + 6 or 12 months; None when the SOP gives no date and has no record."""


class Dated(Protocol):
    """What :func:`due` needs of an SOP: its id and its own dates (a :class:`~sopcode.model.sop.Sop`)."""

    @property
    def id(self) -> str: ...

    @property
    def tanggal_efektif(self) -> dt.date | None: ...

    @property
    def tanggal_pembuatan(self) -> dt.date | None: ...


NOT_IN_FORCE = frozenset({Status.BELUM_BERLAKU, Status.DIGANTI, Status.DICABUT})


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus calendar ``months``, on the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def due(sop: Dated, monitoring: Monitoring, evaluation: Evaluation, today: dt.date,
        status: Status) -> tuple[Due, Due]:
    """The SOP's monitoring and evaluation on ``today`` (``status``: its status that day, see
    :func:`sopcode.model.status.status`)."""
    return (_one(MONITORING, sop, monitoring, MONITORING_MONTHS, today, status),
            _one(EVALUASI, sop, evaluation, EVALUATION_MONTHS, today, status))


def _one(kind: str, sop: Dated, records: Records, months: int, today: dt.date, status: Status) -> Due:
    last = max((r.tanggal for r in records.of(sop.id) if r.tanggal <= today), default=None)
    since = last or sop.tanggal_efektif or sop.tanggal_pembuatan
    deadline = add_months(since, months) if since is not None else None
    if status in NOT_IN_FORCE:
        state = State.TIDAK_BERLAKU
    elif deadline is None or today > deadline:
        state = State.TERLAMBAT
    elif (deadline - today).days <= DUE_SOON_DAYS:
        state = State.JATUH_TEMPO
    else:
        state = State.SELESAI
    return Due(kind, state, last, since, deadline)


def dues(sops: Iterable[Dated], monitoring: Monitoring, evaluation: Evaluation, today: dt.date,
         statuses: Mapping[str, Status]) -> dict[str, tuple[Due, Due]]:
    """Every SOP's :func:`due` by its id (``statuses``: each SOP's status that day; an SOP not in it is in force)."""
    return {s.id: due(s, monitoring, evaluation, today, statuses.get(s.id, Status.BERLAKU)) for s in sops}
