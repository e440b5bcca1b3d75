"""What the regulation's monitoring and evaluation records have in common: read from files of
their own beside the SOPs, looked up per SOP, the most recent one found by when it was made."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sopcode.diagnostics import Diagnostic, Loc
from sopcode.model.load import check_path
from sopcode.model.schema import INVALID, Ctx, Date, Field, ListOf, Obj, Str, required
from sopcode.model.yaml_reading import read_yaml
from sopcode.text import suggest


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
        return self._by_sop.get(sop_id, ())

    @functools.cached_property
    def _by_sop(self) -> dict[str, tuple[R, ...]]:
        """The records by SOP id, each SOP's in order: looked up once per SOP of thousands, not scanned."""
        found: dict[str, list[R]] = {}
        for r in self.records:
            found.setdefault(r.sop, []).append(r)
        return {sop: tuple(mine) for sop, mine in found.items()}

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


def record_files(folder: str, sub: str) -> list[str]:
    """The YAML files of a data folder's subfolder ``sub`` (``_monev``, ``_evaluasi``), in name order."""
    where = os.path.join(folder, sub)
    if not os.path.isdir(where) or os.path.islink(where):
        return []
    return [os.path.join(where, n) for n in sorted(os.listdir(where))
            if n.lower().endswith((".yaml", ".yml")) and not n.startswith(".")]


def read_record_file(path: str, declaration: Obj, what: str,
                     misnamed: Diagnostic | None = None) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """A record file's values as declared (``None`` when it has errors of shape, or is ``misnamed``:
    its name gives no period, so it is not read), and what reading it found (the list the caller
    may add its own findings to)."""
    if misnamed is not None:
        return None, [misnamed]
    # As for an SOP file: a link out of the project (its lines would be printed in the messages), a
    # folder, a named pipe or a device is said, never read. The project: the folder holding the data folder.
    project = os.path.realpath(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path)))))
    refused = check_path(path, (project,))
    if refused is not None:
        return None, [refused]
    ctx = Ctx(path)
    node = read_yaml(path, ctx)
    if node is None:
        return None, ctx.diagnostics
    result = declaration.convert(node, ctx, what)
    if result is INVALID:
        return None, ctx.diagnostics
    return result[0], ctx.diagnostics


def read_all(files: list[str], read_file: Callable[[str], tuple[list[R], list[Diagnostic]]],
             period: Callable[[R], Any]) -> tuple[tuple[R, ...], list[Diagnostic]]:
    """Every file's records, by period (stable: files and items keep their order within one)."""
    records: list[R] = []
    found: list[Diagnostic] = []
    for path in files:
        mine, diags = read_file(path)
        records.extend(mine)
        found.extend(diags)
    records.sort(key=period)
    return tuple(records), found


def check_records(records: Records[R], sop_ids: set[str], *, unknown: Callable[[R, str], Diagnostic],
                  twice: Callable[[R, R], Diagnostic], inside: Callable[[R], bool],
                  outside: Callable[[R], Diagnostic]) -> list[Diagnostic]:
    """What every kind of record is checked for against the SOPs and its period: an SOP id that
    names no SOP (``unknown`` is told the fix: the nearest id), one SOP twice in a period
    (``twice`` is told the first), a date outside the period. The callers word the diagnostics."""
    found: list[Diagnostic] = []
    seen: dict[tuple[Any, str], R] = {}
    choices = sorted(sop_ids)
    for r in records.records:
        if r.sop not in sop_ids:
            found.append(unknown(r, suggest(r.sop, choices) or "tulis id SOP, yaitu nama berkasnya tanpa `.yaml`"))
        first = seen.setdefault((records.period(r), r.sop), r)
        if first is not r:
            found.append(twice(r, first))
        if not inside(r):
            found.append(outside(r))
    return found


PENILAI = Obj(
    title="penilai",
    doc="Yang menilai: nama dan jabatan (paraf penilai pada formulir).",
    fields=required(nama=Str(doc="Nama lengkap dengan gelar."),
                    jabatan=Str(doc="Jabatan, misalnya Sekretaris Kecamatan.")),
    build=lambda v, loc, pos: v,
)


def record_file(title: str, doc: str, row: Obj, unit_doc: str, rows_doc: str,
                before: dict[str, Field] | None = None) -> Obj:
    """A monitoring or evaluation file: fields ``before`` (the period, say), the unit, and its rows."""
    from sopcode.model.declaration import frozen

    return Obj(
        title=title,
        doc=doc,
        fields={**(before or {}), "unit": Field(Str(doc=unit_doc)),
                "hasil": Field(ListOf(row, doc=rows_doc), required=True)},
        build=lambda v, loc, pos: (v, loc, frozen(pos)),
    )


def record_row(title: str, doc: str, own: dict[str, Field], when: str, after: dict[str, Field] | None = None) -> Obj:
    """One row of a monitoring or evaluation form: the SOP's id, the row's ``own`` fields, who
    judged it and when (``when`` documents the date), then any fields ``after``."""
    from sopcode.model.declaration import frozen

    return Obj(
        title=title,
        doc=doc,
        fields={"sop": Field(Str(doc="Id SOP (nama berkasnya tanpa .yaml)."), required=True), **own,
                **required(penilai=PENILAI, tanggal=Date(doc=when)), **(after or {})},
        build=lambda v, loc, pos: (v, loc, frozen(pos)),
    )
