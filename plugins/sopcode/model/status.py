"""Whether an SOP is in force, decided in one place (issue 16, item 1).

From the SOP's own data and whether git calls it a draft: withdrawn (``dicabut``) comes
first, then superseded (``diganti_oleh``), then a draft (changed since its approval), then an
effective date still to come; otherwise the SOP is in force.

Dates to come
-------------
A withdrawal dated in the future (``dicabut.tanggal`` after today) is announced, not yet in effect:
the SOP keeps its status until that day (the site says "Akan dicabut mulai ...") and is DICABUT from it
on. Likewise a replacement whose own effective date is still to come: the old SOP stays in force
until its successor takes effect, and is DIGANTI from that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from enum import Enum
from typing import Protocol

from sopcode.model.institutions import institution_of, resolve
from sopcode.model.sop import Dicabut, Teks


class Lifecycle(Protocol):
    """What the status is decided from: an SOP's model (:class:`~sopcode.model.sop.Sop`) or the
    summary ``sop check`` keeps of it (:class:`~sopcode.model.sop.Summary`), so both decide alike."""

    @property
    def id(self) -> str: ...

    @property
    def tanggal_efektif(self) -> dt.date | None: ...

    @property
    def dicabut(self) -> Dicabut | None: ...

    @property
    def diganti_oleh(self) -> Teks | None: ...


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


def status(sop: Lifecycle, today: dt.date, draf: bool = False, pengganti: Lifecycle | None = None) -> Status:
    """The SOP's status on ``today``; ``draf``: its content changed since its last approval (from git);
    ``pengganti``: the SOP ``diganti_oleh`` names, when known (its effective date says when it takes over)."""
    if withdrawn_on(sop, today):
        return Status.DICABUT
    if superseded_on(sop, today, pengganti):
        return Status.DIGANTI
    if draf:
        return Status.DRAF
    if sop.tanggal_efektif is not None and sop.tanggal_efektif > today:
        return Status.BELUM_BERLAKU
    return Status.BERLAKU


def withdrawn_on(sop: Lifecycle, today: dt.date) -> bool:
    """Whether the withdrawal is in effect on ``today`` (a withdrawal without a date is)."""
    return sop.dicabut is not None and (sop.dicabut.tanggal is None or sop.dicabut.tanggal <= today)


def superseded_on(sop: Lifecycle, today: dt.date, pengganti: Lifecycle | None = None) -> bool:
    """Whether the replacement has taken over on ``today``: from its effective date (at once without one)."""
    if not sop.diganti_oleh:
        return False
    start = pengganti.tanggal_efektif if pengganti is not None else None
    return start is None or start <= today


def statuses(sops: Iterable[Lifecycle], today: dt.date, drafts: Container[str] = ()) -> dict[str, Status]:
    """Every SOP's status (``drafts``: the ids of those changed since their approval), each replacement
    looked up among ``sops``: the one decision the site's pages, the Monev page and ``sop check`` share."""
    by_id = {s.id: s for s in sops}

    def replacement(sid: str, s: Lifecycle) -> Lifecycle | None:
        meant = resolve(str(s.diganti_oleh), institution_of(sid), by_id) if s.diganti_oleh else None
        return by_id.get(meant) if meant is not None else None

    return {sid: status(s, today, sid in drafts, replacement(sid, s)) for sid, s in by_id.items()}
