"""What the regulation's monitoring and evaluation records have in common: read from files of
their own beside the SOPs, looked up per SOP, the most recent one found by when it was made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sopcode.diagnostics import Loc


@dataclass(frozen=True, kw_only=True)
class RecordFields:
    """What every monitoring or evaluation record says besides its findings: whose SOP, who
    judged it and when, and where that is written."""

    sop: str
    """The SOP's id (its file name without ``.yaml``)."""
    penilai_nama: str
    penilai_jabatan: str
    tanggal: dt.date
    unit: str = ""
    """The file's ``unit``, when written."""
    loc: Loc = field(default=Loc(""), compare=False)
    """Where its ``sop`` id is written."""
    tanggal_loc: Loc = field(default=Loc(""), compare=False)


class Record(Protocol):
    @property
    def sop(self) -> str: ...

    @property
    def tanggal(self) -> dt.date: ...


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Records(Generic[R]):
    """Every record of one kind in a data folder, in the order they were read (by period or year)."""

    records: tuple[R, ...] = ()

    def of(self, sop_id: str) -> tuple[R, ...]:
        """One SOP's records, oldest first."""
        return tuple(r for r in self.records if r.sop == sop_id)

    def latest(self, sop_id: str) -> R | None:
        """The SOP's most recent record, or None when it has none."""
        mine = self.of(sop_id)
        return max(mine, key=lambda r: (self.period(r), r.tanggal)) if mine else None

    def periods(self) -> tuple[Any, ...]:
        """The periods (half years, years) the records cover, oldest first."""
        return tuple(sorted({self.period(r) for r in self.records}))

    def period(self, record: R) -> Any:
        """The period a record belongs to: its half year, its year."""
        raise NotImplementedError
