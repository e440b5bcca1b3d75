"""Whether an SOP is in force, decided in one place (issue 16, item 1).

From the SOP's own data and whether git calls it a draft: withdrawn (``dicabut``) comes
first, then superseded (``diganti_oleh``), then a draft (changed since its approval), then an
effective date still to come; otherwise the SOP is in force.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from sopcode.model.sop import Sop


class Status(Enum):
    BERLAKU = "berlaku"
    BELUM_BERLAKU = "belum berlaku"
    DRAF = "draf"
    DIGANTI = "diganti"
    DICABUT = "dicabut"

    @property
    def mark(self) -> str:
        """The word printed on a sheet of an SOP not in force (``DRAF``, ``BELUM BERLAKU``, ...)."""
        return self.value.upper()

    @property
    def in_force(self) -> bool:
        return self is Status.BERLAKU


def status(sop: Sop, today: dt.date, draf: bool = False) -> Status:
    """The SOP's status on ``today``; ``draf``: its content changed since its last approval (from git)."""
    if sop.dicabut is not None:
        return Status.DICABUT
    if sop.diganti_oleh:
        return Status.DIGANTI
    if draf:
        return Status.DRAF
    if sop.tanggal_efektif is not None and sop.tanggal_efektif > today:
        return Status.BELUM_BERLAKU
    return Status.BERLAKU
